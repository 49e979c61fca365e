//! Guardrail evaluation: policy, cost, resource and tag guardrails over one analysed plan.
//!
//! Each guardrail produces a [`GuardrailResult`]: passed or not, its violations, the
//! warnings for values it could not decide (unknown until apply), and what waivers hid.
//! The verdict of the whole check is derived from these results in one place
//! ([`verdict`]), as cargo-deny's collector does.

use std::collections::BTreeMap;

use jiff::civil::Date;
use planguard_plan::{
    shown, ActionKind, ChangeValues, Disclosure, Lookup, Mode as ResourceMode, Plan, ResourceChange, Shown,
};
use planguard_rules::{Finding, Status};
use serde::Serialize;
use serde_json::Value;

use crate::ci::CiContext;
use crate::config::{
    Config, CostGuardrail, GlobText, Guardrail, GuardrailKind, GuardrailWaiver, Mode, OnUnknown, PolicyGuardrail,
    ResourceGuardrail, TagGuardrail,
};

/// The result of one guardrail.
#[derive(Debug, Clone, Serialize)]
pub struct GuardrailResult {
    /// The guardrail's name.
    pub name: String,
    /// Its type: `policy`, `cost`, `resource` or `tag`.
    #[serde(rename = "type")]
    pub guardrail_type: &'static str,
    /// `enforce` or `warn`.
    pub mode: Mode,
    /// True when nothing violated it (or it was skipped).
    pub passed: bool,
    /// Set when the guardrail did not apply here, with the reason (branch or repository
    /// out of scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// What violated it.
    pub violations: Vec<Violation>,
    /// What it could not decide (values known only after apply), reported but not failing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Violation>,
    /// Violations hidden by waivers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waived: Vec<Violation>,
}

/// One violation of a guardrail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The resource, when the violation is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The rule, for policy guardrails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The verdict of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every guardrail passed.
    Pass,
    /// Only guardrails in `warn` mode failed.
    Warn,
    /// An enforced guardrail failed.
    Fail,
}

impl Verdict {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

/// The verdict of a set of guardrail results.
pub fn verdict(results: &[GuardrailResult]) -> Verdict {
    results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| match r.mode {
            Mode::Enforce => Verdict::Fail,
            Mode::Warn => Verdict::Warn,
        })
        .max()
        .unwrap_or(Verdict::Pass)
}

/// What became of a guardrail waiver.
#[derive(Debug, Clone, Serialize)]
pub struct GuardrailWaiverOutcome {
    /// The guardrail name glob.
    pub guardrail: String,
    /// The address glob.
    pub address: String,
    /// The reason given.
    pub reason: String,
    /// The expiry date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// `applied`, `expired` or `stale`.
    pub state: &'static str,
    /// Violations it matched.
    pub matched: usize,
}

/// The cost figures a cost guardrail needs.
#[derive(Debug, Clone, Default)]
pub struct CostFigures {
    /// Monthly cost before the change.
    pub monthly_before: f64,
    /// Monthly cost after the change.
    pub monthly_after: f64,
    /// Resources whose cost is unknown, with the reason.
    pub unknown: Vec<(String, String)>,
    /// The currency.
    pub currency: String,
}

/// Everything guardrails look at.
pub struct Inputs<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The rule findings (waived ones already removed).
    pub findings: &'a [Finding],
    /// The cost of the change.
    pub cost: &'a CostFigures,
    /// The CI context (branch, repository).
    pub ci: &'a CiContext,
    /// The date waiver expiry is judged against.
    pub today: Date,
}

/// Evaluates every guardrail of `config`, applying guardrail waivers.
pub fn evaluate(config: &Config, inputs: &Inputs<'_>) -> (Vec<GuardrailResult>, Vec<GuardrailWaiverOutcome>) {
    // Only resource and tag guardrails read values; parse them once, and only when needed.
    let needs_values = config.guardrails.iter().any(|g| match &g.kind {
        GuardrailKind::Resource(r) => {
            !r.allowed_regions.is_empty() || !r.allowed_instance_types.is_empty() || !r.denied_instance_types.is_empty()
        }
        GuardrailKind::Tag(_) => true,
        _ => false,
    });
    let parsed = if needs_values {
        ParsedResources::new(inputs.plan)
    } else {
        ParsedResources {
            values: (0..inputs.plan.resource_changes.len()).map(|_| None).collect(),
        }
    };
    let mut waiver_matches = vec![0usize; config.guardrail_waivers.len()];
    let mut results = Vec::new();
    for guardrail in &config.guardrails {
        let mut result = GuardrailResult {
            name: guardrail.name.clone(),
            guardrail_type: guardrail.type_name(),
            mode: guardrail.mode,
            passed: true,
            skipped: None,
            violations: Vec::new(),
            warnings: Vec::new(),
            waived: Vec::new(),
        };
        if let Some(reason) = inputs.ci.out_of_scope(&guardrail.scope) {
            result.skipped = Some(reason);
            results.push(result);
            continue;
        }
        let (violations, warnings) = match &guardrail.kind {
            GuardrailKind::Policy(p) => policy(p, inputs.findings),
            GuardrailKind::Cost(c) => cost(c, inputs.cost),
            GuardrailKind::Resource(r) => resource(r, inputs.plan, &parsed),
            GuardrailKind::Tag(t) => tags(t, inputs.plan, &parsed),
        };
        for v in violations {
            match waiver_for(guardrail, &v, &config.guardrail_waivers, inputs.today) {
                Some(i) => {
                    waiver_matches[i] += 1;
                    result.waived.push(v);
                }
                None => result.violations.push(v),
            }
        }
        result.warnings = warnings;
        result.passed = result.violations.is_empty();
        results.push(result);
    }
    let outcomes = config
        .guardrail_waivers
        .iter()
        .zip(waiver_matches)
        .map(|(w, matched)| GuardrailWaiverOutcome {
            guardrail: w.guardrail.text.clone(),
            address: w.address.text.clone(),
            reason: w.reason.clone(),
            expires: w.expires,
            state: if is_expired(w, inputs.today) {
                "expired"
            } else if matched == 0 {
                "stale"
            } else {
                "applied"
            },
            matched,
        })
        .collect();
    (results, outcomes)
}

fn is_expired(w: &GuardrailWaiver, today: Date) -> bool {
    w.expires.is_some_and(|e| e < today)
}

fn waiver_for(guardrail: &Guardrail, v: &Violation, waivers: &[GuardrailWaiver], today: Date) -> Option<usize> {
    waivers.iter().position(|w| {
        !is_expired(w, today)
            && w.guardrail.is_match(&guardrail.name)
            && w.address.is_match(v.address.as_deref().unwrap_or(""))
    })
}

fn any_match(globs: &[GlobText], candidate: &str) -> bool {
    globs.iter().any(|g| g.is_match(candidate))
}

fn in_scope(globs: &[GlobText], candidate: &str) -> bool {
    globs.is_empty() || any_match(globs, candidate)
}

fn policy(p: &PolicyGuardrail, findings: &[Finding]) -> (Vec<Violation>, Vec<Violation>) {
    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    for f in findings {
        let selected = p.severity.is_some_and(|s| f.severity <= s)
            || any_match(&p.rules, &f.rule_id)
            || p.categories.contains(&f.category);
        if !selected || !in_scope(&p.modules, &f.module) || !in_scope(&p.addresses, &f.resource) {
            continue;
        }
        let v = Violation {
            address: Some(f.resource.clone()),
            rule_id: Some(f.rule_id.to_string()),
            message: match f.status {
                Status::Fail => format!("[{}] {}: {}", f.severity.as_str(), f.rule_id, f.message),
                // The message already says why the rule could not decide.
                Status::Unknown if f.message.starts_with(planguard_rules::UNREADABLE_VALUES) => {
                    format!("[{}] {}: {}", f.severity.as_str(), f.rule_id, f.message)
                }
                Status::Unknown => format!(
                    "[{}] {}: {} (undecided: depends on values known only after apply)",
                    f.severity.as_str(),
                    f.rule_id,
                    f.message
                ),
            },
        };
        if f.status == Status::Fail || p.include_unknown {
            violations.push(v);
        } else {
            warnings.push(v);
        }
    }
    (violations, warnings)
}

fn money(currency: &str, amount: f64) -> String {
    let symbol = if currency == "USD" { "$" } else { "" };
    let suffix = if currency == "USD" {
        String::new()
    } else {
        format!(" {currency}")
    };
    format!("{symbol}{amount:.2}{suffix}")
}

fn cost(c: &CostGuardrail, figures: &CostFigures) -> (Vec<Violation>, Vec<Violation>) {
    let mut violations = Vec::new();
    let delta = figures.monthly_after - figures.monthly_before;
    let cur = figures.currency.as_str();
    if let Some(max) = c.max_monthly_increase {
        if delta > max {
            violations.push(Violation {
                address: None,
                rule_id: None,
                message: format!(
                    "monthly cost rises by {} ({} → {}), more than the {} allowed",
                    money(cur, delta),
                    money(cur, figures.monthly_before),
                    money(cur, figures.monthly_after),
                    money(cur, max)
                ),
            });
        }
    }
    if let Some(max_pct) = c.max_monthly_increase_percent {
        if figures.monthly_before > 0.0 {
            let pct = delta / figures.monthly_before * 100.0;
            if pct > max_pct {
                violations.push(Violation {
                    address: None,
                    rule_id: None,
                    message: format!(
                        "monthly cost rises by {pct:.1}% ({} → {}), more than the {max_pct}% allowed",
                        money(cur, figures.monthly_before),
                        money(cur, figures.monthly_after)
                    ),
                });
            }
        } else if delta > 0.0 {
            violations.push(Violation {
                address: None,
                rule_id: None,
                message: format!(
                    "monthly cost rises from nothing to {}: any increase exceeds a percentage of zero",
                    money(cur, figures.monthly_after)
                ),
            });
        }
    }
    if let Some(max) = c.max_monthly_total {
        if figures.monthly_after > max {
            violations.push(Violation {
                address: None,
                rule_id: None,
                message: format!(
                    "monthly cost after the change is {}, over the {} budget",
                    money(cur, figures.monthly_after),
                    money(cur, max)
                ),
            });
        }
    }
    let unknown: Vec<Violation> = figures
        .unknown
        .iter()
        .map(|(address, reason)| Violation {
            address: Some(address.clone()),
            rule_id: None,
            message: format!("cost unknown: {reason}"),
        })
        .collect();
    match c.on_unknown {
        OnUnknown::Fail => {
            violations.extend(unknown);
            (violations, Vec::new())
        }
        OnUnknown::Warn => (violations, unknown),
        OnUnknown::Ignore => (violations, Vec::new()),
    }
}

/// Resource values parsed once for every guardrail that needs them.
struct ParsedResources {
    values: Vec<Option<ChangeValues>>,
}

impl ParsedResources {
    fn new(plan: &Plan) -> Self {
        use rayon::prelude::*;
        let values = plan
            .resource_changes
            .par_iter()
            .map(|rc| {
                if rc.mode == ResourceMode::Managed && deploys(rc.action().kind()) {
                    // Guardrails judge what will exist: the after side is enough.
                    rc.change.after_values().ok()
                } else {
                    None
                }
            })
            .collect();
        ParsedResources { values }
    }
}

/// Actions that leave a (new or changed) object behind, the ones region, type and tag
/// guardrails judge.
fn deploys(kind: ActionKind) -> bool {
    matches!(kind, ActionKind::Create | ActionKind::Update | ActionKind::Replace)
}

/// Resource types that live outside any region (their provider's region means nothing).
const GLOBAL_TYPE_PREFIXES: &[&str] = &[
    "aws_iam_",
    "aws_organizations_",
    "aws_route53_",
    "aws_cloudfront_",
    "aws_shield_",
    "aws_budgets_",
    "aws_ce_",
    "terraform_data",
    "null_",
    "random_",
    "local_",
    "tls_",
    "time_",
];

/// Where each resource type keeps its instance type (or machine type, node type, size).
fn instance_type_paths(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "aws_instance" | "aws_launch_template" | "aws_launch_configuration" | "aws_spot_instance_request" => {
            &["instance_type"]
        }
        "aws_db_instance"
        | "aws_rds_cluster_instance"
        | "aws_docdb_cluster_instance"
        | "aws_neptune_cluster_instance" => &["instance_class"],
        "aws_eks_node_group" => &["instance_types[*]"],
        "aws_elasticache_cluster" | "aws_elasticache_replication_group" => &["node_type"],
        "aws_emr_cluster" => &[
            "master_instance_group[*].instance_type",
            "core_instance_group[*].instance_type",
        ],
        "aws_autoscaling_group" => &["mixed_instances_policy[*].launch_template[*].override[*].instance_type"],
        "google_compute_instance" | "google_compute_instance_template" => &["machine_type"],
        "google_container_node_pool" => &["node_config[*].machine_type"],
        "azurerm_linux_virtual_machine"
        | "azurerm_windows_virtual_machine"
        | "azurerm_virtual_machine"
        | "azurerm_linux_virtual_machine_scale_set"
        | "azurerm_windows_virtual_machine_scale_set" => &["size", "vm_size", "sku"],
        _ => &[],
    }
}

/// The known strings at a path with `[*]` wildcards, each with its text as a message may
/// quote it (`(sensitive)` when it is), and whether some are unknown.
fn strings_at(values: &ChangeValues, path: &str) -> (Vec<(String, planguard_plan::Shown)>, bool) {
    let mut cursors = vec![values.after()];
    for part in path.split('.') {
        let (name, wildcard) = match part.strip_suffix("[*]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        let mut next = Vec::new();
        for c in cursors {
            let c = c.get(name);
            if wildcard {
                if c.is_unknown() {
                    next.push(c);
                } else {
                    next.extend(c.children().into_iter().map(|(_, child)| child));
                }
            } else {
                next.push(c);
            }
        }
        cursors = next;
    }
    let mut known = Vec::new();
    let mut unknown = false;
    for c in cursors {
        match c.lookup() {
            Lookup::Known(Value::String(s)) => known.push((s.clone(), c.shown())),
            Lookup::Unknown => unknown = true,
            _ => {}
        }
    }
    (known, unknown)
}

fn resource(r: &ResourceGuardrail, plan: &Plan, parsed: &ParsedResources) -> (Vec<Violation>, Vec<Violation>) {
    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    let mut unknown = |v: Violation, violations: &mut Vec<Violation>| match r.on_unknown {
        OnUnknown::Fail => violations.push(v),
        OnUnknown::Warn => warnings.push(v),
        OnUnknown::Ignore => {}
    };
    for (rc, values) in plan.resource_changes.iter().zip(&parsed.values) {
        if rc.mode != ResourceMode::Managed
            || !in_scope(&r.resource_types, &rc.resource_type)
            || !in_scope(&r.addresses, &rc.address)
        {
            continue;
        }
        let kind = rc.action().kind();
        let denied = r
            .deny_actions
            .iter()
            .any(|&d| d == kind || (d == ActionKind::Delete && rc.action().destroys() && kind == ActionKind::Replace));
        if denied {
            let what = match kind {
                ActionKind::Delete => "would be destroyed".to_string(),
                ActionKind::Replace => format!("would be replaced ({}), destroying the current object", rc.action()),
                ActionKind::Create => "would be created".to_string(),
                ActionKind::Update => "would be updated in place".to_string(),
                ActionKind::Forget => "would be removed from state".to_string(),
                other => format!("would be {other}"),
            };
            violations.push(violation(
                rc,
                shown!(
                    "{} {}, which this guardrail denies",
                    Shown::name(rc.address.as_str()),
                    Shown::name(what)
                ),
            ));
        }
        if !deploys(kind) {
            continue;
        }
        if !r.allowed_resource_types.is_empty() && !any_match(&r.allowed_resource_types, &rc.resource_type) {
            violations.push(violation(
                rc,
                shown!(
                    "resource type {} is not in the allowed list",
                    Shown::name(rc.resource_type.as_str())
                ),
            ));
        }
        if any_match(&r.denied_resource_types, &rc.resource_type) {
            violations.push(violation(
                rc,
                shown!("resource type {} is denied", Shown::name(rc.resource_type.as_str())),
            ));
        }
        let Some(values) = values else { continue };
        if !r.allowed_regions.is_empty() && !GLOBAL_TYPE_PREFIXES.iter().any(|p| rc.resource_type.starts_with(p)) {
            match plan.region_of(rc, Some(values)) {
                Ok(region) if !any_match(&r.allowed_regions, &region.name) => violations.push(violation(
                    rc,
                    shown!(
                        "deployed to region {}, which is not allowed (allowed: {})",
                        region.shown(),
                        Shown::name(
                            r.allowed_regions
                                .iter()
                                .map(|g| g.text.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    ),
                )),
                Ok(_) => {}
                // The reason names variables and addresses, never their values.
                Err(reason) => unknown(
                    violation(rc, shown!("region unknown: {}", Shown::name(reason.0))),
                    &mut violations,
                ),
            }
        }
        if !r.allowed_instance_types.is_empty() || !r.denied_instance_types.is_empty() {
            for path in instance_type_paths(&rc.resource_type) {
                let (known, is_unknown) = strings_at(values, path);
                for (t, shown) in known {
                    if !r.allowed_instance_types.is_empty() && !any_match(&r.allowed_instance_types, &t) {
                        violations.push(violation(
                            rc,
                            shown!("instance type {} is not in the allowed list", shown),
                        ));
                    }
                    if any_match(&r.denied_instance_types, &t) {
                        violations.push(violation(rc, shown!("instance type {} is denied", shown)));
                    }
                }
                if is_unknown {
                    unknown(
                        violation(
                            rc,
                            shown!("instance type ({}) is known only after apply", Shown::constant(path)),
                        ),
                        &mut violations,
                    );
                }
            }
        }
    }
    (violations, warnings)
}

/// A violation of a resource or tag guardrail. The message is a [`Shown`]: built from
/// constants, names and values the sensitivity overlay disclosed (see
/// [`planguard_plan::shown`]), never from a raw attribute value.
fn violation(rc: &ResourceChange, message: Shown) -> Violation {
    Violation {
        address: Some(rc.address.clone()),
        rule_id: None,
        message: message.into_string(),
    }
}

/// The tag attribute of a resource type's provider: `labels` for Google, `tags` elsewhere.
fn tag_attribute(resource_type: &str) -> &'static str {
    if resource_type.starts_with("google_") {
        "labels"
    } else {
        "tags"
    }
}

fn tags(t: &TagGuardrail, plan: &Plan, parsed: &ParsedResources) -> (Vec<Violation>, Vec<Violation>) {
    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    for (rc, values) in plan.resource_changes.iter().zip(&parsed.values) {
        let Some(values) = values else { continue };
        if !in_scope(&t.resource_types, &rc.resource_type) || !in_scope(&t.addresses, &rc.address) {
            continue;
        }
        let attr = tag_attribute(&rc.resource_type);
        let after = values.after();
        let own = after.get(attr);
        // A resource is taggable when its schema has the attribute: present in after (even
        // null) or unknown.
        if matches!(own.lookup(), Lookup::Absent) {
            continue;
        }
        let effective = effective_tags(plan, rc, values, attr);
        let effective = match effective {
            Some(tags) => tags,
            None => {
                let v = violation(rc, shown!("{} are known only after apply", Shown::constant(attr)));
                match t.on_unknown {
                    OnUnknown::Fail => violations.push(v),
                    OnUnknown::Warn => warnings.push(v),
                    OnUnknown::Ignore => {}
                }
                continue;
            }
        };
        let missing: Vec<&str> = t
            .required_tags
            .iter()
            .filter(|k| !effective.contains_key(k.as_str()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            violations.push(violation(
                rc,
                shown!(
                    "missing required {}: {}",
                    Shown::constant(attr),
                    Shown::name(missing.join(", "))
                ),
            ));
        }
        for (key, re) in &t.tag_values {
            match effective.get(key.as_str()) {
                Some(TagValue::Known(value, shown)) if !re.is_match(value) => violations.push(violation(
                    rc,
                    shown!(
                        "{}.{} = \"{}\" does not match {}",
                        Shown::constant(attr),
                        Shown::name(key.as_str()),
                        shown,
                        Shown::name(re.as_str())
                    ),
                )),
                Some(TagValue::Sensitive) => {}
                Some(TagValue::Unknown) => warnings.push(violation(
                    rc,
                    shown!(
                        "{}.{} is known only after apply",
                        Shown::constant(attr),
                        Shown::name(key.as_str())
                    ),
                )),
                _ => {}
            }
        }
    }
    (violations, warnings)
}

#[derive(Debug, Clone)]
enum TagValue {
    /// The value, and its text as a message may quote it.
    Known(String, Shown),
    Unknown,
    Sensitive,
}

/// The tags a resource will carry: `tags_all` when the plan knows it (it includes the
/// provider's `default_tags`), else its own tags merged over the provider's `default_tags`
/// constants. `None` when they are unknown until apply.
fn effective_tags(
    plan: &Plan,
    rc: &ResourceChange,
    values: &ChangeValues,
    attr: &str,
) -> Option<BTreeMap<String, TagValue>> {
    let after = values.after();
    let read = |cursor: planguard_plan::Cursor<'_>| -> Option<BTreeMap<String, TagValue>> {
        match cursor.lookup() {
            Lookup::Unknown => None,
            Lookup::Absent | Lookup::Known(Value::Null) => Some(BTreeMap::new()),
            Lookup::Known(Value::Object(map)) => Some(
                map.keys()
                    .map(|k| {
                        let c = cursor.get(k);
                        let v = if c.is_sensitive() {
                            TagValue::Sensitive
                        } else if c.is_unknown() {
                            TagValue::Unknown
                        } else {
                            TagValue::Known(c.as_str().unwrap_or_default().to_string(), c.shown())
                        };
                        (k.clone(), v)
                    })
                    .chain(cursor.children().into_iter().filter_map(|(step, c)| match step {
                        planguard_plan::Step::Key(k) if c.is_unknown() && !map.contains_key(&k) => {
                            Some((k, TagValue::Unknown))
                        }
                        _ => None,
                    }))
                    .collect(),
            ),
            Lookup::Known(_) => Some(BTreeMap::new()),
        }
    };
    let all = format!("{attr}_all");
    if attr == "tags" {
        if let Some(tags) = read(after.get(&all)).filter(|m| !m.is_empty()) {
            return Some(tags);
        }
    }
    let mut tags = read(after.get(attr))?;
    if attr == "tags" {
        for (k, v) in provider_default_tags(plan, rc) {
            let shown = Disclosure::configuration_literal().show(&v);
            tags.entry(k).or_insert(TagValue::Known(v, shown));
        }
    }
    Some(tags)
}

fn provider_default_tags(plan: &Plan, rc: &ResourceChange) -> Vec<(String, String)> {
    let Some((_, provider)) = plan.provider_config(&rc.addr) else {
        return Vec::new();
    };
    let Some(planguard_plan::Expression::Blocks(blocks)) = provider.expressions.get("default_tags") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for block in blocks {
        if let Some(Value::Object(map)) = block.get("tags").and_then(|e| e.constant()) {
            for (k, v) in map {
                if let Some(s) = v.as_str() {
                    out.push((k.clone(), s.to_string()));
                }
            }
        }
    }
    out
}

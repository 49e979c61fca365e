//! The cost of a plan: every managed resource instance priced before and after the change.

use std::collections::{BTreeMap, HashMap, HashSet};

use planguard_plan::RawJson;
use planguard_plan::{Action, ChangeValues, Mode, Plan, Redactor, ResourceChange};
use rayon::prelude::*;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::CostError;
use crate::models::{self, Ctx, Dispatch, Outcome, RefIndex};
use crate::region::{classify_aws, AwsRegion};
use crate::report::{Component, CostReport, ResourceCost, Status, UnsupportedType, UsageBased};
use crate::usage::{Usage, UsageEntry};

/// Estimates the monthly cost of `plan` before and after apply.
///
/// Every managed resource instance of `plan.resource_changes` (data sources are skipped) is
/// priced in parallel, each one's values parsed once; the result is sorted by address (ties
/// keep plan order, e.g. a deposed object after the current one). `usage` supplies quantities
/// for usage-priced resources; see [`Usage`].
///
/// Sides: a create has only an after side, a delete only a before side; an update or a
/// replacement has both (before = prior state, after = planned values); a no-op has both,
/// equal; a `forget` keeps costing after apply (it leaves Terraform, not the cloud), so its
/// after side equals its before side.
///
/// ```
/// use std::path::Path;
/// use planguard_cost::{estimate, Catalog, Status};
///
/// let json = br#"{"format_version": "1.2",
///   "configuration": {"provider_config": {"aws": {"name": "aws",
///       "expressions": {"region": {"constant_value": "us-east-1"}}}},
///     "root_module": {"resources": [{"address": "aws_nat_gateway.n", "mode": "managed",
///       "type": "aws_nat_gateway", "name": "n", "provider_config_key": "aws"}]}},
///   "resource_changes": [{"address": "aws_nat_gateway.n", "mode": "managed",
///     "type": "aws_nat_gateway", "name": "n",
///     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}]}"#;
/// let plan = planguard_plan::parse_bytes(json, Path::new("plan.json")).unwrap().plan;
/// let report = estimate(&plan, Catalog::embedded(), None).unwrap();
/// // 0.045 $/h * 730 h = 32.85
/// assert!((report.monthly_after - 32.85).abs() < 1e-9);
/// assert_eq!(report.resources[0].status, Status::Priced);
/// ```
pub fn estimate(plan: &Plan, catalog: &Catalog, usage: Option<&Usage>) -> Result<CostReport, CostError> {
    let refs = RefIndex::build(plan);
    // Looked up once: the table walk is not per-resource work.
    let fallback = aws_fallback_region(catalog);
    let mut table: HashMap<&str, Dispatch> = HashMap::new();
    for rc in &plan.resource_changes {
        if rc.mode == Mode::Managed {
            table
                .entry(rc.resource_type.as_str())
                .or_insert_with(|| models::dispatch(&rc.resource_type));
        }
    }
    // Values of root variables declared sensitive: no cost text may carry them.
    let secrets = plan.sensitive_variables();
    let context = EstimateContext {
        plan,
        catalog,
        usage,
        refs: &refs,
        fallback,
        secrets: &secrets,
    };
    let mut resources: Vec<(ResourceCost, Option<String>)> = plan
        .resource_changes
        .par_iter()
        .filter(|rc| rc.mode == Mode::Managed)
        .map(|rc| {
            let dispatch = table
                .get(rc.resource_type.as_str())
                .copied()
                .unwrap_or(Dispatch::Unsupported("no cost model for this resource type"));
            price_resource(&context, rc, dispatch)
        })
        .collect();
    // Stable: a deposed object keeps its plan position after the current one.
    resources.par_sort_by(|a, b| a.0.address.cmp(&b.0.address));
    let (resources, uncatalogued): (Vec<ResourceCost>, Vec<Option<String>>) = resources.into_iter().unzip();

    let mut report = CostReport {
        currency: catalog.currency().to_owned(),
        catalog_date: catalog.catalog_date().to_owned(),
        monthly_before: 0.0,
        monthly_after: 0.0,
        monthly_delta: 0.0,
        totals_at_least: false,
        resources: Vec::new(),
        unsupported: Vec::new(),
        usage_based: Vec::new(),
        warnings: Vec::new(),
    };
    let mut unsupported: BTreeMap<&str, (Vec<String>, String)> = BTreeMap::new();
    let mut unknown = 0usize;
    let mut partial = 0usize;
    for r in &resources {
        match r.status {
            Status::Unsupported => {
                let entry = unsupported
                    .entry(r.resource_type.as_str())
                    .or_insert_with(|| (Vec::new(), r.reason.clone().unwrap_or_default()));
                entry.0.push(r.address.clone());
            }
            Status::Unknown => unknown += 1,
            Status::Partial => {
                partial += 1;
                report.monthly_before += r.monthly_before.unwrap_or(0.0);
                report.monthly_after += r.monthly_after.unwrap_or(0.0);
            }
            _ => {
                report.monthly_before += r.monthly_before.unwrap_or(0.0);
                report.monthly_after += r.monthly_after.unwrap_or(0.0);
            }
        }
        if r.status == Status::UsageBased {
            report.usage_based.push(UsageBased {
                address: r.address.clone(),
                resource_type: r.resource_type.clone(),
                usage_given: usage.is_some_and(|u| u.for_resource(&r.address, &r.resource_type).is_some()),
            });
        }
    }
    report.monthly_delta = report.monthly_after - report.monthly_before;
    report.unsupported = unsupported
        .into_iter()
        .map(|(t, (addresses, reason))| UnsupportedType {
            resource_type: t.to_owned(),
            count: addresses.len(),
            addresses,
            reason,
        })
        .collect();
    if let Some(u) = usage {
        report.warnings.extend(u.warnings().iter().cloned());
        let addresses: HashSet<&str> = resources.iter().map(|r| r.address.as_str()).collect();
        for stale in u.unmatched(&addresses) {
            report.warnings.push(format!(
                "usage file {}: resource_usage entry {stale} matches no resource in the plan",
                u.origin()
            ));
        }
    }
    if unknown > 0 {
        report.warnings.push(format!(
            "{unknown} resource(s) have an unknown cost (status unknown): the totals leave them out"
        ));
    }
    if partial > 0 {
        report.totals_at_least = true;
        report.warnings.push(format!(
            "{partial} resource(s) are partially priced (status partial: some components unknown): the totals are lower bounds (at least)"
        ));
    }
    // Resources in regions the catalog has no prices for, per region (sorted: BTreeMap).
    let mut by_region: BTreeMap<&str, usize> = BTreeMap::new();
    for region in uncatalogued.iter().flatten() {
        *by_region.entry(region.as_str()).or_default() += 1;
    }
    for (region, count) in by_region {
        report.warnings.push(format!(
            "{count} resource(s) in {region} are priced approximately: the catalog has no {region} prices, {} prices are used instead",
            fallback
        ));
    }
    let approximate_components = resources
        .iter()
        .zip(&uncatalogued)
        .filter(|(r, region)| region.is_none() && r.approximate.is_some())
        .count();
    if approximate_components > 0 {
        report.warnings.push(format!(
            "{approximate_components} resource(s) have components priced at another region's price (approximate: see each component)"
        ));
    }
    let forgotten = resources.iter().filter(|r| r.action == "forget").count();
    if forgotten > 0 {
        report.warnings.push(format!(
            "{forgotten} resource(s) are forgotten, not destroyed: they keep costing outside Terraform"
        ));
    }
    report.resources = resources;
    Ok(report)
}

/// What every resource of one estimate is priced against, borrowed from [`estimate`].
struct EstimateContext<'a> {
    plan: &'a Plan,
    catalog: &'a Catalog,
    usage: Option<&'a Usage>,
    refs: &'a RefIndex,
    fallback: &'a str,
    secrets: &'a Redactor,
}

fn price_resource(
    context: &EstimateContext<'_>,
    rc: &ResourceChange,
    dispatch: Dispatch,
) -> (ResourceCost, Option<String>) {
    let EstimateContext {
        plan,
        catalog,
        usage,
        refs,
        fallback,
        secrets,
    } = *context;
    let action = rc.action();
    let mut cost = ResourceCost {
        address: rc.address.clone(),
        resource_type: rc.resource_type.clone(),
        module: rc.module().to_owned(),
        action: action.as_str().to_owned(),
        deposed: rc.deposed.clone(),
        monthly_before: None,
        monthly_after: None,
        monthly_delta: None,
        status: Status::Priced,
        reason: None,
        approximate: None,
        components: Vec::new(),
        components_before: None,
    };
    let has_before = !matches!(action, Action::Create | Action::Read);
    let has_after = !matches!(action, Action::Delete);
    let model = match dispatch {
        Dispatch::Unsupported(reason) => {
            cost.status = Status::Unsupported;
            cost.reason = Some(reason.to_owned());
            return (cost, None);
        }
        Dispatch::Free => {
            cost.status = Status::Free;
            cost.monthly_before = has_before.then_some(0.0);
            cost.monthly_after = has_after.then_some(0.0);
            cost.monthly_delta = Some(0.0);
            cost.components_before = has_before.then(Vec::new);
            return (cost, None);
        }
        Dispatch::Model(m) => m,
    };
    let values = match parse_values(rc, action) {
        Ok(v) => v,
        Err(e) => {
            cost.status = Status::Unknown;
            cost.reason = Some(format!(
                "the plan's values for this resource cannot be read: {} (line {}, column {} of the plan)",
                e.reason, e.line, e.column
            ));
            return (cost, None);
        }
    };
    let (mut region, region_sensitive) = region_of(plan, rc, &values);
    let mut uncatalogued = None;
    if rc.resource_type.starts_with("aws_") {
        if let Ok(name) = &region {
            // A region read from a sensitive value is judged like any other, but never named.
            let named = if region_sensitive {
                "(sensitive)".to_string()
            } else {
                name.clone()
            };
            match classify_aws(name) {
                AwsRegion::Commercial => {
                    // Route 53 prices are global: its models never read the region's prices.
                    let global = rc.resource_type.starts_with("aws_route53_") && !rc.resource_type.contains("resolver");
                    if !global && !catalog.aws_regions().iter().any(|r| r == name) {
                        uncatalogued = Some(named);
                    }
                }
                AwsRegion::OtherPartition(what) => {
                    region = Err(format!(
                        "{named} is in {what}: the catalog has only the commercial regions' USD prices, and another region's prices are never used for it"
                    ));
                }
                AwsRegion::NotARegion => region = Err(format!("{named} is not an AWS region")),
            }
        }
    }
    let entry: Option<UsageEntry> = usage.and_then(|u| u.for_resource(&rc.address, &rc.resource_type));
    let ctx = |before: bool| Ctx {
        catalog,
        plan,
        rc,
        region: &region,
        usage: entry.as_ref(),
        refs,
        before,
    };
    let after = has_after.then(|| match action {
        Action::Forget => model(&ctx(true), values.before()),
        _ => model(&ctx(false), values.after()),
    });
    let before = has_before.then(|| match (action, &after) {
        // A no-op's before and after are the same object.
        (Action::NoOp | Action::Forget, Some(a)) => a.clone(),
        _ => model(&ctx(true), values.before()),
    });
    let before_side = side_total(before.as_ref());
    let after_side = side_total(after.as_ref());
    let primary = after.as_ref().or(before.as_ref());
    let unknown = after_side.total.is_none() || before_side.total.is_none();
    let partial = after_side.partial || before_side.partial;
    cost.status = match primary {
        _ if unknown => Status::Unknown,
        _ if partial => Status::Partial,
        Some(o) if o.free.is_some() => Status::Free,
        Some(o) if o.usage_based => Status::UsageBased,
        _ => Status::Priced,
    };
    let (before_total, after_total) = (before_side.total, after_side.total);
    cost.reason = after_side
        .reason
        .or(before_side.reason.map(|r| format!("before: {r}")))
        .or_else(|| primary.and_then(|o| o.free.clone()));
    cost.monthly_before = if has_before { before_total } else { None };
    cost.monthly_after = if has_after { after_total } else { None };
    cost.monthly_delta = match (has_before, has_after) {
        // A difference with a lower bound reads as a saving or an increase that may not be one.
        (true, true) if before_side.partial || after_side.partial => None,
        (true, true) => before_total.zip(after_total).map(|(b, a)| a - b),
        (false, true) => after_total,
        (true, false) => before_total.map(|b| -b),
        (false, false) => Some(0.0),
    };
    cost.components = after.map(|o| o.components).unwrap_or_default();
    cost.components_before = before.map(|o| o.components);
    if cost.status != Status::Unknown {
        cost.approximate = match &uncatalogued {
            Some(name) => Some(format!(
                "the catalog has no {name} prices: {} prices used (region-independent prices assumed valid in {name})",
                fallback
            )),
            None => cost
                .components
                .iter()
                .chain(cost.components_before.iter().flatten())
                .find_map(|c| c.approximate.as_ref())
                .map(|first| format!("some components use another region's price ({first})")),
        };
    }
    let uncatalogued = uncatalogued.filter(|_| cost.approximate.is_some());
    redact(
        &mut cost,
        &values,
        secrets,
        region.as_ref().ok().filter(|_| region_sensitive),
    );
    (cost, uncatalogued)
}

/// The AWS tables' fallback region (the EC2 table's, the one most prices fall back to).
fn aws_fallback_region(catalog: &Catalog) -> &str {
    catalog
        .table_infos()
        .into_iter()
        .find(|t| t.name == "aws.ec2.instance_hour")
        .and_then(|t| t.fallback_region)
        .unwrap_or("us-east-1")
}

/// The cost crate's one choke point for secrets: every text of a priced resource (reason,
/// component names, units, notes) passes through here before it leaves [`estimate`].
///
/// Models name what they price from the values they read (an instance type, an
/// architecture, the region a price was missing for). Rather than trusting each of them to
/// check the overlay, every string the plan marks sensitive on this resource (before and
/// after), every value of a root variable declared sensitive, and a region that came from
/// one, is replaced by `(sensitive)` here. The leak test (`crates/cli/tests/leaks.rs`) proves it.
fn redact(cost: &mut ResourceCost, values: &ChangeValues, secrets: &Redactor, sensitive_region: Option<&String>) {
    let mut here = Redactor::for_change(values);
    if let Some(region) = sensitive_region {
        here.add(region);
    }
    if here.is_empty() && secrets.is_empty() {
        return;
    }
    here.extend(secrets);
    let scrub = |text: &mut String| {
        let clean = here.scrub(text);
        if clean != *text {
            *text = clean;
        }
    };
    for text in [&mut cost.reason, &mut cost.approximate].into_iter().flatten() {
        scrub(text);
    }
    let components = cost
        .components
        .iter_mut()
        .chain(cost.components_before.iter_mut().flatten());
    for c in components {
        scrub(&mut c.name);
        scrub(&mut c.unit);
        for text in [&mut c.assumed, &mut c.approximate, &mut c.note].into_iter().flatten() {
            scrub(text);
        }
    }
}

/// Parses the values a model will read: a no-op's before equals its after, a create has no
/// before and a delete no after, so those are not parsed (the JSON of the values is most of an
/// estimate's time on large plans).
fn parse_values(rc: &ResourceChange, action: Action) -> Result<ChangeValues, planguard_plan::ValueError> {
    fn parse(raw: &Option<RawJson>) -> Result<Value, planguard_plan::ValueError> {
        match raw {
            Some(r) => r.parse(),
            None => Ok(Value::Null),
        }
    }
    let c = &rc.change;
    let need_before = !matches!(action, Action::Create | Action::Read | Action::NoOp);
    let need_after = !matches!(action, Action::Delete | Action::Forget);
    let mut values = ChangeValues::default();
    if need_before {
        values.before = parse(&c.before)?;
        values.before_sensitive = parse(&c.before_sensitive)?;
    }
    if need_after {
        values.after = parse(&c.after)?;
        values.after_unknown = parse(&c.after_unknown)?;
        values.after_sensitive = parse(&c.after_sensitive)?;
    }
    Ok(values)
}

/// One side's total: the sum of its known components (a lower bound when `partial`), or
/// `None` when nothing of it is known.
struct SideTotal {
    total: Option<f64>,
    partial: bool,
    /// Why the side is unknown, or which components are unknown.
    reason: Option<String>,
}

/// Sum of a side's components. A missing side costs 0. A side with known and unknown
/// components keeps the known ones and is `partial`, naming the unknown ones; a side whose
/// every component is unknown is unknown.
fn side_total(side: Option<&Outcome>) -> SideTotal {
    let Some(o) = side else {
        return SideTotal {
            total: Some(0.0),
            partial: false,
            reason: None,
        };
    };
    if let Some(reason) = &o.unknown {
        return SideTotal {
            total: None,
            partial: false,
            reason: Some(reason.clone()),
        };
    }
    let mut total = 0.0;
    let mut known = 0usize;
    let mut unknown = Vec::new();
    for c in &o.components {
        match c.monthly {
            Some(m) => {
                total += m;
                known += 1;
            }
            None => unknown.push(unknown_reason(c)),
        }
    }
    match (known, unknown.is_empty()) {
        (_, true) => SideTotal {
            total: Some(total),
            partial: false,
            reason: None,
        },
        (0, false) => SideTotal {
            total: None,
            partial: false,
            reason: Some(unknown.join("; ")),
        },
        _ => SideTotal {
            total: Some(total),
            partial: true,
            reason: Some(format!("partial, unknown: {}", unknown.join("; "))),
        },
    }
}

fn unknown_reason(c: &Component) -> String {
    match &c.note {
        Some(n) => format!("{}: {n}", c.name),
        None => format!("{}: unknown", c.name),
    }
}

/// An Azure resource's region from its `location` ("East US" -> `eastus`).
fn azure_region_of(values: &ChangeValues) -> Result<String, String> {
    for side in [values.after(), values.before()] {
        if let Some(location) = side.get("location").as_str() {
            return Ok(crate::models::azure::normalize_location(location));
        }
        if side.get("location").is_unknown() {
            return Err("location is known only after apply".to_owned());
        }
    }
    Err("the resource has no location".to_owned())
}

/// The region a resource is priced in, or why it is unknown (never a silent default), and
/// whether it came from a variable declared sensitive (sensitive attributes are redacted by
/// [`redact`] anyway).
fn region_of(plan: &Plan, rc: &ResourceChange, values: &ChangeValues) -> (Result<String, String>, bool) {
    if rc.resource_type.starts_with("azurerm_") {
        return (azure_region_of(values), false);
    }
    if !rc.resource_type.starts_with("google_") {
        return match plan.region_of(rc, Some(values)) {
            Ok(region) => {
                let sensitive = region.is_sensitive();
                (Ok(region.name), sensitive)
            }
            Err(u) => (Err(u.0), false),
        };
    }
    (google_region_of(plan, rc, values), false)
}

fn google_region_of(plan: &Plan, rc: &ResourceChange, values: &ChangeValues) -> Result<String, String> {
    for side in [values.after(), values.before()] {
        if let Some(zone) = side.get("zone").as_str() {
            if let Some((region, _)) = zone.rsplit_once('-') {
                return Ok(region.to_owned());
            }
        }
        if let Some(region) = side.get("region").as_str() {
            return Ok(region.to_owned());
        }
    }
    let from_provider = plan.region_of(rc, Some(values)).map(|r| r.name);
    if from_provider.is_ok() {
        return from_provider.map_err(|u| u.0);
    }
    // A Google provider often sets only `zone`.
    if let Some((_, config)) = plan.provider_config(&rc.addr) {
        if let Some(expr) = config.expressions.get("zone") {
            let module: Vec<String> = Vec::new();
            if let Ok(Value::String(zone)) = plan.resolve_expression(&module, expr) {
                if let Some((region, _)) = zone.rsplit_once('-') {
                    return Ok(region.to_owned());
                }
            }
        }
    }
    from_provider.map_err(|u| u.0)
}

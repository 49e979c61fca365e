//! The cost of a plan: every managed resource instance priced before and after the change.

use std::collections::{BTreeMap, HashMap, HashSet};

use planguard_plan::RawJson;
use planguard_plan::{Action, ChangeValues, Mode, Plan, ResourceChange};
use rayon::prelude::*;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::CostError;
use crate::models::{self, Ctx, Dispatch, Outcome, RefIndex};
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
    let mut table: HashMap<&str, Dispatch> = HashMap::new();
    for rc in &plan.resource_changes {
        if rc.mode == Mode::Managed {
            table
                .entry(rc.resource_type.as_str())
                .or_insert_with(|| models::dispatch(&rc.resource_type));
        }
    }
    let mut resources: Vec<ResourceCost> = plan
        .resource_changes
        .par_iter()
        .filter(|rc| rc.mode == Mode::Managed)
        .map(|rc| {
            let dispatch = table
                .get(rc.resource_type.as_str())
                .copied()
                .unwrap_or(Dispatch::Unsupported("no cost model for this resource type"));
            price_resource(plan, catalog, usage, &refs, rc, dispatch)
        })
        .collect();
    // Stable: a deposed object keeps its plan position after the current one.
    resources.par_sort_by(|a, b| a.address.cmp(&b.address));

    let mut report = CostReport {
        currency: catalog.currency().to_owned(),
        catalog_date: catalog.catalog_date().to_owned(),
        monthly_before: 0.0,
        monthly_after: 0.0,
        monthly_delta: 0.0,
        resources: Vec::new(),
        unsupported: Vec::new(),
        usage_based: Vec::new(),
        warnings: Vec::new(),
    };
    let mut unsupported: BTreeMap<&str, (Vec<String>, String)> = BTreeMap::new();
    let mut unknown = 0usize;
    for r in &resources {
        match r.status {
            Status::Unsupported => {
                let entry = unsupported
                    .entry(r.resource_type.as_str())
                    .or_insert_with(|| (Vec::new(), r.reason.clone().unwrap_or_default()));
                entry.0.push(r.address.clone());
            }
            Status::Unknown => unknown += 1,
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
    let forgotten = resources.iter().filter(|r| r.action == "forget").count();
    if forgotten > 0 {
        report.warnings.push(format!(
            "{forgotten} resource(s) are forgotten, not destroyed: they keep costing outside Terraform"
        ));
    }
    report.resources = resources;
    Ok(report)
}

fn price_resource(
    plan: &Plan,
    catalog: &Catalog,
    usage: Option<&Usage>,
    refs: &RefIndex,
    rc: &ResourceChange,
    dispatch: Dispatch,
) -> ResourceCost {
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
        components: Vec::new(),
        components_before: None,
    };
    let has_before = !matches!(action, Action::Create | Action::Read);
    let has_after = !matches!(action, Action::Delete);
    let model = match dispatch {
        Dispatch::Unsupported(reason) => {
            cost.status = Status::Unsupported;
            cost.reason = Some(reason.to_owned());
            return cost;
        }
        Dispatch::Free => {
            cost.status = Status::Free;
            cost.monthly_before = has_before.then_some(0.0);
            cost.monthly_after = has_after.then_some(0.0);
            cost.monthly_delta = Some(0.0);
            cost.components_before = has_before.then(Vec::new);
            return cost;
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
            return cost;
        }
    };
    let region = region_of(plan, rc, &values);
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
    let (before_total, before_reason) = side_total(before.as_ref());
    let (after_total, after_reason) = side_total(after.as_ref());
    let primary = after.as_ref().or(before.as_ref());
    cost.status = match primary {
        _ if after_reason.is_some() || before_reason.is_some() => Status::Unknown,
        Some(o) if o.free.is_some() => Status::Free,
        Some(o) if o.usage_based => Status::UsageBased,
        _ => Status::Priced,
    };
    cost.reason = after_reason
        .or(before_reason.map(|r| format!("before: {r}")))
        .or_else(|| primary.and_then(|o| o.free.clone()));
    cost.monthly_before = if has_before { before_total } else { None };
    cost.monthly_after = if has_after { after_total } else { None };
    cost.monthly_delta = match (has_before, has_after) {
        (true, true) => before_total.zip(after_total).map(|(b, a)| a - b),
        (false, true) => after_total,
        (true, false) => before_total.map(|b| -b),
        (false, false) => Some(0.0),
    };
    cost.components = after.map(|o| o.components).unwrap_or_default();
    cost.components_before = before.map(|o| o.components);
    cost
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

/// Sum of a side's components, or why it is unknown. A missing side costs 0.
fn side_total(side: Option<&Outcome>) -> (Option<f64>, Option<String>) {
    let Some(o) = side else {
        return (Some(0.0), None);
    };
    if let Some(reason) = &o.unknown {
        return (None, Some(reason.clone()));
    }
    let mut total = 0.0;
    for c in &o.components {
        match c.monthly {
            Some(m) => total += m,
            None => return (None, Some(unknown_reason(c))),
        }
    }
    (Some(total), None)
}

fn unknown_reason(c: &Component) -> String {
    match &c.note {
        Some(n) => format!("{}: {n}", c.name),
        None => format!("{}: unknown", c.name),
    }
}

/// The region a resource is priced in, or why it is unknown. Never a silent default.
fn region_of(plan: &Plan, rc: &ResourceChange, values: &ChangeValues) -> Result<String, String> {
    if rc.resource_type.starts_with("google_") {
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
        return from_provider.map_err(|u| u.0);
    }
    plan.region_of(rc, Some(values)).map(|r| r.name).map_err(|u| u.0)
}

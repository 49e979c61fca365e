//! What a plan will do, in a form ready to print: counts by action, each change with the
//! attributes it changes, drift, and output changes. Values are always redacted: sensitive
//! ones print as `(sensitive)` and unknown ones as `(known after apply)`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::action::{Action, ActionKind};
use crate::model::{Change, Plan, ResourceChange};
use crate::values::{AttrPath, Cursor, Redactor};

/// The summary of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The plan's format version.
    pub format_version: Option<String>,
    /// The Terraform version that wrote it.
    pub terraform_version: Option<String>,
    /// Counts of resource instances by action.
    pub counts: Counts,
    /// Every resource instance that changes (no-op ones left out), in plan order.
    pub changes: Vec<ChangeSummary>,
    /// Changes made outside Terraform since the last apply.
    pub drift: Vec<ChangeSummary>,
    /// Root output changes (unchanged outputs left out).
    pub outputs: Vec<OutputSummary>,
    /// Changes deferred to a later plan.
    pub deferred: Vec<ChangeSummary>,
    /// True when planning stopped on an error.
    pub errored: bool,
}

/// Counts of resource instances by action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Created.
    pub create: usize,
    /// Updated in place.
    pub update: usize,
    /// Replaced.
    pub replace: usize,
    /// Destroyed.
    pub delete: usize,
    /// Removed from state without being destroyed.
    pub forget: usize,
    /// Data sources read during apply.
    pub read: usize,
    /// Unchanged.
    pub no_op: usize,
    /// Imported (also counted under their action).
    pub import: usize,
}

impl Counts {
    /// The count for one action kind.
    pub fn get(&self, kind: ActionKind) -> usize {
        match kind {
            ActionKind::Create => self.create,
            ActionKind::Update => self.update,
            ActionKind::Replace => self.replace,
            ActionKind::Delete => self.delete,
            ActionKind::Forget => self.forget,
            ActionKind::Read => self.read,
            ActionKind::NoOp => self.no_op,
        }
    }

    fn add(&mut self, kind: ActionKind) {
        match kind {
            ActionKind::Create => self.create += 1,
            ActionKind::Update => self.update += 1,
            ActionKind::Replace => self.replace += 1,
            ActionKind::Delete => self.delete += 1,
            ActionKind::Forget => self.forget += 1,
            ActionKind::Read => self.read += 1,
            ActionKind::NoOp => self.no_op += 1,
        }
    }
}

/// One changing resource instance.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    /// The instance address.
    pub address: String,
    /// The module instance address (`""` for root).
    pub module: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The exact action.
    pub action: Action,
    /// Its coarse kind.
    pub kind: ActionKind,
    /// Terraform's reason for the action, when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The address before a `moved` block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_address: Option<String>,
    /// The deposed key, for a deposed object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
    /// True when the resource is imported.
    pub import: bool,
    /// The attributes that change (for updates and replacements), redacted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeChange>,
}

/// One changed attribute, with redacted before and after values.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeChange {
    /// The attribute path.
    pub path: String,
    /// The value before, printable.
    pub before: String,
    /// The value after, printable.
    pub after: String,
    /// True when changing this attribute forces replacement.
    pub forces_replacement: bool,
}

/// One changed root output.
#[derive(Debug, Clone, Serialize)]
pub struct OutputSummary {
    /// The output name.
    pub name: String,
    /// The action.
    pub action: Action,
    /// The value before, printable.
    pub before: String,
    /// The value after, printable.
    pub after: String,
}

impl Summary {
    /// Summarises a plan. Errors only on values nested deeper than serde_json allows.
    pub fn of(plan: &Plan) -> Result<Summary, crate::error::ValueError> {
        let secrets = plan.sensitive_variables();
        let change_summary = |rc: &ResourceChange| change_summary(rc, &secrets);
        let mut counts = Counts::default();
        let mut changes = Vec::new();
        for rc in &plan.resource_changes {
            counts.add(rc.action().kind());
            if rc.is_import() {
                counts.import += 1;
            }
        }
        // Updates and replacements parse their values to list changed attributes: the
        // expensive part, done in parallel; collect keeps plan order.
        use rayon::prelude::*;
        let listed: Vec<ChangeSummary> = plan
            .resource_changes
            .par_iter()
            .filter(|rc| rc.action().is_change() || rc.is_import() || rc.previous_address.is_some())
            .map(change_summary)
            .collect::<Result<_, _>>()?;
        changes.extend(listed);
        let drift = plan
            .resource_drift
            .iter()
            .map(change_summary)
            .collect::<Result<_, _>>()?;
        let deferred = plan
            .deferred_changes
            .iter()
            .map(|d| {
                let mut s = change_summary(&d.resource_change)?;
                s.reason = Some(d.reason.clone());
                Ok(s)
            })
            .collect::<Result<_, crate::error::ValueError>>()?;
        let mut outputs = Vec::new();
        for (name, change) in &plan.output_changes {
            if !change.actions.is_change() {
                continue;
            }
            let values = change.values()?;
            let mut redactor = Redactor::for_change(&values);
            redactor.extend(&secrets);
            outputs.push(OutputSummary {
                name: name.clone(),
                action: change.actions,
                before: printable(values.before(), &redactor),
                after: printable(values.after(), &redactor),
            });
        }
        Ok(Summary {
            format_version: plan.format_version.clone(),
            terraform_version: plan.terraform_version.clone(),
            counts,
            changes,
            drift,
            outputs,
            deferred,
            errored: plan.errored,
        })
    }
}

fn change_summary(rc: &ResourceChange, secrets: &Redactor) -> Result<ChangeSummary, crate::error::ValueError> {
    let action = rc.action();
    let attributes = if matches!(action.kind(), ActionKind::Update | ActionKind::Replace) {
        attribute_changes(&rc.change, secrets)?
    } else {
        Vec::new()
    };
    Ok(ChangeSummary {
        address: rc.address.clone(),
        module: rc.module().to_string(),
        resource_type: rc.resource_type.clone(),
        action,
        kind: action.kind(),
        reason: rc.action_reason.clone(),
        previous_address: rc.previous_address.clone(),
        deposed: rc.deposed.clone(),
        import: rc.is_import(),
        attributes,
    })
}

fn attribute_changes(change: &Change, secrets: &Redactor) -> Result<Vec<AttributeChange>, crate::error::ValueError> {
    let values = change.values()?;
    let mut redactor = Redactor::for_change(&values);
    redactor.extend(secrets);
    let forcing: BTreeSet<&AttrPath> = change.replace_paths.iter().collect();
    Ok(values
        .changed_paths()
        .into_iter()
        .map(|path| {
            let forces_replacement = forcing
                .iter()
                .any(|f| path.0.starts_with(&f.0) || f.0.starts_with(&path.0));
            AttributeChange {
                before: printable(values.before().path(&path), &redactor),
                after: printable(values.after().path(&path), &redactor),
                path: path.to_string(),
                forces_replacement,
            }
        })
        .collect())
}

fn printable(cursor: Cursor<'_>, redactor: &Redactor) -> String {
    match cursor.lookup() {
        crate::values::Lookup::Absent if !cursor.is_sensitive() && !cursor.contains_unknown() => "null".to_string(),
        _ => redactor.scrub(&cursor.display()),
    }
}

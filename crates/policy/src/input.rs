//! The `input` document: the plan JSON, with sensitive values masked.

use regorus::Value;

use crate::error::PolicyError;

/// What replaces a sensitive value in the input, as planguard prints one elsewhere.
pub const SENSITIVE: &str = "(sensitive)";

/// A plan ready to be given to the policies: parsed once, shared by every rule.
#[derive(Debug, Clone)]
pub struct Input {
    pub(crate) value: Value,
    /// The string values that were masked, for the caller to scrub any output with (a
    /// policy can only meet them elsewhere, e.g. as a literal of the configuration).
    pub secrets: Vec<String>,
}

/// Parses the plan's JSON text and masks every value the plan marks sensitive: the
/// `before`/`after` of resource changes, drift and output changes under their
/// `*_sensitive` masks, resource values under `sensitive_values` (planned values and prior
/// state, every module), outputs marked `sensitive`, and the root variables the
/// configuration declares sensitive.
pub fn build_input(plan_json: &str) -> Result<Input, PolicyError> {
    let mut value = parse(plan_json)?;
    let mut secrets = Vec::new();
    mask_plan(&mut value, &mut secrets);
    secrets.sort();
    secrets.dedup();
    Ok(Input { value, secrets })
}

fn unreadable() -> PolicyError {
    PolicyError::Input("the plan is not a JSON document regorus can read".into())
}

/// One parse of the whole document. Parsing the top-level members and the elements of
/// `resource_changes` on several threads was tried and measured slower on a 50k-resource
/// plan (10.3-10.6 s against 11.7-14.8 s for the whole check on a loaded 2-core machine,
/// and 5% more memory): the threads contend for the allocator and the cores the built-in
/// analysis uses at the same time.
fn parse(plan_json: &str) -> Result<Value, PolicyError> {
    Value::from_json_str(plan_json).map_err(|_| unreadable())
}

fn key(name: &str) -> Value {
    Value::String(name.into())
}

fn child<'a>(value: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    match value {
        Value::Object(_) => value.as_object_mut().ok()?.get_mut(&key(name)),
        _ => None,
    }
}

/// Calls `f` on the members of a list or object that `wanted` selects. Nothing is taken
/// mutably when none is: taking a value of the engine mutably rebuilds it, and most of a
/// plan has nothing to mask.
fn each_member(value: &mut Value, wanted: impl Fn(&Value) -> bool, mut f: impl FnMut(&mut Value)) {
    let any = match &*value {
        Value::Array(items) => items.iter().any(&wanted),
        Value::Object(fields) => fields.iter().any(|(_, v)| wanted(v)),
        _ => false,
    };
    if !any {
        return;
    }
    let mut f = |item: &mut Value| {
        if wanted(item) {
            f(item);
        }
    };
    match value {
        Value::Array(_) => {
            if let Ok(array) = value.as_array_mut() {
                for item in array.iter_mut() {
                    f(item);
                }
            }
        }
        Value::Object(_) => {
            if let Ok(object) = value.as_object_mut() {
                for (_, item) in object.iter_mut() {
                    f(item);
                }
            }
        }
        _ => {}
    }
}

fn mask_plan(plan: &mut Value, secrets: &mut Vec<String>) {
    for list in ["resource_changes", "resource_drift"] {
        if let Some(changes) = child(plan, list) {
            each_member(
                changes,
                |rc| change_is_masked(&rc["change"]),
                |rc| {
                    if let Some(change) = child(rc, "change") {
                        mask_change(change, secrets);
                    }
                },
            );
        }
    }
    if let Some(outputs) = child(plan, "output_changes") {
        each_member(outputs, change_is_masked, |change| mask_change(change, secrets));
    }
    if let Some(planned) = child(plan, "planned_values") {
        mask_state_values(planned, secrets);
    }
    if let Some(values) = child(plan, "prior_state").and_then(|s| child(s, "values")) {
        mask_state_values(values, secrets);
    }
    let sensitive_variables: Vec<Value> = match &plan["configuration"]["root_module"]["variables"] {
        Value::Object(vars) => vars
            .iter()
            .filter(|(_, decl)| decl["sensitive"] == Value::Bool(true))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    };
    if let Some(Value::Object(_)) = child(plan, "variables") {
        if let Some(variables) = child(plan, "variables").and_then(|v| v.as_object_mut().ok()) {
            for name in &sensitive_variables {
                if let Some(value) = variables.get_mut(name).and_then(|v| child(v, "value")) {
                    mask(value, &Value::Bool(true), secrets);
                }
            }
        }
    }
}

fn change_is_masked(change: &Value) -> bool {
    ["before_sensitive", "after_sensitive"]
        .iter()
        .any(|o| change[*o] != Value::Undefined && any_sensitive(&change[*o], 0))
}

fn mask_change(change: &mut Value, secrets: &mut Vec<String>) {
    for (field, overlay) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
        let overlay = change[overlay].clone();
        if overlay == Value::Undefined || !any_sensitive(&overlay, 0) {
            continue;
        }
        if let Some(value) = child(change, field) {
            mask(value, &overlay, secrets);
        }
    }
}

fn mask_state_values(values: &mut Value, secrets: &mut Vec<String>) {
    if let Some(outputs) = child(values, "outputs") {
        each_member(
            outputs,
            |output| output["sensitive"] == Value::Bool(true),
            |output| {
                if let Some(value) = child(output, "value") {
                    mask(value, &Value::Bool(true), secrets);
                }
            },
        );
    }
    if module_is_masked(&values["root_module"], 0) {
        if let Some(root) = child(values, "root_module") {
            mask_module(root, secrets, 0);
        }
    }
}

fn resource_is_masked(resource: &Value) -> bool {
    let overlay = &resource["sensitive_values"];
    *overlay != Value::Undefined && any_sensitive(overlay, 0)
}

fn module_is_masked(module: &Value, depth: usize) -> bool {
    if depth > 256 {
        return false;
    }
    let resources = match &module["resources"] {
        Value::Array(items) => items.iter().any(resource_is_masked),
        _ => false,
    };
    resources
        || match &module["child_modules"] {
            Value::Array(items) => items.iter().any(|c| module_is_masked(c, depth + 1)),
            _ => false,
        }
}

fn mask_module(module: &mut Value, secrets: &mut Vec<String>, depth: usize) {
    // Terraform's module tree is as deep as the configuration's module calls; the bound
    // only keeps a crafted document from exhausting the stack.
    if depth > 256 {
        return;
    }
    if let Some(resources) = child(module, "resources") {
        each_member(resources, resource_is_masked, |resource| {
            let overlay = resource["sensitive_values"].clone();
            if let Some(value) = child(resource, "values") {
                mask(value, &overlay, secrets);
            }
        });
    }
    if let Some(children) = child(module, "child_modules") {
        each_member(
            children,
            |c| module_is_masked(c, depth + 1),
            |c| mask_module(c, secrets, depth + 1),
        );
    }
}

/// A mask entry that masks its whole value: anything but `false`, an object or a list.
/// `true` is what Terraform writes; any other entry (`"true"`, `1`, `null`) is not, and
/// hides its value rather than shows it, as planguard reads masks everywhere.
fn masks_whole(overlay: &Value) -> bool {
    !matches!(overlay, Value::Bool(false) | Value::Object(_) | Value::Array(_))
}

fn any_sensitive(overlay: &Value, depth: usize) -> bool {
    if depth > 256 {
        return true;
    }
    match overlay {
        Value::Object(fields) => fields.iter().any(|(_, m)| any_sensitive(m, depth + 1)),
        Value::Array(items) => items.iter().any(|m| any_sensitive(m, depth + 1)),
        other => masks_whole(other),
    }
}

/// Replaces every part of `value` that `overlay` marks sensitive by [`SENSITIVE`], keeping
/// the masked strings in `secrets`.
fn mask(value: &mut Value, overlay: &Value, secrets: &mut Vec<String>) {
    if masks_whole(overlay) {
        if !matches!(value, Value::Null | Value::Undefined) {
            collect_strings(value, secrets, 0);
            *value = Value::String(SENSITIVE.into());
        }
        return;
    }
    match (overlay, &*value) {
        (Value::Object(fields), Value::Object(_)) => {
            if let Ok(object) = value.as_object_mut() {
                for (k, sub) in fields.iter() {
                    if let Some(v) = object.get_mut(k) {
                        mask(v, sub, secrets);
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(_)) => {
            if let Ok(array) = value.as_array_mut() {
                for (i, sub) in items.iter().enumerate() {
                    if let Some(v) = array.get_mut(i) {
                        mask(v, sub, secrets);
                    }
                }
            }
        }
        // A mask whose shape is not the value's: masked whole when it marks anything,
        // rather than guessed at.
        _ if any_sensitive(overlay, 0) => mask(value, &Value::Bool(true), secrets),
        _ => {}
    }
}

fn collect_strings(value: &Value, secrets: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::String(s) if !s.is_empty() => secrets.push(s.to_string()),
        Value::Array(a) => a.iter().for_each(|v| collect_strings(v, secrets, depth + 1)),
        Value::Set(s) => s.iter().for_each(|v| collect_strings(v, secrets, depth + 1)),
        Value::Object(o) => o.iter().for_each(|(_, v)| collect_strings(v, secrets, depth + 1)),
        // Numbers and booleans are masked in the input but not kept: too short to scrub
        // from text safely ("1" would blank every digit).
        _ => {}
    }
}

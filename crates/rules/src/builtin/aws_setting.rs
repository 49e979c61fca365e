//! Shared by the AWS rules on settings that the provider leaves to AWS when they are not
//! written (Optional + Computed attributes).
//!
//! Such an attribute is planned as `(known after apply)` when it is absent from the
//! configuration, although AWS then applies a documented default (an EFS file system is
//! created unencrypted, an SQS queue gets SSE-SQS). Three-valued YAML conditions can only
//! call that unknown; these rules read the configuration to tell "not written, so the AWS
//! default" from "written, but computed from values known only after apply".

use planguard_plan::{Lookup, Shown};
use serde_json::Value;

use crate::rule::Context;

/// What a resource says about one attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Setting<'a> {
    /// Known at plan time (never `null`).
    Known(&'a Value),
    /// Not written in the configuration (or `null`): AWS applies its default.
    Unset,
    /// Written, but known only after apply.
    Unknown,
}

/// The setting at `path` (`encrypted`, `server_side_encryption[0].enabled`) of the resource
/// under evaluation. The first step of `path` is the configuration argument or block looked
/// up when the plan has the value as unknown. Without a configuration in the plan, an unknown
/// value stays unknown.
pub(crate) fn setting<'a>(cx: &Context<'a>, path: &str) -> Setting<'a> {
    match cx.subject().at_path(path).lookup() {
        Lookup::Known(Value::Null) | Lookup::Absent => Setting::Unset,
        Lookup::Known(v) => Setting::Known(v),
        Lookup::Unknown => {
            let top = path.split(['.', '[']).next().unwrap_or(path);
            let written = match cx.plan.config_resource(&cx.change.addr) {
                Some(config) => config.resource.expressions.contains_key(top),
                None => true,
            };
            if written {
                Setting::Unknown
            } else {
                Setting::Unset
            }
        }
    }
}

/// A boolean as Terraform converts it (`true`, `"true"`).
pub(crate) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A number as Terraform converts it (`0`, `"0"`).
pub(crate) fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The value at `path` of the resource under evaluation, for a message: strings bare,
/// anything else as JSON, `(sensitive)` when the overlay says so.
pub(crate) fn shown_at(cx: &Context<'_>, path: &str) -> Shown {
    cx.subject().at_path(path).shown()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(as_bool(&Value::String("false".into())), Some(false));
        assert_eq!(as_bool(&Value::Bool(true)), Some(true));
        assert_eq!(as_bool(&Value::String("yes".into())), None);
        assert_eq!(as_number(&Value::String("0".into())), Some(0.0));
    }
}

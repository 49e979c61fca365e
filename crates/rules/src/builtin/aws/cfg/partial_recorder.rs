use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{as_bool, setting, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_config_configuration_recorder` resources with
    /// `recording_group.all_supported = false`: the recorder records only the listed
    /// resource types (`INCLUSION_BY_RESOURCE_TYPES`) or every type but the excluded ones
    /// (`EXCLUSION_BY_RESOURCE_TYPES`). A recorder without a `recording_group` records every
    /// supported type, and passes.
    ///
    /// ## Why is this bad?
    /// AWS Config's configuration history is the inventory and change record that audits,
    /// incident response and Config rules (and Security Hub's controls) rely on. A resource
    /// type left out of the recorder has no history and is invisible to every rule: an
    /// exposed resource of that type is never flagged, and new resource types AWS adds are
    /// never recorded. CIS requires recording all supported resources.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_config_configuration_recorder" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.config.arn
    ///   recording_group {
    ///     all_supported  = false
    ///     resource_types = ["AWS::EC2::Instance", "AWS::S3::Bucket"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Record every supported type (the default); reduce cost with daily recording for
    /// noisy types (`recording_mode`) rather than by leaving types out.
    /// ```hcl
    /// resource "aws_config_configuration_recorder" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.config.arn
    ///   recording_group {
    ///     all_supported = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Recording AWS resources with AWS Config](https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html)
    /// - [Security Hub controls for AWS Config (Config.1)](https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1)
    pub struct ConfigPartialRecorder {
        id: "AWS-CFG-004",
        title: "AWS Config recorder does not record every supported resource type",
        severity: Medium,
        category: Logging,
        resource_types: &["aws_config_configuration_recorder"],
        benchmarks: &["CIS AWS 3.5", "AWS FSBP Config.1"],
        checkov: &["CKV2_AWS_45"],
        attributes: &["recording_group"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "recording_group[0].all_supported";
    let (status, message) = match setting(cx, path) {
        // Unset: AWS Config records every supported resource type.
        Setting::Unset => return,
        Setting::Known(v) if as_bool(v) != Some(false) => return,
        Setting::Known(_) => {
            let strategy = cx
                .subject()
                .at_path("recording_group[0].recording_strategy[0].use_only");
            let message = match strategy.lookup() {
                planguard_plan::Lookup::Known(Value::String(_)) => shown!(
                    "the recorder leaves resource types unrecorded (recording_group.all_supported = false, recording strategy {})",
                    strategy.shown()
                ),
                _ => Shown::constant("the recorder leaves resource types unrecorded (recording_group.all_supported = false)"),
            };
            (Status::Fail, message)
        }
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant(
                "recording_group.all_supported is known only after apply; the recorder may leave resource types out",
            ),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}

use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::cond::Tri;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_autoscaling_group` resources attached to a load balancer (`load_balancers`
    /// or `target_group_arns`) whose `health_check_type` is not `ELB` (it defaults to `EC2`).
    /// When the lists are known only after apply, a reference to an `aws_lb_target_group`,
    /// `aws_alb_target_group` or `aws_elb` in the configuration decides. Load balancers
    /// attached with a separate `aws_autoscaling_attachment` are not seen.
    ///
    /// ## Why is this bad?
    /// With EC2 health checks, Auto Scaling replaces an instance only when the hypervisor or
    /// the instance's status checks fail. An instance whose application has crashed, hangs,
    /// or was tampered with keeps running and keeps its place in the group: the load balancer
    /// stops sending it traffic, but the group doesn't replace it, so capacity silently
    /// shrinks until the service fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_autoscaling_group" "web" {
    ///   min_size            = 2
    ///   max_size            = 6
    ///   vpc_zone_identifier = aws_subnet.private[*].id
    ///   target_group_arns   = [aws_lb_target_group.web.arn]
    ///   launch_template {
    ///     id = aws_launch_template.web.id
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Use the load balancer's health checks, with a grace period long enough for start-up.
    /// ```hcl
    /// resource "aws_autoscaling_group" "web" {
    ///   min_size                  = 2
    ///   max_size                  = 6
    ///   vpc_zone_identifier       = aws_subnet.private[*].id
    ///   target_group_arns         = [aws_lb_target_group.web.arn]
    ///   health_check_type         = "ELB"
    ///   health_check_grace_period = 300
    ///   launch_template {
    ///     id = aws_launch_template.web.id
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Health checks for instances in an Auto Scaling group](https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html)
    /// - [Security Hub controls for Auto Scaling (AutoScaling.1)](https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-1)
    pub struct AsgEc2HealthCheck {
        id: "AWS-ASG-020",
        title: "Auto Scaling group behind a load balancer ignores its health checks",
        severity: Low,
        category: Monitoring,
        resource_types: &["aws_autoscaling_group"],
        benchmarks: &["AWS FSBP AutoScaling.1"],
        checkov: &["CKV2_AWS_15"],
        attributes: &["health_check_type", "load_balancers", "target_group_arns"],
    }
}

/// Whether the list argument names at least one load balancer or target group, and whether
/// that was decided from the configuration.
fn attached(cx: &Context<'_>, attribute: &str) -> (Tri, bool) {
    match setting(cx, attribute) {
        Setting::Known(Value::Array(items)) => {
            if items.is_empty() {
                (Tri::False, false)
            } else {
                (Tri::True, false)
            }
        }
        Setting::Known(_) | Setting::Unset => (Tri::False, false),
        // A set with an element known only after apply is unknown as a whole; a reference to
        // a target group or load balancer in the configuration shows it is not empty.
        Setting::Unknown => {
            let references = cx
                .plan
                .config_resource(&cx.change.addr)
                .and_then(|config| config.resource.expressions.get(attribute))
                .map(|expression| expression.references())
                .unwrap_or_default();
            if references
                .iter()
                .any(|r| LOAD_BALANCER_TYPES.iter().any(|t| r.starts_with(t)))
            {
                (Tri::True, true)
            } else {
                (Tri::Unknown, false)
            }
        }
    }
}

/// Resource types whose reference in `load_balancers` / `target_group_arns` attaches one.
const LOAD_BALANCER_TYPES: &[&str] = &["aws_lb_target_group.", "aws_alb_target_group.", "aws_elb."];

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let (classic, classic_from_config) = attached(cx, "load_balancers");
    let (targets, targets_from_config) = attached(cx, "target_group_arns");
    let behind_lb = classic.or(targets);
    if behind_lb == Tri::False {
        return;
    }
    // Decided from configuration when no planned value already shows an attachment.
    let known_attachment =
        (classic == Tri::True && !classic_from_config) || (targets == Tri::True && !targets_from_config);
    let from_config = !known_attachment && (classic_from_config || targets_from_config);
    let decided = if from_config {
        Shown::constant(" (decided from configuration: the list references a load balancer or target group)")
    } else {
        Shown::constant("")
    };
    let path = "health_check_type";
    let ec2_checks = match setting(cx, path) {
        Setting::Known(Value::String(t)) if t.eq_ignore_ascii_case("ELB") => return,
        Setting::Known(_) => Some(shown!(
            "the group is behind a load balancer but replaces instances only on EC2 status checks (health_check_type = {}){}",
            shown_at(cx, path),
            decided
        )),
        Setting::Unset => Some(shown!(
            "the group is behind a load balancer but health_check_type is not set, so only EC2 status checks count{}",
            decided
        )),
        Setting::Unknown => None,
    };
    let (status, message) = match (ec2_checks, behind_lb) {
        (Some(message), Tri::True) => (Status::Fail, message),
        (Some(_), _) => (
            Status::Unknown,
            Shown::constant(
                "the group uses EC2 health checks, and whether it is behind a load balancer is known only after apply",
            ),
        ),
        (None, _) => (
            Status::Unknown,
            Shown::constant(
                "health_check_type is known only after apply; the group may ignore its load balancer's health checks",
            ),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}

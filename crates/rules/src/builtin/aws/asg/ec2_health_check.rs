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
    /// Load balancers attached with a separate `aws_autoscaling_attachment` are not seen.
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

/// Whether the list argument names at least one load balancer or target group.
fn attached(cx: &Context<'_>, attribute: &str) -> Tri {
    match setting(cx, attribute) {
        Setting::Known(Value::Array(items)) => {
            if items.is_empty() {
                Tri::False
            } else {
                Tri::True
            }
        }
        Setting::Known(_) | Setting::Unset => Tri::False,
        Setting::Unknown => Tri::Unknown,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let behind_lb = attached(cx, "load_balancers").or(attached(cx, "target_group_arns"));
    if behind_lb == Tri::False {
        return;
    }
    let path = "health_check_type";
    let ec2_checks = match setting(cx, path) {
        Setting::Known(Value::String(t)) if t.eq_ignore_ascii_case("ELB") => return,
        Setting::Known(_) => Some(shown!(
            "the group is behind a load balancer but replaces instances only on EC2 status checks (health_check_type = {})",
            shown_at(cx, path)
        )),
        Setting::Unset => Some(Shown::constant(
            "the group is behind a load balancer but health_check_type is not set, so only EC2 status checks count",
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

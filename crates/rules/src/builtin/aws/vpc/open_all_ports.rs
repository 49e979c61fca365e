use planguard_plan::Shown;

use crate::builtin::{rust_rule, sg_ingress};
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_security_group` resources with an inline `ingress` block open to
    /// `0.0.0.0/0` or `::/0` on every port: protocol `-1` / `all`, or a TCP/UDP range from 0
    /// to 65535. Standalone `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` resources are reported by AWS-VPC-003.
    ///
    /// ## Why is this bad?
    /// An ingress rule open to the whole internet on every port means the security group is
    /// no firewall at all: every service listening on any attached instance, container,
    /// database or endpoint (SSH, RDP, databases, admin consoles, debug ports) is reachable by
    /// anyone. Internet-wide scanners find such hosts within minutes, and one forgotten
    /// service on a high port is enough to get in. It is usually a "temporary" debugging rule
    /// that was never removed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     from_port   = 0
    ///     to_port     = 0
    ///     protocol    = "-1"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// One rule per port the workload actually serves, from the narrowest source that works:
    /// a load balancer's security group, a VPN or office prefix list, or another security
    /// group. Public web traffic belongs on 80/443 of a load balancer.
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     description     = "HTTPS from the load balancer"
    ///     from_port       = 443
    ///     to_port         = 443
    ///     protocol        = "tcp"
    ///     security_groups = [aws_security_group.alb.id]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    /// - [Security Hub EC2.18: unrestricted incoming traffic only for authorized ports](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18)
    pub struct VpcOpenAllPorts {
        id: "AWS-VPC-101",
        title: "Security group allows all traffic from the internet",
        severity: Critical,
        category: NetworkExposure,
        resource_types: &["aws_security_group"],
        benchmarks: &["CIS AWS 5.2", "CIS AWS 5.3", "AWS FSBP EC2.18"],
        checkov: &["CKV_AWS_277"],
        trivy: &["AVD-AWS-0107"],
        attributes: &["ingress"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    sg_ingress::check(
        cx,
        out,
        |p| (p.every_port(), Shown::constant("every port")),
        "all traffic",
    );
}

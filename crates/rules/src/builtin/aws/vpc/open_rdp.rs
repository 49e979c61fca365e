use planguard_plan::Shown;

use crate::builtin::{rust_rule, sg_ingress};
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_security_group` resources with an inline `ingress` block open to
    /// `0.0.0.0/0` or `::/0` whose TCP or UDP port range covers 3389 (Remote Desktop).
    /// All-ports blocks are reported by AWS-VPC-101 and standalone rules by AWS-VPC-003, so
    /// they are not repeated here.
    ///
    /// ## Why is this bad?
    /// Remote Desktop open to the internet is one of the most common ransomware entry points:
    /// exposed RDP endpoints are brute-forced and password-sprayed continuously, and RDP
    /// itself has had pre-authentication remote code execution flaws (BlueKeep,
    /// CVE-2019-0708). A single weak local administrator password then gives an interactive
    /// session inside the VPC.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "windows" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     from_port   = 3389
    ///     to_port     = 3389
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Remove the world-open rule. Reach Windows hosts through Systems Manager Fleet Manager
    /// (Remote Desktop over Session Manager), a VPN or a bastion, and allow 3389 only from
    /// those sources.
    /// ```hcl
    /// resource "aws_security_group" "windows" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     description = "RDP from the VPN"
    ///     from_port   = 3389
    ///     to_port     = 3389
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["10.10.0.0/16"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    /// - [Security Hub EC2.14: no ingress from 0.0.0.0/0 to port 3389](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-14)
    /// - [Fleet Manager Remote Desktop](https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-rdp.html)
    pub struct VpcOpenRdp {
        id: "AWS-VPC-102",
        title: "Security group allows RDP from the internet",
        severity: High,
        category: NetworkExposure,
        resource_types: &["aws_security_group"],
        benchmarks: &["CIS AWS 5.2", "CIS AWS 5.3", "AWS FSBP EC2.14"],
        checkov: &["CKV_AWS_25"],
        trivy: &["AVD-AWS-0107"],
        attributes: &["ingress"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    sg_ingress::check(
        cx,
        out,
        |p| {
            // Every port is AWS-VPC-101's finding.
            let rdp = p.covers(3389).and(p.full_range().negate());
            (rdp, Shown::constant("RDP (port 3389)"))
        },
        "RDP",
    );
}

use planguard_plan::{shown, Shown};

use crate::builtin::rust_rule;
use planguard_plan::{Expression, Lookup};
use serde_json::Value;

use crate::builtin::sg_ingress::tri;
use crate::cidr::Cidr;
use crate::cond::Tri;
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_eks_cluster` resources whose Kubernetes API server endpoint is public
    /// (`vpc_config.endpoint_public_access`, true by default) and reachable from the whole internet:
    /// `public_access_cidrs` includes `0.0.0.0/0` or `::/0`, or is not set (AWS then allows
    /// `0.0.0.0/0`).
    ///
    /// ## Why is this bad?
    /// The API server is the cluster's control plane: anyone on the internet can reach it, probe
    /// it for anonymous access, misconfigured RBAC and unpatched Kubernetes vulnerabilities, and
    /// use any leaked kubeconfig, service account token or IAM credential mapped in the cluster
    /// from anywhere. With a private endpoint or an allow-list, a stolen credential is useless
    /// outside the VPC and the listed networks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids             = local.private_subnet_ids
    ///     endpoint_public_access = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Turn on the private endpoint and either turn off the public one or restrict it to the CIDR
    /// blocks of your VPN, office or CI runners.
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.eks.arn
    ///   vpc_config {
    ///     subnet_ids              = local.private_subnet_ids
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = true
    ///     public_access_cidrs     = ["203.0.113.0/24"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EKS cluster endpoint access control](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)
    /// - [Security Hub EKS.1: EKS cluster endpoints should not be publicly accessible](https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-1)
    /// - [EKS best practices: make the cluster endpoint private](https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html)
    pub struct EksPublicEndpoint {
        id: "AWS-EKS-001",
        title: "EKS cluster API endpoint is open to the internet",
        severity: High,
        category: NetworkExposure,
        resource_types: &["aws_eks_cluster"],
        benchmarks: &["AWS FSBP EKS.1"],
        checkov: &["CKV_AWS_39", "CKV_AWS_38"],
        trivy: &["AVD-AWS-0040", "AVD-AWS-0041"],
        attributes: &["vpc_config"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let vpc = cx.subject().get("vpc_config").at(0);
    if vpc.known().is_none() && !vpc.is_unknown() {
        return;
    }
    let public = match vpc.get("endpoint_public_access").lookup() {
        Lookup::Known(Value::Bool(b)) => tri(*b),
        // The provider's default is true.
        Lookup::Absent | Lookup::Known(Value::Null) => Tri::True,
        Lookup::Unknown => Tri::Unknown,
        Lookup::Known(_) => Tri::False,
    };
    if public == Tri::False {
        return;
    }
    let cidrs = vpc.get("public_access_cidrs");
    let (open, path, detail) = if cidrs.is_unknown() {
        // Computed when not written: unset means AWS's default, 0.0.0.0/0.
        let written =
            cx.plan
                .config_resource(&cx.change.addr)
                .is_some_and(|c| match c.resource.expressions.get("vpc_config") {
                    Some(Expression::Blocks(blocks)) => blocks.iter().any(|b| b.contains_key("public_access_cidrs")),
                    _ => true,
                });
        if written {
            (
                Tri::Unknown,
                Shown::constant("vpc_config[0].public_access_cidrs"),
                Shown::default(),
            )
        } else {
            (
                Tri::True,
                Shown::constant("vpc_config[0].public_access_cidrs"),
                Shown::constant("public_access_cidrs is not set, so AWS allows 0.0.0.0/0"),
            )
        }
    } else {
        let mut found = (Tri::False, Shown::default(), Shown::default());
        for (i, (_, item)) in cidrs.children().into_iter().enumerate() {
            match item.lookup() {
                Lookup::Known(Value::String(s)) if Cidr::parse(s).is_some_and(|c| c.is_world()) => {
                    found = (
                        Tri::True,
                        shown!("vpc_config[0].public_access_cidrs[{}]", Shown::figure(i)),
                        shown!("public_access_cidrs includes {}", item.shown()),
                    );
                    break;
                }
                Lookup::Unknown if found.0 == Tri::False => {
                    found = (
                        Tri::Unknown,
                        shown!("vpc_config[0].public_access_cidrs[{}]", Shown::figure(i)),
                        Shown::default(),
                    );
                }
                _ => {}
            }
        }
        found
    };
    match public.and(open) {
        Tri::True => out.push(Hit {
            status: Status::Fail,
            path,
            message: shown!(
                "the Kubernetes API endpoint is public (endpoint_public_access = true) and {}",
                detail
            ),
        }),
        Tri::Unknown => out.push(Hit {
            status: Status::Unknown,
            message: shown!(
                "{} is known only after apply; the Kubernetes API endpoint may be open to the internet",
                path
            ),
            path,
        }),
        Tri::False => {}
    }
}

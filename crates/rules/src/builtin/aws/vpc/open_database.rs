use planguard_plan::{shown, Shown};

use crate::builtin::{rust_rule, sg_ingress};
use crate::cond::Tri;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_security_group` resources with an inline `ingress` block open to
    /// `0.0.0.0/0` or `::/0` whose TCP or UDP port range covers a database or cache port:
    /// MySQL/Aurora 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, MongoDB/DocumentDB
    /// 27017, Redis 6379, Elasticsearch/OpenSearch 9200, Redshift 5439, Memcached 11211.
    /// All-ports blocks are reported by AWS-VPC-101 and standalone rules by AWS-VPC-003.
    ///
    /// ## Why is this bad?
    /// Databases and caches exposed to the internet are found by scanners within hours and
    /// are a leading cause of mass data leaks: Redis, Memcached, MongoDB and Elasticsearch
    /// often run without authentication, and the others are brute-forced or exploited
    /// through unpatched engine versions. Memcached on UDP 11211 is also abused for DDoS
    /// amplification. A database port should only ever be reachable from the application
    /// tier.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "db" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     from_port   = 5432
    ///     to_port     = 5432
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Allow the database port only from the application's security group (or a VPN
    /// range). Keep databases in private subnets without public addresses and reach them for
    /// administration through Session Manager port forwarding or a bastion.
    /// ```hcl
    /// resource "aws_security_group" "db" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     description     = "PostgreSQL from the app tier"
    ///     from_port       = 5432
    ///     to_port         = 5432
    ///     protocol        = "tcp"
    ///     security_groups = [aws_security_group.app.id]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    /// - [Controlling access to an RDS DB instance in a VPC](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Scenarios.html)
    /// - [Security Hub EC2.19: no unrestricted access to high-risk ports](https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19)
    pub struct VpcOpenDatabase {
        id: "AWS-VPC-103",
        title: "Security group allows a database port from the internet",
        severity: High,
        category: NetworkExposure,
        resource_types: &["aws_security_group"],
        benchmarks: &["AWS FSBP EC2.19"],
        trivy: &["AVD-AWS-0107"],
        attributes: &["ingress"],
    }
}

/// Database and cache ports, with their engines.
const PORTS: &[(i64, &str)] = &[
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL/Aurora"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (6379, "Redis"),
    (9200, "Elasticsearch/OpenSearch"),
    (11211, "Memcached"),
    (27017, "MongoDB/DocumentDB"),
];

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    sg_ingress::check(
        cx,
        out,
        |p| {
            let mut result = Tri::False;
            let mut named = Vec::new();
            for (port, engine) in PORTS {
                let covered = p.covers(*port);
                if covered == Tri::True {
                    named.push(shown!("{} ({})", Shown::figure(*port), Shown::constant(engine)));
                }
                result = result.or(covered);
            }
            // Every port is AWS-VPC-101's finding.
            let result = result.and(p.full_range().negate());
            let description = match named.len() {
                0 => Shown::constant("a database port"),
                1 => shown!("database port {}", named[0]),
                _ => shown!("database ports {}", Shown::join(&named, ", ")),
            };
            (result, description)
        },
        "a database port",
    );
}

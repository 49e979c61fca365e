use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_number, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};
use serde_json::Value;

#[derive(PartialEq)]
enum Replica {
    No,
    Unknown,
}

rust_rule! {
    /// ## What it does
    /// Flags `aws_db_instance` resources with automated backups turned off
    /// (`backup_retention_period = 0`). Read replicas (a non-empty `replicate_source_db`) are
    /// skipped: their source holds the backups. `replicate_source_db = ""` is not a replica. An unwritten `backup_retention_period` is planned as
    /// known only after apply, and RDS then keeps backups for 1 day, so this rule reads the
    /// configuration and doesn't report it.
    ///
    /// ## Why is this bad?
    /// With a retention period of 0, RDS takes no automated backups and keeps no transaction
    /// logs: there is no point-in-time recovery. A dropped table, a bad migration, corrupted
    /// data or ransomware inside the database can only be undone from a manual snapshot, if
    /// there is one. It also disables read replicas.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t3.micro"
    ///   allocated_storage       = 20
    ///   backup_retention_period = 0
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep automated backups for at least 7 days (up to 35), and copy snapshots to another
    /// account or region with AWS Backup for disaster recovery.
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t3.micro"
    ///   allocated_storage       = 20
    ///   backup_retention_period = 14
    ///   backup_window           = "03:00-04:00"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Introduction to RDS backups](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html)
    /// - [Security Hub RDS.11: RDS instances should have automatic backups enabled](https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-11)
    pub struct RdsNoBackups {
        id: "AWS-RDS-006",
        title: "RDS database instance has automated backups off",
        severity: Medium,
        category: DataProtection,
        resource_types: &["aws_db_instance"],
        benchmarks: &["AWS FSBP RDS.11"],
        checkov: &["CKV_AWS_133"],
        attributes: &["backup_retention_period", "replicate_source_db"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    // The provider plans an empty string for "no source", so only a non-empty name is a replica.
    let replica = match setting(cx, "replicate_source_db") {
        Setting::Known(Value::String(source)) if source.is_empty() => Replica::No,
        Setting::Unset => Replica::No,
        Setting::Known(_) => return,
        Setting::Unknown => Replica::Unknown,
    };
    let (status, message) = match setting(cx, "backup_retention_period") {
        Setting::Known(v) if as_number(v) == Some(0.0) && replica == Replica::Unknown => (
            Status::Unknown,
            shown!(
                "automated backups are off (backup_retention_period = {}); replicate_source_db is known only after apply, so this may be a read replica",
                shown_at(cx, "backup_retention_period")
            ),
        ),
        Setting::Known(v) if as_number(v) == Some(0.0) => (
            Status::Fail,
            shown!(
                "automated backups are off (backup_retention_period = {})",
                shown_at(cx, "backup_retention_period")
            ),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("backup_retention_period is known only after apply; automated backups may be off"),
        ),
        // A positive period, or not written: RDS keeps 1 day by default.
        _ => return,
    };
    out.push(Hit {
        status,
        path: Shown::constant("backup_retention_period"),
        message,
    });
}

use planguard_plan::{Cursor, Expression, Lookup};

use crate::builtin::aws_setting::{as_bool, show};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags block devices declared unencrypted in EC2 instances and launch definitions:
    /// `root_block_device` and `ebs_block_device` with `encrypted = false` in `aws_instance`,
    /// `aws_spot_instance_request` and `aws_launch_configuration`, and
    /// `block_device_mappings.ebs.encrypted = "false"` in `aws_launch_template`. A device
    /// whose `encrypted` is not written is left to the AMI's snapshot and the account's EBS
    /// encryption by default (checked by AWS-EBS-002), and is not reported; one written from
    /// a value known only after apply is reported as unknown.
    ///
    /// ## Why is this bad?
    /// The root volume holds the operating system, application code, logs and often
    /// credentials and caches; data volumes hold the data. Declared unencrypted, they and
    /// every snapshot and AMI made from them are stored in clear, readable by anyone who gets
    /// a copy (a shared snapshot, a public AMI, a mis-scoped `ec2:CreateVolume`). Encryption
    /// can't be turned on in place later. `encrypted = false` also overrides nothing: with
    /// EBS encryption by default on, AWS encrypts anyway, so the setting is at best
    /// misleading.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     volume_size = 50
    ///     encrypted   = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Set `encrypted = true` (optionally with `kms_key_id`) on every block device, and turn
    /// on EBS encryption by default in every region.
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     volume_size = 50
    ///     encrypted   = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EBS encryption](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html)
    /// - [Block device mappings](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html)
    pub struct Ec2BlockDeviceUnencrypted {
        id: "AWS-EC2-201",
        title: "EC2 block device is declared unencrypted",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_instance", "aws_spot_instance_request", "aws_launch_configuration", "aws_launch_template"],
        checkov: &["CKV_AWS_8"],
        attributes: &["block_device_mappings", "ebs_block_device", "root_block_device"],
    }
}

/// Whether any block of `block` in the configuration writes `attr`, at `inner` depth
/// (`block_device_mappings` -> `ebs`). Without a configuration, assume it does.
fn written(cx: &Context<'_>, block: &str, inner: Option<&str>, attr: &str) -> bool {
    let Some(config) = cx.plan.config_resource(&cx.change.addr) else {
        return true;
    };
    let Some(Expression::Blocks(blocks)) = config.resource.expressions.get(block) else {
        return false;
    };
    blocks.iter().any(|b| match inner {
        None => b.contains_key(attr),
        Some(inner) => match b.get(inner) {
            Some(Expression::Blocks(inner_blocks)) => inner_blocks.iter().any(|ib| ib.contains_key(attr)),
            _ => false,
        },
    })
}

/// A device's name for messages.
fn device_name(device: Cursor<'_>) -> Option<String> {
    device.get("device_name").as_str().map(str::to_string)
}

/// Judges one device's `encrypted` at `path`.
fn judge(cursor: Cursor<'_>, path: String, what: &str, writes: bool, out: &mut Vec<Hit>) {
    match cursor.lookup() {
        Lookup::Known(v) if as_bool(v) == Some(false) => out.push(Hit {
            status: Status::Fail,
            path,
            message: format!("{what} is not encrypted (encrypted = {})", show(v)),
        }),
        Lookup::Unknown if writes => out.push(Hit {
            status: Status::Unknown,
            path,
            message: format!("whether {what} is encrypted is known only after apply"),
        }),
        _ => {}
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let subject = cx.subject();
    if cx.change.resource_type == "aws_launch_template" {
        let writes = written(cx, "block_device_mappings", Some("ebs"), "encrypted");
        for (i, mapping) in subject.get("block_device_mappings").children() {
            let name = device_name(mapping).unwrap_or_else(|| format!("mapping {}", index(&i)));
            for (j, ebs) in mapping.get("ebs").children() {
                let (i, j) = (index(&i), index(&j));
                judge(
                    ebs.get("encrypted"),
                    format!("block_device_mappings[{i}].ebs[{j}].encrypted"),
                    &format!("the EBS volume mapped to {name}"),
                    writes,
                    out,
                );
            }
        }
        return;
    }
    for (block, what) in [
        ("root_block_device", "the root volume"),
        ("ebs_block_device", "EBS volume"),
    ] {
        let writes = written(cx, block, None, "encrypted");
        let devices = subject.get(block);
        // A block not written at all is planned as unknown: there is nothing to judge.
        if devices.is_unknown() {
            continue;
        }
        for (i, device) in devices.children() {
            let i = index(&i);
            let what = match device_name(device) {
                Some(name) if block == "ebs_block_device" => format!("{what} {name}"),
                _ => what.to_string(),
            };
            judge(
                device.get("encrypted"),
                format!("{block}[{i}].encrypted"),
                &what,
                writes,
                out,
            );
        }
    }
}

/// A list step's index.
fn index(step: &planguard_plan::Step) -> String {
    match step {
        planguard_plan::Step::Index(i) => i.to_string(),
        planguard_plan::Step::Key(k) => k.clone(),
    }
}

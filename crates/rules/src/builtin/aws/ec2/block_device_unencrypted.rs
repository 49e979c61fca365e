use planguard_plan::{shown, Cursor, Expression, Lookup, Shown};

use crate::builtin::aws_setting::as_bool;
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
        trivy: &["AVD-AWS-0008", "AVD-AWS-0131"],
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
fn device_name(device: Cursor<'_>) -> Option<Shown> {
    let name = device.get("device_name");
    name.as_str().map(|_| name.shown())
}

/// Judges one device's `encrypted` at `path`.
fn judge(cursor: Cursor<'_>, path: Shown, what: &Shown, writes: bool, out: &mut Vec<Hit>) {
    match cursor.lookup() {
        Lookup::Known(v) if as_bool(v) == Some(false) => out.push(Hit {
            status: Status::Fail,
            path,
            message: shown!("{} is not encrypted (encrypted = {})", what, cursor.shown()),
        }),
        Lookup::Unknown if writes => out.push(Hit {
            status: Status::Unknown,
            path,
            message: shown!("whether {} is encrypted is known only after apply", what),
        }),
        _ => {}
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let subject = cx.subject();
    if cx.change.resource_type == "aws_launch_template" {
        let writes = written(cx, "block_device_mappings", Some("ebs"), "encrypted");
        let mappings = subject.get("block_device_mappings");
        for (i, mapping) in mappings.children() {
            let i = index(mappings, &i);
            let name = device_name(mapping).unwrap_or_else(|| shown!("mapping {}", i));
            for (j, ebs) in mapping.get("ebs").children() {
                let j = index(mapping.get("ebs"), &j);
                judge(
                    ebs.get("encrypted"),
                    shown!("block_device_mappings[{}].ebs[{}].encrypted", i, j),
                    &shown!("the EBS volume mapped to {}", name),
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
            let i = index(devices, &i);
            let what = match device_name(device) {
                Some(name) if block == "ebs_block_device" => shown!("{} {}", Shown::constant(what), name),
                _ => Shown::constant(what),
            };
            judge(
                device.get("encrypted"),
                shown!("{}[{}].encrypted", Shown::constant(block), i),
                &what,
                writes,
                out,
            );
        }
    }
}

/// A list step's index.
/// A step under `parent` for a path: an index, or a key of `parent` (hidden when `parent`
/// is sensitive).
fn index(parent: Cursor<'_>, step: &planguard_plan::Step) -> Shown {
    match step {
        planguard_plan::Step::Index(i) => Shown::figure(*i),
        planguard_plan::Step::Key(k) => parent.disclosure().show(k),
    }
}

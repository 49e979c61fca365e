//! Deterministic synthetic `terraform show -json` plan generator.
//!
//! [`generate`] (in memory) and [`generate_to`] (streaming to any
//! [`Write`]) produce a plan in the JSON plan format version `1.2` as written
//! by Terraform `1.11.4` with the AWS provider 5.x attribute shapes. The
//! output is a pure function of [`SynthOptions`]: the same `resources` and
//! `seed` give byte-identical output. Memory use is bounded: the document is
//! written in several deterministic passes over the same pseudo-random walk
//! (one for `planned_values`, one for `resource_changes`, one for
//! `prior_state`), and only one resource instance is held in memory at a
//! time.
//!
//! # Shape of the plan
//!
//! `resources` is the exact number of entries in `resource_changes`
//! (managed resources plus data sources whose read is deferred to apply,
//! action `read`). Data sources read during planning are not resource
//! changes; they show up only in `planned_values` and `prior_state` and are
//! counted in [`SynthStats::data_read_at_plan`].
//!
//! The configuration is a fixed module tree (the same for every `resources`
//! and `seed`; only the number of instances varies):
//!
//! ```text
//! root                          (provider aws.us_east_1) data.aws_iam_policy_document.github_trust,
//! │                             aws_iam_role.github (GitHub OIDC trust), aws_iam_policy.deploy,
//! │                             aws_iam_role_policy_attachment.deploy (all for_each over repos)
//! └─ module.region["eu"]        for_each, string keys ("eu", "us", ..., then "eu-1", "us-1", ...)
//!    ├─ module.network          aws_vpc.main, aws_subnet.public/private, aws_eip.nat,
//!    │                          aws_nat_gateway.this (count = AZs), aws_security_group.bastion
//!    ├─ module.storage          aws_s3_bucket.this + aws_s3_bucket_{server_side_encryption_configuration,
//!    │                          versioning, public_access_block, acl}.this (for_each bucket key)
//!    └─ module.team["payments"] for_each: data.aws_iam_policy_document.assume, aws_iam_role.this
//!       │                       (EC2 or EKS OIDC trust), aws_iam_policy.this,
//!       │                       aws_iam_role_policy_attachment.managed (for_each)
//!       ├─ module.storage       same module as above
//!       └─ module.app[0]        count: aws_security_group.app/lb, aws_security_group_rule.extra
//!                               (for_each, ingress and egress), aws_lb.this, aws_lb_listener.this
//!                               (for_each "http"/"https"), aws_instance.web + aws_ebs_volume.data
//!                               (count), aws_launch_template.this + aws_autoscaling_group.this
//!                               (count 0/1), aws_iam_role_policy.app, aws_db_instance.this (count 0/1)
//! ```
//!
//! Instances are written in walk order (a module instance's own
//! resources, dependencies first, then its child modules), not sorted by
//! address as Terraform sorts them; consumers must not rely on order.
//! Region instances are added until `resources` is reached; the walk stops
//! exactly at `resources`, so the last module instance may be cut short.
//! Within a module instance, dependencies come before their dependents, so a
//! cut never leaves a dangling value. Attribute values follow the references:
//! a subnet's `vpc_id` is its VPC's id, an instance's `subnet_id` and
//! `vpc_security_group_ids` are those of the network and app modules, a
//! listener's `load_balancer_arn` is its LB's ARN, and so on. Module inputs
//! carry references across module boundaries (region: `vpc_id =
//! module.network.vpc_id` → team: `var.vpc_id` → app: `var.vpc_id`), and
//! every reference in `configuration` names a variable, resource, data
//! source or module call (and that module's output) declared in the
//! referencing module, or `count.index` / `each.key` / `each.value` inside a
//! block that has `count` / `for_each`.
//!
//! # Actions
//!
//! Each module instance is either *new* (every resource `create`, its data
//! source read deferred: `read`) or *existing*. New: 4% of regions, 10% of
//! teams, 30% of apps (children of a new module are new). In existing
//! modules, "structural" resources (VPC, subnets, EIPs, NAT gateways,
//! security groups, IAM roles and policies, buckets and their split-out
//! resources, load balancers, launch templates) are 88% `no-op` / 12%
//! `update`; the other ("leaf") types are 78% `no-op`, 12% `update`, 4.5%
//! `["delete","create"]`, 1.5% `["create","delete"]`, 4% `delete` (DB
//! instances are never deleted; an EBS volume is deleted with its instance).
//! 2% of existing bucket groups are deleted whole. Replacements carry
//! `replace_paths` and `action_reason: "replace_because_cannot_update"` (or
//! `replace_because_tainted` without `replace_paths` for types without a
//! force-new attribute); deletes of counted / for_each instances carry
//! `delete_because_count_index` / `delete_because_each_key`; deferred reads
//! `read_because_config_unknown` / `read_because_dependency_pending`. A
//! resource whose dependency is being created or replaced gets the
//! referencing attribute unknown and is promoted from `no-op` to `update`
//! (or to a replacement where the attribute forces one). Typical totals
//! (100k resources): 59% no-op, 30% create, 6.5% update, 1.8%
//! delete-then-create, 0.5% create-then-delete, 1.7% delete, 0.2% read. The
//! exact counts are in [`SynthStats::by_action`].
//!
//! # Unknown and sensitive values
//!
//! On `create` and replacements every computed attribute (ids, ARNs, DNS
//! names, nested `root_block_device[0].volume_id`, ...) is absent from
//! `after` and `true` in `after_unknown`; `after_unknown`,
//! `before_sensitive` and `after_sensitive` mirror the value shapes exactly
//! as Terraform's `unknownAsBool` / `SensitiveAsBool` do (known leaves
//! omitted from objects, `false` inside lists, `[]` / `{}` for unknown
//! collections in the sensitivity masks). `aws_db_instance.password` is
//! always sensitive; about 10% of tagged resources have a sensitive
//! `tags.Owner` / `tags_all.Owner`. `planned_values` resources carry `after`
//! and `after_sensitive`, `prior_state` resources `before` and
//! `before_sensitive`, byte for byte.
//!
//! # Misconfigurations
//!
//! Misconfigurations are drawn per resource instance with these
//! probabilities and counted in [`SynthStats::misconfigs`] only for
//! instances whose `after` value exists (action is not `delete`), so a rule
//! engine that looks at the planned values finds exactly those counts (the
//! tests check this). The last column is what 100k resources with seed 1
//! give, over all instances of the type (deleted ones included).
//!
//! | key ([`misconfig`])            | where                                                                  | rate | 100k |
//! |--------------------------------|------------------------------------------------------------------------|------|------|
//! | `sg_open_ssh`                  | `aws_security_group` inline ingress tcp 22 from `0.0.0.0/0`             | 5% of security groups | 4.8% |
//! | `sg_rule_open_ssh`             | `aws_security_group_rule` ingress tcp 22 from `0.0.0.0/0` (half also `::/0`) | 5% of ingress rules | 2.9% of all rules |
//! | `instance_public_ip`           | `aws_instance.associate_public_ip_address = true`                       | 5% of instances | 4.6% |
//! | `instance_imdsv1`              | `aws_instance.metadata_options[0].http_tokens = "optional"`             | 10% of instances | 9.9% |
//! | `iam_wildcard_policy`          | `aws_iam_policy` / `aws_iam_role_policy` `policy` allowing `Action "*"` on `Resource "*"` | 5% of policies | 4.2% |
//! | `iam_admin_attachment`         | `aws_iam_role_policy_attachment` of `arn:aws:iam::aws:policy/AdministratorAccess` | 5% of attachments | 4.0% |
//! | `oidc_trust_no_condition`      | `aws_iam_role` whose trust (`sts:AssumeRoleWithWebIdentity`, also in its `aws_iam_policy_document`) has no `aud`/`sub` condition | 30% of OIDC roles; all root roles and 50% of team roles are OIDC | 13% of roles |
//! | `s3_unencrypted`               | `aws_s3_bucket` without a (non-deleted) `aws_s3_bucket_server_side_encryption_configuration` of the same key | 5% of buckets, plus a bucket whose group was cut by the resource limit | 5.3% |
//! | `s3_public_acl`                | `aws_s3_bucket_acl.acl = "public-read"`                                 | 3% of ACLs | 2.8% |
//! | `s3_public_access_not_blocked` | `aws_s3_bucket_public_access_block` with all four flags `false`         | 3% of blocks | 3.2% |
//! | `ebs_unencrypted`              | `aws_ebs_volume.encrypted = false`                                      | 5% of volumes | 4.5% |
//! | `rds_unencrypted`              | `aws_db_instance.storage_encrypted = false`                             | 10% of DB instances | 10% |
//! | `rds_public`                   | `aws_db_instance.publicly_accessible = true`                            | 5% of DB instances | 5.7% |
//!
//! The lowest-rate kinds need a few thousand resources to appear at all.
//!
//! # Size and speed
//!
//! About 4.1 KB of JSON per resource instance on average (the no-op
//! majority carries full `before` and `after` values, and every instance
//! appears again in `planned_values` and/or `prior_state`): 10k resources ≈
//! 41 MB, 100k ≈ 417 MB. Size grows linearly with `resources` (the
//! configuration is a fixed ~25 KB). A release build writes 100k resources
//! in about 4.5 s with about 6 MB of resident memory when streaming to a
//! file.

use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Options for [`generate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Exact number of entries in `resource_changes`.
    pub resources: usize,
    /// PRNG seed.
    pub seed: u64,
}

/// A generated plan and what it contains.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// The plan JSON.
    pub json: Vec<u8>,
    /// Counts of what was emitted.
    pub stats: SynthStats,
}

/// Counts of what a generated plan contains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SynthStats {
    /// Entries in `resource_changes` (equals [`SynthOptions::resources`]).
    pub resources: usize,
    /// Entries in `resource_changes` per resource type (data sources as `data.TYPE`).
    pub by_type: BTreeMap<&'static str, usize>,
    /// Entries in `resource_changes` per action list joined with `,`:
    /// `no-op`, `create`, `update`, `delete`, `read`, `delete,create`, `create,delete`.
    pub by_action: BTreeMap<&'static str, usize>,
    /// Misconfigured instances per kind (see the [`misconfig`] keys).
    pub misconfigs: BTreeMap<&'static str, usize>,
    /// Data source instances read during planning (in `planned_values` and
    /// `prior_state` only, not in `resource_changes`).
    pub data_read_at_plan: usize,
    /// Module instances that hold at least one resource instance.
    pub module_instances: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Keys of [`SynthStats::misconfigs`].
pub mod misconfig {
    /// Security group with inline ingress tcp 22 from 0.0.0.0/0.
    pub const SG_OPEN_SSH: &str = "sg_open_ssh";
    /// Ingress security group rule tcp 22 from 0.0.0.0/0.
    pub const SG_RULE_OPEN_SSH: &str = "sg_rule_open_ssh";
    /// EC2 instance with a public IP address.
    pub const INSTANCE_PUBLIC_IP: &str = "instance_public_ip";
    /// EC2 instance allowing IMDSv1 (`http_tokens = "optional"`).
    pub const INSTANCE_IMDSV1: &str = "instance_imdsv1";
    /// IAM policy allowing `*` on `*`.
    pub const IAM_WILDCARD_POLICY: &str = "iam_wildcard_policy";
    /// Role policy attachment of AdministratorAccess.
    pub const IAM_ADMIN_ATTACHMENT: &str = "iam_admin_attachment";
    /// Web identity trust policy without `aud`/`sub` conditions.
    pub const OIDC_TRUST_NO_CONDITION: &str = "oidc_trust_no_condition";
    /// S3 bucket without a server side encryption configuration resource.
    pub const S3_UNENCRYPTED: &str = "s3_unencrypted";
    /// S3 bucket ACL `public-read`.
    pub const S3_PUBLIC_ACL: &str = "s3_public_acl";
    /// S3 public access block with every flag false.
    pub const S3_PUBLIC_ACCESS_NOT_BLOCKED: &str = "s3_public_access_not_blocked";
    /// Unencrypted EBS volume.
    pub const EBS_UNENCRYPTED: &str = "ebs_unencrypted";
    /// RDS instance with unencrypted storage.
    pub const RDS_UNENCRYPTED: &str = "rds_unencrypted";
    /// Publicly accessible RDS instance.
    pub const RDS_PUBLIC: &str = "rds_public";
    /// Every key.
    pub const ALL: [&str; 13] = [
        SG_OPEN_SSH,
        SG_RULE_OPEN_SSH,
        INSTANCE_PUBLIC_IP,
        INSTANCE_IMDSV1,
        IAM_WILDCARD_POLICY,
        IAM_ADMIN_ATTACHMENT,
        OIDC_TRUST_NO_CONDITION,
        S3_UNENCRYPTED,
        S3_PUBLIC_ACL,
        S3_PUBLIC_ACCESS_NOT_BLOCKED,
        EBS_UNENCRYPTED,
        RDS_UNENCRYPTED,
        RDS_PUBLIC,
    ];
}

use misconfig as mc;

/// Generates a plan in memory.
pub fn generate(opts: &SynthOptions) -> Synthetic {
    let mut json = Vec::with_capacity(opts.resources.saturating_mul(4200) + 64 * 1024);
    let stats = generate_to(opts, &mut json).expect("writing to a Vec cannot fail");
    Synthetic { json, stats }
}

/// Streams a plan to `out` (wrap files in a `BufWriter`).
pub fn generate_to<W: Write>(opts: &SynthOptions, out: W) -> io::Result<SynthStats> {
    let mut w = Counting { inner: out, n: 0 };
    let p = Params::new(opts.seed);
    let w_ = &mut w;
    w_.write_all(b"{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.4\",\"variables\":")?;
    write_value(w_, &root_variables_values(&p))?;

    w_.write_all(b",\"planned_values\":{\"outputs\":")?;
    write_value(w_, &planned_outputs(&p))?;
    w_.write_all(b",\"root_module\":")?;
    let mut sink = TreeSink::new(&mut *w_, View::Planned);
    let stats = walk(opts, &p, &mut sink)?;
    sink.finish()?;
    w_.write_all(b"}")?;

    w_.write_all(b",\"resource_changes\":[")?;
    let mut sink = ChangesSink {
        w: &mut *w_,
        first: true,
        relevant: Vec::new(),
    };
    walk(opts, &p, &mut sink)?;
    let relevant = std::mem::take(&mut sink.relevant);
    w_.write_all(b"]")?;

    w_.write_all(b",\"output_changes\":")?;
    write_value(w_, &output_changes(&p))?;

    w_.write_all(
        b",\"prior_state\":{\"format_version\":\"1.0\",\"terraform_version\":\"1.11.4\",\"values\":{\"outputs\":",
    )?;
    write_value(w_, &prior_outputs(&p))?;
    w_.write_all(b",\"root_module\":")?;
    let mut sink = TreeSink::new(&mut *w_, View::Prior);
    walk(opts, &p, &mut sink)?;
    sink.finish()?;
    w_.write_all(b"}}")?;

    w_.write_all(b",\"configuration\":")?;
    write_value(w_, &configuration(&p))?;

    w_.write_all(b",\"relevant_attributes\":[")?;
    for (i, (res, attr)) in relevant.iter().enumerate() {
        if i > 0 {
            w_.write_all(b",")?;
        }
        w_.write_all(b"{\"resource\":")?;
        write_str(w_, res)?;
        w_.write_all(b",\"attribute\":[")?;
        write_str(w_, attr)?;
        w_.write_all(b"]}")?;
    }
    w_.write_all(b"]")?;
    let applyable = stats.by_action.keys().any(|a| *a != "no-op");
    write!(
        w_,
        ",\"timestamp\":\"{}\",\"applyable\":{},\"complete\":true,\"errored\":false}}",
        p.timestamp, applyable
    )?;
    w.flush()?;
    let mut stats = stats;
    stats.bytes = w.n;
    Ok(stats)
}

// ---------------------------------------------------------------------------
// PRNG

/// SplitMix64.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, s: &'a [T]) -> &'a T {
        &s[self.below(s.len() as u64) as usize]
    }
    fn hex(&mut self, digits: usize) -> String {
        let mut s = String::with_capacity(digits);
        while s.len() < digits {
            let v = self.next();
            for i in 0..16 {
                if s.len() == digits {
                    break;
                }
                let d = ((v >> (i * 4)) & 0xf) as u8;
                s.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------
// JSON output helpers

struct Counting<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn write_value<W: Write>(w: &mut W, v: &Value) -> io::Result<()> {
    serde_json::to_writer(w, v).map_err(io::Error::other)
}

fn write_str<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(w, s).map_err(io::Error::other)
}

// ---------------------------------------------------------------------------
// Global parameters

struct Params {
    seed: u64,
    env: &'static str,
    org: &'static str,
    account: String,
    timestamp: String,
}

impl Params {
    fn new(seed: u64) -> Self {
        let mut r = Rng::new(seed.wrapping_add(17));
        let env = *r.pick(&["prod", "staging", "dev", "qa"]);
        let org = *r.pick(&["acme", "globex", "initech", "umbrella", "hooli"]);
        let account = format!("{:012}", r.below(1_000_000_000_000));
        let secs = r.below(365 * 86400);
        let (day, rem) = (secs / 86400, secs % 86400);
        let (month, dom) = (day / 31 + 1, day % 28 + 1);
        let timestamp = format!(
            "2025-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            month.min(12),
            dom,
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        );
        Params {
            seed,
            env,
            org,
            account,
            timestamp,
        }
    }
    fn default_tags(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("ManagedBy".into(), "terraform".into());
        m.insert("Org".into(), self.org.into());
        m
    }
}

// ---------------------------------------------------------------------------
// Resource instances

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Action {
    NoOp,
    Create,
    Update,
    DeleteCreate,
    CreateDelete,
    Delete,
    Read,
    /// Data source read during planning: not a resource change.
    PlanRead,
}

impl Action {
    fn key(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Update => "update",
            Action::DeleteCreate => "delete,create",
            Action::CreateDelete => "create,delete",
            Action::Delete => "delete",
            Action::Read | Action::PlanRead => "read",
        }
    }
    fn json(self) -> &'static str {
        match self {
            Action::NoOp => "[\"no-op\"]",
            Action::Create => "[\"create\"]",
            Action::Update => "[\"update\"]",
            Action::DeleteCreate => "[\"delete\",\"create\"]",
            Action::CreateDelete => "[\"create\",\"delete\"]",
            Action::Delete => "[\"delete\"]",
            Action::Read | Action::PlanRead => "[\"read\"]",
        }
    }
    fn has_before(self) -> bool {
        !matches!(self, Action::Create | Action::Read)
    }
    fn has_after(self) -> bool {
        self != Action::Delete
    }
    fn id_known(self) -> bool {
        matches!(self, Action::NoOp | Action::Update | Action::PlanRead)
    }
    fn replace(self) -> bool {
        matches!(self, Action::DeleteCreate | Action::CreateDelete)
    }
}

#[derive(Clone, Debug)]
enum Index {
    None,
    Int(usize),
    Str(String),
}

impl Index {
    fn suffix(&self) -> String {
        match self {
            Index::None => String::new(),
            Index::Int(i) => format!("[{i}]"),
            Index::Str(s) => format!("[\"{s}\"]"),
        }
    }
}

/// One resource instance, ready to be written in any view.
struct Inst<'a> {
    address: String,
    module_address: &'a str,
    data: bool,
    ty: &'static str,
    name: &'static str,
    index: &'a Index,
    schema_version: u32,
    action: Action,
    before: Value,
    after: Value,
    after_unknown: Value,
    before_sensitive: Value,
    after_sensitive: Value,
    replace_paths: Option<Value>,
    action_reason: Option<&'static str>,
    /// Attributes of dependencies that matter for this change (relevant_attributes).
    relevant: Vec<(String, &'static str)>,
}

/// What a type builder returns.
#[derive(Default)]
struct Built {
    /// Values known at plan time (configuration and defaults, nulls included).
    cfg: Map<String, Value>,
    /// Computed attributes (dotted paths) with their eventual value: known in
    /// state, unknown on create/replace.
    computed: Vec<(&'static str, Value)>,
    /// Attributes referencing a dependency that is being created/replaced:
    /// unknown in `after` whatever the action; value is the prior state's.
    deferred: Vec<(&'static str, Value)>,
    /// Sensitive dotted paths.
    sens: Vec<&'static str>,
    /// Attribute changed by an in-place update, with its prior value.
    upd: Option<(&'static str, Value)>,
    /// Attribute forcing replacement, with its prior value.
    repl: Option<(&'static str, Value)>,
    /// A deferred attribute forces replacement.
    deferred_replaces: bool,
    /// Misconfigurations of this instance.
    mis: Vec<&'static str>,
    /// The id other resources use to reference this one.
    id: String,
    /// The ARN (or another exported attribute) for references.
    arn: String,
    /// Relevant attributes of dependencies: (resource address, attribute).
    relevant: Vec<(String, &'static str)>,
}

impl Built {
    fn set(&mut self, k: &str, v: Value) {
        self.cfg.insert(k.to_string(), v);
    }
    fn comp(&mut self, k: &'static str, v: Value) {
        self.computed.push((k, v));
    }
    /// Sets an attribute that references another resource's attribute.
    fn refr(&mut self, k: &'static str, r: &Ref) {
        self.refv(k, r, Value::String(r.val.clone()));
    }
    fn refv(&mut self, k: &'static str, r: &Ref, v: Value) {
        if r.known {
            self.cfg.insert(k.to_string(), v);
        } else {
            self.deferred.push((k, v));
        }
        if let Some(a) = &r.addr {
            self.relevant.push((a.clone(), r.attr));
        }
    }
    fn refs(&mut self, k: &'static str, rs: &[Ref]) {
        let v = Value::Array(rs.iter().map(|r| Value::String(r.val.clone())).collect());
        if rs.iter().all(|r| r.known) {
            self.cfg.insert(k.to_string(), v);
        } else {
            self.deferred.push((k, v));
        }
        for r in rs {
            if let Some(a) = &r.addr {
                self.relevant.push((a.clone(), r.attr));
            }
        }
    }
}

/// A reference to another resource's attribute.
#[derive(Clone, Debug)]
struct Ref {
    val: String,
    known: bool,
    addr: Option<String>,
    attr: &'static str,
}

impl Ref {
    fn known(val: String) -> Ref {
        Ref {
            val,
            known: true,
            addr: None,
            attr: "id",
        }
    }
    fn with(&self, val: String, attr: &'static str) -> Ref {
        Ref {
            val,
            known: self.known,
            addr: self.addr.clone(),
            attr,
        }
    }
}

fn segs(path: &str) -> impl Iterator<Item = Result<usize, &str>> {
    path.split('.').map(|s| s.parse::<usize>().map_err(|_| s))
}

fn set_path(v: &mut Value, path: &str, x: Value) {
    let parts: Vec<_> = segs(path).collect();
    let mut cur = v;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *p {
            Ok(n) => {
                let arr = match cur {
                    Value::Array(a) => a,
                    _ => return,
                };
                if n >= arr.len() {
                    return;
                }
                if last {
                    arr[n] = x;
                    return;
                }
                cur = &mut arr[n];
            }
            Err(k) => {
                if !cur.is_object() {
                    *cur = Value::Object(Map::new());
                }
                let m = cur.as_object_mut().expect("object");
                if last {
                    m.insert(k.to_string(), x);
                    return;
                }
                let next_is_index = parts[i + 1].is_ok();
                cur = m.entry(k.to_string()).or_insert_with(|| {
                    if next_is_index {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(Map::new())
                    }
                });
            }
        }
    }
}

fn get_path<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = v;
    for p in segs(path) {
        cur = match p {
            Ok(n) => cur.get(n)?,
            Err(k) => cur.get(k)?,
        };
    }
    Some(cur)
}

/// Terraform's `unknownAsBool` / `SensitiveAsBool` for fully known values.
fn mask(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(mask).collect()),
        Value::Object(m) => {
            let mut o = Map::new();
            for (k, x) in m {
                let y = mask(x);
                if y != Value::Bool(false) {
                    o.insert(k.clone(), y);
                }
            }
            Value::Object(o)
        }
        _ => Value::Bool(false),
    }
}

fn sens_mask(v: &Value, sens: &[&str]) -> Value {
    let mut m = mask(v);
    for p in sens {
        if get_path(v, p).is_some() {
            set_path(&mut m, p, Value::Bool(true));
        }
    }
    m
}

/// Adds `[]`/`{}` for unknown collections to a sensitivity mask (top level only, like Terraform).
fn sens_unknown(m: &mut Value, unknown: &[(&'static str, Value)]) {
    for (p, v) in unknown {
        if p.contains('.') {
            continue;
        }
        let e = match v {
            Value::Array(_) => json!([]),
            Value::Object(_) => json!({}),
            _ => continue,
        };
        set_path(m, p, e);
    }
}

fn path_json(p: &str) -> Value {
    Value::Array(
        segs(p)
            .map(|s| match s {
                Ok(n) => json!(n),
                Err(k) => json!(k),
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------
// Sinks (views)

trait Sink {
    fn enter(&mut self, addr: &str);
    fn exit(&mut self) -> io::Result<()>;
    fn resource(&mut self, r: &Inst) -> io::Result<()>;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Planned,
    Prior,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ModState {
    Empty,
    Resources,
    Children,
}

/// Writes `planned_values.root_module` or `prior_state.values.root_module`,
/// opening module objects lazily so that module instances without resources
/// in this view are omitted, as Terraform does.
struct TreeSink<'w, W: Write> {
    w: &'w mut W,
    view: View,
    /// Module instances the walk is in (root excluded).
    walk: Vec<String>,
    /// States of opened modules; index 0 is the root.
    opened: Vec<ModState>,
}

impl<'w, W: Write> TreeSink<'w, W> {
    fn new(w: &'w mut W, view: View) -> Self {
        TreeSink {
            w,
            view,
            walk: Vec::new(),
            opened: Vec::new(),
        }
    }

    fn write_address(&mut self, depth: usize) -> io::Result<()> {
        if depth > 0 {
            self.w.write_all(b"\"address\":")?;
            write_str(self.w, &self.walk[depth - 1])?;
        }
        Ok(())
    }

    fn close_top(&mut self) -> io::Result<()> {
        let depth = self.opened.len() - 1;
        match self.opened.pop().expect("open module") {
            ModState::Empty => {
                self.write_address(depth)?;
                self.w.write_all(b"}")
            }
            ModState::Resources => {
                self.w.write_all(b"]")?;
                if depth > 0 {
                    self.w.write_all(b",")?;
                    self.write_address(depth)?;
                }
                self.w.write_all(b"}")
            }
            ModState::Children => self.w.write_all(b"]}"),
        }
    }

    fn finish(mut self) -> io::Result<()> {
        if self.opened.is_empty() {
            return self.w.write_all(b"{}");
        }
        while !self.opened.is_empty() {
            self.close_top()?;
        }
        Ok(())
    }

    fn ensure_open(&mut self) -> io::Result<()> {
        if self.opened.is_empty() {
            self.w.write_all(b"{")?;
            self.opened.push(ModState::Empty);
        }
        while self.opened.len() <= self.walk.len() {
            let depth = self.opened.len() - 1;
            match self.opened[depth] {
                ModState::Empty => {
                    self.write_address(depth)?;
                    if depth > 0 {
                        self.w.write_all(b",")?;
                    }
                    self.w.write_all(b"\"child_modules\":[")?;
                }
                ModState::Resources => {
                    self.w.write_all(b"]")?;
                    if depth > 0 {
                        self.w.write_all(b",")?;
                        self.write_address(depth)?;
                    }
                    self.w.write_all(b",\"child_modules\":[")?;
                }
                ModState::Children => self.w.write_all(b",")?,
            }
            self.opened[depth] = ModState::Children;
            self.w.write_all(b"{")?;
            self.opened.push(ModState::Empty);
        }
        Ok(())
    }
}

impl<W: Write> Sink for TreeSink<'_, W> {
    fn enter(&mut self, addr: &str) {
        self.walk.push(addr.to_string());
    }

    fn exit(&mut self) -> io::Result<()> {
        if self.opened.len() > self.walk.len() {
            self.close_top()?;
        }
        self.walk.pop();
        Ok(())
    }

    fn resource(&mut self, r: &Inst) -> io::Result<()> {
        let (values, sensitive) = match self.view {
            View::Planned if r.action.has_after() => (&r.after, &r.after_sensitive),
            View::Prior if r.action.has_before() => (&r.before, &r.before_sensitive),
            _ => return Ok(()),
        };
        self.ensure_open()?;
        let top = self.opened.len() - 1;
        match self.opened[top] {
            ModState::Empty => self.w.write_all(b"\"resources\":[")?,
            ModState::Resources => self.w.write_all(b",")?,
            ModState::Children => unreachable!("resources after child modules"),
        }
        self.opened[top] = ModState::Resources;
        let w = &mut *self.w;
        w.write_all(b"{\"address\":")?;
        write_str(w, &r.address)?;
        write!(
            w,
            ",\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\"",
            if r.data { "data" } else { "managed" },
            r.ty,
            r.name
        )?;
        write_index(w, r.index)?;
        write!(
            w,
            ",\"provider_name\":\"registry.terraform.io/hashicorp/aws\",\"schema_version\":{},\"values\":",
            r.schema_version
        )?;
        write_value(w, values)?;
        w.write_all(b",\"sensitive_values\":")?;
        write_value(w, sensitive)?;
        w.write_all(b"}")
    }
}

fn write_index<W: Write>(w: &mut W, i: &Index) -> io::Result<()> {
    match i {
        Index::None => Ok(()),
        Index::Int(n) => write!(w, ",\"index\":{n}"),
        Index::Str(s) => {
            w.write_all(b",\"index\":")?;
            write_str(w, s)
        }
    }
}

struct ChangesSink<'w, W: Write> {
    w: &'w mut W,
    first: bool,
    relevant: Vec<(String, &'static str)>,
}

impl<W: Write> Sink for ChangesSink<'_, W> {
    fn enter(&mut self, _addr: &str) {}
    fn exit(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn resource(&mut self, r: &Inst) -> io::Result<()> {
        if r.action == Action::PlanRead {
            return Ok(());
        }
        if !matches!(r.action, Action::NoOp | Action::Create | Action::Delete) {
            for rel in &r.relevant {
                if !self.relevant.contains(rel) {
                    self.relevant.push(rel.clone());
                }
            }
        }
        let w = &mut *self.w;
        if !self.first {
            w.write_all(b",")?;
        }
        self.first = false;
        w.write_all(b"{\"address\":")?;
        write_str(w, &r.address)?;
        if !r.module_address.is_empty() {
            w.write_all(b",\"module_address\":")?;
            write_str(w, r.module_address)?;
        }
        write!(
            w,
            ",\"mode\":\"{}\",\"type\":\"{}\",\"name\":\"{}\"",
            if r.data { "data" } else { "managed" },
            r.ty,
            r.name
        )?;
        write_index(w, r.index)?;
        write!(
            w,
            ",\"provider_name\":\"registry.terraform.io/hashicorp/aws\",\"change\":{{\"actions\":{},\"before\":",
            r.action.json()
        )?;
        write_value(w, &r.before)?;
        w.write_all(b",\"after\":")?;
        write_value(w, &r.after)?;
        w.write_all(b",\"after_unknown\":")?;
        write_value(w, &r.after_unknown)?;
        w.write_all(b",\"before_sensitive\":")?;
        write_value(w, &r.before_sensitive)?;
        w.write_all(b",\"after_sensitive\":")?;
        write_value(w, &r.after_sensitive)?;
        if let Some(rp) = &r.replace_paths {
            w.write_all(b",\"replace_paths\":")?;
            write_value(w, rp)?;
        }
        w.write_all(b"}")?;
        if let Some(reason) = r.action_reason {
            write!(w, ",\"action_reason\":\"{reason}\"")?;
        }
        w.write_all(b"}")
    }
}

// ---------------------------------------------------------------------------
// The walk

const NEW_REGION: f64 = 0.04;
const NEW_TEAM: f64 = 0.10;
const NEW_APP: f64 = 0.30;

const P_SG_OPEN_SSH: f64 = 0.05;
const P_RULE_OPEN_SSH: f64 = 0.05;
const P_PUBLIC_IP: f64 = 0.05;
const P_IMDSV1: f64 = 0.10;
const P_WILDCARD: f64 = 0.05;
const P_ADMIN: f64 = 0.05;
const P_OIDC_NO_COND: f64 = 0.30;
const P_TEAM_OIDC: f64 = 0.50;
const P_S3_NO_SSE: f64 = 0.05;
const P_S3_PUBLIC_ACL: f64 = 0.03;
const P_S3_PAB_OFF: f64 = 0.03;
const P_EBS_UNENC: f64 = 0.05;
const P_RDS_UNENC: f64 = 0.10;
const P_RDS_PUBLIC: f64 = 0.05;
const P_SENSITIVE_TAG: f64 = 0.10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Referenced by much else: never deleted or replaced.
    Structural,
    Leaf,
}

struct Gen<'p, S: Sink> {
    p: &'p Params,
    rng: Rng,
    budget: usize,
    stats: SynthStats,
    sink: &'p mut S,
    err: Option<io::Error>,
    last: Action,
}

struct ModCtx {
    addr: String,
    new: bool,
    region: &'static str,
    azs: Vec<String>,
    tags: Map<String, Value>,
    emitted: bool,
}

impl ModCtx {
    fn child(&self, addr: String, new: bool) -> ModCtx {
        ModCtx {
            addr,
            new,
            region: self.region,
            azs: self.azs.clone(),
            tags: self.tags.clone(),
            emitted: false,
        }
    }
    fn prefix(&self) -> String {
        if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        }
    }
}

/// Runs the deterministic walk, feeding every instance to `sink`.
fn walk<S: Sink>(opts: &SynthOptions, p: &Params, sink: &mut S) -> io::Result<SynthStats> {
    let mut g = Gen {
        p,
        rng: Rng::new(opts.seed),
        budget: opts.resources,
        stats: SynthStats::default(),
        sink,
        err: None,
        last: Action::NoOp,
    };
    g.root();
    if let Some(e) = g.err {
        return Err(e);
    }
    g.stats.resources = opts.resources - g.budget;
    Ok(g.stats)
}

const REGION_KEYS: [(&str, &str); 12] = [
    ("eu", "eu-west-1"),
    ("us", "us-east-1"),
    ("ap", "ap-southeast-1"),
    ("ca", "ca-central-1"),
    ("sa", "sa-east-1"),
    ("de", "eu-central-1"),
    ("jp", "ap-northeast-1"),
    ("uw", "us-west-2"),
    ("uk", "eu-west-2"),
    ("in", "ap-south-1"),
    ("au", "ap-southeast-2"),
    ("se", "eu-north-1"),
];

const TEAMS: [&str; 16] = [
    "payments", "search", "identity", "billing", "checkout", "catalog", "ml", "data", "growth", "infra", "mobile",
    "platform", "risk", "ads", "support", "web",
];

const BUCKETS: [&str; 8] = [
    "logs",
    "artifacts",
    "backups",
    "assets",
    "exports",
    "audit",
    "uploads",
    "reports",
];

const REPOS: [&str; 8] = [
    "api",
    "frontend",
    "infra",
    "data-pipeline",
    "mobile",
    "terraform-modules",
    "docs",
    "ml-platform",
];

impl<S: Sink> Gen<'_, S> {
    fn live(&self) -> bool {
        self.budget > 0 && self.err.is_none()
    }

    fn pick_action(&mut self, m: &ModCtx, kind: Kind) -> Action {
        if m.new {
            return Action::Create;
        }
        let x = self.rng.below(1000);
        match kind {
            Kind::Structural => {
                if x < 880 {
                    Action::NoOp
                } else {
                    Action::Update
                }
            }
            Kind::Leaf => match x {
                0..780 => Action::NoOp,
                780..900 => Action::Update,
                900..945 => Action::DeleteCreate,
                945..960 => Action::CreateDelete,
                _ => Action::Delete,
            },
        }
    }

    fn enter(&mut self, m: &ModCtx) {
        self.sink.enter(&m.addr);
    }

    fn exit(&mut self, m: &ModCtx) {
        if m.emitted {
            self.stats.module_instances += 1;
        }
        if let Err(e) = self.sink.exit() {
            self.err.get_or_insert(e);
        }
    }

    fn tags(&mut self, m: &ModCtx, name: String, b: &mut Built) {
        let mut t = m.tags.clone();
        t.insert("Name".into(), Value::String(name));
        if self.rng.chance(0.5) {
            t.insert(
                "CostCenter".into(),
                Value::String(format!("cc-{}", self.rng.range(1000, 9999))),
            );
        }
        if self.rng.chance(P_SENSITIVE_TAG) {
            t.insert(
                "Owner".into(),
                Value::String(format!("owner-{}@{}.example", self.rng.hex(6), self.p.org)),
            );
            b.sens.push("tags.Owner");
            b.sens.push("tags_all.Owner");
        }
        let mut all = self.p.default_tags();
        for (k, v) in &t {
            all.insert(k.clone(), v.clone());
        }
        b.set("tags", Value::Object(t));
        b.set("tags_all", Value::Object(all));
    }

    /// Emits one instance. `build` gets the chosen action.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        m: &mut ModCtx,
        data: bool,
        ty: &'static str,
        name: &'static str,
        index: Index,
        mut action: Action,
        mut b: Built,
    ) -> Ref {
        let prefix = m.prefix();
        let address = format!(
            "{prefix}{}{ty}.{name}{}",
            if data { "data." } else { "" },
            index.suffix()
        );
        if !b.deferred.is_empty() && matches!(action, Action::NoOp | Action::Update) {
            action = if b.deferred_replaces {
                Action::DeleteCreate
            } else {
                Action::Update
            };
            if b.deferred_replaces {
                b.repl = Some((b.deferred[0].0, b.deferred[0].1.clone()));
            }
        }
        if action == Action::Update && b.upd.is_none() && b.deferred.is_empty() && !b.cfg.contains_key("tags") {
            action = Action::NoOp;
        }
        let counted = action != Action::PlanRead;
        if counted {
            self.budget -= 1;
            let tkey: &'static str = if data { "data.aws_iam_policy_document" } else { ty };
            *self.stats.by_type.entry(tkey).or_default() += 1;
            *self.stats.by_action.entry(action.key()).or_default() += 1;
        } else {
            self.stats.data_read_at_plan += 1;
        }
        if action.has_after() {
            for k in &b.mis {
                *self.stats.misconfigs.entry(k).or_default() += 1;
            }
        }
        m.emitted = true;
        self.last = action;

        debug_assert!(
            b.computed
                .iter()
                .chain(b.deferred.iter())
                .all(|(k, _)| !b.cfg.contains_key(*k)),
            "{ty}: computed attribute also in configuration"
        );
        let id = b.id.clone();
        let mut state = Value::Object(std::mem::take(&mut b.cfg));
        let cfg = state.clone();
        for (k, v) in b.computed.iter().chain(b.deferred.iter()) {
            set_path(&mut state, k, v.clone());
        }
        let mut replace_paths = None;
        let mut action_reason = None;
        let (before, after, after_unknown, before_sensitive, after_sensitive);
        match action {
            Action::NoOp | Action::PlanRead => {
                after_unknown = mask(&state);
                before_sensitive = sens_mask(&state, &b.sens);
                after_sensitive = before_sensitive.clone();
                before = state.clone();
                after = state;
            }
            Action::Update => {
                let mut prior = state.clone();
                match &b.upd {
                    Some((k, old)) => set_path(&mut prior, k, old.clone()),
                    None if b.deferred.is_empty() => {
                        let cc = json!(format!("cc-{}", self.rng.range(1000, 9999)));
                        set_path(&mut prior, "tags.CostCenter", cc.clone());
                        set_path(&mut prior, "tags_all.CostCenter", cc);
                    }
                    None => {}
                }
                let mut a = state;
                for (k, _) in &b.deferred {
                    if let Some(o) = a.as_object_mut() {
                        o.remove(*k);
                    }
                }
                let mut au = mask(&a);
                for (k, _) in &b.deferred {
                    set_path(&mut au, k, Value::Bool(true));
                }
                let mut asens = sens_mask(&a, &b.sens);
                sens_unknown(&mut asens, &b.deferred);
                before_sensitive = sens_mask(&prior, &b.sens);
                before = prior;
                after = a;
                after_unknown = au;
                after_sensitive = asens;
            }
            Action::Create | Action::Read | Action::DeleteCreate | Action::CreateDelete => {
                let mut au = mask(&cfg);
                for (k, _) in b.computed.iter().chain(b.deferred.iter()) {
                    set_path(&mut au, k, Value::Bool(true));
                }
                let mut asens = sens_mask(&cfg, &b.sens);
                sens_unknown(&mut asens, &b.computed);
                sens_unknown(&mut asens, &b.deferred);
                if action.replace() {
                    let mut prior = state;
                    match &b.repl {
                        Some((k, old)) => {
                            set_path(&mut prior, k, old.clone());
                            replace_paths = Some(Value::Array(vec![path_json(k)]));
                            action_reason = Some("replace_because_cannot_update");
                        }
                        None => action_reason = Some("replace_because_tainted"),
                    }
                    before_sensitive = sens_mask(&prior, &b.sens);
                    before = prior;
                } else {
                    before = Value::Null;
                    before_sensitive = Value::Bool(false);
                }
                if action == Action::Read {
                    action_reason = Some(if self.rng.chance(0.5) {
                        "read_because_dependency_pending"
                    } else {
                        "read_because_config_unknown"
                    });
                }
                after = cfg;
                after_unknown = au;
                after_sensitive = asens;
            }
            Action::Delete => {
                before_sensitive = sens_mask(&state, &b.sens);
                before = state;
                after = Value::Null;
                after_unknown = json!({});
                after_sensitive = Value::Bool(false);
                action_reason = match index {
                    Index::None => None,
                    Index::Int(_) => Some("delete_because_count_index"),
                    Index::Str(_) => Some("delete_because_each_key"),
                };
            }
        }
        let inst = Inst {
            address: address.clone(),
            module_address: &m.addr,
            data,
            ty,
            name,
            index: &index,
            schema_version: schema_version(ty),
            action,
            before,
            after,
            after_unknown,
            before_sensitive,
            after_sensitive,
            replace_paths,
            action_reason,
            relevant: b.relevant,
        };
        if let Err(e) = self.sink.resource(&inst) {
            self.err.get_or_insert(e);
        }
        Ref {
            val: id,
            known: action.id_known(),
            addr: Some(address),
            attr: "id",
        }
    }

    // -- modules ------------------------------------------------------------

    fn root(&mut self) {
        let mut m = ModCtx {
            addr: String::new(),
            new: false,
            region: "us-east-1",
            azs: vec!["us-east-1a".into(), "us-east-1b".into()],
            tags: {
                let mut t = Map::new();
                t.insert("Environment".into(), self.p.env.into());
                t
            },
            emitted: false,
        };
        let nrepos = self.rng.range(3, REPOS.len() as u64) as usize;
        let mut roles = Vec::new();
        for repo in REPOS.iter().take(nrepos) {
            if !self.live() {
                return;
            }
            // data.aws_iam_policy_document.github_trust[repo]
            let no_cond = self.rng.chance(P_OIDC_NO_COND);
            let idx = Index::Str(repo.to_string());
            let provider = format!(
                "arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com",
                self.p.account
            );
            let sub = format!("repo:{}/{}:ref:refs/heads/main", self.p.org, repo);
            let (doc, policy) = self.policy_document(&provider, "token.actions.githubusercontent.com", &sub, no_cond);
            let deferred = self.rng.chance(0.3);
            let action = if deferred { Action::Read } else { Action::PlanRead };
            let b = self.data_policy_doc(doc, &policy, action);
            self.emit(
                &mut m,
                true,
                "aws_iam_policy_document",
                "github_trust",
                idx.clone(),
                action,
                b,
            );
            if !self.live() {
                return;
            }
            let action = self.pick_action(&m, Kind::Structural);
            let mut policy_ref = Ref::known(policy);
            if deferred {
                policy_ref.known = false;
            }
            policy_ref.addr = Some(format!("data.aws_iam_policy_document.github_trust[\"{repo}\"]"));
            policy_ref.attr = "json";
            let b = self.iam_role(
                &m,
                format!("{}-{}-gh-{}", self.p.org, self.p.env, repo),
                &policy_ref,
                no_cond,
                true,
            );
            let r = self.emit(&mut m, false, "aws_iam_role", "github", idx.clone(), action, b);
            roles.push((repo, r));
        }
        for (repo, role) in roles.clone() {
            if !self.live() {
                return;
            }
            let idx = Index::Str(repo.to_string());
            let action = self.pick_action(&m, Kind::Structural);
            let b = self.iam_policy(&m, format!("{}-gh-{}-deploy", self.p.env, repo));
            let pol = self.emit(&mut m, false, "aws_iam_policy", "deploy", idx.clone(), action, b);
            if !self.live() {
                return;
            }
            let action = self.pick_action(&m, Kind::Leaf);
            let name = role.with(format!("{}-{}-gh-{}", self.p.org, self.p.env, repo), "name");
            let arn = pol.with(
                format!(
                    "arn:aws:iam::{}:policy/{}-gh-{}-deploy",
                    self.p.account, self.p.env, repo
                ),
                "arn",
            );
            let b = self.attachment(&name, Some(&arn));
            self.emit(
                &mut m,
                false,
                "aws_iam_role_policy_attachment",
                "deploy",
                idx,
                action,
                b,
            );
        }
        let mut i = 0usize;
        while self.live() {
            let (base, aws_region) = REGION_KEYS[i % REGION_KEYS.len()];
            let key = if i < REGION_KEYS.len() {
                base.to_string()
            } else {
                format!("{base}-{}", i / REGION_KEYS.len())
            };
            let new = self.rng.chance(NEW_REGION);
            let mut tags = m.tags.clone();
            tags.insert("Region".into(), Value::String(key.clone()));
            let mut rm = ModCtx {
                addr: format!("module.region[\"{key}\"]"),
                new,
                region: aws_region,
                azs: ["a", "b", "c"].iter().map(|z| format!("{aws_region}{z}")).collect(),
                tags,
                emitted: false,
            };
            self.enter(&rm);
            self.region(&mut rm, &key, i);
            self.exit(&rm);
            i += 1;
        }
        if m.emitted {
            self.stats.module_instances += 1;
        }
    }

    fn region(&mut self, rm: &mut ModCtx, key: &str, i: usize) {
        // module.network
        let mut nm = rm.child(format!("{}.module.network", rm.addr), rm.new);
        self.enter(&nm);
        let net = self.network(&mut nm, key, i);
        self.exit(&nm);
        let Some(net) = net else { return };
        // module.storage
        let mut sm = rm.child(format!("{}.module.storage", rm.addr), rm.new);
        self.enter(&sm);
        let log_bucket = self.storage(&mut sm, key, 3, 6);
        self.exit(&sm);
        let log_bucket = log_bucket.unwrap_or_else(|| Ref::known(String::new()));
        // module.team[...]
        let nteams = self.rng.range(2, 7) as usize;
        let start = self.rng.below(TEAMS.len() as u64) as usize;
        let mut teams: Vec<&str> = (0..nteams).map(|k| TEAMS[(start + k * 3) % TEAMS.len()]).collect();
        teams.sort_unstable();
        teams.dedup();
        for t in teams {
            if !self.live() {
                return;
            }
            let new = rm.new || self.rng.chance(NEW_TEAM);
            let mut tm = rm.child(format!("{}.module.team[\"{t}\"]", rm.addr), new);
            tm.tags.insert("Team".into(), t.into());
            self.enter(&tm);
            self.team(&mut tm, key, t, &net, &log_bucket);
            self.exit(&tm);
        }
    }

    fn network(&mut self, m: &mut ModCtx, key: &str, i: usize) -> Option<Net> {
        if !self.live() {
            return None;
        }
        let cidr = format!("10.{}.0.0/16", i % 256);
        let a = self.pick_action(m, Kind::Structural);
        let b = self.vpc(m, key, &cidr);
        let vpc = self.emit(m, false, "aws_vpc", "main", Index::None, a, b);
        let nazs = self.rng.range(2, 3) as usize;
        let mut public = Vec::new();
        let mut private = Vec::new();
        for (kind, list, off) in [("public", &mut public, 0usize), ("private", &mut private, 100)] {
            for z in 0..nazs {
                if !self.live() {
                    return None;
                }
                let a = self.pick_action(m, Kind::Structural);
                let b = self.subnet(m, &vpc, key, kind, &format!("10.{}.{}.0/24", i % 256, off + z), z);
                let name = if kind == "public" { "public" } else { "private" };
                let r = self.emit(m, false, "aws_subnet", name, Index::Int(z), a, b);
                list.push(r);
            }
        }
        let mut eips = Vec::new();
        for z in 0..nazs {
            if !self.live() {
                return None;
            }
            let a = self.pick_action(m, Kind::Structural);
            let b = self.eip(m, key, z);
            let r = self.emit(m, false, "aws_eip", "nat", Index::Int(z), a, b);
            eips.push(r);
        }
        for z in 0..nazs {
            if !self.live() {
                return None;
            }
            let a = self.pick_action(m, Kind::Structural);
            let b = self.nat(m, key, &eips[z], &public[z]);
            self.emit(m, false, "aws_nat_gateway", "this", Index::Int(z), a, b);
        }
        if !self.live() {
            return None;
        }
        let a = self.pick_action(m, Kind::Structural);
        let b = self.security_group(m, &vpc, format!("{key}-bastion"), "Bastion access", SgKind::Bastion);
        self.emit(m, false, "aws_security_group", "bastion", Index::None, a, b);
        Some(Net { vpc, public, private })
    }

    fn storage(&mut self, m: &mut ModCtx, key: &str, min: u64, max: u64) -> Option<Ref> {
        let n = self.rng.range(min, max) as usize;
        let start = self.rng.below(BUCKETS.len() as u64) as usize;
        let mut keys: Vec<&str> = (0..n).map(|k| BUCKETS[(start + k) % BUCKETS.len()]).collect();
        keys.sort_unstable();
        let mut first = None;
        for bk in keys {
            if !self.live() {
                break;
            }
            let idx = Index::Str(bk.to_string());
            let bucket_name = format!("{}-{}-{}-{}-{}", self.p.org, self.p.env, key, bk, self.rng.hex(6));
            let group = self.pick_action(m, Kind::Structural);
            let group = if group == Action::NoOp && !m.new && self.rng.chance(0.02) {
                Action::Delete
            } else {
                group
            };
            let sse = !self.rng.chance(P_S3_NO_SSE);
            let b = self.s3_bucket(m, &bucket_name, sse);
            let mut bucket = self.emit(m, false, "aws_s3_bucket", "this", idx.clone(), group, b);
            bucket.val = bucket_name.clone();
            bucket.attr = "id";
            if first.is_none() {
                first = Some(bucket.clone());
            }
            let member = |g: &mut Self, m: &ModCtx| match group {
                Action::Create | Action::Delete => group,
                _ => g.pick_action(m, Kind::Structural),
            };
            let mut has_sse = false;
            if sse && self.live() {
                let a = member(self, m);
                let b = self.s3_sse(&bucket);
                self.emit(
                    m,
                    false,
                    "aws_s3_bucket_server_side_encryption_configuration",
                    "this",
                    idx.clone(),
                    a,
                    b,
                );
                has_sse = a != Action::Delete;
            }
            if group != Action::Delete && !has_sse {
                *self.stats.misconfigs.entry(mc::S3_UNENCRYPTED).or_default() += 1;
            }
            if !self.live() {
                break;
            }
            let a = member(self, m);
            let b = self.s3_versioning(&bucket);
            self.emit(m, false, "aws_s3_bucket_versioning", "this", idx.clone(), a, b);
            if !self.live() {
                break;
            }
            let a = member(self, m);
            let b = self.s3_pab(&bucket);
            self.emit(m, false, "aws_s3_bucket_public_access_block", "this", idx.clone(), a, b);
            if !self.live() {
                break;
            }
            let a = member(self, m);
            let b = self.s3_acl(&bucket);
            self.emit(m, false, "aws_s3_bucket_acl", "this", idx, a, b);
        }
        first
    }

    fn team(&mut self, m: &mut ModCtx, key: &str, team: &str, net: &Net, log_bucket: &Ref) {
        if !self.live() {
            return;
        }
        let oidc = self.rng.chance(P_TEAM_OIDC);
        let no_cond = oidc && self.rng.chance(P_OIDC_NO_COND);
        let (doc, policy) = if oidc {
            let provider = format!(
                "arn:aws:iam::{}:oidc-provider/oidc.eks.{}.amazonaws.com/id/{}",
                self.p.account,
                m.region,
                self.rng.hex(32).to_uppercase()
            );
            let host = provider.split_once('/').map(|x| x.1.to_string()).unwrap_or_default();
            let sub = format!("system:serviceaccount:{team}:{team}-app");
            self.policy_document(&provider, &host, &sub, no_cond)
        } else {
            self.ec2_trust_document()
        };
        let action = if m.new { Action::Read } else { Action::PlanRead };
        let b = self.data_policy_doc(doc, &policy, action);
        let doc_ref = self.emit(m, true, "aws_iam_policy_document", "assume", Index::None, action, b);
        if !self.live() {
            return;
        }
        let role_name = format!("{}-{key}-{team}", self.p.env);
        let a = self.pick_action(m, Kind::Structural);
        let policy_ref = Ref {
            val: policy,
            known: doc_ref.known,
            addr: doc_ref.addr.clone(),
            attr: "json",
        };
        let b = self.iam_role(m, role_name.clone(), &policy_ref, no_cond, oidc);
        let role = self.emit(m, false, "aws_iam_role", "this", Index::None, a, b);
        let role_name_ref = role.with(role_name.clone(), "name");
        if !self.live() {
            return;
        }
        let a = self.pick_action(m, Kind::Structural);
        let b = self.iam_policy(m, format!("{role_name}-access"));
        let pol = self.emit(m, false, "aws_iam_policy", "this", Index::None, a, b);
        let arns = [
            "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ];
        let nattach = self.rng.range(1, 3) as usize;
        for (k, arn) in arns.iter().take(nattach).enumerate() {
            if !self.live() {
                return;
            }
            let a = self.pick_action(m, Kind::Leaf);
            let (key, b) = if k == 0 {
                let r = pol.with(
                    format!("arn:aws:iam::{}:policy/{role_name}-access", self.p.account),
                    "arn",
                );
                ("custom".to_string(), self.attachment(&role_name_ref, Some(&r)))
            } else {
                let mut b = self.attachment(&role_name_ref, None);
                if !b.mis.contains(&mc::IAM_ADMIN_ATTACHMENT) {
                    b.set("policy_arn", json!(arn));
                }
                let short = arn.rsplit('/').next().unwrap_or(arn).to_string();
                (short, b)
            };
            self.emit(
                m,
                false,
                "aws_iam_role_policy_attachment",
                "managed",
                Index::Str(key),
                a,
                b,
            );
        }
        if !self.live() {
            return;
        }
        let mut sm = m.child(format!("{}.module.storage", m.addr), m.new);
        self.enter(&sm);
        self.storage(&mut sm, &format!("{key}-{team}"), 1, 4);
        self.exit(&sm);
        let napps = self.rng.range(1, 5) as usize;
        for k in 0..napps {
            if !self.live() {
                return;
            }
            let new = m.new || self.rng.chance(NEW_APP);
            let mut am = m.child(format!("{}.module.app[{k}]", m.addr), new);
            am.tags.insert("App".into(), json!(format!("{team}-{k}")));
            self.enter(&am);
            self.app(&mut am, &format!("{key}-{team}-{k}"), net, &role_name_ref, log_bucket);
            self.exit(&am);
        }
    }

    fn app(&mut self, m: &mut ModCtx, name: &str, net: &Net, role: &Ref, log_bucket: &Ref) {
        macro_rules! live {
            () => {
                if !self.live() {
                    return;
                }
            };
        }
        live!();
        let a = self.pick_action(m, Kind::Structural);
        let b = self.security_group(m, &net.vpc, format!("{name}-app"), "Application instances", SgKind::App);
        let sg = self.emit(m, false, "aws_security_group", "app", Index::None, a, b);
        live!();
        let a = self.pick_action(m, Kind::Structural);
        let b = self.security_group(m, &net.vpc, format!("{name}-lb"), "Load balancer", SgKind::Lb);
        let lb_sg = self.emit(m, false, "aws_security_group", "lb", Index::None, a, b);
        let rules = [
            "app_from_lb",
            "egress_dns",
            "health",
            "egress_https",
            "metrics",
            "egress_db",
            "ssh_admin",
            "vpn",
            "nfs",
        ];
        let nrules = self.rng.range(3, 8) as usize;
        for rk in rules.iter().take(nrules) {
            live!();
            let a = self.pick_action(m, Kind::Leaf);
            let b = self.sg_rule(&sg, &lb_sg, rk);
            self.emit(
                m,
                false,
                "aws_security_group_rule",
                "extra",
                Index::Str(rk.to_string()),
                a,
                b,
            );
        }
        live!();
        let a = self.pick_action(m, Kind::Structural);
        let b = self.lb(m, name, &lb_sg, &net.public, log_bucket);
        let lb = self.emit(m, false, "aws_lb", "this", Index::None, a, b);
        for proto in ["http", "https"] {
            live!();
            let a = self.pick_action(m, Kind::Leaf);
            let b = self.listener(m, &lb, proto);
            self.emit(m, false, "aws_lb_listener", "this", Index::Str(proto.into()), a, b);
        }
        let ninst = self.rng.range(1, 3) as usize;
        let itype = *self.rng.pick(&[
            "t3.micro",
            "t3.small",
            "t3.medium",
            "m6i.large",
            "c6i.xlarge",
            "r6g.large",
        ]);
        let ami = format!("ami-0{}", self.rng.hex(16));
        for k in 0..ninst {
            live!();
            let a = self.pick_action(m, Kind::Leaf);
            let subnet = &net.private[k % net.private.len()];
            let az = m.azs[k % net.private.len()].clone();
            let b = self.instance(m, &format!("{name}-{k}"), &ami, itype, subnet, &sg, &az);
            let inst = self.emit(m, false, "aws_instance", "web", Index::Int(k), a, b);
            let inst_action = self.last;
            live!();
            let a = if inst_action == Action::Delete {
                Action::Delete
            } else {
                self.pick_action(m, Kind::Leaf)
            };
            let a = if a == Action::Delete && inst_action != Action::Delete {
                Action::NoOp
            } else {
                a
            };
            let az_ref = inst.with(az, "availability_zone");
            let b = self.ebs(m, &format!("{name}-{k}-data"), &az_ref);
            self.emit(m, false, "aws_ebs_volume", "data", Index::Int(k), a, b);
        }
        if self.rng.chance(0.5) {
            live!();
            let a = self.pick_action(m, Kind::Structural);
            let b = self.launch_template(m, name, &ami, itype, &sg);
            let lt = self.emit(m, false, "aws_launch_template", "this", Index::Int(0), a, b);
            live!();
            let a = self.pick_action(m, Kind::Leaf);
            let b = self.asg(m, name, &lt, &net.private);
            self.emit(m, false, "aws_autoscaling_group", "this", Index::Int(0), a, b);
        }
        live!();
        let a = self.pick_action(m, Kind::Leaf);
        let b = self.role_policy(name, role);
        self.emit(m, false, "aws_iam_role_policy", "app", Index::None, a, b);
        if self.rng.chance(0.2) {
            live!();
            let a = self.pick_action(m, Kind::Leaf);
            let a = if a == Action::Delete { Action::NoOp } else { a };
            let b = self.db(m, name, &sg);
            self.emit(m, false, "aws_db_instance", "this", Index::Int(0), a, b);
        }
    }
}

struct Net {
    vpc: Ref,
    public: Vec<Ref>,
    private: Vec<Ref>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SgKind {
    App,
    Lb,
    Bastion,
}

fn schema_version(ty: &str) -> u32 {
    match ty {
        "aws_instance" | "aws_vpc" | "aws_security_group" => 1,
        "aws_db_instance" => 2,
        "aws_security_group_rule" => 2,
        _ => 0,
    }
}

// ---------------------------------------------------------------------------
// Type builders

fn sg_rule_obj(cidrs: &[&str], v6: &[&str], from: u64, to: u64, proto: &str, desc: &str) -> Value {
    json!({
        "cidr_blocks": cidrs,
        "description": desc,
        "from_port": from,
        "ipv6_cidr_blocks": v6,
        "prefix_list_ids": [],
        "protocol": proto,
        "security_groups": [],
        "self": false,
        "to_port": to,
    })
}

impl<S: Sink> Gen<'_, S> {
    fn vpc(&mut self, m: &ModCtx, key: &str, cidr: &str) -> Built {
        let mut b = Built {
            id: format!("vpc-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        for (k, v) in [
            ("assign_generated_ipv6_cidr_block", json!(false)),
            ("cidr_block", json!(cidr)),
            ("enable_dns_hostnames", json!(true)),
            ("enable_dns_support", json!(true)),
            ("enable_network_address_usage_metrics", json!(false)),
            ("instance_tenancy", json!("default")),
            ("ipv4_ipam_pool_id", Value::Null),
            ("ipv4_netmask_length", Value::Null),
            ("ipv6_ipam_pool_id", Value::Null),
            ("ipv6_netmask_length", Value::Null),
        ] {
            b.set(k, v);
        }
        self.tags(m, format!("{}-{key}-vpc", self.p.env), &mut b);
        let id = b.id.clone();
        b.arn = arn(self.p, "ec2", m.region, &format!("vpc/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("default_network_acl_id", json!(format!("acl-0{}", self.rng.hex(16))));
        b.comp("default_route_table_id", json!(format!("rtb-0{}", self.rng.hex(16))));
        b.comp("default_security_group_id", json!(format!("sg-0{}", self.rng.hex(16))));
        b.comp("dhcp_options_id", json!(format!("dopt-0{}", self.rng.hex(16))));
        b.comp("id", json!(id));
        b.comp("ipv6_association_id", json!(""));
        b.comp("ipv6_cidr_block", json!(""));
        b.comp("ipv6_cidr_block_network_border_group", json!(""));
        b.comp("main_route_table_id", json!(format!("rtb-0{}", self.rng.hex(16))));
        b.comp("owner_id", json!(self.p.account));
        b.repl = Some(("cidr_block", json!(format!("10.{}.0.0/16", self.rng.below(256)))));
        if self.rng.chance(0.3) {
            b.upd = Some(("enable_dns_hostnames", json!(false)));
        }
        b
    }

    fn subnet(&mut self, m: &ModCtx, vpc: &Ref, key: &str, kind: &str, cidr: &str, z: usize) -> Built {
        let mut b = Built {
            id: format!("subnet-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        let az = m.azs[z % m.azs.len()].clone();
        for (k, v) in [
            ("assign_ipv6_address_on_creation", json!(false)),
            ("availability_zone", json!(az)),
            ("cidr_block", json!(cidr)),
            ("customer_owned_ipv4_pool", Value::Null),
            ("enable_dns64", json!(false)),
            ("enable_lni_at_device_index", Value::Null),
            ("enable_resource_name_dns_a_record_on_launch", json!(false)),
            ("enable_resource_name_dns_aaaa_record_on_launch", json!(false)),
            ("ipv6_cidr_block", Value::Null),
            ("ipv6_native", json!(false)),
            ("map_customer_owned_ip_on_launch", Value::Null),
            ("map_public_ip_on_launch", json!(kind == "public")),
            ("outpost_arn", Value::Null),
            ("timeouts", Value::Null),
        ] {
            b.set(k, v);
        }
        b.refr("vpc_id", vpc);
        self.tags(
            m,
            format!("{}-{key}-{kind}-{}", self.p.env, &az[az.len() - 1..]),
            &mut b,
        );
        let id = b.id.clone();
        b.arn = arn(self.p, "ec2", m.region, &format!("subnet/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("availability_zone_id", json!(format!("use1-az{}", z + 1)));
        b.comp("id", json!(id));
        b.comp("ipv6_cidr_block_association_id", json!(""));
        b.comp("owner_id", json!(self.p.account));
        b.comp("private_dns_hostname_type_on_launch", json!("ip-name"));
        b.repl = Some(("cidr_block", json!(format!("10.{}.{}.0/24", self.rng.below(256), z))));
        b
    }

    fn eip(&mut self, m: &ModCtx, key: &str, z: usize) -> Built {
        let mut b = Built {
            id: format!("eipalloc-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        for (k, v) in [
            ("address", Value::Null),
            ("associate_with_private_ip", Value::Null),
            ("customer_owned_ipv4_pool", Value::Null),
            ("domain", json!("vpc")),
            ("timeouts", Value::Null),
        ] {
            b.set(k, v);
        }
        self.tags(m, format!("{}-{key}-nat-{z}", self.p.env), &mut b);
        let id = b.id.clone();
        let ip = format!(
            "{}.{}.{}.{}",
            self.rng.range(3, 54),
            self.rng.below(256),
            self.rng.below(256),
            self.rng.range(1, 254)
        );
        b.arn = arn(self.p, "ec2", m.region, &format!("elastic-ip/{id}"));
        b.comp("allocation_id", json!(id));
        b.comp("arn", json!(b.arn));
        b.comp("association_id", json!(""));
        b.comp("carrier_ip", json!(""));
        b.comp("customer_owned_ip", json!(""));
        b.comp("id", json!(id));
        b.comp("instance", json!(""));
        b.comp("network_border_group", json!(m.region));
        b.comp("network_interface", json!(""));
        b.comp("private_dns", Value::Null);
        b.comp("private_ip", json!(""));
        b.comp("ptr_record", json!(""));
        b.comp("public_dns", json!(public_dns(&ip, m.region)));
        b.comp("public_ip", json!(ip));
        b.comp("public_ipv4_pool", json!("amazon"));
        b.comp("vpc", json!(true));
        b
    }

    fn nat(&mut self, m: &ModCtx, key: &str, eip: &Ref, subnet: &Ref) -> Built {
        let mut b = Built {
            id: format!("nat-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        b.refr("allocation_id", eip);
        b.set("connectivity_type", json!("public"));
        b.refr("subnet_id", subnet);
        b.set("timeouts", Value::Null);
        self.tags(m, format!("{}-{key}-nat", self.p.env), &mut b);
        b.comp("association_id", json!(format!("eipassoc-0{}", self.rng.hex(16))));
        b.comp("id", json!(b.id));
        b.comp("network_interface_id", json!(format!("eni-0{}", self.rng.hex(16))));
        b.comp(
            "private_ip",
            json!(format!("10.0.{}.{}", self.rng.below(4), self.rng.range(4, 250))),
        );
        b.comp(
            "public_ip",
            json!(format!(
                "52.{}.{}.{}",
                self.rng.below(256),
                self.rng.below(256),
                self.rng.range(1, 254)
            )),
        );
        b.comp("secondary_allocation_ids", json!([]));
        b.comp("secondary_private_ip_address_count", json!(0));
        b.comp("secondary_private_ip_addresses", json!([]));
        b.deferred_replaces = true;
        b
    }

    fn security_group(&mut self, m: &ModCtx, vpc: &Ref, name: String, desc: &str, kind: SgKind) -> Built {
        let mut b = Built {
            id: format!("sg-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        let mut ingress = Vec::new();
        match kind {
            SgKind::App => {
                ingress.push(sg_rule_obj(&["10.0.0.0/8"], &[], 8080, 8080, "tcp", "app"));
            }
            SgKind::Lb => {
                ingress.push(sg_rule_obj(&["0.0.0.0/0"], &["::/0"], 443, 443, "tcp", "https"));
                ingress.push(sg_rule_obj(&["0.0.0.0/0"], &["::/0"], 80, 80, "tcp", "http"));
            }
            SgKind::Bastion => {
                ingress.push(sg_rule_obj(
                    &["10.0.0.0/8", "192.168.0.0/16"],
                    &[],
                    22,
                    22,
                    "tcp",
                    "ssh from corp",
                ));
            }
        }
        if self.rng.chance(P_SG_OPEN_SSH) {
            ingress.push(sg_rule_obj(&["0.0.0.0/0"], &[], 22, 22, "tcp", "ssh"));
            b.mis.push(mc::SG_OPEN_SSH);
        }
        let egress = vec![sg_rule_obj(&["0.0.0.0/0"], &["::/0"], 0, 0, "-1", "")];
        b.set("description", json!(desc));
        b.set("egress", Value::Array(egress));
        b.set("ingress", Value::Array(ingress.clone()));
        b.set("name", json!(name));
        b.set("revoke_rules_on_delete", json!(false));
        b.set("timeouts", Value::Null);
        b.refr("vpc_id", vpc);
        self.tags(m, name, &mut b);
        let id = b.id.clone();
        b.arn = arn(self.p, "ec2", m.region, &format!("security-group/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("id", json!(id));
        b.comp("name_prefix", json!(""));
        b.comp("owner_id", json!(self.p.account));
        if self.rng.chance(0.5) {
            let mut old = ingress;
            old.truncate(1);
            if let Some(Value::Object(o)) = old.get_mut(0) {
                o.insert("description".into(), json!(""));
            }
            b.upd = Some(("ingress", Value::Array(old)));
        }
        b.repl = Some(("vpc_id", json!(format!("vpc-0{}", self.rng.hex(16)))));
        b.deferred_replaces = true;
        b
    }

    fn sg_rule(&mut self, sg: &Ref, src: &Ref, key: &str) -> Built {
        let mut b = Built {
            id: format!("sgrule-{}", self.rng.range(1_000_000_000, 4_000_000_000)),
            ..Built::default()
        };
        let egress = key.starts_with("egress_");
        let open = !egress && self.rng.chance(P_RULE_OPEN_SSH);
        let (from, to, cidrs, v6): (u64, u64, Value, Value) = if open {
            b.mis.push(mc::SG_RULE_OPEN_SSH);
            (
                22,
                22,
                json!(["0.0.0.0/0"]),
                if self.rng.chance(0.5) {
                    json!(["::/0"])
                } else {
                    Value::Null
                },
            )
        } else {
            match key {
                "health" => (8081, 8081, json!(["10.0.0.0/8"]), Value::Null),
                "metrics" => (9100, 9100, json!(["10.0.0.0/8"]), Value::Null),
                "ssh_admin" => (22, 22, json!(["10.10.0.0/16"]), Value::Null),
                "vpn" => (443, 443, json!(["172.16.0.0/12"]), Value::Null),
                "nfs" => (2049, 2049, json!(["10.0.0.0/8"]), Value::Null),
                "egress_dns" => (53, 53, json!(["0.0.0.0/0"]), Value::Null),
                "egress_https" => (443, 443, json!(["0.0.0.0/0"]), json!(["::/0"])),
                "egress_db" => (5432, 5432, json!(["10.0.0.0/8"]), Value::Null),
                _ => (8080, 8080, Value::Null, Value::Null),
            }
        };
        let from_sg = !open && key == "app_from_lb";
        b.set("cidr_blocks", cidrs);
        b.set("description", json!(format!("{key} rule")));
        b.set("from_port", json!(from));
        b.set("ipv6_cidr_blocks", v6);
        b.set("prefix_list_ids", Value::Null);
        b.set("protocol", json!(if key == "egress_dns" { "udp" } else { "tcp" }));
        b.refr("security_group_id", sg);
        b.set("self", json!(false));
        b.set("timeouts", Value::Null);
        b.set("to_port", json!(to));
        b.set("type", json!(if egress { "egress" } else { "ingress" }));
        if from_sg {
            b.refr("source_security_group_id", src);
        } else {
            b.comp("source_security_group_id", Value::Null);
        }
        b.comp("id", json!(b.id));
        b.comp("security_group_rule_id", json!(format!("sgr-0{}", self.rng.hex(16))));
        b.repl = Some(("from_port", json!(from + 1)));
        b.deferred_replaces = true;
        b
    }

    #[allow(clippy::too_many_arguments)]
    fn instance(&mut self, m: &ModCtx, name: &str, ami: &str, itype: &str, subnet: &Ref, sg: &Ref, az: &str) -> Built {
        let mut b = Built {
            id: format!("i-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        let public = self.rng.chance(P_PUBLIC_IP);
        let imdsv1 = self.rng.chance(P_IMDSV1);
        if public {
            b.mis.push(mc::INSTANCE_PUBLIC_IP);
        }
        if imdsv1 {
            b.mis.push(mc::INSTANCE_IMDSV1);
        }
        let size = *self.rng.pick(&[8u64, 20, 30, 50, 100]);
        b.set("ami", json!(ami));
        b.set("associate_public_ip_address", json!(public));
        b.set("credit_specification", json!([]));
        b.set("get_password_data", json!(false));
        b.set("hibernation", Value::Null);
        b.set("iam_instance_profile", json!(format!("{name}-profile")));
        b.set("instance_type", json!(itype));
        b.set("launch_template", json!([]));
        b.set(
            "metadata_options",
            json!([{
                "http_endpoint": "enabled",
                "http_protocol_ipv6": "disabled",
                "http_put_response_hop_limit": if imdsv1 { 1 } else { 2 },
                "http_tokens": if imdsv1 { "optional" } else { "required" },
                "instance_metadata_tags": "disabled",
            }]),
        );
        b.set("monitoring", json!(self.rng.chance(0.6)));
        b.set(
            "root_block_device",
            json!([{
                "delete_on_termination": true,
                "encrypted": true,
                "tags": null,
                "volume_size": size,
                "volume_type": "gp3",
            }]),
        );
        b.set("source_dest_check", json!(true));
        b.refr("subnet_id", subnet);
        b.set("timeouts", Value::Null);
        b.set("user_data", json!(self.rng.hex(40)));
        b.set("user_data_base64", Value::Null);
        b.set("user_data_replace_on_change", json!(false));
        b.set("volume_tags", Value::Null);
        b.refs("vpc_security_group_ids", std::slice::from_ref(sg));
        self.tags(m, name.to_string(), &mut b);
        let id = b.id.clone();
        let ip = format!(
            "10.{}.{}.{}",
            self.rng.below(256),
            self.rng.below(256),
            self.rng.range(4, 250)
        );
        b.arn = arn(self.p, "ec2", m.region, &format!("instance/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("availability_zone", json!(az));
        b.comp(
            "capacity_reservation_specification",
            json!([{"capacity_reservation_preference": "open", "capacity_reservation_target": []}]),
        );
        b.comp("cpu_core_count", json!(1));
        b.comp(
            "cpu_options",
            json!([{"amd_sev_snp": "", "core_count": 1, "threads_per_core": 2}]),
        );
        b.comp("cpu_threads_per_core", json!(2));
        b.comp("disable_api_stop", json!(false));
        b.comp("disable_api_termination", json!(false));
        b.comp("ebs_block_device", json!([]));
        b.comp("ebs_optimized", json!(false));
        b.comp("enclave_options", json!([{"enabled": false}]));
        b.comp("ephemeral_block_device", json!([]));
        b.comp("host_id", json!(""));
        b.comp("host_resource_group_arn", Value::Null);
        b.comp("id", json!(id));
        b.comp("instance_initiated_shutdown_behavior", json!("stop"));
        b.comp("instance_lifecycle", json!(""));
        b.comp("instance_market_options", json!([]));
        b.comp("instance_state", json!("running"));
        b.comp("ipv6_address_count", json!(0));
        b.comp("ipv6_addresses", json!([]));
        b.comp("key_name", json!(""));
        b.comp("maintenance_options", json!([{"auto_recovery": "default"}]));
        b.comp("network_interface", json!([]));
        b.comp("outpost_arn", json!(""));
        b.comp("password_data", json!(""));
        b.comp("placement_group", json!(""));
        b.comp("placement_partition_number", json!(0));
        b.comp(
            "primary_network_interface_id",
            json!(format!("eni-0{}", self.rng.hex(16))),
        );
        b.comp(
            "private_dns",
            json!(if m.region == "us-east-1" {
                format!("ip-{}.ec2.internal", ip.replace('.', "-"))
            } else {
                format!("ip-{}.{}.compute.internal", ip.replace('.', "-"), m.region)
            }),
        );
        b.comp(
            "private_dns_name_options",
            json!([{"enable_resource_name_dns_a_record": false, "enable_resource_name_dns_aaaa_record": false, "hostname_type": "ip-name"}]),
        );
        b.comp("private_ip", json!(ip));
        if public {
            let pip = format!(
                "54.{}.{}.{}",
                self.rng.below(256),
                self.rng.below(256),
                self.rng.range(1, 254)
            );
            b.comp("public_dns", json!(public_dns(&pip, m.region)));
            b.comp("public_ip", json!(pip));
        } else {
            b.comp("public_dns", json!(""));
            b.comp("public_ip", json!(""));
        }
        b.comp("root_block_device.0.device_name", json!("/dev/xvda"));
        b.comp("root_block_device.0.iops", json!(3000));
        b.comp(
            "root_block_device.0.kms_key_id",
            json!(arn(self.p, "kms", m.region, &format!("key/{}", self.rng.hex(32)))),
        );
        b.comp("root_block_device.0.tags_all", json!({}));
        b.comp("root_block_device.0.throughput", json!(125));
        b.comp(
            "root_block_device.0.volume_id",
            json!(format!("vol-0{}", self.rng.hex(16))),
        );
        b.comp("secondary_private_ips", json!([]));
        b.comp("security_groups", json!([]));
        b.comp("spot_instance_request_id", json!(""));
        b.comp("tenancy", json!("default"));
        let old_type = *self.rng.pick(&["t3.micro", "t2.micro", "t3.large", "m5.large"]);
        b.upd = Some(("instance_type", json!(old_type)));
        b.repl = Some(("ami", json!(format!("ami-0{}", self.rng.hex(16)))));
        b.deferred_replaces = true;
        b
    }

    fn ebs(&mut self, m: &ModCtx, name: &str, az: &Ref) -> Built {
        let mut b = Built {
            id: format!("vol-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        let enc = !self.rng.chance(P_EBS_UNENC);
        if !enc {
            b.mis.push(mc::EBS_UNENCRYPTED);
        }
        let size = *self.rng.pick(&[20u64, 50, 100, 200, 500]);
        b.refr("availability_zone", az);
        b.set("encrypted", json!(enc));
        b.set("final_snapshot", json!(false));
        b.set("multi_attach_enabled", Value::Null);
        b.set("outpost_arn", Value::Null);
        b.set("size", json!(size));
        b.set("timeouts", Value::Null);
        b.set("type", json!("gp3"));
        self.tags(m, name.to_string(), &mut b);
        let id = b.id.clone();
        b.arn = arn(self.p, "ec2", m.region, &format!("volume/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("id", json!(id));
        b.comp("iops", json!(3000));
        b.comp(
            "kms_key_id",
            json!(if enc {
                arn(self.p, "kms", m.region, &format!("key/{}", self.rng.hex(32)))
            } else {
                String::new()
            }),
        );
        b.comp("snapshot_id", json!(""));
        b.comp("throughput", json!(125));
        b.upd = Some(("size", json!(size / 2)));
        b.repl = Some(("encrypted", json!(!enc)));
        b.deferred_replaces = true;
        b
    }

    fn launch_template(&mut self, m: &ModCtx, name: &str, ami: &str, itype: &str, sg: &Ref) -> Built {
        let mut b = Built {
            id: format!("lt-0{}", self.rng.hex(16)),
            ..Built::default()
        };
        for k in [
            "block_device_mappings",
            "capacity_reservation_specification",
            "cpu_options",
            "credit_specification",
            "elastic_gpu_specifications",
            "elastic_inference_accelerator",
            "enclave_options",
            "hibernation_options",
            "instance_market_options",
            "instance_requirements",
            "license_specification",
            "maintenance_options",
            "network_interfaces",
            "placement",
            "private_dns_name_options",
        ] {
            b.set(k, json!([]));
        }
        for k in [
            "default_version",
            "description",
            "disable_api_stop",
            "disable_api_termination",
            "ebs_optimized",
            "instance_initiated_shutdown_behavior",
            "kernel_id",
            "key_name",
            "ram_disk_id",
            "security_group_names",
        ] {
            b.set(k, Value::Null);
        }
        b.set(
            "iam_instance_profile",
            json!([{"arn": null, "name": format!("{name}-profile")}]),
        );
        b.set("image_id", json!(ami));
        b.set("instance_type", json!(itype));
        b.set(
            "metadata_options",
            json!([{"http_endpoint": "enabled", "http_protocol_ipv6": "", "http_put_response_hop_limit": 2, "http_tokens": "required", "instance_metadata_tags": ""}]),
        );
        b.set("monitoring", json!([{"enabled": true}]));
        b.set("name_prefix", json!(format!("{name}-")));
        b.set(
            "tag_specifications",
            json!([{"resource_type": "instance", "tags": {"Name": name}}, {"resource_type": "volume", "tags": {"Name": name}}]),
        );
        b.set("update_default_version", json!(true));
        b.set(
            "user_data",
            json!("IyEvYmluL2Jhc2gKc2V0IC1ldQplY2hvICJib290c3RyYXAiCg=="),
        );
        b.refs("vpc_security_group_ids", std::slice::from_ref(sg));
        self.tags(m, name.to_string(), &mut b);
        let id = b.id.clone();
        b.arn = arn(self.p, "ec2", m.region, &format!("launch-template/{id}"));
        b.comp("arn", json!(b.arn));
        b.comp("id", json!(id));
        b.comp("latest_version", json!(self.rng.range(1, 30)));
        b.comp("name", json!(format!("{name}-{}", self.rng.hex(26))));
        b.upd = Some(("image_id", json!(format!("ami-0{}", self.rng.hex(16)))));
        b
    }

    fn asg(&mut self, m: &ModCtx, name: &str, lt: &Ref, subnets: &[Ref]) -> Built {
        let mut b = Built {
            id: format!("{name}-asg"),
            ..Built::default()
        };
        let min = self.rng.range(1, 3);
        let max = min + self.rng.range(1, 6);
        for (k, v) in [
            ("capacity_rebalance", Value::Null),
            ("context", Value::Null),
            ("default_instance_warmup", Value::Null),
            ("desired_capacity", json!(min)),
            ("desired_capacity_type", Value::Null),
            ("enabled_metrics", Value::Null),
            ("force_delete", json!(false)),
            ("force_delete_warm_pool", json!(false)),
            ("health_check_grace_period", json!(300)),
            ("health_check_type", json!("ELB")),
            ("ignore_failed_scaling_activities", json!(false)),
            ("initial_lifecycle_hook", json!([])),
            ("instance_maintenance_policy", json!([])),
            ("instance_refresh", json!([])),
            ("launch_configuration", Value::Null),
            ("max_instance_lifetime", Value::Null),
            ("max_size", json!(max)),
            ("metrics_granularity", json!("1Minute")),
            ("min_elb_capacity", Value::Null),
            ("min_size", json!(min)),
            ("mixed_instances_policy", json!([])),
            ("name", json!(b.id)),
            ("placement_group", Value::Null),
            ("protect_from_scale_in", json!(false)),
            ("service_linked_role_arn", Value::Null),
            ("suspended_processes", Value::Null),
            (
                "tag",
                json!([{"key": "Name", "propagate_at_launch": true, "value": name}]),
            ),
            ("termination_policies", Value::Null),
            ("timeouts", Value::Null),
            ("wait_for_capacity_timeout", json!("10m")),
            ("wait_for_elb_capacity", Value::Null),
            ("warm_pool", json!([])),
        ] {
            b.set(k, v);
        }
        let lt_v = json!([{"id": lt.val, "name": null, "version": "$Latest"}]);
        b.refv("launch_template", lt, lt_v);
        b.refs("vpc_zone_identifier", subnets);
        b.comp(
            "arn",
            json!(arn(
                self.p,
                "autoscaling",
                m.region,
                &format!("autoScalingGroup:{}:autoScalingGroupName/{}", self.rng.hex(8), b.id)
            )),
        );
        b.comp("availability_zones", json!(m.azs));
        b.comp("default_cooldown", json!(300));
        b.comp("id", json!(b.id));
        b.comp("load_balancers", json!([]));
        b.comp("name_prefix", json!(""));
        b.comp("predicted_capacity", json!(0));
        b.comp("target_group_arns", json!([]));
        b.comp("traffic_source", json!([]));
        b.comp("warm_pool_size", json!(0));
        b.upd = Some(("max_size", json!(max + 2)));
        b
    }

    fn lb(&mut self, m: &ModCtx, name: &str, sg: &Ref, subnets: &[Ref], logs: &Ref) -> Built {
        let short: String = name.chars().take(26).collect();
        let mut b = Built {
            id: String::new(),
            ..Built::default()
        };
        b.arn = arn(
            self.p,
            "elasticloadbalancing",
            m.region,
            &format!("loadbalancer/app/{short}/{}", self.rng.hex(16)),
        );
        b.id = b.arn.clone();
        let internal = self.rng.chance(0.3);
        b.refv(
            "access_logs",
            logs,
            json!([{"bucket": logs.val, "enabled": true, "prefix": short}]),
        );
        for (k, v) in [
            ("client_keep_alive", json!(3600)),
            ("connection_logs", json!([])),
            ("customer_owned_ipv4_pool", Value::Null),
            ("desync_mitigation_mode", json!("defensive")),
            ("dns_record_client_routing_policy", Value::Null),
            ("drop_invalid_header_fields", json!(false)),
            ("enable_cross_zone_load_balancing", Value::Null),
            ("enable_deletion_protection", json!(false)),
            ("enable_http2", json!(true)),
            ("enable_tls_version_and_cipher_suite_headers", json!(false)),
            ("enable_waf_fail_open", json!(false)),
            ("enable_xff_client_port", json!(false)),
            ("enable_zonal_shift", json!(false)),
            ("idle_timeout", json!(60)),
            ("internal", json!(internal)),
            ("ip_address_type", json!("ipv4")),
            ("load_balancer_type", json!("application")),
            ("name", json!(short)),
            ("preserve_host_header", json!(false)),
            ("timeouts", Value::Null),
            ("xff_header_processing_mode", json!("append")),
        ] {
            b.set(k, v);
        }
        b.refs("security_groups", std::slice::from_ref(sg));
        b.refs("subnets", subnets);
        self.tags(m, short.clone(), &mut b);
        b.comp("arn", json!(b.arn));
        b.comp(
            "arn_suffix",
            json!(b.arn.split_once("loadbalancer/").map(|x| x.1).unwrap_or("")),
        );
        b.comp(
            "dns_name",
            json!(format!(
                "{}{short}-{}.{}.elb.amazonaws.com",
                if internal { "internal-" } else { "" },
                self.rng.range(100_000_000, 999_999_999),
                m.region
            )),
        );
        b.comp(
            "enforce_security_group_inbound_rules_on_private_link_traffic",
            json!(""),
        );
        b.comp("id", json!(b.id));
        b.comp("name_prefix", json!(""));
        b.comp(
            "subnet_mapping",
            Value::Array(
                subnets
                    .iter()
                    .map(|s| json!({"allocation_id": "", "ipv6_address": "", "outpost_id": "", "private_ipv4_address": "", "subnet_id": s.val}))
                    .collect(),
            ),
        );
        b.comp("vpc_id", json!(format!("vpc-0{}", self.rng.hex(16))));
        b.comp("zone_id", json!("Z35SXDOTRQ7X7K"));
        b.upd = Some(("idle_timeout", json!(120)));
        b
    }

    fn listener(&mut self, m: &ModCtx, lb: &Ref, proto: &str) -> Built {
        let mut b = Built::default();
        let lb_arn = lb.with(lb.val.clone(), "arn");
        b.arn = lb.val.replace(":loadbalancer/", ":listener/") + "/" + &self.rng.hex(16);
        b.id = b.arn.clone();
        let https = proto == "https";
        b.set("alpn_policy", Value::Null);
        b.set(
            "certificate_arn",
            if https {
                json!(arn(
                    self.p,
                    "acm",
                    m.region,
                    &format!("certificate/{}", self.rng.hex(32))
                ))
            } else {
                Value::Null
            },
        );
        let action = if https {
            json!([{"authenticate_cognito": [], "authenticate_oidc": [], "fixed_response": [{"content_type": "text/plain", "message_body": "ok", "status_code": "200"}], "forward": [], "order": 1, "redirect": [], "target_group_arn": "", "type": "fixed-response"}])
        } else {
            json!([{"authenticate_cognito": [], "authenticate_oidc": [], "fixed_response": [], "forward": [], "order": 1, "redirect": [{"host": "#{host}", "path": "/#{path}", "port": "443", "protocol": "HTTPS", "query": "#{query}", "status_code": "HTTP_301"}], "target_group_arn": "", "type": "redirect"}])
        };
        b.set("default_action", action);
        b.refr("load_balancer_arn", &lb_arn);
        b.set("port", json!(if https { 443 } else { 80 }));
        b.set("protocol", json!(proto.to_uppercase()));
        b.set(
            "ssl_policy",
            if https {
                json!("ELBSecurityPolicy-TLS13-1-2-2021-06")
            } else {
                Value::Null
            },
        );
        b.set("tags", Value::Null);
        b.set("tags_all", json!({}));
        b.set("timeouts", Value::Null);
        b.comp("arn", json!(b.arn));
        b.comp("id", json!(b.id));
        b.comp("mutual_authentication", json!([]));
        if https {
            b.upd = Some(("ssl_policy", json!("ELBSecurityPolicy-2016-08")));
        }
        b.repl = Some(("load_balancer_arn", json!(lb.val.clone() + "0")));
        b.deferred_replaces = true;
        b
    }

    fn policy_document(&mut self, provider: &str, host: &str, sub: &str, no_cond: bool) -> (Value, String) {
        let cond = if no_cond {
            json!([])
        } else {
            json!([
                {"test": "StringEquals", "values": ["sts.amazonaws.com"], "variable": format!("{host}:aud")},
                {"test": "StringLike", "values": [sub], "variable": format!("{host}:sub")},
            ])
        };
        let stmt = json!([{
            "actions": ["sts:AssumeRoleWithWebIdentity"],
            "condition": cond,
            "effect": "Allow",
            "not_actions": [],
            "not_principals": [],
            "not_resources": [],
            "principals": [{"identifiers": [provider], "type": "Federated"}],
            "resources": [],
            "sid": "",
        }]);
        let mut s = json!({
            "Sid": "",
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": provider},
        });
        if !no_cond {
            s["Condition"] = json!({
                "StringEquals": {format!("{host}:aud"): "sts.amazonaws.com"},
                "StringLike": {format!("{host}:sub"): sub},
            });
        }
        let policy = json!({"Version": "2012-10-17", "Statement": [s]});
        (stmt, serde_json::to_string_pretty(&policy).unwrap_or_default())
    }

    fn ec2_trust_document(&mut self) -> (Value, String) {
        let stmt = json!([{
            "actions": ["sts:AssumeRole"],
            "condition": [],
            "effect": "Allow",
            "not_actions": [],
            "not_principals": [],
            "not_resources": [],
            "principals": [{"identifiers": ["ec2.amazonaws.com"], "type": "Service"}],
            "resources": [],
            "sid": "",
        }]);
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]});
        (stmt, serde_json::to_string_pretty(&policy).unwrap_or_default())
    }

    fn data_policy_doc(&mut self, stmt: Value, policy: &str, action: Action) -> Built {
        let mut b = Built::default();
        b.set("override_policy_documents", Value::Null);
        b.set("policy_id", Value::Null);
        b.set("source_policy_documents", Value::Null);
        b.set("statement", stmt);
        b.set("version", Value::Null);
        let minified = serde_json::from_str::<Value>(policy)
            .map(|v| v.to_string())
            .unwrap_or_default();
        b.id = format!("{}", crc32(policy.as_bytes()));
        b.comp("id", json!(b.id));
        b.comp("json", json!(policy));
        b.comp("minified_json", json!(minified));
        let _ = action;
        b
    }

    fn iam_role(&mut self, m: &ModCtx, name: String, policy: &Ref, no_cond: bool, oidc: bool) -> Built {
        let mut b = Built {
            id: name.clone(),
            ..Built::default()
        };
        if oidc && no_cond {
            b.mis.push(mc::OIDC_TRUST_NO_CONDITION);
        }
        b.refr("assume_role_policy", policy);
        b.set("description", json!(format!("Role {name}")));
        b.set("force_detach_policies", json!(false));
        b.set("max_session_duration", json!(3600));
        b.set("name", json!(name));
        b.set("path", json!("/"));
        b.set("permissions_boundary", Value::Null);
        self.tags(m, name.clone(), &mut b);
        b.arn = format!("arn:aws:iam::{}:role/{name}", self.p.account);
        b.comp("arn", json!(b.arn));
        b.comp(
            "create_date",
            json!(format!(
                "2024-0{}-1{}T10:2{}:00Z",
                self.rng.range(1, 9),
                self.rng.below(10),
                self.rng.below(10)
            )),
        );
        b.comp("id", json!(name));
        b.comp("inline_policy", json!([]));
        b.comp("managed_policy_arns", json!([]));
        b.comp("name_prefix", json!(""));
        b.comp("unique_id", json!(format!("AROA{}", self.rng.hex(17).to_uppercase())));
        b.upd = Some(("max_session_duration", json!(7200)));
        b
    }

    fn policy_json(&mut self) -> (String, bool) {
        let wildcard = self.rng.chance(P_WILDCARD);
        let doc = if wildcard {
            json!({"Version": "2012-10-17", "Statement": [{"Action": "*", "Effect": "Allow", "Resource": "*"}]})
        } else {
            let svc = *self
                .rng
                .pick(&["s3", "dynamodb", "sqs", "logs", "kms", "secretsmanager"]);
            let actions: Vec<String> = ["Get*", "List*", "Describe*", "Put*"]
                .iter()
                .take(self.rng.range(1, 4) as usize)
                .map(|a| format!("{svc}:{a}"))
                .collect();
            json!({"Version": "2012-10-17", "Statement": [{
                "Action": actions,
                "Effect": "Allow",
                "Resource": [format!("arn:aws:{svc}:*:{}:*{}*", self.p.account, self.rng.hex(6))],
                "Sid": "Access",
            }]})
        };
        (doc.to_string(), wildcard)
    }

    fn iam_policy(&mut self, m: &ModCtx, name: String) -> Built {
        let (doc, wildcard) = self.policy_json();
        let mut b = Built {
            arn: format!("arn:aws:iam::{}:policy/{name}", self.p.account),
            ..Built::default()
        };
        b.id = b.arn.clone();
        if wildcard {
            b.mis.push(mc::IAM_WILDCARD_POLICY);
        }
        b.set("description", json!(format!("Access policy for {name}")));
        b.set("name", json!(name));
        b.set("path", json!("/"));
        b.set("policy", json!(doc));
        self.tags(m, name, &mut b);
        b.comp("arn", json!(b.arn));
        b.comp("attachment_count", json!(1));
        b.comp("id", json!(b.arn));
        b.comp("name_prefix", json!(""));
        b.comp("policy_id", json!(format!("ANPA{}", self.rng.hex(17).to_uppercase())));
        b.upd = Some(("policy", json!(self.policy_json().0)));
        b.repl = Some(("name", json!(format!("old-{}", self.rng.hex(4)))));
        b
    }

    fn role_policy(&mut self, name: &str, role: &Ref) -> Built {
        let (doc, wildcard) = self.policy_json();
        let mut b = Built::default();
        if wildcard {
            b.mis.push(mc::IAM_WILDCARD_POLICY);
        }
        let pname = format!("{name}-inline");
        b.id = format!("{}:{pname}", role.val);
        b.set("name", json!(pname));
        b.set("policy", json!(doc));
        b.refr("role", role);
        b.comp("id", json!(b.id));
        b.comp("name_prefix", json!(""));
        b.upd = Some(("policy", json!(self.policy_json().0)));
        b.repl = Some(("name", json!(format!("{name}-old"))));
        b.deferred_replaces = true;
        b
    }

    fn attachment(&mut self, role: &Ref, policy: Option<&Ref>) -> Built {
        let mut b = Built::default();
        let admin = self.rng.chance(P_ADMIN);
        if admin {
            b.mis.push(mc::IAM_ADMIN_ATTACHMENT);
            b.set("policy_arn", json!("arn:aws:iam::aws:policy/AdministratorAccess"));
        } else if let Some(p) = policy {
            b.refr("policy_arn", p);
        }
        b.refr("role", role);
        b.id = format!("{}-{}", role.val, self.rng.range(10_000_000, 99_999_999));
        b.comp("id", json!(b.id));
        b.repl = Some(("policy_arn", json!("arn:aws:iam::aws:policy/ReadOnlyAccess")));
        b.deferred_replaces = true;
        b
    }

    fn s3_bucket(&mut self, m: &ModCtx, name: &str, sse: bool) -> Built {
        let mut b = Built {
            id: name.to_string(),
            arn: format!("arn:aws:s3:::{name}"),
            ..Built::default()
        };
        b.set("bucket", json!(name));
        b.set("force_destroy", json!(false));
        b.set("object_lock_enabled", json!(false));
        b.set("timeouts", Value::Null);
        self.tags(m, name.to_string(), &mut b);
        b.comp("acceleration_status", json!(""));
        b.comp("acl", Value::Null);
        b.comp("arn", json!(b.arn));
        b.comp("bucket_domain_name", json!(format!("{name}.s3.amazonaws.com")));
        b.comp("bucket_prefix", json!(""));
        b.comp(
            "bucket_regional_domain_name",
            json!(format!("{name}.s3.{}.amazonaws.com", m.region)),
        );
        b.comp("cors_rule", json!([]));
        b.comp(
            "grant",
            json!([{"id": self.rng.hex(64), "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}]),
        );
        b.comp("hosted_zone_id", json!("Z3AQBSTGFYJSTF"));
        b.comp("id", json!(name));
        b.comp("lifecycle_rule", json!([]));
        b.comp("logging", json!([]));
        b.comp("object_lock_configuration", json!([]));
        b.comp("policy", json!(""));
        b.comp("region", json!(m.region));
        b.comp("replication_configuration", json!([]));
        b.comp("request_payer", json!("BucketOwner"));
        let algo = if sse { "aws:kms" } else { "AES256" };
        b.comp(
            "server_side_encryption_configuration",
            json!([{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": algo}], "bucket_key_enabled": sse}]}]),
        );
        b.comp("versioning", json!([{"enabled": true, "mfa_delete": false}]));
        b.comp("website", json!([]));
        b.comp("website_domain", Value::Null);
        b.comp("website_endpoint", Value::Null);
        b.repl = Some(("bucket", json!(format!("{name}-old"))));
        b
    }

    fn s3_sse(&mut self, bucket: &Ref) -> Built {
        let mut b = Built {
            id: bucket.val.clone(),
            ..Built::default()
        };
        b.refr("bucket", bucket);
        b.set("expected_bucket_owner", Value::Null);
        let kms = self.rng.chance(0.6);
        b.set(
            "rule",
            json!([{"apply_server_side_encryption_by_default": [{"kms_master_key_id": if kms { json!(format!("alias/{}", bucket.val)) } else { Value::Null }, "sse_algorithm": if kms { "aws:kms" } else { "AES256" }}], "bucket_key_enabled": kms}]),
        );
        b.comp("id", json!(b.id));
        b.upd = Some(("rule.0.bucket_key_enabled", json!(!kms)));
        b.deferred_replaces = true;
        b
    }

    fn s3_versioning(&mut self, bucket: &Ref) -> Built {
        let mut b = Built {
            id: bucket.val.clone(),
            ..Built::default()
        };
        b.refr("bucket", bucket);
        b.set("expected_bucket_owner", Value::Null);
        b.set("mfa", Value::Null);
        let enabled = self.rng.chance(0.8);
        b.set(
            "versioning_configuration",
            json!([{"mfa_delete": "", "status": if enabled { "Enabled" } else { "Suspended" }}]),
        );
        b.comp("id", json!(b.id));
        b.upd = Some((
            "versioning_configuration.0.status",
            json!(if enabled { "Suspended" } else { "Enabled" }),
        ));
        b.deferred_replaces = true;
        b
    }

    fn s3_pab(&mut self, bucket: &Ref) -> Built {
        let mut b = Built {
            id: bucket.val.clone(),
            ..Built::default()
        };
        let off = self.rng.chance(P_S3_PAB_OFF);
        if off {
            b.mis.push(mc::S3_PUBLIC_ACCESS_NOT_BLOCKED);
        }
        b.set("block_public_acls", json!(!off));
        b.set("block_public_policy", json!(!off));
        b.refr("bucket", bucket);
        b.set("ignore_public_acls", json!(!off));
        b.set("restrict_public_buckets", json!(!off));
        b.comp("id", json!(b.id));
        b.upd = Some(("block_public_policy", json!(off)));
        b.deferred_replaces = true;
        b
    }

    fn s3_acl(&mut self, bucket: &Ref) -> Built {
        let mut b = Built {
            id: format!("{},private", bucket.val),
            ..Built::default()
        };
        let public = self.rng.chance(P_S3_PUBLIC_ACL);
        if public {
            b.mis.push(mc::S3_PUBLIC_ACL);
        }
        let owner = self.rng.hex(64);
        b.set("acl", json!(if public { "public-read" } else { "private" }));
        b.refr("bucket", bucket);
        b.set("expected_bucket_owner", Value::Null);
        let mut grants = vec![
            json!({"grantee": [{"display_name": "", "email_address": "", "id": owner, "type": "CanonicalUser", "uri": ""}], "permission": "FULL_CONTROL"}),
        ];
        if public {
            grants.push(json!({"grantee": [{"display_name": "", "email_address": "", "id": "", "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}], "permission": "READ"}));
        }
        b.comp(
            "access_control_policy",
            json!([{"grant": grants, "owner": [{"display_name": "", "id": owner}]}]),
        );
        b.comp("id", json!(b.id));
        b.upd = Some(("acl", json!(if public { "private" } else { "log-delivery-write" })));
        b.deferred_replaces = true;
        b
    }

    fn db(&mut self, m: &ModCtx, name: &str, sg: &Ref) -> Built {
        let ident: String = name.chars().take(50).collect();
        let mut b = Built {
            id: format!("db-{}", self.rng.hex(26).to_uppercase()),
            ..Built::default()
        };
        let unenc = self.rng.chance(P_RDS_UNENC);
        let public = self.rng.chance(P_RDS_PUBLIC);
        if unenc {
            b.mis.push(mc::RDS_UNENCRYPTED);
        }
        if public {
            b.mis.push(mc::RDS_PUBLIC);
        }
        let (engine, version, port) = *self.rng.pick(&[
            ("postgres", "16.3", 5432),
            ("mysql", "8.0.36", 3306),
            ("postgres", "15.7", 5432),
        ]);
        let class = *self
            .rng
            .pick(&["db.t3.micro", "db.t4g.medium", "db.m6g.large", "db.r6g.xlarge"]);
        let storage = *self.rng.pick(&[20u64, 50, 100, 250]);
        for (k, v) in [
            ("allocated_storage", json!(storage)),
            ("allow_major_version_upgrade", Value::Null),
            ("apply_immediately", json!(false)),
            ("auto_minor_version_upgrade", json!(true)),
            ("backup_retention_period", json!(7)),
            ("blue_green_update", json!([])),
            ("copy_tags_to_snapshot", json!(true)),
            ("custom_iam_instance_profile", Value::Null),
            ("customer_owned_ip_enabled", Value::Null),
            ("db_subnet_group_name", json!(format!("{ident}-db"))),
            ("dedicated_log_volume", json!(false)),
            ("delete_automated_backups", json!(true)),
            ("deletion_protection", json!(self.rng.chance(0.5))),
            ("domain", Value::Null),
            ("domain_auth_secret_arn", Value::Null),
            ("domain_dns_ips", Value::Null),
            ("domain_fqdn", Value::Null),
            ("domain_iam_role_name", Value::Null),
            ("domain_ou", Value::Null),
            ("enabled_cloudwatch_logs_exports", Value::Null),
            ("engine", json!(engine)),
            ("engine_version", json!(version)),
            ("final_snapshot_identifier", json!(format!("{ident}-final"))),
            ("iam_database_authentication_enabled", json!(false)),
            ("identifier", json!(ident)),
            ("instance_class", json!(class)),
            ("manage_master_user_password", Value::Null),
            ("master_user_secret_kms_key_id", Value::Null),
            ("max_allocated_storage", json!(storage * 4)),
            ("monitoring_interval", json!(0)),
            ("multi_az", json!(self.rng.chance(0.5))),
            (
                "password",
                json!(format!("{}!{}", self.rng.hex(12), self.rng.hex(8).to_uppercase())),
            ),
            ("performance_insights_enabled", json!(false)),
            ("publicly_accessible", json!(public)),
            ("replicate_source_db", Value::Null),
            ("restore_to_point_in_time", json!([])),
            ("s3_import", json!([])),
            ("skip_final_snapshot", json!(false)),
            ("storage_encrypted", json!(!unenc)),
            ("storage_type", json!("gp3")),
            ("timeouts", Value::Null),
            ("upgrade_storage_config", Value::Null),
            ("username", json!("app_admin")),
        ] {
            b.set(k, v);
        }
        b.sens.push("password");
        b.refs("vpc_security_group_ids", std::slice::from_ref(sg));
        self.tags(m, ident.clone(), &mut b);
        let host = format!("{ident}.c{}.{}.rds.amazonaws.com", self.rng.hex(10), m.region);
        b.arn = arn(self.p, "rds", m.region, &format!("db:{ident}"));
        b.comp("address", json!(host));
        b.comp("arn", json!(b.arn));
        b.comp("availability_zone", json!(m.azs[0]));
        b.comp("backup_target", json!("region"));
        b.comp("backup_window", json!("03:00-03:30"));
        b.comp("ca_cert_identifier", json!("rds-ca-rsa2048-g1"));
        b.comp("character_set_name", json!(""));
        b.comp("db_name", json!("app"));
        b.comp("endpoint", json!(format!("{host}:{port}")));
        b.comp("engine_lifecycle_support", json!("open-source-rds-extended-support"));
        b.comp("engine_version_actual", json!(version));
        b.comp("hosted_zone_id", json!("Z2R2ITUGPM61AM"));
        b.comp("id", json!(b.id));
        b.comp("identifier_prefix", json!(""));
        b.comp("iops", json!(3000));
        b.comp(
            "kms_key_id",
            json!(if unenc {
                String::new()
            } else {
                arn(self.p, "kms", m.region, &format!("key/{}", self.rng.hex(32)))
            }),
        );
        b.comp("latest_restorable_time", json!(""));
        b.comp(
            "license_model",
            json!(if engine == "mysql" {
                "general-public-license"
            } else {
                "postgresql-license"
            }),
        );
        b.comp("listener_endpoint", json!([]));
        b.comp("maintenance_window", json!("sun:04:00-sun:04:30"));
        b.comp("master_user_secret", json!([]));
        b.comp("monitoring_role_arn", json!(""));
        b.comp("nchar_character_set_name", json!(""));
        b.comp("network_type", json!("IPV4"));
        b.comp(
            "option_group_name",
            json!(format!("default:{engine}-{}", version.split('.').next().unwrap_or(""))),
        );
        b.comp(
            "parameter_group_name",
            json!(format!("default.{engine}{}", version.split('.').next().unwrap_or(""))),
        );
        b.comp("performance_insights_kms_key_id", json!(""));
        b.comp("performance_insights_retention_period", json!(0));
        b.comp("port", json!(port));
        b.comp("replica_mode", json!(""));
        b.comp("replicas", json!([]));
        b.comp("resource_id", json!(b.id));
        b.comp("status", json!("available"));
        b.comp("storage_throughput", json!(125));
        b.comp("timezone", json!(""));
        b.upd = Some(("instance_class", json!("db.t3.small")));
        b.repl = Some(("storage_encrypted", json!(unenc)));
        b
    }
}

fn arn(p: &Params, service: &str, region: &str, res: &str) -> String {
    format!("arn:aws:{service}:{region}:{}:{res}", p.account)
}

fn public_dns(ip: &str, region: &str) -> String {
    let ip = ip.replace('.', "-");
    if region == "us-east-1" {
        format!("ec2-{ip}.compute-1.amazonaws.com")
    } else {
        format!("ec2-{ip}.{region}.compute.amazonaws.com")
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xedb8_8320 } else { c >> 1 };
        }
    }
    !c
}

// ---------------------------------------------------------------------------
// Static parts: variables, outputs, configuration

fn root_variables_values(p: &Params) -> Value {
    json!({
        "db_password": {"value": format!("pw-{:016x}", p.seed)},
        "environment": {"value": p.env},
        "github_oidc_provider_arn": {"value": format!("arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com", p.account)},
        "github_repos": {"value": REPOS},
        "org": {"value": p.org},
        "primary_region": {"value": "us-east-1"},
        "regions": {"value": REGION_KEYS.iter().map(|(k, r)| (k.to_string(), json!({"aws_region": r}))).collect::<Map<String, Value>>()},
    })
}

fn planned_outputs(p: &Params) -> Value {
    json!({
        "ci_token": {"sensitive": true, "type": "string", "value": format!("tok-{:016x}", p.seed)},
        "environment": {"sensitive": false, "type": "string", "value": p.env},
        "github_role_arns": {"sensitive": false},
        "vpc_ids": {"sensitive": false},
    })
}

fn prior_outputs(p: &Params) -> Value {
    json!({
        "ci_token": {"sensitive": true, "type": "string", "value": format!("tok-{:016x}", p.seed.wrapping_add(1))},
        "environment": {"sensitive": false, "type": "string", "value": p.env},
    })
}

fn output_changes(p: &Params) -> Value {
    json!({
        "ci_token": {"actions": ["update"], "before": format!("tok-{:016x}", p.seed.wrapping_add(1)), "after": format!("tok-{:016x}", p.seed), "after_unknown": false, "before_sensitive": true, "after_sensitive": true},
        "environment": {"actions": ["no-op"], "before": p.env, "after": p.env, "after_unknown": false, "before_sensitive": false, "after_sensitive": false},
        "github_role_arns": {"actions": ["create"], "before": null, "after_unknown": true, "before_sensitive": false, "after_sensitive": false},
        "vpc_ids": {"actions": ["create"], "before": null, "after_unknown": true, "before_sensitive": false, "after_sensitive": false},
    })
}

fn c(v: Value) -> Value {
    json!({ "constant_value": v })
}

fn r(refs: &[&str]) -> Value {
    json!({ "references": refs })
}

/// `r(["aws_vpc.main.id", "aws_vpc.main"])` style reference to `ADDR.ATTR`.
fn ra(addr: &str, attr: &str) -> Value {
    json!({ "references": [format!("{addr}.{attr}"), addr.to_string()] })
}

fn res(ty: &str, name: &str, exprs: Value) -> Value {
    json!({
        "address": format!("{ty}.{name}"),
        "mode": "managed",
        "type": ty,
        "name": name,
        "provider_config_key": "aws",
        "expressions": exprs,
        "schema_version": schema_version(ty),
    })
}

fn data(ty: &str, name: &str, exprs: Value) -> Value {
    json!({
        "address": format!("data.{ty}.{name}"),
        "mode": "data",
        "type": ty,
        "name": name,
        "provider_config_key": "aws",
        "expressions": exprs,
        "schema_version": 0,
    })
}

fn with(mut v: Value, k: &str, x: Value) -> Value {
    v[k] = x;
    v
}

fn tags_expr(name_refs: &[&str]) -> Value {
    r(&[name_refs, &["var.tags"]].concat())
}

fn vars(names: &[(&str, &str)]) -> Value {
    Value::Object(
        names
            .iter()
            .map(|(n, d)| (n.to_string(), json!({ "description": d })))
            .collect(),
    )
}

fn out(refs: Value, desc: &str) -> Value {
    json!({ "expression": refs, "description": desc })
}

fn sg_rule_expr(cidr: &str, from: u64, to: u64, proto: &str) -> Value {
    json!({
        "cidr_blocks": c(json!([cidr])),
        "from_port": c(json!(from)),
        "protocol": c(json!(proto)),
        "to_port": c(json!(to)),
    })
}

fn network_module() -> Value {
    json!({
        "outputs": {
            "private_subnet_ids": out(r(&["aws_subnet.private"]), "Private subnet ids"),
            "public_subnet_ids": out(r(&["aws_subnet.public"]), "Public subnet ids"),
            "vpc_id": out(ra("aws_vpc.main", "id"), "VPC id"),
        },
        "resources": [
            res("aws_vpc", "main", json!({
                "cidr_block": r(&["var.vpc_cidr"]),
                "enable_dns_hostnames": c(json!(true)),
                "enable_dns_support": c(json!(true)),
                "tags": tags_expr(&["var.name"]),
            })),
            with(res("aws_subnet", "public", json!({
                "availability_zone": r(&["var.azs", "count.index"]),
                "cidr_block": r(&["var.vpc_cidr", "count.index"]),
                "map_public_ip_on_launch": c(json!(true)),
                "tags": tags_expr(&["var.name", "count.index"]),
                "vpc_id": ra("aws_vpc.main", "id"),
            })), "count_expression", r(&["var.azs"])),
            with(res("aws_subnet", "private", json!({
                "availability_zone": r(&["var.azs", "count.index"]),
                "cidr_block": r(&["var.vpc_cidr", "count.index"]),
                "tags": tags_expr(&["var.name", "count.index"]),
                "vpc_id": ra("aws_vpc.main", "id"),
            })), "count_expression", r(&["var.azs"])),
            with(res("aws_eip", "nat", json!({
                "domain": c(json!("vpc")),
                "tags": tags_expr(&["var.name", "count.index"]),
            })), "count_expression", r(&["var.azs"])),
            with(with(res("aws_nat_gateway", "this", json!({
                "allocation_id": r(&["aws_eip.nat", "count.index"]),
                "subnet_id": r(&["aws_subnet.public", "count.index"]),
                "tags": tags_expr(&["var.name"]),
            })), "count_expression", r(&["var.azs"])), "depends_on", json!(["aws_vpc.main"])),
            res("aws_security_group", "bastion", json!({
                "description": c(json!("Bastion access")),
                "egress": [sg_rule_expr("0.0.0.0/0", 0, 0, "-1")],
                "ingress": [sg_rule_expr("10.0.0.0/8", 22, 22, "tcp")],
                "name": r(&["var.name"]),
                "tags": tags_expr(&["var.name"]),
                "vpc_id": ra("aws_vpc.main", "id"),
            })),
        ],
        "variables": vars(&[("azs", "Availability zones"), ("name", "Name prefix"), ("tags", "Tags"), ("vpc_cidr", "VPC CIDR block")]),
    })
}

fn storage_module() -> Value {
    let fe = json!({ "references": ["var.buckets"] });
    let b = |ty: &str, exprs: Value| with(res(ty, "this", exprs), "for_each_expression", fe.clone());
    json!({
        "outputs": {
            "bucket_arns": out(r(&["aws_s3_bucket.this"]), "Bucket ARNs"),
            "log_bucket_id": out(r(&["aws_s3_bucket.this[\"logs\"].id", "aws_s3_bucket.this[\"logs\"]", "aws_s3_bucket.this"]), "Log bucket"),
        },
        "resources": [
            b("aws_s3_bucket", json!({"bucket": r(&["var.name", "each.key"]), "force_destroy": c(json!(false)), "tags": tags_expr(&["each.key"])})),
            b("aws_s3_bucket_acl", json!({"acl": r(&["each.value.acl", "each.value"]), "bucket": r(&["aws_s3_bucket.this", "each.key"])})),
            b("aws_s3_bucket_public_access_block", json!({
                "block_public_acls": c(json!(true)), "block_public_policy": c(json!(true)),
                "bucket": r(&["aws_s3_bucket.this", "each.key"]),
                "ignore_public_acls": c(json!(true)), "restrict_public_buckets": c(json!(true)),
            })),
            b("aws_s3_bucket_server_side_encryption_configuration", json!({
                "bucket": r(&["aws_s3_bucket.this", "each.key"]),
                "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": r(&["each.value.kms_key", "each.value"]), "sse_algorithm": c(json!("aws:kms"))}], "bucket_key_enabled": c(json!(true))}],
            })),
            b("aws_s3_bucket_versioning", json!({
                "bucket": r(&["aws_s3_bucket.this", "each.key"]),
                "versioning_configuration": [{"status": r(&["each.value.versioning", "each.value"])}],
            })),
        ],
        "variables": vars(&[("buckets", "Buckets to create"), ("name", "Name prefix"), ("tags", "Tags")]),
    })
}

fn app_module() -> Value {
    json!({
        "outputs": {
            "instance_ids": out(r(&["aws_instance.web"]), "Instance ids"),
            "lb_dns_name": out(ra("aws_lb.this", "dns_name"), "Load balancer DNS name"),
        },
        "resources": [
            with(with(res("aws_autoscaling_group", "this", json!({
                "launch_template": [{"id": r(&["aws_launch_template.this[0].id", "aws_launch_template.this[0]", "aws_launch_template.this"]), "version": c(json!("$Latest"))}],
                "max_size": r(&["var.max_size"]),
                "min_size": r(&["var.min_size"]),
                "name": r(&["var.name"]),
                "vpc_zone_identifier": r(&["var.subnet_ids"]),
            })), "depends_on", json!(["aws_lb_listener.this"])), "count_expression", r(&["var.asg_enabled"])),
            with(res("aws_db_instance", "this", json!({
                "allocated_storage": c(json!(20)),
                "engine": r(&["var.db_engine"]),
                "identifier": r(&["var.name"]),
                "instance_class": r(&["var.db_class"]),
                "password": r(&["var.db_password"]),
                "publicly_accessible": c(json!(false)),
                "storage_encrypted": c(json!(true)),
                "username": c(json!("app_admin")),
                "vpc_security_group_ids": ra("aws_security_group.app", "id"),
            })), "count_expression", r(&["var.create_db"])),
            with(res("aws_ebs_volume", "data", json!({
                "availability_zone": r(&["aws_instance.web", "count.index"]),
                "encrypted": c(json!(true)),
                "size": r(&["var.data_volume_size"]),
                "tags": tags_expr(&["var.name"]),
                "type": c(json!("gp3")),
            })), "count_expression", r(&["var.instance_count"])),
            res("aws_iam_role_policy", "app", json!({
                "name": r(&["var.name"]),
                "policy": r(&["var.policy_json"]),
                "role": r(&["var.role_name"]),
            })),
            with(res("aws_instance", "web", json!({
                "ami": r(&["var.ami"]),
                "associate_public_ip_address": c(json!(false)),
                "instance_type": r(&["var.instance_type"]),
                "metadata_options": [{"http_endpoint": c(json!("enabled")), "http_tokens": c(json!("required"))}],
                "monitoring": c(json!(true)),
                "root_block_device": [{"encrypted": c(json!(true)), "volume_size": r(&["var.root_volume_size"]), "volume_type": c(json!("gp3"))}],
                "subnet_id": r(&["var.subnet_ids", "count.index"]),
                "tags": tags_expr(&["var.name", "count.index"]),
                "user_data": r(&["var.user_data"]),
                "vpc_security_group_ids": ra("aws_security_group.app", "id"),
            })), "count_expression", r(&["var.instance_count"])),
            with(res("aws_launch_template", "this", json!({
                "image_id": r(&["var.ami"]),
                "instance_type": r(&["var.instance_type"]),
                "metadata_options": [{"http_tokens": c(json!("required"))}],
                "name_prefix": r(&["var.name"]),
                "vpc_security_group_ids": ra("aws_security_group.app", "id"),
            })), "count_expression", r(&["var.asg_enabled"])),
            res("aws_lb", "this", json!({
                "access_logs": [{"bucket": r(&["var.log_bucket"]), "enabled": c(json!(true))}],
                "internal": r(&["var.internal"]),
                "load_balancer_type": c(json!("application")),
                "name": r(&["var.name"]),
                "security_groups": ra("aws_security_group.lb", "id"),
                "subnets": r(&["var.public_subnet_ids"]),
                "tags": tags_expr(&["var.name"]),
            })),
            with(res("aws_lb_listener", "this", json!({
                "certificate_arn": r(&["var.certificate_arn"]),
                "default_action": [{"type": r(&["each.value.action"])}],
                "load_balancer_arn": ra("aws_lb.this", "arn"),
                "port": r(&["each.value.port", "each.value"]),
                "protocol": r(&["each.key"]),
            })), "for_each_expression", c(json!({"http": {"port": 80}, "https": {"port": 443}}))),
            res("aws_security_group", "app", json!({
                "description": c(json!("Application instances")),
                "egress": [sg_rule_expr("0.0.0.0/0", 0, 0, "-1")],
                "ingress": [sg_rule_expr("10.0.0.0/8", 8080, 8080, "tcp")],
                "name": r(&["var.name"]),
                "tags": tags_expr(&["var.name"]),
                "vpc_id": r(&["var.vpc_id"]),
            })),
            res("aws_security_group", "lb", json!({
                "description": c(json!("Load balancer")),
                "egress": [sg_rule_expr("0.0.0.0/0", 0, 0, "-1")],
                "ingress": [sg_rule_expr("0.0.0.0/0", 443, 443, "tcp"), sg_rule_expr("0.0.0.0/0", 80, 80, "tcp")],
                "name": r(&["var.name"]),
                "tags": tags_expr(&["var.name"]),
                "vpc_id": r(&["var.vpc_id"]),
            })),
            with(res("aws_security_group_rule", "extra", json!({
                "cidr_blocks": r(&["each.value.cidr_blocks", "each.value"]),
                "from_port": r(&["each.value.port", "each.value"]),
                "protocol": c(json!("tcp")),
                "security_group_id": ra("aws_security_group.app", "id"),
                "source_security_group_id": ra("aws_security_group.lb", "id"),
                "to_port": r(&["each.value.port", "each.value"]),
                "type": c(json!("ingress")),
            })), "for_each_expression", r(&["var.extra_rules"])),
        ],
        "variables": vars(&[
            ("ami", "AMI id"), ("asg_enabled", "Create the launch template and ASG"), ("certificate_arn", "ACM certificate"), ("create_db", "Create a database"),
            ("data_volume_size", "Data volume size"), ("db_class", "DB instance class"), ("db_engine", "DB engine"),
            ("db_password", "DB password"), ("extra_rules", "Extra ingress rules"), ("instance_count", "Instances"),
            ("instance_type", "Instance type"), ("internal", "Internal load balancer"), ("log_bucket", "Access log bucket"),
            ("max_size", "ASG max"), ("min_size", "ASG min"), ("name", "Name"), ("policy_json", "Inline policy"),
            ("public_subnet_ids", "Public subnets"), ("role_name", "IAM role"), ("root_volume_size", "Root volume size"),
            ("subnet_ids", "Private subnets"), ("tags", "Tags"), ("user_data", "User data"), ("vpc_id", "VPC id"),
        ]),
    })
}

fn team_module() -> Value {
    let mut app_vars = json!({
        "ami": r(&["var.ami"]),
        "certificate_arn": r(&["var.certificate_arn"]),
        "create_db": r(&["var.create_db"]),
        "db_password": r(&["var.db_password"]),
        "instance_count": r(&["var.instance_count"]),
        "log_bucket": r(&["var.log_bucket"]),
        "name": r(&["var.name", "count.index"]),
        "public_subnet_ids": r(&["var.public_subnet_ids"]),
        "role_name": ra("aws_iam_role.this", "name"),
        "subnet_ids": r(&["var.private_subnet_ids"]),
        "tags": r(&["var.tags"]),
        "vpc_id": r(&["var.vpc_id"]),
    });
    for k in [
        "asg_enabled",
        "data_volume_size",
        "db_class",
        "db_engine",
        "extra_rules",
        "instance_type",
        "internal",
        "max_size",
        "min_size",
        "policy_json",
        "root_volume_size",
        "user_data",
    ] {
        app_vars[k] = c(json!(null));
    }
    json!({
        "outputs": {
            "role_arn": out(ra("aws_iam_role.this", "arn"), "Team role"),
        },
        "resources": [
            data("aws_iam_policy_document", "assume", json!({
                "statement": [{
                    "actions": c(json!(["sts:AssumeRoleWithWebIdentity"])),
                    "condition": [{"test": c(json!("StringLike")), "values": r(&["var.oidc_subjects"]), "variable": r(&["var.oidc_provider_host"])}],
                    "principals": [{"identifiers": r(&["var.oidc_provider_arn"]), "type": c(json!("Federated"))}],
                }],
            })),
            res("aws_iam_policy", "this", json!({
                "name": r(&["var.name"]),
                "policy": r(&["var.policy_json"]),
                "tags": r(&["var.tags"]),
            })),
            res("aws_iam_role", "this", json!({
                "assume_role_policy": ra("data.aws_iam_policy_document.assume", "json"),
                "name": r(&["var.name"]),
                "tags": r(&["var.tags"]),
            })),
            with(res("aws_iam_role_policy_attachment", "managed", json!({
                "policy_arn": r(&["each.value"]),
                "role": ra("aws_iam_role.this", "name"),
            })), "for_each_expression", r(&["var.managed_policy_arns", "aws_iam_policy.this.arn", "aws_iam_policy.this"])),
        ],
        "module_calls": {
            "app": {
                "source": "../app",
                "expressions": app_vars,
                "count_expression": r(&["var.app_count"]),
                "module": app_module(),
            },
            "storage": {
                "source": "../storage",
                "expressions": {
                    "buckets": r(&["var.buckets"]),
                    "name": r(&["var.name"]),
                    "tags": r(&["var.tags"]),
                },
                "module": storage_module(),
            },
        },
        "variables": vars(&[
            ("ami", "AMI id"), ("app_count", "Number of apps"), ("buckets", "Team buckets"), ("certificate_arn", "ACM certificate"),
            ("create_db", "Create databases"), ("db_password", "DB password"), ("instance_count", "Instances per app"),
            ("log_bucket", "Access log bucket"), ("managed_policy_arns", "Managed policies"), ("name", "Team name"),
            ("oidc_provider_arn", "OIDC provider"), ("oidc_provider_host", "OIDC provider host"),
            ("oidc_subjects", "OIDC subjects"), ("policy_json", "Team policy"), ("private_subnet_ids", "Private subnets"),
            ("public_subnet_ids", "Public subnets"), ("tags", "Tags"), ("vpc_id", "VPC id"),
        ]),
    })
}

fn region_module() -> Value {
    let mut team_vars = json!({
        "log_bucket": r(&["module.storage.log_bucket_id", "module.storage"]),
        "name": r(&["var.name", "each.key"]),
        "private_subnet_ids": r(&["module.network.private_subnet_ids", "module.network"]),
        "public_subnet_ids": r(&["module.network.public_subnet_ids", "module.network"]),
        "tags": r(&["var.tags", "each.key"]),
        "vpc_id": r(&["module.network.vpc_id", "module.network"]),
        "db_password": r(&["var.db_password"]),
    });
    for k in [
        "ami",
        "app_count",
        "buckets",
        "certificate_arn",
        "create_db",
        "instance_count",
        "managed_policy_arns",
        "oidc_provider_arn",
        "oidc_provider_host",
        "oidc_subjects",
        "policy_json",
    ] {
        team_vars[k] = r(&["each.value"]);
    }
    json!({
        "outputs": {
            "vpc_id": out(r(&["module.network.vpc_id", "module.network"]), "VPC id"),
        },
        "module_calls": {
            "network": {
                "source": "../network",
                "expressions": {
                    "azs": r(&["var.azs"]),
                    "name": r(&["var.name"]),
                    "tags": r(&["var.tags"]),
                    "vpc_cidr": r(&["var.cidr"]),
                },
                "module": network_module(),
            },
            "storage": {
                "source": "../storage",
                "expressions": {
                    "buckets": r(&["var.buckets"]),
                    "name": r(&["var.name"]),
                    "tags": r(&["var.tags"]),
                },
                "module": storage_module(),
            },
            "team": {
                "source": "../team",
                "expressions": team_vars,
                "for_each_expression": r(&["var.teams"]),
                "module": team_module(),
                "depends_on": ["module.network"],
            },
        },
        "variables": vars(&[
            ("azs", "Availability zones"), ("buckets", "Buckets"), ("cidr", "VPC CIDR"), ("db_password", "DB password"),
            ("name", "Region key"), ("tags", "Tags"), ("teams", "Teams"),
        ]),
    })
}

fn configuration(p: &Params) -> Value {
    let fe = r(&["var.github_repos"]);
    json!({
        "provider_config": {
            "aws": {
                "name": "aws",
                "full_name": "registry.terraform.io/hashicorp/aws",
                "version_constraint": "~> 5.0",
                "expressions": {
                    "default_tags": [{"tags": c(json!({"ManagedBy": "terraform", "Org": p.org}))}],
                    "region": r(&["var.primary_region"]),
                },
            },
            "aws.us_east_1": {
                "name": "aws",
                "full_name": "registry.terraform.io/hashicorp/aws",
                "alias": "us_east_1",
                "version_constraint": "~> 5.0",
                "expressions": {"region": c(json!("us-east-1"))},
            },
        },
        "root_module": {
            "outputs": {
                "ci_token": {"sensitive": true, "expression": r(&["var.org"]), "description": "CI token"},
                "environment": {"expression": r(&["var.environment"])},
                "github_role_arns": {"expression": r(&["aws_iam_role.github"])},
                "vpc_ids": {"expression": r(&["module.region"])},
            },
            "resources": [
                with(with(data("aws_iam_policy_document", "github_trust", json!({
                    "statement": [{
                        "actions": c(json!(["sts:AssumeRoleWithWebIdentity"])),
                        "condition": [
                            {"test": c(json!("StringEquals")), "values": c(json!(["sts.amazonaws.com"])), "variable": c(json!("token.actions.githubusercontent.com:aud"))},
                            {"test": c(json!("StringLike")), "values": r(&["var.org", "each.key"]), "variable": c(json!("token.actions.githubusercontent.com:sub"))},
                        ],
                        "principals": [{"identifiers": r(&["var.github_oidc_provider_arn"]), "type": c(json!("Federated"))}],
                    }],
                })), "for_each_expression", fe.clone()), "provider_config_key", json!("aws.us_east_1")),
                with(with(res("aws_iam_policy", "deploy", json!({
                    "name": r(&["var.environment", "each.key"]),
                    "policy": c(json!("{\"Version\":\"2012-10-17\",\"Statement\":[]}")),
                })), "for_each_expression", fe.clone()), "provider_config_key", json!("aws.us_east_1")),
                with(with(res("aws_iam_role", "github", json!({
                    "assume_role_policy": r(&["data.aws_iam_policy_document.github_trust", "each.key"]),
                    "name": r(&["var.org", "var.environment", "each.key"]),
                })), "for_each_expression", fe.clone()), "provider_config_key", json!("aws.us_east_1")),
                with(with(res("aws_iam_role_policy_attachment", "deploy", json!({
                    "policy_arn": r(&["aws_iam_policy.deploy", "each.key"]),
                    "role": r(&["aws_iam_role.github", "each.key"]),
                })), "for_each_expression", fe), "provider_config_key", json!("aws.us_east_1")),
            ],
            "module_calls": {
                "region": {
                    "source": "./modules/region",
                    "expressions": {
                        "azs": r(&["each.value.azs", "each.value"]),
                        "buckets": r(&["each.value.buckets", "each.value"]),
                        "cidr": r(&["each.value.cidr", "each.value"]),
                        "db_password": r(&["var.db_password"]),
                        "name": r(&["each.key"]),
                        "tags": r(&["var.environment", "each.key"]),
                        "teams": r(&["each.value.teams", "each.value"]),
                    },
                    "for_each_expression": r(&["var.regions"]),
                    "module": region_module(),
                },
            },
            "variables": {
                "db_password": {"description": "Database master password", "sensitive": true},
                "environment": {"default": "dev", "description": "Environment name"},
                "github_oidc_provider_arn": {"default": "", "description": "GitHub OIDC provider"},
                "github_repos": {"description": "Repositories deploying with OIDC"},
                "org": {"description": "Organisation"},
                "primary_region": {"default": "us-east-1"},
                "regions": {"description": "Regions and their settings"},
            },
        },
    })
}

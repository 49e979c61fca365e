//! Tests of the synthetic plan generator.

use planguard_bench::synth::{generate, misconfig, SynthOptions, Synthetic};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const N: usize = 3000;

fn plan() -> &'static (Synthetic, Value) {
    static PLAN: OnceLock<(Synthetic, Value)> = OnceLock::new();
    PLAN.get_or_init(|| {
        let s = generate(&SynthOptions { resources: N, seed: 7 });
        let v: Value = serde_json::from_slice(&s.json).expect("valid JSON");
        (s, v)
    })
}

fn rcs(v: &Value) -> &Vec<Value> {
    v["resource_changes"].as_array().expect("resource_changes")
}

fn actions(rc: &Value) -> String {
    rc["change"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(",")
}

/// Every resource object of a `planned_values`/`prior_state` module tree, with its module address.
fn tree_resources<'a>(m: &'a Value, parent: &str, out: &mut Vec<(String, &'a Value)>) {
    let addr = m["address"].as_str().unwrap_or("").to_string();
    if !parent.is_empty() || !addr.is_empty() {
        assert!(addr.starts_with(parent), "child module {addr} not under {parent}");
    }
    for r in m["resources"].as_array().into_iter().flatten() {
        out.push((addr.clone(), r));
    }
    for c in m["child_modules"].as_array().into_iter().flatten() {
        tree_resources(c, &addr, out);
    }
}

#[test]
fn top_level_shape() {
    let (_, v) = plan();
    assert_eq!(v["format_version"], "1.2");
    assert_eq!(v["terraform_version"], "1.11.4");
    for k in [
        "variables",
        "planned_values",
        "resource_changes",
        "output_changes",
        "prior_state",
        "configuration",
        "relevant_attributes",
        "timestamp",
        "applyable",
        "complete",
        "errored",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["prior_state"]["format_version"], "1.0");
    assert!(v["prior_state"]["values"]["root_module"].is_object());
    assert!(v["planned_values"]["root_module"]["child_modules"].is_array());
    assert!(!v["relevant_attributes"].as_array().unwrap().is_empty());
    assert_eq!(v["errored"], false);
}

#[test]
fn same_seed_same_bytes_different_seed_different_bytes() {
    let a = generate(&SynthOptions {
        resources: 500,
        seed: 42,
    });
    let b = generate(&SynthOptions {
        resources: 500,
        seed: 42,
    });
    let c = generate(&SynthOptions {
        resources: 500,
        seed: 43,
    });
    assert!(a.json == b.json, "same seed must give identical bytes");
    assert_eq!(a.stats, b.stats);
    assert!(a.json != c.json, "different seeds must differ");
}

#[test]
fn stats_add_up_and_match_the_json() {
    let (s, v) = plan();
    let st = &s.stats;
    assert_eq!(st.resources, N);
    assert_eq!(rcs(v).len(), N);
    assert_eq!(st.by_type.values().sum::<usize>(), N);
    assert_eq!(st.by_action.values().sum::<usize>(), N);
    assert_eq!(st.bytes as usize, s.json.len());
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut acts: BTreeMap<String, usize> = BTreeMap::new();
    for rc in rcs(v) {
        let t = rc["type"].as_str().unwrap();
        let key = if rc["mode"] == "data" {
            format!("data.{t}")
        } else {
            t.to_string()
        };
        *types.entry(key).or_default() += 1;
        *acts.entry(actions(rc)).or_default() += 1;
    }
    let want_types: BTreeMap<String, usize> = st.by_type.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let want_acts: BTreeMap<String, usize> = st.by_action.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(types, want_types);
    assert_eq!(acts, want_acts);
    for a in [
        "no-op",
        "create",
        "update",
        "delete",
        "delete,create",
        "create,delete",
        "read",
    ] {
        assert!(acts.get(a).copied().unwrap_or(0) > 0, "no {a} actions");
    }
    assert!(acts["no-op"] + acts["create"] > N / 2);
    for t in [
        "aws_vpc",
        "aws_subnet",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_instance",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_s3_bucket",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_acl",
        "aws_db_instance",
        "aws_lb",
        "aws_lb_listener",
        "aws_nat_gateway",
        "aws_eip",
        "aws_ebs_volume",
        "aws_launch_template",
        "aws_autoscaling_group",
        "data.aws_iam_policy_document",
    ] {
        assert!(types.contains_key(t), "no {t}");
    }
}

#[test]
fn exact_resource_counts() {
    for n in [0, 1, 2, 7, 50, 333] {
        let s = generate(&SynthOptions { resources: n, seed: 5 });
        let v: Value = serde_json::from_slice(&s.json).expect("valid JSON");
        assert_eq!(rcs(&v).len(), n);
        assert_eq!(s.stats.resources, n);
        assert_eq!(s.stats.by_action.values().sum::<usize>(), n);
    }
}

#[test]
fn planned_values_and_prior_state_hold_the_right_instances() {
    let (s, v) = plan();
    let mut planned = Vec::new();
    tree_resources(&v["planned_values"]["root_module"], "", &mut planned);
    let mut prior = Vec::new();
    tree_resources(&v["prior_state"]["values"]["root_module"], "", &mut prior);
    let planned_addrs: BTreeMap<&str, &Value> = planned
        .iter()
        .map(|(_, r)| (r["address"].as_str().unwrap(), *r))
        .collect();
    let prior_addrs: BTreeSet<&str> = prior.iter().map(|(_, r)| r["address"].as_str().unwrap()).collect();
    assert_eq!(planned_addrs.len(), planned.len(), "duplicate planned address");
    for (m, r) in planned.iter().chain(prior.iter()) {
        let a = r["address"].as_str().unwrap();
        if m.is_empty() {
            assert!(!a.starts_with("module."), "{a} in root module");
        } else {
            assert!(a.starts_with(&format!("{m}.")), "{a} not in module {m}");
        }
        for k in [
            "mode",
            "type",
            "name",
            "provider_name",
            "schema_version",
            "values",
            "sensitive_values",
        ] {
            assert!(r.get(k).is_some(), "{a} lacks {k}");
        }
    }
    let mut addrs = BTreeSet::new();
    for rc in rcs(v) {
        let a = rc["address"].as_str().unwrap();
        assert!(addrs.insert(a), "duplicate address {a}");
        let act = actions(rc);
        if act != "delete" {
            let p = planned_addrs
                .get(a)
                .unwrap_or_else(|| panic!("{a} not in planned_values"));
            assert_eq!(p["values"], rc["change"]["after"], "{a}");
            assert_eq!(p["sensitive_values"], rc["change"]["after_sensitive"], "{a}");
        } else {
            assert!(!planned_addrs.contains_key(a), "deleted {a} in planned_values");
        }
        let existed = !matches!(act.as_str(), "create" | "read");
        assert_eq!(prior_addrs.contains(a), existed, "{a} ({act}) in prior_state");
    }
    // Data sources read during planning: in planned_values and prior_state, not changes.
    let plan_read = planned
        .iter()
        .filter(|(_, r)| r["mode"] == "data" && !addrs.contains(r["address"].as_str().unwrap()))
        .count();
    assert_eq!(plan_read, s.stats.data_read_at_plan);
    assert!(plan_read > 0);
}

/// Checks that a mask (after_unknown / *_sensitive) mirrors `value`.
fn check_mirror(mask: &Value, value: Option<&Value>, unknown_ok: bool, path: &str) {
    match mask {
        Value::Bool(true) => {
            if unknown_ok {
                assert!(value.is_none(), "{path}: unknown but present in after");
            }
        }
        Value::Bool(false) => {}
        Value::Object(m) => {
            let Some(v) = value else {
                assert!(m.is_empty() && !unknown_ok, "{path}: mask for absent value");
                return;
            };
            let o = v
                .as_object()
                .unwrap_or_else(|| panic!("{path}: mask object, value {v}"));
            for (k, x) in m {
                let child = o.get(k);
                if child.is_none() && !matches!(x, Value::Bool(true)) {
                    // Sensitivity masks carry [] / {} for unknown collections.
                    assert!(
                        !unknown_ok && (x == &Value::Array(vec![]) || x == &Value::Object(Default::default())),
                        "{path}.{k}: mask for absent value"
                    );
                    continue;
                }
                check_mirror(x, child, unknown_ok, &format!("{path}.{k}"));
            }
        }
        Value::Array(a) => {
            let Some(v) = value else {
                assert!(a.is_empty() && !unknown_ok, "{path}: mask for absent list");
                return;
            };
            let l = v.as_array().unwrap_or_else(|| panic!("{path}: mask list, value {v}"));
            assert_eq!(a.len(), l.len(), "{path}: list length");
            for (i, (x, y)) in a.iter().zip(l).enumerate() {
                check_mirror(x, Some(y), unknown_ok, &format!("{path}[{i}]"));
            }
        }
        other => panic!("{path}: bad mask {other}"),
    }
}

#[test]
fn unknown_and_sensitive_masks_mirror_values() {
    let (_, v) = plan();
    let mut unknown_on_create = 0;
    let mut sensitive = 0;
    for rc in rcs(v) {
        let a = rc["address"].as_str().unwrap();
        let ch = &rc["change"];
        for k in [
            "actions",
            "before",
            "after",
            "after_unknown",
            "before_sensitive",
            "after_sensitive",
        ] {
            assert!(ch.get(k).is_some(), "{a}: change lacks {k}");
        }
        let act = actions(rc);
        let after = if ch["after"].is_null() {
            None
        } else {
            Some(&ch["after"])
        };
        let before = if ch["before"].is_null() {
            None
        } else {
            Some(&ch["before"])
        };
        assert!(ch["after_unknown"].is_object(), "{a}");
        if after.is_some() {
            check_mirror(&ch["after_unknown"], after, true, a);
            check_mirror(&ch["after_sensitive"], after, false, a);
        } else {
            assert_eq!(act, "delete");
            assert_eq!(ch["after_sensitive"], false);
            assert_eq!(ch["after_unknown"], serde_json::json!({}));
        }
        if before.is_some() {
            check_mirror(&ch["before_sensitive"], before, false, a);
        } else {
            assert_eq!(ch["before_sensitive"], false, "{a}");
        }
        if act == "create" && ch["after_unknown"]["id"] == true {
            unknown_on_create += 1;
        }
        if ch["after_sensitive"].to_string().contains("true") {
            sensitive += 1;
        }
        match act.as_str() {
            "no-op" => assert_eq!(ch["before"], ch["after"], "{a}"),
            "update" => assert_ne!(ch["before"], ch["after"], "{a}"),
            "delete,create" | "create,delete" => {
                assert!(rc["action_reason"].is_string(), "{a}");
                if rc["action_reason"] == "replace_because_cannot_update" {
                    let rp = ch["replace_paths"].as_array().expect("replace_paths");
                    assert!(!rp.is_empty());
                }
            }
            "read" => {
                assert_eq!(rc["mode"], "data");
                assert!(rc["action_reason"].as_str().unwrap().starts_with("read_because"));
            }
            _ => {}
        }
        if rc["type"] == "aws_db_instance" && after.is_some() {
            assert_eq!(ch["after_sensitive"]["password"], true, "{a}");
        }
    }
    assert!(unknown_on_create > 0);
    assert!(sensitive > 0);
}

fn policy_is_wildcard(doc: &str) -> bool {
    let v: Value = serde_json::from_str(doc).expect("policy JSON");
    v["Statement"].as_array().unwrap().iter().any(|s| {
        let star = |x: &Value| x == "*" || x.as_array().is_some_and(|a| a.iter().any(|y| y == "*"));
        s["Effect"] == "Allow" && star(&s["Action"]) && star(&s["Resource"])
    })
}

#[test]
#[allow(clippy::collapsible_match)] // one arm per resource type reads better
fn misconfiguration_counts_match_the_plan() {
    let (s, v) = plan();
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    let mut planned = Vec::new();
    tree_resources(&v["planned_values"]["root_module"], "", &mut planned);
    let by_addr: BTreeMap<&str, &Value> = planned
        .iter()
        .map(|(_, r)| (r["address"].as_str().unwrap(), *r))
        .collect();
    let mut buckets = Vec::new();
    let mut sse = BTreeSet::new();
    for rc in rcs(v) {
        let after = &rc["change"]["after"];
        if after.is_null() {
            continue;
        }
        let addr = rc["address"].as_str().unwrap();
        let mut hit = |k| *found.entry(k).or_default() += 1;
        match rc["type"].as_str().unwrap() {
            "aws_security_group" => {
                let open = after["ingress"].as_array().unwrap().iter().any(|r| {
                    r["from_port"].as_u64().unwrap() <= 22
                        && r["to_port"].as_u64().unwrap() >= 22
                        && r["cidr_blocks"].as_array().unwrap().iter().any(|c| c == "0.0.0.0/0")
                });
                if open {
                    hit(misconfig::SG_OPEN_SSH);
                }
            }
            "aws_security_group_rule" => {
                if after["type"] == "ingress"
                    && after["from_port"] == 22
                    && after["cidr_blocks"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|c| c == "0.0.0.0/0"))
                {
                    hit(misconfig::SG_RULE_OPEN_SSH);
                }
            }
            "aws_instance" => {
                if after["associate_public_ip_address"] == true {
                    hit(misconfig::INSTANCE_PUBLIC_IP);
                }
                if after["metadata_options"][0]["http_tokens"] == "optional" {
                    hit(misconfig::INSTANCE_IMDSV1);
                }
            }
            "aws_iam_policy" | "aws_iam_role_policy" => {
                if policy_is_wildcard(after["policy"].as_str().unwrap()) {
                    hit(misconfig::IAM_WILDCARD_POLICY);
                }
            }
            "aws_iam_role_policy_attachment" => {
                if after["policy_arn"] == "arn:aws:iam::aws:policy/AdministratorAccess" {
                    hit(misconfig::IAM_ADMIN_ATTACHMENT);
                }
            }
            "aws_iam_role" => {
                // The trust policy may be unknown (its data source is read
                // at apply): look at the data source's statements instead.
                let m = rc["module_address"].as_str().unwrap_or("");
                let doc = if m.is_empty() {
                    format!("data.aws_iam_policy_document.github_trust[{}]", rc["index"])
                } else {
                    format!("{m}.data.aws_iam_policy_document.assume")
                };
                let d = by_addr.get(doc.as_str()).unwrap_or_else(|| panic!("{doc}"));
                let st = &d["values"]["statement"][0];
                if st["actions"][0] == "sts:AssumeRoleWithWebIdentity" && st["condition"].as_array().unwrap().is_empty()
                {
                    hit(misconfig::OIDC_TRUST_NO_CONDITION);
                }
                if let Some(p) = after["assume_role_policy"].as_str() {
                    let web = p.contains("AssumeRoleWithWebIdentity");
                    assert_eq!(
                        web && !p.contains("Condition"),
                        web && st["condition"].as_array().unwrap().is_empty(),
                        "{addr}"
                    );
                }
            }
            "aws_s3_bucket" => buckets.push(addr.to_string()),
            "aws_s3_bucket_server_side_encryption_configuration" => {
                sse.insert(addr.replace("aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket"));
            }
            "aws_s3_bucket_acl" => {
                if after["acl"] == "public-read" {
                    hit(misconfig::S3_PUBLIC_ACL);
                }
            }
            "aws_s3_bucket_public_access_block" => {
                if [
                    "block_public_acls",
                    "block_public_policy",
                    "ignore_public_acls",
                    "restrict_public_buckets",
                ]
                .iter()
                .all(|k| after[*k] == false)
                {
                    hit(misconfig::S3_PUBLIC_ACCESS_NOT_BLOCKED);
                }
            }
            "aws_ebs_volume" => {
                if after["encrypted"] == false {
                    hit(misconfig::EBS_UNENCRYPTED);
                }
            }
            "aws_db_instance" => {
                if after["storage_encrypted"] == false {
                    hit(misconfig::RDS_UNENCRYPTED);
                }
                if after["publicly_accessible"] == true {
                    hit(misconfig::RDS_PUBLIC);
                }
            }
            _ => {}
        }
    }
    let unenc = buckets.iter().filter(|b| !sse.contains(*b)).count();
    if unenc > 0 {
        found.insert(misconfig::S3_UNENCRYPTED, unenc);
    }
    let want: BTreeMap<&str, usize> = s.stats.misconfigs.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(found, want);
    for k in [
        misconfig::SG_OPEN_SSH,
        misconfig::INSTANCE_PUBLIC_IP,
        misconfig::INSTANCE_IMDSV1,
        misconfig::IAM_WILDCARD_POLICY,
        misconfig::OIDC_TRUST_NO_CONDITION,
        misconfig::EBS_UNENCRYPTED,
    ] {
        assert!(want.get(k).copied().unwrap_or(0) > 0, "no {k} in {N} resources");
    }
    assert!(want.keys().all(|k| misconfig::ALL.contains(k)));
}

// --- configuration --------------------------------------------------------

fn refs_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(r)) = m.get("references") {
                out.extend(r.iter().map(|x| x.as_str().unwrap().to_string()));
            }
            for (k, x) in m {
                if k != "references" && k != "constant_value" {
                    refs_in(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        _ => {}
    }
}

fn check_ref(module: &Value, r: &str, iter: Option<&str>, ctx: &str) {
    let parts: Vec<&str> = r.split('.').collect();
    let strip = |s: &str| s.split('[').next().unwrap().to_string();
    match parts[0] {
        "var" => assert!(
            module["variables"].get(strip(parts[1])).is_some(),
            "{ctx}: unknown variable {r}"
        ),
        "count" => assert_eq!(iter, Some("count"), "{ctx}: {r} without count"),
        "each" => assert_eq!(iter, Some("each"), "{ctx}: {r} without for_each"),
        "module" => {
            let call = &module["module_calls"][strip(parts[1])];
            assert!(call.is_object(), "{ctx}: unknown module {r}");
            if parts.len() > 2 {
                assert!(
                    call["module"]["outputs"].get(strip(parts[2])).is_some(),
                    "{ctx}: unknown module output {r}"
                );
            }
        }
        "local" | "path" | "terraform" | "self" => panic!("{ctx}: unexpected {r}"),
        _ => {
            let addr = if parts[0] == "data" {
                format!("data.{}.{}", parts[1], strip(parts[2]))
            } else {
                format!("{}.{}", parts[0], strip(parts[1]))
            };
            let found = module["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|res| res["address"] == addr.as_str());
            assert!(found, "{ctx}: reference {r} names no resource");
        }
    }
}

fn iter_kind(block: &Value) -> Option<&'static str> {
    if block.get("count_expression").is_some() {
        Some("count")
    } else if block.get("for_each_expression").is_some() {
        Some("each")
    } else {
        None
    }
}

fn check_module(module: &Value, path: &str, providers: &Value, total: &mut usize) {
    for res in module["resources"].as_array().into_iter().flatten() {
        let addr = res["address"].as_str().unwrap();
        let ctx = format!("{path}{addr}");
        let key = res["provider_config_key"].as_str().unwrap();
        assert!(providers.get(key).is_some(), "{ctx}: provider {key}");
        let mut refs = Vec::new();
        refs_in(&res["expressions"], &mut refs);
        for k in ["count_expression", "for_each_expression"] {
            if let Some(e) = res.get(k) {
                let mut r = Vec::new();
                refs_in(e, &mut r);
                for x in r {
                    assert!(!x.starts_with("each.") && !x.starts_with("count."));
                    check_ref(module, &x, None, &ctx);
                }
            }
        }
        for r in &refs {
            check_ref(module, r, iter_kind(res), &ctx);
            *total += 1;
        }
        for d in res["depends_on"].as_array().into_iter().flatten() {
            check_ref(module, d.as_str().unwrap(), None, &ctx);
        }
    }
    for (name, out) in module["outputs"].as_object().into_iter().flatten() {
        let mut refs = Vec::new();
        refs_in(&out["expression"], &mut refs);
        for r in refs {
            check_ref(module, &r, None, &format!("{path}output.{name}"));
        }
    }
    for (name, call) in module["module_calls"].as_object().into_iter().flatten() {
        let ctx = format!("{path}module.{name}");
        assert!(call["source"].is_string());
        let child = &call["module"];
        for (var, e) in call["expressions"].as_object().unwrap() {
            assert!(child["variables"].get(var).is_some(), "{ctx}: no variable {var}");
            let mut refs = Vec::new();
            refs_in(e, &mut refs);
            for r in refs {
                check_ref(module, &r, iter_kind(call), &ctx);
                *total += 1;
            }
        }
        for d in call["depends_on"].as_array().into_iter().flatten() {
            check_ref(module, d.as_str().unwrap(), None, &ctx);
        }
        check_module(child, &format!("{ctx}."), providers, total);
    }
}

#[test]
fn configuration_references_name_existing_objects() {
    let (_, v) = plan();
    let cfg = &v["configuration"];
    let providers = &cfg["provider_config"];
    assert!(providers["aws"].is_object());
    assert_eq!(providers["aws.us_east_1"]["alias"], "us_east_1");
    let root = &cfg["root_module"];
    for (_, p) in providers.as_object().unwrap() {
        let mut refs = Vec::new();
        refs_in(&p["expressions"], &mut refs);
        for r in refs {
            check_ref(root, &r, None, "provider");
        }
    }
    let mut total = 0;
    check_module(root, "", providers, &mut total);
    assert!(total > 100, "only {total} references");
    let region = &root["module_calls"]["region"];
    assert_eq!(
        region["module"]["module_calls"]["team"]["expressions"]["vpc_id"]["references"],
        serde_json::json!(["module.network.vpc_id", "module.network"])
    );
    // Root variables have values.
    for (k, _) in root["variables"].as_object().unwrap() {
        assert!(v["variables"][k]["value"] != Value::Null, "variable {k} has no value");
    }
}

/// Finds the configuration module of a module instance address.
fn config_module<'a>(root: &'a Value, module_address: &str) -> &'a Value {
    let mut m = root;
    if module_address.is_empty() {
        return m;
    }
    for part in module_address.split("module.").filter(|s| !s.is_empty()) {
        let name = part.trim_end_matches('.').split('[').next().unwrap();
        m = &m["module_calls"][name]["module"];
        assert!(m.is_object(), "no module call for {module_address}");
    }
    m
}

#[test]
fn instances_match_their_configuration_blocks() {
    let (_, v) = plan();
    let root = &v["configuration"]["root_module"];
    for rc in rcs(v) {
        let a = rc["address"].as_str().unwrap();
        let m = config_module(root, rc["module_address"].as_str().unwrap_or(""));
        let caddr = if rc["mode"] == "data" {
            format!("data.{}.{}", rc["type"].as_str().unwrap(), rc["name"].as_str().unwrap())
        } else {
            format!("{}.{}", rc["type"].as_str().unwrap(), rc["name"].as_str().unwrap())
        };
        let block = m["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == caddr.as_str())
            .unwrap_or_else(|| panic!("{a}: no configuration block {caddr}"));
        match iter_kind(block) {
            Some("count") => assert!(rc["index"].is_u64(), "{a}: count index"),
            Some(_) => assert!(rc["index"].is_string(), "{a}: for_each key"),
            None => assert!(rc.get("index").is_none(), "{a}: unexpected index"),
        }
        let idx = match &rc["index"] {
            Value::Null => String::new(),
            Value::String(s) => format!("[\"{s}\"]"),
            n => format!("[{n}]"),
        };
        let prefix = rc["module_address"]
            .as_str()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        assert_eq!(a, format!("{prefix}{caddr}{idx}"));
    }
}

#[test]
fn size_scales_linearly() {
    let small = generate(&SynthOptions {
        resources: 1000,
        seed: 11,
    });
    let big = generate(&SynthOptions {
        resources: 10_000,
        seed: 11,
    });
    let ratio = big.json.len() as f64 / small.json.len() as f64;
    assert!((8.0..=12.0).contains(&ratio), "10x resources gave {ratio:.2}x bytes");
    let per = big.json.len() / 10_000;
    assert!((2_000..=6_000).contains(&per), "{per} bytes per resource");
}

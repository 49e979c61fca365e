//! Behaviour of the graph on the Terraform fixtures and on hand-written plans.

use std::path::{Path, PathBuf};

use planguard_graph::{Built, EdgeKind, Graph, GraphOptions, NodeKind, View};
use planguard_plan::{load_file, parse_bytes, ActionKind, LoadOptions, Plan};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/terraform")
        .join(name)
}

fn load(name: &str) -> Plan {
    load_file(&fixture(name).join("plan.json"), &LoadOptions::default())
        .unwrap()
        .plan
}

fn build(plan: &Plan, source: Option<&str>) -> Built {
    Graph::build(
        plan,
        &GraphOptions {
            source_dir: source.map(fixture),
        },
    )
    .unwrap()
}

fn parse(json: &str) -> Plan {
    parse_bytes(json.as_bytes(), Path::new("test.json")).unwrap().plan
}

fn names(g: &Graph, list: &[(planguard_graph::NodeId, Option<String>)]) -> Vec<(String, Option<String>)> {
    list.iter()
        .map(|(id, a)| (g.node(*id).address.clone(), a.clone()))
        .collect()
}

#[test]
fn resolves_instances_through_modules() {
    let plan = load("graph-chains");
    let built = build(&plan, Some("graph-chains"));
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    let g = &built.graph;
    let c0 = g.node_id("module.counted[0].terraform_data.c").unwrap();
    assert_eq!(
        names(g, &g.resource_dependencies(c0)),
        vec![
            (
                "module.outer[\"a\"].module.inner[0].terraform_data.i".to_string(),
                Some("input".to_string())
            ),
            (
                "module.outer[\"a\"].module.inner[1].terraform_data.i".to_string(),
                Some("input".to_string())
            ),
            ("terraform_data.gate".to_string(), None),
        ],
        "module.outer[\"a\"] only, and the module call's depends_on"
    );
    let pick = g.node_id("terraform_data.pick").unwrap();
    assert_eq!(
        names(g, &g.resource_dependencies(pick)),
        vec![("terraform_data.fe[\"x\"]".to_string(), Some("input".to_string()))]
    );
    // Through two locals.
    let via = g.node_id("terraform_data.via_locals").unwrap();
    assert_eq!(
        names(g, &g.resource_dependencies(via)),
        vec![("terraform_data.seed".to_string(), Some("input".to_string()))]
    );
    // A module without resources relays a value.
    let relayed = g.node_id("terraform_data.relayed").unwrap();
    assert_eq!(
        names(g, &g.resource_dependencies(relayed)),
        vec![("terraform_data.pick".to_string(), Some("input".to_string()))]
    );
    // Dependents carry their own attribute.
    let doc = g.node_id("data.aws_iam_policy_document.doc").unwrap();
    assert_eq!(g.node(doc).action, Some(ActionKind::Read));
    assert_eq!(
        names(g, &g.resource_dependents(doc)),
        vec![("aws_iam_policy.p".to_string(), Some("policy".to_string()))]
    );
    // The count = 0 resource stands as a keyless node without action.
    let zero = g.node(g.node_id("terraform_data.zero").unwrap());
    assert_eq!((zero.kind, zero.action), (NodeKind::Resource, None));
    // The provider is configured from a local.
    let provider = g.node_id("provider[\"registry.terraform.io/hashicorp/aws\"]").unwrap();
    assert_eq!(g.node(provider).kind, NodeKind::Provider);
    let deps = g.dependencies(provider);
    assert_eq!(g.node(deps[0].0).address, "local.region");
    // for_each over a resource: the module's resources depend on every instance.
    let fe_mod = g.node_id("module.fe_mod[\"x\"].terraform_data.c").unwrap();
    assert_eq!(
        names(g, &g.resource_dependencies(fe_mod)),
        vec![
            ("terraform_data.fe[\"x\"]".to_string(), None),
            ("terraform_data.fe[\"y\"]".to_string(), None)
        ]
    );
    let edge = g
        .dependencies(g.node_id("module.fe_mod[\"x\"]").unwrap())
        .into_iter()
        .map(|(_, e)| e.via)
        .collect::<Vec<_>>();
    assert_eq!(edge, vec![EdgeKind::ForEach, EdgeKind::ForEach]);
}

#[test]
fn locals_without_sources_are_dangling_with_a_warning() {
    let plan = load("graph-chains");
    let built = build(&plan, None);
    let codes: Vec<&str> = built.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, vec!["locals-not-followed"]);
    assert!(built.warnings[0].message.contains("--source-dir"));
    let g = &built.graph;
    let local = g.node(g.node_id("local.derived").unwrap());
    assert_eq!(local.kind, NodeKind::Local);
    assert!(local.dangling);
    let via = g.node_id("terraform_data.via_locals").unwrap();
    assert!(g.resource_dependencies(via).is_empty());
}

#[test]
fn plan_without_configuration_still_has_nodes() {
    let plan = parse(
        r#"{"format_version":"1.2","resource_changes":[
        {"address":"aws_vpc.a","type":"aws_vpc","name":"a","change":{"actions":["create"]}},
        {"address":"module.m[\"k\"].aws_subnet.b[0]","module_address":"module.m[\"k\"]","type":"aws_subnet","name":"b","index":0,"change":{"actions":["delete"]}}]}"#,
    );
    let built = Graph::build(&plan, &GraphOptions::default()).unwrap();
    assert_eq!(
        built.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        vec!["no-configuration"]
    );
    let g = &built.graph;
    assert_eq!(g.len(), 2);
    assert_eq!(g.edge_count(), 0);
    let b = g.node(g.node_id("module.m[\"k\"].aws_subnet.b[0]").unwrap());
    assert_eq!(
        (b.module.as_str(), b.action),
        ("module.m[\"k\"]", Some(ActionKind::Delete))
    );
    assert_eq!(g.topological_changes().unwrap().len(), 2);
    assert!(g
        .to_text(&View::default())
        .contains("- module.m[\"k\"].aws_subnet.b[0] (delete)"));
}

#[test]
fn dangling_references_are_kept_and_reported() {
    let plan = parse(
        r#"{"format_version":"1.2","resource_changes":[
        {"address":"aws_subnet.a","type":"aws_subnet","name":"a","change":{"actions":["create"]}}],
        "configuration":{"root_module":{"resources":[
        {"address":"aws_subnet.a","type":"aws_subnet","name":"a","expressions":{
          "vpc_id":{"references":["aws_vpc.gone.id","aws_vpc.gone"]},
          "tags":{"references":["var.undeclared","module.nope.x","each.key","path.module"]},
          "cidr_block":{"references":["local.cidr"]}}}]}}}"#,
    );
    let built = Graph::build(&plan, &GraphOptions::default()).unwrap();
    let codes: Vec<&str> = built.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, vec!["locals-not-followed", "dangling-references"]);
    let g = &built.graph;
    let a = g.node_id("aws_subnet.a").unwrap();
    let deps: Vec<(String, NodeKind, Option<String>)> = g
        .dependencies(a)
        .into_iter()
        .map(|(id, e)| {
            (
                g.node(id).address.clone(),
                g.node(id).kind,
                e.attribute.as_deref().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        deps,
        vec![
            ("aws_vpc.gone".into(), NodeKind::Dangling, Some("vpc_id".into())),
            ("local.cidr".into(), NodeKind::Local, Some("cidr_block".into())),
            ("module.nope".into(), NodeKind::Dangling, Some("tags".into())),
            ("var.undeclared".into(), NodeKind::Dangling, Some("tags".into())),
        ]
    );
    assert_eq!(
        g.node(g.node_id("aws_vpc.gone").unwrap()).resource_type.as_deref(),
        Some("aws_vpc")
    );
}

#[test]
fn cycles_are_reported_not_looped_on() {
    let plan = parse(
        r#"{"format_version":"1.2","resource_changes":[
        {"address":"null_resource.a","type":"null_resource","name":"a","change":{"actions":["create"]}},
        {"address":"null_resource.b","type":"null_resource","name":"b","change":{"actions":["update"]}},
        {"address":"null_resource.c","type":"null_resource","name":"c","change":{"actions":["create"]}}],
        "configuration":{"root_module":{"resources":[
        {"address":"null_resource.a","type":"null_resource","name":"a","expressions":{"triggers":{"references":["null_resource.b.id"]}}},
        {"address":"null_resource.b","type":"null_resource","name":"b","depends_on":["null_resource.a"]},
        {"address":"null_resource.c","type":"null_resource","name":"c","expressions":{"triggers":{"references":["null_resource.c.id"]}}}]}}}"#,
    );
    let built = Graph::build(&plan, &GraphOptions::default()).unwrap();
    assert_eq!(
        built.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        vec!["dependency-cycle"]
    );
    let g = &built.graph;
    let ids = |list: &[&str]| list.iter().map(|a| g.node_id(a).unwrap()).collect::<Vec<_>>();
    assert_eq!(
        g.cycles(),
        vec![ids(&["null_resource.a", "null_resource.b"]), ids(&["null_resource.c"])]
    );
    let err = g.topological_changes().unwrap_err();
    assert_eq!(err.nodes, ids(&["null_resource.a", "null_resource.b"]));
    let a = g.node_id("null_resource.a").unwrap();
    assert_eq!(g.blast_radius(a).nodes, ids(&["null_resource.b"]));
    assert_eq!(g.depth(a), g.depth(g.node_id("null_resource.b").unwrap()));
    let text = g.to_text(&View::default());
    assert!(
        text.contains("Dependency cycle: null_resource.a <-> null_resource.b"),
        "{text}"
    );
    for render in [
        g.to_dot(&View::default()),
        g.to_mermaid(&View::default()),
        g.to_json(&View::default()),
    ] {
        assert!(render.contains("null_resource.b"));
    }
}

#[test]
fn blast_radius_and_order_on_changes() {
    let plan = load("changes");
    let g = build(&plan, Some("changes")).graph;
    let update = g.node_id("terraform_data.update_me").unwrap();
    let radius = g.blast_radius(update);
    let reached: Vec<&str> = radius.nodes.iter().map(|&id| g.node(id).address.as_str()).collect();
    assert_eq!(reached, vec!["output.new_output", "terraform_data.new_one"]);
    assert_eq!(radius.worst_action, Some(ActionKind::Update));
    let order: Vec<&str> = g
        .topological_changes()
        .unwrap()
        .iter()
        .map(|&id| g.node(id).address.as_str())
        .collect();
    let pos = |a: &str| order.iter().position(|x| *x == a).unwrap();
    assert!(pos("terraform_data.update_me") < pos("terraform_data.new_one"));
    assert!(!order.contains(&"terraform_data.keep"), "no-op is not a change");
    assert!(order.contains(&"output.new_output"), "output changes are changes");
    assert_eq!(g.depth(g.node_id("terraform_data.new_one").unwrap()), 1);
}

#[test]
fn views_cut_the_graph() {
    let plan = load("graph-chains");
    let g = build(&plan, Some("graph-chains")).graph;
    let focus = View {
        focus: Some("terraform_data.pick".into()),
        ..View::default()
    };
    let dot = g.to_dot(&focus);
    for present in [
        "terraform_data.pick",
        "terraform_data.fe[\\\"x\\\"]",
        "terraform_data.relayed",
    ] {
        assert!(dot.contains(present), "{present} missing in\n{dot}");
    }
    assert!(!dot.contains("terraform_data.seed"), "{dot}");
    let near = View {
        focus: Some("terraform_data.final".into()),
        depth: Some(1),
        ..View::default()
    };
    let mermaid = g.to_mermaid(&near);
    assert!(mermaid.contains("data.aws_iam_policy_document.doc"));
    assert!(mermaid.contains("module.counted[0]") || mermaid.contains("module.counted#91;0#93;"));
    assert!(!mermaid.contains("aws_iam_policy.p "), "two hops away:\n{mermaid}");
    let unknown = View {
        focus: Some("nope.nope".into()),
        ..View::default()
    };
    assert!(g.to_json(&unknown).contains("\"nodes\": []"));

    let changes = build(&load("changes"), Some("changes")).graph;
    let changed = View {
        changed_only: true,
        ..View::default()
    };
    let json: serde_json::Value = serde_json::from_str(&changes.to_json(&changed)).unwrap();
    let nodes: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["address"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"terraform_data.update_me"));
    assert!(!nodes.contains(&"terraform_data.keep"));
    assert!(!nodes.contains(&"terraform_data.pool[0]"));
}

#[test]
fn output_is_deterministic() {
    let plan = load("modules");
    let a = build(&plan, Some("modules")).graph;
    let b = build(&plan, Some("modules")).graph;
    let v = View::default();
    assert_eq!(a.to_json(&v), b.to_json(&v));
    assert_eq!(a.to_dot(&v), b.to_dot(&v));
    assert_eq!(a.to_mermaid(&v), b.to_mermaid(&v));
    let addresses: Vec<&str> = a.nodes().map(|(_, n)| n.address.as_str()).collect();
    let mut sorted = addresses.clone();
    sorted.sort();
    assert_eq!(addresses, sorted);
}

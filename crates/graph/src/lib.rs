//! The dependency graph of a Terraform plan: what a change reaches before it is applied.
//!
//! [`Graph::build`] reads a [`Plan`](planguard_plan::Plan) (as loaded by `planguard-plan`) and
//! makes one node per resource and data source instance (with its planned action), per module
//! instance, input variable, output, local value and, where their arguments reference something,
//! provider configuration. Edges come from the plan's `configuration` section: every
//! `references` list of every argument and nested block, `count` and `for_each`, `depends_on`,
//! module call arguments into module variables and module outputs used outside. References are
//! resolved per module instance to the instances they mean (`aws_subnet.a[0]` to that instance,
//! `aws_subnet.a` to all of them). An edge `A -> B` means *A depends on B*, the direction
//! `terraform graph` draws.
//!
//! The plan JSON does not describe `locals` blocks; give [`GraphOptions::source_dir`] to read
//! them from the `.tf` files, as Terraform's own graph follows them.
//!
//! ```
//! use std::path::Path;
//! use planguard_graph::{Graph, GraphOptions, View};
//! use planguard_plan::{parse_bytes, ActionKind};
//!
//! let json = br#"{
//!   "format_version": "1.2",
//!   "resource_changes": [
//!     {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main",
//!      "change": {"actions": ["delete", "create"]}},
//!     {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a",
//!      "change": {"actions": ["no-op"]}}
//!   ],
//!   "configuration": {"root_module": {"resources": [
//!     {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main"},
//!     {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a",
//!      "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}}
//!   ]}}
//! }"#;
//! let plan = parse_bytes(json, Path::new("plan.json")).unwrap().plan;
//! let built = Graph::build(&plan, &GraphOptions::default()).unwrap();
//! let graph = built.graph;
//! let vpc = graph.node_id("aws_vpc.main").unwrap();
//! let subnet = graph.node_id("aws_subnet.a").unwrap();
//!
//! // The subnet depends on the VPC through its `vpc_id` argument.
//! assert_eq!(graph.resource_dependencies(subnet), vec![(vpc, Some("vpc_id".to_string()))]);
//! // Replacing the VPC reaches the subnet.
//! let radius = graph.blast_radius(vpc);
//! assert_eq!(radius.nodes, vec![subnet]);
//! assert_eq!(radius.worst_action, Some(ActionKind::Replace));
//! assert_eq!(graph.topological_changes().unwrap(), vec![vpc]);
//! assert!(graph.to_text(&View::default()).contains("aws_vpc.main"));
//! ```
//!
//! # JSON format
//!
//! [`Graph::to_json`] writes one object (keys in this order, arrays sorted as described):
//!
//! ```json
//! {
//!   "nodes": [
//!     {"address": "aws_subnet.a", "kind": "resource", "type": "aws_subnet", "module": "",
//!      "action": "no-op", "change_index": 1, "dangling": false, "depth": 1},
//!     {"address": "aws_vpc.main", "kind": "resource", "type": "aws_vpc", "module": "",
//!      "action": "replace", "change_index": 0, "dangling": false, "depth": 0}
//!   ],
//!   "edges": [
//!     {"from": "aws_subnet.a", "to": "aws_vpc.main", "via": "reference", "attribute": "vpc_id"}
//!   ]
//! }
//! ```
//!
//! - `nodes`, sorted by `address` (byte order):
//!   - `address`: the full address. Resources and data sources as in the plan
//!     (`module.net["a"].aws_subnet.s[0]`; a deposed object gets ` (deposed KEY)` appended; a
//!     `resource` block with no instance in the plan has no key). Others:
//!     `module.net["a"]` (module instance), `module.net["a"].var.cidr`, `var.x` (variables),
//!     `module.net["a"].output.id`, `output.x` (outputs), `local.x`, `module.net.local.y`
//!     (locals), `provider["registry.terraform.io/hashicorp/aws"].eu` (providers).
//!   - `kind`: `resource`, `data`, `module_call`, `output`, `variable`, `local`, `provider` or
//!     `dangling` (referenced but not in the plan).
//!   - `type`: the resource type for `resource`, `data` and dangling resource references,
//!     otherwise `null`.
//!   - `module`: the module instance holding the node, `""` for the root module.
//!   - `action`: `create`, `update`, `replace`, `delete`, `read`, `forget` or `no-op` for
//!     resource instances in `resource_changes` and root outputs in `output_changes`; `null`
//!     for everything else.
//!   - `change_index`: the index into the plan's `resource_changes`, or `null`.
//!   - `dangling`: `true` for references the plan cannot resolve (kind `dangling`, or a
//!     `local` whose sources were not given).
//!   - `depth`: the length of the longest dependency chain below the node (0 for a node that
//!     depends on nothing; nodes of a cycle share one depth).
//! - `edges`, sorted by `from`, `to`, `via`, `attribute`: `from` depends on `to`.
//!   - `via`: why: `reference` (an expression refers to it), `depends_on`, `count`,
//!     `for_each`, `module_input` (a module variable from the call's argument), `module_output`
//!     (a module output from its value), `module` (a node inside a module instance whose call has
//!     `count`/`for_each` references or `depends_on`, or a nested module instance on its parent),
//!     `provider` (a resource on a provider configuration with references), `state` (a resource
//!     no longer configured, from the dependencies recorded in state).
//!   - `attribute`: the top-level argument of the referencing expression
//!     (`vpc_security_group_ids`; `count`/`for_each`; the variable name for `module_input`) or
//!     `null`.
//!
//! A [`View`] filters nodes first; edges are kept when both ends are kept.
#![deny(missing_docs)]

mod addr_index;
mod build;
pub mod error;
mod model;
mod query;
mod refs;
mod render;
mod source;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use rayon::prelude::*;

pub use error::GraphError;
pub use model::{BlastRadius, Built, CappedRadius, Cycle, Edge, EdgeKind, GraphOptions, Node, NodeId, NodeKind, View};
pub use source::SourceValue;

/// Nodes with the attribute that links them.
type AttributedList = Vec<(NodeId, Option<std::sync::Arc<str>>)>;

/// The dependency graph of one plan. See the [crate docs](crate).
///
/// Node ids are assigned in address order, so every list the graph returns is deterministic.
#[derive(Debug)]
pub struct Graph {
    /// The edges; node weights live in `nodes` (same indices), which keeps petgraph's node
    /// array small: adding edges and walking them touch it at random.
    graph: DiGraph<(), Edge, u32>,
    nodes: Vec<Node>,
    by_address: addr_index::AddrIndex,
    depth: Vec<u32>,
    cycles: Vec<Vec<NodeId>>,
    /// Per node, the worst action of it and everything that depends on it (see
    /// [`Graph::worst_reachable_action`]).
    worst_reach: Vec<Option<planguard_plan::ActionKind>>,
    resource_deps: Vec<OnceLock<AttributedList>>,
    resource_rdeps: Vec<OnceLock<AttributedList>>,
    /// Arguments written as `jsonencode(...)` in the `.tf` sources, when they were given.
    source_documents: HashMap<String, BTreeMap<String, SourceValue>>,
}

impl Graph {
    /// Builds the graph of a plan.
    ///
    /// Errors only when [`GraphOptions::source_dir`] cannot be read. Everything else the plan
    /// lacks is a warning in [`Built::warnings`]: a plan without `configuration` gets a graph of
    /// its nodes without edges; references to things not in the plan become dangling nodes;
    /// cycles are reported.
    pub fn build(plan: &planguard_plan::Plan, options: &GraphOptions) -> Result<Built, GraphError> {
        let mut pre_warnings = Vec::new();
        let sources = match (&options.source_dir, &plan.configuration) {
            (Some(dir), Some(config)) => Some(source::read_sources(dir, &config.root_module, &mut pre_warnings)?),
            _ => None,
        };
        let had_sources = sources.is_some();
        let mut sources = sources;
        let source_documents = sources
            .as_mut()
            .map(|s| std::mem::take(&mut s.documents))
            .unwrap_or_default();
        let mut b = build::Builder::new(plan, sources);
        b.warnings.append(&mut pre_warnings);
        b.add_plan_resources();
        if plan.configuration.is_some() {
            b.add_configuration();
        } else {
            b.warnings.push(planguard_plan::Warning {
                code: "no-configuration",
                message: "the plan has no `configuration` section (an older or filtered plan): the graph has its \
                          resources but their dependencies are unknown"
                    .into(),
            });
        }
        b.finish_warnings(had_sources);
        let mut warnings = std::mem::take(&mut b.warnings);
        let mut graph = Graph::finish(b.nodes, b.edges, b.by_addr, b.attr_names)?;
        graph.source_documents = source_documents;
        if !graph.cycles.is_empty() {
            let first: Vec<&str> = graph.cycles[0]
                .iter()
                .map(|&id| graph.node(id).address.as_str())
                .collect();
            warnings.push(planguard_plan::Warning {
                code: "dependency-cycle",
                message: format!(
                    "{} dependency cycle(s); the first joins {}",
                    graph.cycles.len(),
                    first.join(", ")
                ),
            });
        }
        Ok(Built { graph, warnings })
    }

    fn finish(
        nodes: Vec<Node>,
        mut edges: Vec<build::RawEdge>,
        mut by_addr: addr_index::AddrIndex,
        attr_names: Vec<String>,
    ) -> Result<Graph, GraphError> {
        if nodes.len() >= u32::MAX as usize {
            return Err(GraphError::TooLarge(nodes.len()));
        }
        // Addresses are unique (the builder adds each once), so an unstable sort gives the one
        // order there is; sorting (address, id) pairs keeps the compared strings' pointers in
        // one dense array rather than in the nodes.
        let mut keyed: Vec<(&str, u32)> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.address.as_str(), i as u32))
            .collect();
        keyed.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let order: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
        let mut rank = vec![0u32; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        // Attribute ids in name order, so that sorting ids sorts names.
        let mut attr_order: Vec<u32> = (0..attr_names.len() as u32).collect();
        attr_order.sort_unstable_by(|&a, &b| attr_names[a as usize].cmp(&attr_names[b as usize]));
        let mut attr_rank = vec![0u32; attr_names.len()];
        for (new, &old) in attr_order.iter().enumerate() {
            attr_rank[old as usize] = new as u32;
        }
        edges.par_iter_mut().for_each(|e| {
            e.0 = rank[e.0 as usize];
            e.1 = rank[e.1 as usize];
            if e.3 != build::NO_ATTR {
                e.3 = attr_rank[e.3 as usize];
            }
        });
        edges.par_sort_unstable();
        edges.dedup();
        let actions: Vec<Option<planguard_plan::ActionKind>> =
            order.iter().map(|&old| nodes[old as usize].action).collect();
        let n = nodes.len();
        // The petgraph graph, the nodes in address order and the structure (components,
        // depths) only share read-only inputs: build them side by side.
        let (graph, ((nodes, by_address), structure)) = rayon::join(
            || {
                let mut graph: DiGraph<(), Edge, u32> = DiGraph::with_capacity(n, edges.len());
                for _ in 0..n {
                    graph.add_node(());
                }
                let shared: Vec<std::sync::Arc<str>> = attr_order
                    .iter()
                    .map(|&old| std::sync::Arc::from(attr_names[old as usize].as_str()))
                    .collect();
                for &(from, to, via, attr) in &edges {
                    let attribute = if attr == build::NO_ATTR {
                        None
                    } else {
                        Some(shared[attr as usize].clone())
                    };
                    graph.add_edge(
                        NodeIndex::new(from as usize),
                        NodeIndex::new(to as usize),
                        Edge { via, attribute },
                    );
                }
                graph
            },
            || {
                rayon::join(
                    || {
                        // Moved out in place (an empty node holds no allocation) rather than
                        // through a second vector of `Option<Node>`: at 100k resources each is
                        // ~30 MB of freshly mapped pages.
                        let mut nodes = nodes;
                        let sorted: Vec<Node> = order
                            .iter()
                            .map(|&old| std::mem::replace(&mut nodes[old as usize], build::empty_node()))
                            .collect();
                        by_addr.renumber(|old| rank[old as usize]);
                        (sorted, by_addr)
                    },
                    || query::structure(n, &edges, &actions),
                )
            },
        );
        Ok(Graph {
            graph,
            nodes,
            by_address,
            depth: structure.depth,
            cycles: structure.cycles,
            worst_reach: structure.worst_reach,
            resource_deps: (0..n).map(|_| OnceLock::new()).collect(),
            resource_rdeps: (0..n).map(|_| OnceLock::new()).collect(),
            source_documents: HashMap::new(),
        })
    }

    /// The argument `attribute` of the resource at configuration address `config_address`
    /// (`module.app.aws_iam_role.ci`, no instance keys) as written in the `.tf` sources, when it
    /// is a `jsonencode(...)` call and [`GraphOptions::source_dir`] was given.
    pub fn source_document(&self, config_address: &str, attribute: &str) -> Option<&SourceValue> {
        self.source_documents.get(config_address)?.get(attribute)
    }

    /// The node at an address (`aws_subnet.a[0]`, `module.net.var.cidr`, `output.x`).
    pub fn node_id(&self, address: &str) -> Option<NodeId> {
        self.by_address
            .get(address, |i| self.nodes[i as usize].address.as_str())
            .map(NodeId)
    }

    /// The node with this id.
    ///
    /// # Panics
    /// If the id is not from this graph.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// True when the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node, in address order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes.iter().enumerate().map(|(i, n)| (NodeId(i as u32), n))
    }

    /// Every edge as (dependent, dependency, edge), sorted.
    pub fn edges(&self) -> impl Iterator<Item = (NodeId, NodeId, &Edge)> {
        // Edges were added in sorted order and petgraph keeps insertion order.
        self.graph.raw_edges().iter().map(|e| {
            (
                NodeId(e.source().index() as u32),
                NodeId(e.target().index() as u32),
                &e.weight,
            )
        })
    }

    /// The longest dependency chain below the node (0 when it depends on nothing; the nodes of a
    /// cycle share one depth).
    pub fn depth(&self, id: NodeId) -> usize {
        self.depth.get(id.index()).copied().unwrap_or(0) as usize
    }

    fn neighbours(&self, id: NodeId, dir: Direction) -> Vec<(NodeId, &Edge)> {
        let mut out: Vec<(NodeId, &Edge)> = self
            .graph
            .edges_directed(NodeIndex::new(id.index()), dir)
            .map(|e| {
                let other = match dir {
                    Direction::Outgoing => petgraph::visit::EdgeRef::target(&e),
                    Direction::Incoming => petgraph::visit::EdgeRef::source(&e),
                };
                (NodeId(other.index() as u32), e.weight())
            })
            .collect();
        out.sort();
        out
    }

    /// What the node depends on directly, sorted by address, with why.
    pub fn dependencies(&self, id: NodeId) -> Vec<(NodeId, &Edge)> {
        self.neighbours(id, Direction::Outgoing)
    }

    /// What depends on the node directly, sorted by address, with why.
    pub fn dependents(&self, id: NodeId) -> Vec<(NodeId, &Edge)> {
        self.neighbours(id, Direction::Incoming)
    }
}

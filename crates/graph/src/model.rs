//! The public data types of the graph: nodes, edges, options and query results.

use std::fmt;
use std::path::PathBuf;

use planguard_plan::ActionKind;

/// A node's handle in a [`Graph`](crate::Graph). Ids follow address order: comparing two ids
/// compares their addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The position of the node in address order (0-based).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A managed resource instance (`aws_subnet.a[0]`), or a `resource` block with no instance
    /// in the plan (addressed without key).
    Resource,
    /// A data source instance (`data.aws_ami.x`).
    Data,
    /// A module instance (`module.net["a"]`): what its `count`, `for_each` and `depends_on` need.
    ModuleCall,
    /// An output of a module instance (`module.net.output.vpc_id`) or of the root (`output.x`).
    Output,
    /// An input variable of a module instance (`module.net.var.cidr`) or of the root (`var.x`).
    Variable,
    /// A local value (`local.x`, `module.net.local.y`).
    Local,
    /// A provider configuration whose arguments reference something
    /// (`provider["registry.terraform.io/hashicorp/aws"].eu`).
    Provider,
    /// Something referenced that the plan doesn't have (a resource that isn't in it, an
    /// undeclared variable).
    Dangling,
}

impl NodeKind {
    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Resource => "resource",
            NodeKind::Data => "data",
            NodeKind::ModuleCall => "module_call",
            NodeKind::Output => "output",
            NodeKind::Variable => "variable",
            NodeKind::Local => "local",
            NodeKind::Provider => "provider",
            NodeKind::Dangling => "dangling",
        }
    }

    /// True for resource and data source nodes.
    pub fn is_resource(self) -> bool {
        matches!(self, NodeKind::Resource | NodeKind::Data)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One node of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The full address: `module.net["a"].aws_subnet.s[0]`, `module.net["a"].var.cidr`,
    /// `output.vpc_id`, `local.name`, `module.net["a"]`.
    pub address: String,
    /// What the node stands for.
    pub kind: NodeKind,
    /// The resource type, for resource, data and dangling resource nodes.
    pub resource_type: Option<String>,
    /// The module instance holding the node (`""` for the root module).
    pub module: String,
    /// The planned action: for resource instances from `resource_changes`, for root outputs
    /// from `output_changes`; `None` for everything else (including data sources that were read
    /// while planning and are only in `prior_state`).
    pub action: Option<ActionKind>,
    /// Index into `plan.resource_changes` of the change this node stands for.
    pub change_index: Option<usize>,
    /// True when the node was referenced but its definition is unknown: a dangling reference,
    /// or a local value whose `.tf` sources were not available.
    pub dangling: bool,
}

impl Node {
    /// True when the node has an action other than no-op (a data source read counts).
    pub fn is_change(&self) -> bool {
        self.action.is_some_and(|a| a != ActionKind::NoOp)
    }
}

/// Why an edge exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// An expression references the target (resource arguments, nested blocks, outputs,
    /// locals, provisioners).
    Reference,
    /// An explicit `depends_on` entry.
    DependsOn,
    /// The `count` expression references the target.
    Count,
    /// The `for_each` expression references the target.
    ForEach,
    /// A module variable depends on what the module call passes into it.
    ModuleInput,
    /// A module output depends on what its value references inside the module.
    ModuleOutput,
    /// A node inside a module instance depends on the module instance (its `count`,
    /// `for_each` and `depends_on`), or a nested module instance on its parent.
    Module,
    /// A resource depends on its provider configuration.
    Provider,
    /// A resource no longer in the configuration depends on what its state records.
    State,
}

impl EdgeKind {
    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Reference => "reference",
            EdgeKind::DependsOn => "depends_on",
            EdgeKind::Count => "count",
            EdgeKind::ForEach => "for_each",
            EdgeKind::ModuleInput => "module_input",
            EdgeKind::ModuleOutput => "module_output",
            EdgeKind::Module => "module",
            EdgeKind::Provider => "provider",
            EdgeKind::State => "state",
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One dependency edge: its source depends on its target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edge {
    /// Why the dependency exists.
    pub via: EdgeKind,
    /// The top-level argument of the referencing expression (`vpc_security_group_ids`), the
    /// variable name for [`EdgeKind::ModuleInput`]; `None` where there is none.
    pub attribute: Option<std::sync::Arc<str>>,
}

/// How to build a graph.
#[derive(Debug, Clone, Default)]
pub struct GraphOptions {
    /// The directory of the root module's `.tf` files. When given, `locals` blocks are read
    /// from it (and from local module sources, or `.terraform/modules/modules.json`) so that
    /// references through locals are followed, as Terraform's own graph does.
    pub source_dir: Option<PathBuf>,
}

/// A built graph with the warnings building it produced.
#[derive(Debug)]
pub struct Built {
    /// The graph.
    pub graph: crate::Graph,
    /// What the user should know: missing configuration, locals not followed, dangling
    /// references, cycles. Codes are stable kebab-case.
    pub warnings: Vec<planguard_plan::Warning>,
}

/// Everything a changed node reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlastRadius {
    /// The node whose change this is.
    pub origin: NodeId,
    /// Every node that transitively depends on the origin, in address order (the origin
    /// itself is not included).
    pub nodes: Vec<NodeId>,
    /// The most disruptive action of the origin and every node reached (by
    /// [`ActionKind::severity`]); `None` when none of them has an action.
    pub worst_action: Option<ActionKind>,
}

/// What a changed node reaches, walked only up to a cap ([`Graph::blast_radius_capped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CappedRadius {
    /// Nodes that transitively depend on the origin, in address order: all of them when
    /// `capped` is false, else the first `cap` the walk met (which ones is unspecified).
    pub nodes: Vec<NodeId>,
    /// True when more than `cap` nodes depend on the origin.
    pub capped: bool,
}

/// A dependency cycle, which makes a topological order impossible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The nodes of one strongly connected component, in address order.
    pub nodes: Vec<NodeId>,
}

/// How to cut a graph down for rendering.
///
/// The filters combine (a node must pass each one that is set). `View::default()` shows
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Keep only changed nodes and the nodes on dependency paths between two changed nodes.
    pub changed_only: bool,
    /// Keep only this node (by address), what it depends on and what depends on it.
    pub focus: Option<String>,
    /// Keep only nodes at most this many edges away from the focus node or, without a focus,
    /// from any changed node (following dependencies or dependents, not both).
    pub depth: Option<usize>,
}

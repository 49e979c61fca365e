//! Building the graph from a plan: nodes from `resource_changes` and the state sections, edges
//! from the `configuration` section's references, resolved per module instance.
//!
//! Module instances are interned ([`MiId`]) so that the per-instance tables are vectors and
//! the keyed tables are looked up by `(id, &str)` without building a key string. The two bulk
//! steps run on rayon: making the nodes (mostly string building) and resolving every
//! reference of every module instance. Both only read the builder; their results are added
//! serially in the order the serial algorithm used, and dangling nodes are only recorded while
//! resolving and made when the results are added, so the graph does not depend on the thread
//! count.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::hash::BuildHasher;

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use planguard_plan::config::all_references;
use planguard_plan::{Address, ConfigModule, ModuleCall, ModulePath, Plan, ResourceChange, Warning};

use crate::addr_index::{self, AddrIndex};
use crate::model::{EdgeKind, Node, NodeKind};
use crate::refs::{prune_prefixes_in_place, Reference};
use crate::source::Sources;

/// A raw edge before finalisation: from, to, why, attribute id (see [`Builder::attr_names`];
/// `NO_ATTR` for none).
pub(crate) type RawEdge = (u32, u32, EdgeKind, u32);

/// The attribute id of an edge without attribute.
pub(crate) const NO_ATTR: u32 = u32::MAX;

/// A module instance, interned: an index into [`Modules::names`].
type MiId = u32;

/// The root module instance (`""`), interned first.
const ROOT: MiId = 0;

/// Module instances by id, with what the builder keeps per instance.
struct Modules {
    names: Vec<String>,
    ids: HashMap<String, MiId>,
    /// Resource and data nodes directly in each module instance.
    resources_in: Vec<Vec<u32>>,
    /// The output nodes of each.
    outputs_of: Vec<Vec<u32>>,
    /// The child module instances of each.
    kids: Vec<Vec<MiId>>,
    /// Whether a resource instance has registered its module path (see `register_module`).
    registered: Vec<bool>,
}

impl Modules {
    fn new() -> Self {
        let mut m = Modules {
            names: Vec::new(),
            ids: HashMap::default(),
            resources_in: Vec::new(),
            outputs_of: Vec::new(),
            kids: Vec::new(),
            registered: Vec::new(),
        };
        m.intern("");
        m
    }

    fn get(&self, name: &str) -> Option<MiId> {
        self.ids.get(name).copied()
    }

    fn intern(&mut self, name: &str) -> MiId {
        if let Some(id) = self.get(name) {
            return id;
        }
        let id = self.names.len() as MiId;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        self.resources_in.push(Vec::new());
        self.outputs_of.push(Vec::new());
        self.kids.push(Vec::new());
        self.registered.push(false);
        id
    }

    fn name(&self, id: MiId) -> &str {
        &self.names[id as usize]
    }
}

fn key_hash(mi: MiId, name: &str) -> u64 {
    FxBuildHasher.hash_one((mi, name))
}

/// A map keyed by a module instance and a name (a resource's local address, a module call's
/// name), looked up by `(id, &str)` without building a key.
struct MiMap<V> {
    table: HashTable<(MiId, Box<str>, V)>,
}

impl<V> MiMap<V> {
    fn new() -> Self {
        MiMap {
            table: HashTable::new(),
        }
    }

    fn get(&self, mi: MiId, name: &str) -> Option<&V> {
        self.table
            .find(key_hash(mi, name), |e| e.0 == mi && &*e.1 == name)
            .map(|e| &e.2)
    }

    fn get_or_insert_with(&mut self, mi: MiId, name: &str, make: impl FnOnce() -> V) -> &mut V {
        let entry = self.table.entry(
            key_hash(mi, name),
            |e| e.0 == mi && &*e.1 == name,
            |e| key_hash(e.0, &e.1),
        );
        match entry {
            Entry::Occupied(o) => &mut o.into_mut().2,
            Entry::Vacant(v) => &mut v.insert((mi, name.into(), make())).into_mut().2,
        }
    }
}

/// One module of the configuration tree, flattened, with its instances.
struct ModInfo<'p> {
    /// `""` for the root, `module.a.module.b` below it.
    config_path: String,
    module: &'p ConfigModule,
    call: Option<&'p ModuleCall>,
    /// The calling module's index in the flattened tree and the call's name (the root: 0, "").
    parent_k: usize,
    call_name: &'p str,
    /// (module instance, parent module instance) pairs.
    instances: Vec<(MiId, MiId)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Expression,
    DependsOn,
}

/// What a reference resolves to while resolving in parallel: a node, or the dangling node at
/// this index of [`Chunk::missing`], made (or found) when the chunk is added.
#[derive(Clone, Copy)]
enum Target {
    Node(u32),
    Missing(u32),
}

/// A dangling node a reference needs: made by `dangling_node` unless the address exists by
/// then.
struct Missing {
    mi: MiId,
    address: String,
    kind: NodeKind,
    resource_type: Option<String>,
}

/// What a module call adds besides its edges, decided when the chunk is added (whether the
/// module is relevant depends on its parent's chunk).
struct CallPart {
    module_node: u32,
    parent_node: Option<u32>,
    /// Whether the call's `count`, `for_each` or `depends_on` made edges.
    made_edges: bool,
}

/// The edges of one module instance, resolved off the builder.
#[derive(Default)]
struct Chunk {
    edges: Vec<(u32, Target, EdgeKind, u32)>,
    /// Dangling nodes in the order the serial algorithm would have made them.
    missing: Vec<Missing>,
    call: Option<CallPart>,
}

/// Per-thread buffers for resolving.
#[derive(Default)]
struct Scratch {
    targets: Vec<Target>,
    address: String,
}

/// A reference as `resolve` needs it, parsed once per configuration module rather than per
/// module instance. Slots index the module's declarations (see [`Slots`]) so that most
/// references resolve by indexing instead of looking an address up.
enum Compiled<'t> {
    /// `count.index`, `each.key`, `path.*`, ... or text that is not a reference.
    Nothing,
    /// `var.NAME` (`local: false`) or `local.NAME`; `suffix` is that text, `slot` the
    /// variable's index in the module's `variables`.
    Named {
        local: bool,
        suffix: String,
        slot: Option<u32>,
    },
    /// `module.NAME[KEY].OUTPUT`; `child` is the called module's index in the flattened tree
    /// and the output's index among its outputs.
    Module {
        name: &'t str,
        key: Option<planguard_plan::InstanceKey>,
        output: Option<&'t str>,
        child: Option<(usize, Option<u32>)>,
    },
    /// A resource or data source: `local` is `[data.]TYPE.NAME`, `slot` its index in the
    /// module's `resources`.
    Resource {
        local: String,
        resource_type: &'t str,
        key: Option<planguard_plan::InstanceKey>,
        slot: Option<u32>,
    },
}

/// The declarations of one configuration module by name, for [`compile`].
#[derive(Default)]
struct Slots<'p> {
    vars: HashMap<&'p str, u32>,
    resources: HashMap<&'p str, u32>,
    outputs: HashMap<&'p str, u32>,
    /// Module call name -> the called module's index in the flattened tree.
    calls: HashMap<&'p str, usize>,
}

/// Parses a reference made in the module with `slots` (`None`: resolve by address only).
fn compile<'t>(text: &'t str, slots: Option<(&Slots<'_>, &[Slots<'_>])>) -> Compiled<'t> {
    let Some(r) = Reference::parse(text) else {
        return Compiled::Nothing;
    };
    let own = slots.map(|s| s.0);
    match r.root {
        "count" | "each" | "path" | "terraform" | "self" => Compiled::Nothing,
        "var" | "local" => {
            let Some(name) = r.attr(0) else {
                return Compiled::Nothing;
            };
            let local = r.root == "local";
            Compiled::Named {
                local,
                suffix: concat("", r.root, ".", name),
                slot: if local {
                    None
                } else {
                    own.and_then(|s| s.vars.get(name).copied())
                },
            }
        }
        "module" => {
            let Some(name) = r.attr(0) else {
                return Compiled::Nothing;
            };
            let (key, output) = match r.key(1) {
                Some(k) => (Some(k.clone()), r.attr(2)),
                None => (None, r.attr(1)),
            };
            let child = slots.and_then(|(own, all)| {
                let ck = *own.calls.get(name)?;
                let out = output.and_then(|o| all.get(ck)?.outputs.get(o).copied());
                Some((ck, out))
            });
            Compiled::Module {
                name,
                key,
                output,
                child,
            }
        }
        "data" | "ephemeral" => {
            let (Some(t), Some(n)) = (r.attr(0), r.attr(1)) else {
                return Compiled::Nothing;
            };
            let mut local = concat("", r.root, ".", t);
            local.push('.');
            local.push_str(n);
            let slot = own.and_then(|s| s.resources.get(local.as_str()).copied());
            Compiled::Resource {
                local,
                resource_type: t,
                key: r.key(2).cloned(),
                slot,
            }
        }
        root => {
            let Some(n) = r.attr(0) else {
                return Compiled::Nothing;
            };
            let local = concat("", root, ".", n);
            let slot = own.and_then(|s| s.resources.get(local.as_str()).copied());
            Compiled::Resource {
                local,
                resource_type: root,
                key: r.key(1).cloned(),
                slot,
            }
        }
    }
}

/// Compiles a list of references (pruned as `prune_prefixes_in_place` does).
fn compile_list<'t>(mut refs: Vec<&'t str>, slots: (&Slots<'_>, &[Slots<'_>])) -> Vec<Compiled<'t>> {
    prune_prefixes_in_place(&mut refs);
    refs.into_iter().map(|r| compile(r, Some(slots))).collect()
}

/// The references of one configuration resource, compiled, with its attribute ids.
struct CompiledResource<'p> {
    /// Per argument, in `expressions` order: attribute id and references.
    exprs: Vec<(u32, Vec<Compiled<'p>>)>,
    /// Per provisioner argument, in order.
    provisioners: Vec<(u32, Vec<Compiled<'p>>)>,
    count: Option<Vec<Compiled<'p>>>,
    for_each: Option<Vec<Compiled<'p>>>,
    depends_on: Vec<Compiled<'p>>,
    /// The provider node, when its configuration has one.
    provider: Option<u32>,
}

/// Everything one configuration module's instances resolve, compiled once.
struct CompiledModule<'p> {
    resources: Vec<CompiledResource<'p>>,
    /// Per output, in order: its expression's references (if any) and its `depends_on`.
    outputs: Vec<(Option<Vec<Compiled<'p>>>, Vec<Compiled<'p>>)>,
    /// Per variable, in order: the attribute id and the call argument's references (made in
    /// the parent module), if the call sets it.
    call_vars: Vec<Option<(u32, Vec<Compiled<'p>>)>>,
    /// The call's `count`, `for_each` and `depends_on` (made in the parent module).
    call_count: Option<Vec<Compiled<'p>>>,
    call_for_each: Option<Vec<Compiled<'p>>>,
    call_depends_on: Vec<Compiled<'p>>,
}

/// Per module instance of the flattened tree (a "pair"), the nodes its declarations got.
#[derive(Default)]
struct PairNodes {
    /// Variable nodes, in `variables` order.
    vars: Vec<u32>,
    /// Output nodes, in `outputs` order.
    outputs: Vec<u32>,
}

/// What a prepared node is for, when it is added.
enum Role {
    Plain,
    /// A declared variable (not a root value without declaration).
    Var,
    Output,
    /// The configuration resource at this index of its module, when it has no instance.
    ConfigResource(usize),
}

/// A resource instance node prepared off the builder.
struct NewInstance<'p> {
    hash: u64,
    node: Node,
    path: std::borrow::Cow<'p, ModulePath>,
    /// Whether `[data.]TYPE.NAME` goes in `instances` (not for deposed objects).
    index_it: bool,
    /// The resource name (the type is the node's).
    name: std::borrow::Cow<'p, str>,
}

pub(crate) struct Builder<'p> {
    plan: &'p Plan,
    pub nodes: Vec<Node>,
    pub by_addr: AddrIndex,
    attr_ids: HashMap<String, u32>,
    /// Interned attribute names, by id.
    pub attr_names: Vec<String>,
    mis: Modules,
    /// (module instance, local config address) -> instance nodes.
    instances: MiMap<Vec<u32>>,
    /// (parent module instance, call name) -> child module instances.
    children: MiMap<Vec<MiId>>,
    pub edges: Vec<RawEdge>,
    pub warnings: Vec<Warning>,
    sources: Option<Sources>,
    dangling: BTreeSet<String>,
    unfollowed_locals: BTreeSet<String>,
}

/// Appends `[0]` or `["key"]`.
fn push_key(out: &mut String, key: &planguard_plan::InstanceKey) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{key}");
}

/// A node without allocations, left behind when nodes are moved out of a vector.
pub(crate) fn empty_node() -> Node {
    Node {
        address: String::new(),
        kind: NodeKind::Dangling,
        resource_type: None,
        module: String::new(),
        action: None,
        change_index: None,
        dangling: false,
    }
}

fn plain_node(address: String, kind: NodeKind, module: &str) -> Node {
    Node {
        address,
        kind,
        resource_type: None,
        module: module.to_string(),
        action: None,
        change_index: None,
        dangling: false,
    }
}

/// `prefix` + `a` + `b` + `c` in one allocation.
fn concat(prefix: &str, a: &str, b: &str, c: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + a.len() + b.len() + c.len() + 1);
    s.push_str(prefix);
    if !prefix.is_empty() {
        s.push('.');
    }
    s.push_str(a);
    s.push_str(b);
    s.push_str(c);
    s
}

/// The node of a resource change, made without the builder.
fn prepare_change(i: usize, rc: &ResourceChange) -> Result<NewInstance<'_>, Warning> {
    let addr = if rc.addr.resource_type.is_empty() {
        match Address::parse(&rc.address) {
            Ok(a) => std::borrow::Cow::Owned(a),
            Err(err) => {
                return Err(Warning {
                    code: "bad-address",
                    message: format!(
                        "resource change {:?} has an address planguard cannot read ({err}); left out of the graph",
                        rc.address
                    ),
                })
            }
        }
    } else {
        std::borrow::Cow::Borrowed(&rc.addr)
    };
    let address = match &rc.deposed {
        Some(key) => format!("{} (deposed {key})", rc.address),
        None => rc.address.clone(),
    };
    Ok(prepare_instance(
        address,
        addr,
        rc.module_address.as_deref(),
        Some(rc.action().kind()),
        Some(i),
        rc.deposed.is_none(),
    ))
}

fn prepare_instance<'p>(
    address: String,
    addr: std::borrow::Cow<'p, Address>,
    module: Option<&str>,
    action: Option<planguard_plan::ActionKind>,
    change_index: Option<usize>,
    index_it: bool,
) -> NewInstance<'p> {
    let module = match module {
        Some(m) => m.to_string(),
        None => addr.module.to_string(),
    };
    let hash = addr_index::hash(&address);
    let (path, name, resource_type, mode) = match addr {
        std::borrow::Cow::Borrowed(a) => (
            std::borrow::Cow::Borrowed(&a.module),
            std::borrow::Cow::Borrowed(a.name.as_str()),
            a.resource_type.clone(),
            a.mode,
        ),
        std::borrow::Cow::Owned(a) => (
            std::borrow::Cow::Owned(a.module),
            std::borrow::Cow::Owned(a.name),
            a.resource_type,
            a.mode,
        ),
    };
    let kind = match mode {
        planguard_plan::Mode::Managed => NodeKind::Resource,
        planguard_plan::Mode::Data => NodeKind::Data,
    };
    NewInstance {
        hash,
        node: Node {
            address,
            kind,
            resource_type: Some(resource_type),
            module,
            action,
            change_index,
            dangling: false,
        },
        path,
        index_it,
        name,
    }
}

/// What resolving a module instance's edges reads besides the builder.
struct EdgeContext<'a, 'p> {
    mods: &'a [ModInfo<'p>],
    compiled: &'a [CompiledModule<'p>],
    tables: PairTables<'a>,
    count_attr: u32,
    for_each_attr: u32,
}

/// The module instances of the flattened tree ("pairs") and their declarations' nodes.
#[derive(Clone, Copy)]
struct PairTables<'a> {
    /// (index in the flattened tree, module instance, parent module instance).
    pairs: &'a [(usize, MiId, MiId)],
    pair_nodes: &'a [PairNodes],
    /// Per module instance, its first pair (`u32::MAX` for none).
    mi_pair: &'a [u32],
}

impl<'a> PairTables<'a> {
    /// The nodes of module instance `mi`'s declarations, when it is an instance of `mods[k]`.
    fn pair_of(self, mi: MiId, k: usize) -> Option<&'a PairNodes> {
        let pair = *self.mi_pair.get(mi as usize)? as usize;
        if self.pairs.get(pair)?.0 != k {
            return None;
        }
        self.pair_nodes.get(pair)
    }
}

/// What a reference can be resolved with besides addresses: the module instance's own
/// declarations (when the reference was compiled for its module).
#[derive(Clone, Copy)]
struct Known<'a> {
    /// For `module.NAME.OUTPUT`: the output nodes of the called instances.
    tables: Option<PairTables<'a>>,
    vars: Option<&'a [u32]>,
    /// Per configuration resource of the module, its instance nodes.
    resources: Option<&'a [Option<&'a [u32]>]>,
}

const UNKNOWN: Known<'static> = Known {
    tables: None,
    vars: None,
    resources: None,
};

impl<'p> Builder<'p> {
    pub(crate) fn new(plan: &'p Plan, sources: Option<Sources>) -> Self {
        Builder {
            plan,
            // Only the resource changes' nodes: `add_configuration` reserves what it adds once it
            // knows (a generous guess here is tens of MB of untouched address space at 100k
            // resources, which glibc maps afresh, page faults included, on every build).
            nodes: Vec::with_capacity(plan.resource_changes.len() + 64),
            by_addr: AddrIndex::with_capacity(plan.resource_changes.len() * 3 + 64),
            attr_ids: HashMap::default(),
            attr_names: Vec::new(),
            mis: Modules::new(),
            instances: MiMap::new(),
            children: MiMap::new(),
            edges: Vec::with_capacity(plan.resource_changes.len() * 8),
            warnings: Vec::new(),
            sources,
            dangling: BTreeSet::new(),
            unfollowed_locals: BTreeSet::new(),
        }
    }

    fn attr_id(&mut self, attr: Option<&str>) -> u32 {
        let Some(attr) = attr else { return NO_ATTR };
        if let Some(&id) = self.attr_ids.get(attr) {
            return id;
        }
        let id = self.attr_names.len() as u32;
        self.attr_names.push(attr.to_string());
        self.attr_ids.insert(attr.to_string(), id);
        id
    }

    /// The node with `address`.
    fn lookup(&self, address: &str) -> Option<u32> {
        self.by_addr.get(address, |i| self.nodes[i as usize].address.as_str())
    }

    fn add_node(&mut self, node: Node) -> u32 {
        self.add_node_hashed(addr_index::hash(&node.address), node)
    }

    /// Adds `node` unless its address exists (then returns that node's id); `hash` is
    /// `addr_index::hash(&node.address)`.
    fn add_node_hashed(&mut self, hash: u64, node: Node) -> u32 {
        let nodes = &self.nodes;
        if let Some(id) = self
            .by_addr
            .get_hashed(hash, &node.address, |i| nodes[i as usize].address.as_str())
        {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(node);
        let nodes = &self.nodes;
        self.by_addr
            .insert_hashed(hash, id, |i| nodes[i as usize].address.as_str());
        id
    }

    /// Records the module instances along `path` (the path of module instance `full`) as
    /// children of their parents, once per module instance.
    fn register_module(&mut self, full: MiId, path: &ModulePath) {
        if full == ROOT || self.mis.registered[full as usize] {
            return;
        }
        self.mis.registered[full as usize] = true;
        let mut parent_name = String::new();
        for step in &path.0 {
            let parent = self.mis.intern(&parent_name);
            // The path up to this step, as `ModulePath`'s Display spells it.
            let mut child_name = parent_name.clone();
            if !child_name.is_empty() {
                child_name.push('.');
            }
            child_name.push_str("module.");
            child_name.push_str(&step.name);
            if let Some(key) = &step.key {
                push_key(&mut child_name, key);
            }
            let child = self.mis.intern(&child_name);
            let list = self.children.get_or_insert_with(parent, &step.name, Vec::new);
            if !list.contains(&child) {
                list.push(child);
                self.mis.kids[parent as usize].push(child);
            }
            parent_name = child_name;
        }
    }

    /// Adds a prepared resource or data instance node and indexes it, unless its address
    /// exists.
    fn add_instance(&mut self, new: NewInstance<'p>, key: &mut String) {
        let nodes = &self.nodes;
        if self
            .by_addr
            .get_hashed(new.hash, &new.node.address, |i| nodes[i as usize].address.as_str())
            .is_some()
        {
            return;
        }
        let id = self.nodes.len() as u32;
        let mi = self.mis.intern(&new.node.module);
        self.register_module(mi, &new.path);
        if new.index_it {
            // `[data.]TYPE.NAME`, the resource's configuration address in its module.
            key.clear();
            if new.node.kind == NodeKind::Data {
                key.push_str("data.");
            }
            key.push_str(new.node.resource_type.as_deref().unwrap_or_default());
            key.push('.');
            key.push_str(&new.name);
            self.instances.get_or_insert_with(mi, key, Vec::new).push(id);
        }
        self.mis.resources_in[mi as usize].push(id);
        self.nodes.push(new.node);
        let nodes = &self.nodes;
        self.by_addr
            .insert_hashed(new.hash, id, |i| nodes[i as usize].address.as_str());
    }

    /// Nodes for every resource instance the plan names.
    pub(crate) fn add_plan_resources(&mut self) {
        let plan = self.plan;
        // Making the nodes (string copies) needs nothing from the builder.
        let prepared: Vec<Result<NewInstance<'p>, Warning>> = plan
            .resource_changes
            .par_iter()
            .enumerate()
            .map(|(i, rc)| prepare_change(i, rc))
            .collect();
        let mut key = String::new();
        for p in prepared {
            match p {
                Ok(new) => self.add_instance(new, &mut key),
                Err(w) => self.warnings.push(w),
            }
        }
        let states = [
            plan.prior_state.as_ref().and_then(|s| s.values.as_ref()),
            plan.planned_values.as_ref(),
        ];
        for values in states.into_iter().flatten() {
            let resources = values.resources();
            // Nearly every state resource is a resource change already: find the few that are
            // not in parallel, then add them in order (re-checking, as one list can name an
            // address twice).
            let this = &*self;
            let absent: Vec<&planguard_plan::StateResource> = resources
                .par_iter()
                .filter(|res| res.deposed_key.is_none() && this.lookup(&res.address).is_none())
                .copied()
                .collect();
            for res in absent {
                if self.lookup(&res.address).is_some() {
                    continue;
                }
                if let Ok(addr) = Address::parse(&res.address) {
                    let new = prepare_instance(
                        res.address.clone(),
                        std::borrow::Cow::Owned(addr),
                        None,
                        None,
                        None,
                        true,
                    );
                    self.add_instance(new, &mut key);
                }
            }
        }
    }

    /// The configuration's module tree flattened, parents first, with the instances of each
    /// module (a keyless stand-in where the plan shows none).
    fn flatten_modules(&mut self, root: &'p ConfigModule) -> Vec<ModInfo<'p>> {
        let mut mods: Vec<ModInfo<'p>> = vec![ModInfo {
            config_path: String::new(),
            module: root,
            call: None,
            parent_k: 0,
            call_name: "",
            instances: vec![(ROOT, ROOT)],
        }];
        let mut i = 0;
        while i < mods.len() {
            let module = mods[i].module;
            for (name, call) in &module.module_calls {
                let mut instances = Vec::new();
                for j in 0..mods[i].instances.len() {
                    let parent = mods[i].instances[j].0;
                    let mut list = self.children.get(parent, name).cloned().unwrap_or_default();
                    if list.is_empty() {
                        // No resource tells the instance keys (no resources, or count = 0):
                        // one keyless stand-in keeps references flowing through the module.
                        let mi_name = concat(self.mis.name(parent), "module.", name, "");
                        let mi = self.mis.intern(&mi_name);
                        *self.children.get_or_insert_with(parent, name, Vec::new) = vec![mi];
                        self.mis.kids[parent as usize].push(mi);
                        list.push(mi);
                    }
                    let names = &self.mis.names;
                    list.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
                    instances.extend(list.into_iter().map(|mi| (mi, parent)));
                }
                let config_path = concat(&mods[i].config_path, "module.", name, "");
                mods.push(ModInfo {
                    config_path,
                    module: &call.module,
                    call: Some(call),
                    parent_k: i,
                    call_name: name,
                    instances,
                });
            }
            i += 1;
        }
        mods
    }

    /// The nodes module instance `mi` of `m` declares (itself, variables, outputs, locals,
    /// resource blocks without instance), made without changing the builder.
    fn config_nodes(&self, m: &ModInfo<'p>, mi: MiId, parent: MiId) -> Vec<(Role, u64, Node)> {
        let mut out = Vec::new();
        let mut push = |role: Role, node: Node| out.push((role, addr_index::hash(&node.address), node));
        let p = self.mis.name(mi);
        if mi != ROOT {
            push(
                Role::Plain,
                plain_node(p.to_string(), NodeKind::ModuleCall, self.mis.name(parent)),
            );
        }
        // Older plans omit root variable declarations but still list their values.
        let root_values = if mi == ROOT {
            Some(self.plan.variables.keys())
        } else {
            None
        };
        for name in m.module.variables.keys() {
            push(
                Role::Var,
                plain_node(concat(p, "var.", name, ""), NodeKind::Variable, p),
            );
        }
        for name in root_values.into_iter().flatten() {
            push(
                Role::Plain,
                plain_node(concat(p, "var.", name, ""), NodeKind::Variable, p),
            );
        }
        for name in m.module.outputs.keys() {
            let mut node = plain_node(concat(p, "output.", name, ""), NodeKind::Output, p);
            if mi == ROOT {
                node.action = self.plan.output_changes.get(name).map(|c| c.actions.kind());
            }
            push(Role::Output, node);
        }
        if let Some(locals) = self.sources.as_ref().and_then(|s| s.locals.get(&m.config_path)) {
            for name in locals.keys() {
                push(
                    Role::Plain,
                    plain_node(concat(p, "local.", name, ""), NodeKind::Local, p),
                );
            }
        }
        for (i, r) in m.module.resources.iter().enumerate() {
            // Checked again when added: an earlier node may have filled the key by then.
            if self.instances.get(mi, &r.address).is_none() {
                // A block with no instance in the plan (count = 0, filtered plan).
                let kind = match r.mode {
                    planguard_plan::Mode::Managed => NodeKind::Resource,
                    planguard_plan::Mode::Data => NodeKind::Data,
                };
                let mut node = plain_node(concat(p, &r.address, "", ""), kind, p);
                node.resource_type = Some(r.resource_type.clone());
                push(Role::ConfigResource(i), node);
            }
        }
        out
    }

    /// Nodes and edges from the configuration section.
    pub(crate) fn add_configuration(&mut self) {
        let Some(config) = self.plan.configuration.as_ref() else {
            return;
        };
        let mods = self.flatten_modules(&config.root_module);
        let pairs: Vec<(usize, MiId, MiId)> = mods
            .iter()
            .enumerate()
            .flat_map(|(k, m)| m.instances.iter().map(move |&(mi, parent)| (k, mi, parent)))
            .collect();

        let made: Vec<Vec<(Role, u64, Node)>> = {
            let this = &*self;
            pairs
                .par_iter()
                .map(|&(k, mi, parent)| this.config_nodes(&mods[k], mi, parent))
                .collect()
        };
        self.nodes.reserve_exact(made.iter().map(Vec::len).sum::<usize>() + 64);
        let mut pair_nodes: Vec<PairNodes> = Vec::with_capacity(pairs.len());
        for (&(k, mi, _), nodes) in pairs.iter().zip(made) {
            let mut own = PairNodes::default();
            for (role, hash, node) in nodes {
                match role {
                    Role::Plain => {
                        self.add_node_hashed(hash, node);
                    }
                    Role::Var => own.vars.push(self.add_node_hashed(hash, node)),
                    Role::Output => {
                        let id = self.add_node_hashed(hash, node);
                        self.mis.outputs_of[mi as usize].push(id);
                        own.outputs.push(id);
                    }
                    Role::ConfigResource(i) => {
                        let local = &mods[k].module.resources[i].address;
                        if self.instances.get(mi, local).is_none() {
                            let id = self.add_node_hashed(hash, node);
                            *self.instances.get_or_insert_with(mi, local, Vec::new) = vec![id];
                            self.mis.resources_in[mi as usize].push(id);
                        }
                    }
                }
            }
            pair_nodes.push(own);
        }

        let providers = self.add_providers(&mods);

        // Attribute ids need the builder mutably: intern them, and parse every reference, per
        // configuration module rather than per instance, before resolving in parallel.
        let count_attr = self.attr_id(Some("count"));
        let for_each_attr = self.attr_id(Some("for_each"));
        let mut slots: Vec<Slots<'p>> = mods
            .iter()
            .map(|m| Slots {
                vars: m
                    .module
                    .variables
                    .keys()
                    .enumerate()
                    .map(|(i, n)| (n.as_str(), i as u32))
                    .collect(),
                // Reversed so that the first of duplicate addresses wins (they share their
                // instances anyway).
                resources: m
                    .module
                    .resources
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, r)| (r.address.as_str(), i as u32))
                    .collect(),
                outputs: m
                    .module
                    .outputs
                    .keys()
                    .enumerate()
                    .map(|(i, n)| (n.as_str(), i as u32))
                    .collect(),
                calls: HashMap::default(),
            })
            .collect();
        for (k, m) in mods.iter().enumerate().skip(1) {
            if let Some(parent) = slots.get_mut(m.parent_k) {
                parent.calls.insert(m.call_name, k);
            }
        }
        let mut compiled: Vec<CompiledModule<'p>> = Vec::with_capacity(mods.len());
        for (k, m) in mods.iter().enumerate() {
            let own = (&slots[k], slots.as_slice());
            let in_parent = (&slots[m.parent_k], slots.as_slice());
            let mut resources = Vec::with_capacity(m.module.resources.len());
            for r in &m.module.resources {
                let mut exprs = Vec::with_capacity(r.expressions.len());
                for (a, e) in &r.expressions {
                    exprs.push((self.attr_id(Some(a)), compile_list(e.references(), own)));
                }
                let mut provisioners = Vec::new();
                for prov in &r.provisioners {
                    for (a, e) in &prov.expressions {
                        provisioners.push((self.attr_id(Some(a)), compile_list(e.references(), own)));
                    }
                }
                let provider = r.provider_config_key.as_deref().and_then(|key| {
                    providers
                        .get(key)
                        .or_else(|| providers.get(&format!("module.{key}")))
                        .copied()
                });
                resources.push(CompiledResource {
                    exprs,
                    provisioners,
                    count: r.count_expression.as_ref().map(|e| compile_list(e.references(), own)),
                    for_each: r
                        .for_each_expression
                        .as_ref()
                        .map(|e| compile_list(e.references(), own)),
                    depends_on: compile_list(r.depends_on.iter().map(String::as_str).collect(), own),
                    provider,
                });
            }
            let outputs = m
                .module
                .outputs
                .values()
                .map(|o| {
                    (
                        o.expression.as_ref().map(|e| compile_list(e.references(), own)),
                        compile_list(o.depends_on.iter().map(String::as_str).collect(), own),
                    )
                })
                .collect();
            let (call_vars, call_count, call_for_each, call_depends_on) = match m.call {
                Some(call) => (
                    m.module
                        .variables
                        .keys()
                        .map(|name| {
                            let e = call.expressions.get(name)?;
                            Some((self.attr_id(Some(name)), compile_list(e.references(), in_parent)))
                        })
                        .collect(),
                    call.count_expression
                        .as_ref()
                        .map(|e| compile_list(e.references(), in_parent)),
                    call.for_each_expression
                        .as_ref()
                        .map(|e| compile_list(e.references(), in_parent)),
                    compile_list(call.depends_on.iter().map(String::as_str).collect(), in_parent),
                ),
                None => (Vec::new(), None, None, Vec::new()),
            };
            compiled.push(CompiledModule {
                resources,
                outputs,
                call_vars,
                call_count,
                call_for_each,
                call_depends_on,
            });
        }
        let mut mi_pair = vec![u32::MAX; self.mis.names.len()];
        for (i, &(_, mi, _)) in pairs.iter().enumerate().rev() {
            mi_pair[mi as usize] = i as u32;
        }

        let chunks: Vec<Chunk> = {
            let this = &*self;
            let ctx = EdgeContext {
                mods: &mods,
                compiled: &compiled,
                tables: PairTables {
                    pairs: &pairs,
                    pair_nodes: &pair_nodes,
                    mi_pair: &mi_pair,
                },
                count_attr,
                for_each_attr,
            };
            (0..pairs.len())
                .into_par_iter()
                .map_init(Scratch::default, |s, pair| this.instance_edges(&ctx, pair, s))
                .collect()
        };

        // Room for every chunk's edges and the `module` edges (at most one per resource and
        // module instance), so the list is not copied as it grows.
        let more = chunks.iter().map(|c| c.edges.len()).sum::<usize>() + self.nodes.len();
        self.edges.reserve(more);
        let mut relevant = vec![false; self.mis.names.len()];
        for (&(_, mi, parent), chunk) in pairs.iter().zip(chunks) {
            self.add_chunk_edges(chunk.missing, chunk.edges);
            let Some(call) = chunk.call else { continue };
            let parent_relevant = relevant[parent as usize];
            if parent_relevant {
                if let Some(parent_node) = call.parent_node {
                    self.edges
                        .push((call.module_node, parent_node, EdgeKind::Module, NO_ATTR));
                }
            }
            let is_relevant = parent_relevant || call.made_edges;
            relevant[mi as usize] = is_relevant;
            if is_relevant {
                for &r in &self.mis.resources_in[mi as usize] {
                    self.edges.push((r, call.module_node, EdgeKind::Module, NO_ATTR));
                }
            }
        }
        self.add_state_edges();
    }

    /// Makes a chunk's dangling nodes (in order) and adds its edges.
    fn add_chunk_edges(&mut self, missing: Vec<Missing>, edges: Vec<(u32, Target, EdgeKind, u32)>) {
        let ids: Vec<u32> = missing.into_iter().map(|m| self.dangling_node(m)).collect();
        self.edges.extend(edges.into_iter().map(|(from, to, via, attr)| {
            let to = match to {
                Target::Node(id) => id,
                Target::Missing(i) => ids[i as usize],
            };
            (from, to, via, attr)
        }));
    }

    /// The edges of the module instance at `pairs[pair]`.
    fn instance_edges(&self, ctx: &EdgeContext<'_, 'p>, pair: usize, s: &mut Scratch) -> Chunk {
        let (k, mi, parent) = ctx.tables.pairs[pair];
        let m = &ctx.mods[k];
        let cm = &ctx.compiled[k];
        let own = &ctx.tables.pair_nodes[pair];
        let mut c = Chunk::default();
        let p = self.mis.name(mi);
        let lists: Vec<Option<&[u32]>> = m
            .module
            .resources
            .iter()
            .map(|r| self.instances.get(mi, &r.address).map(Vec::as_slice))
            .collect();
        let known = Known {
            tables: Some(ctx.tables),
            vars: Some(&own.vars),
            resources: Some(&lists),
        };
        for (cr, ids) in cm.resources.iter().zip(&lists) {
            let ids = ids.unwrap_or_default();
            for (attr, refs) in cr.exprs.iter().chain(&cr.provisioners) {
                self.edges_to(
                    &mut c,
                    s,
                    ids,
                    mi,
                    known,
                    EdgeKind::Reference,
                    *attr,
                    Mode::Expression,
                    refs,
                );
            }
            if let Some(refs) = &cr.count {
                self.edges_to(
                    &mut c,
                    s,
                    ids,
                    mi,
                    known,
                    EdgeKind::Count,
                    ctx.count_attr,
                    Mode::Expression,
                    refs,
                );
            }
            if let Some(refs) = &cr.for_each {
                self.edges_to(
                    &mut c,
                    s,
                    ids,
                    mi,
                    known,
                    EdgeKind::ForEach,
                    ctx.for_each_attr,
                    Mode::Expression,
                    refs,
                );
            }
            self.edges_to(
                &mut c,
                s,
                ids,
                mi,
                known,
                EdgeKind::DependsOn,
                NO_ATTR,
                Mode::DependsOn,
                &cr.depends_on,
            );
            if let Some(provider) = cr.provider {
                c.edges.extend(
                    ids.iter()
                        .map(|&from| (from, Target::Node(provider), EdgeKind::Provider, NO_ATTR)),
                );
            }
        }
        let via = if mi == ROOT {
            EdgeKind::Reference
        } else {
            EdgeKind::ModuleOutput
        };
        for ((expr, depends_on), &from) in cm.outputs.iter().zip(&own.outputs) {
            if let Some(refs) = expr {
                self.edges_to(&mut c, s, &[from], mi, known, via, NO_ATTR, Mode::Expression, refs);
            }
            self.edges_to(
                &mut c,
                s,
                &[from],
                mi,
                known,
                EdgeKind::DependsOn,
                NO_ATTR,
                Mode::DependsOn,
                depends_on,
            );
        }
        if let Some(locals) = self.sources.as_ref().and_then(|src| src.locals.get(&m.config_path)) {
            for (name, refs) in locals {
                let Some(from) = self.lookup(&concat(p, "local.", name, "")) else {
                    continue;
                };
                let mut refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                prune_prefixes_in_place(&mut refs);
                let refs: Vec<Compiled<'_>> = refs.into_iter().map(|r| compile(r, None)).collect();
                self.edges_to(
                    &mut c,
                    s,
                    &[from],
                    mi,
                    UNKNOWN,
                    EdgeKind::Reference,
                    NO_ATTR,
                    Mode::Expression,
                    &refs,
                );
            }
        }
        if m.call.is_none() {
            return c;
        }
        // Call arguments are made in the parent module instance.
        let parent_known = Known {
            tables: Some(ctx.tables),
            vars: ctx.tables.pair_of(parent, m.parent_k).map(|p| p.vars.as_slice()),
            resources: None,
        };
        for (var, &from) in cm.call_vars.iter().zip(&own.vars) {
            if let Some((attr, refs)) = var {
                self.edges_to(
                    &mut c,
                    s,
                    &[from],
                    parent,
                    parent_known,
                    EdgeKind::ModuleInput,
                    *attr,
                    Mode::Expression,
                    refs,
                );
            }
        }
        let Some(module_node) = self.lookup(p) else {
            return c;
        };
        let before = c.edges.len();
        let from = [module_node];
        if let Some(refs) = &cm.call_count {
            self.edges_to(
                &mut c,
                s,
                &from,
                parent,
                parent_known,
                EdgeKind::Count,
                NO_ATTR,
                Mode::Expression,
                refs,
            );
        }
        if let Some(refs) = &cm.call_for_each {
            self.edges_to(
                &mut c,
                s,
                &from,
                parent,
                parent_known,
                EdgeKind::ForEach,
                NO_ATTR,
                Mode::Expression,
                refs,
            );
        }
        self.edges_to(
            &mut c,
            s,
            &from,
            parent,
            parent_known,
            EdgeKind::DependsOn,
            NO_ATTR,
            Mode::DependsOn,
            &cm.call_depends_on,
        );
        c.call = Some(CallPart {
            module_node,
            parent_node: self.lookup(self.mis.name(parent)),
            made_edges: c.edges.len() > before,
        });
        c
    }

    /// Resolves `refs` (made in `mi`) and adds an edge from each of `from` to each node they
    /// mean.
    #[allow(clippy::too_many_arguments)]
    fn edges_to(
        &self,
        c: &mut Chunk,
        s: &mut Scratch,
        from: &[u32],
        mi: MiId,
        known: Known<'_>,
        via: EdgeKind,
        attr: u32,
        mode: Mode,
        refs: &[Compiled<'_>],
    ) {
        s.targets.clear();
        for r in refs {
            self.resolve(mi, r, known, mode, &mut s.address, &mut s.targets, &mut c.missing);
        }
        for &f in from {
            c.edges.extend(s.targets.iter().map(|&t| (f, t, via, attr)));
        }
    }

    /// Provider configurations whose arguments reference something become nodes.
    fn add_providers(&mut self, mods: &[ModInfo<'p>]) -> HashMap<String, u32> {
        let mut out = HashMap::default();
        let Some(config) = self.plan.configuration.as_ref() else {
            return out;
        };
        let mut s = Scratch::default();
        for (key, pc) in &config.provider_config {
            let refs = all_references(&pc.expressions);
            if refs.iter().all(|r| {
                Reference::parse(r).is_none_or(|r| matches!(r.root, "count" | "each" | "path" | "terraform" | "self"))
            }) {
                continue;
            }
            let module = pc.module_address.clone().unwrap_or_default();
            let name = pc.full_name.as_deref().unwrap_or(&pc.name);
            let mut address = concat(&module, "provider[", &planguard_plan::address::hcl_quote(name), "]");
            if let Some(alias) = &pc.alias {
                address.push('.');
                address.push_str(alias);
            }
            let id = self.add_node(plain_node(address, NodeKind::Provider, &module));
            out.insert(key.clone(), id);
            let instances: Vec<MiId> = match mods.iter().find(|m| m.config_path == module) {
                Some(m) => m.instances.iter().map(|&(mi, _)| mi).collect(),
                None => vec![self.mis.intern(&module)],
            };
            let mut pruned = refs.clone();
            prune_prefixes_in_place(&mut pruned);
            let compiled: Vec<Compiled<'_>> = pruned.into_iter().map(|r| compile(r, None)).collect();
            for mi in instances {
                let mut c = Chunk::default();
                self.edges_to(
                    &mut c,
                    &mut s,
                    &[id],
                    mi,
                    UNKNOWN,
                    EdgeKind::Reference,
                    NO_ATTR,
                    Mode::Expression,
                    &compiled,
                );
                self.add_chunk_edges(c.missing, c.edges);
            }
        }
        out
    }

    /// Resources that are in the plan but not in the configuration (being deleted or forgotten)
    /// keep the dependencies their state records.
    fn add_state_edges(&mut self) {
        let plan = self.plan;
        let Some(prior) = plan.prior_state.as_ref().and_then(|s| s.values.as_ref()) else {
            return;
        };
        let mut by_config: Option<HashMap<String, Vec<u32>>> = None;
        for res in prior.resources() {
            if res.depends_on.is_empty() || res.deposed_key.is_some() {
                continue;
            }
            let Some(from) = self.lookup(&res.address) else {
                continue;
            };
            let Ok(addr) = Address::parse(&res.address) else {
                continue;
            };
            if plan.config_resource(&addr).is_some() {
                continue;
            }
            let by_config = by_config.get_or_insert_with(|| {
                let mut map: HashMap<String, Vec<u32>> = HashMap::default();
                for (i, n) in self.nodes.iter().enumerate() {
                    if n.kind.is_resource() {
                        if let Ok(a) = Address::parse(&n.address) {
                            map.entry(a.config_address()).or_default().push(i as u32);
                        }
                    }
                }
                map
            });
            for dep in &res.depends_on {
                let dep_config = match Address::parse(dep) {
                    Ok(a) => a.config_address(),
                    Err(_) => dep.clone(),
                };
                for &to in by_config.get(&dep_config).map(Vec::as_slice).unwrap_or(&[]) {
                    self.edges.push((from, to, EdgeKind::State, NO_ATTR));
                }
            }
        }
    }

    /// Makes (or finds) a dangling node a reference needs.
    fn dangling_node(&mut self, m: Missing) -> u32 {
        if let Some(id) = self.lookup(&m.address) {
            return id;
        }
        if m.kind == NodeKind::Local {
            self.unfollowed_locals.insert(m.address.clone());
        } else {
            self.dangling.insert(m.address.clone());
        }
        let mut node = plain_node(m.address, m.kind, self.mis.name(m.mi));
        node.resource_type = m.resource_type;
        node.dangling = true;
        self.add_node(node)
    }

    /// Resolves one reference made in module instance `mi` to the nodes it means; a dangling
    /// node it needs goes to `missing`. `address` is a buffer.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &self,
        mi: MiId,
        r: &Compiled<'_>,
        known: Known<'_>,
        mode: Mode,
        address: &mut String,
        out: &mut Vec<Target>,
        missing: &mut Vec<Missing>,
    ) {
        let mut need = |mi: MiId, address: &str, kind: NodeKind, resource_type: Option<&str>| {
            missing.push(Missing {
                mi,
                address: address.to_string(),
                kind,
                resource_type: resource_type.map(str::to_string),
            });
            Target::Missing(missing.len() as u32 - 1)
        };
        let mi_name = self.mis.name(mi);
        address.clear();
        address.push_str(mi_name);
        if !mi_name.is_empty() {
            address.push('.');
        }
        match r {
            Compiled::Nothing => {}
            Compiled::Named { local, suffix, slot } => {
                // The variable node this module instance declared has exactly this address.
                if let Some(&id) = slot.zip(known.vars).and_then(|(i, vars)| vars.get(i as usize)) {
                    out.push(Target::Node(id));
                    return;
                }
                address.push_str(suffix);
                let t = match self.lookup(address) {
                    Some(id) => Target::Node(id),
                    None if *local => need(mi, address, NodeKind::Local, None),
                    None => need(mi, address, NodeKind::Dangling, None),
                };
                out.push(t);
            }
            Compiled::Module {
                name,
                key,
                output,
                child,
            } => {
                address.push_str("module.");
                address.push_str(name);
                let Some(all) = self.children.get(mi, name).filter(|l| !l.is_empty()) else {
                    out.push(need(mi, address, NodeKind::Dangling, None));
                    return;
                };
                // The instance the key names, when it is one of the call's; else all of them.
                let keyed = key.as_ref().and_then(|k| {
                    push_key(address, k);
                    self.mis.get(address).filter(|id| all.contains(id))
                });
                let chosen: &[MiId] = match &keyed {
                    Some(id) => std::slice::from_ref(id),
                    None => all,
                };
                for &ci in chosen {
                    if mode == Mode::DependsOn {
                        self.module_resources(ci, out);
                    } else if let Some(output) = output {
                        // The output node the child instance declared has exactly the address.
                        let declared = match (child, known.tables) {
                            (Some((ck, Some(slot))), Some(tables)) => {
                                tables.pair_of(ci, *ck).and_then(|p| p.outputs.get(*slot as usize))
                            }
                            _ => None,
                        };
                        if let Some(&id) = declared {
                            out.push(Target::Node(id));
                            continue;
                        }
                        address.clear();
                        address.push_str(self.mis.name(ci));
                        address.push_str(".output.");
                        address.push_str(output);
                        let t = match self.lookup(address) {
                            Some(id) => Target::Node(id),
                            None => need(ci, address, NodeKind::Dangling, None),
                        };
                        out.push(t);
                    } else {
                        out.extend(self.mis.outputs_of[ci as usize].iter().map(|&id| Target::Node(id)));
                    }
                }
            }
            Compiled::Resource {
                local,
                resource_type,
                key,
                slot,
            } => {
                let list = match slot.zip(known.resources) {
                    Some((i, lists)) => lists.get(i as usize).copied().flatten(),
                    None => self.instances.get(mi, local).map(Vec::as_slice),
                };
                address.push_str(local);
                let Some(list) = list else {
                    out.push(need(mi, address, NodeKind::Dangling, Some(resource_type)));
                    return;
                };
                if let Some(k) = key {
                    push_key(address, k);
                    if let Some(id) = self.lookup(address) {
                        if list.contains(&id) {
                            out.push(Target::Node(id));
                            return;
                        }
                    }
                }
                out.extend(list.iter().map(|&id| Target::Node(id)));
            }
        }
    }

    /// Every resource node in module instance `mi` and the module instances below it.
    fn module_resources(&self, mi: MiId, out: &mut Vec<Target>) {
        let mut stack = vec![mi];
        while let Some(m) = stack.pop() {
            out.extend(self.mis.resources_in[m as usize].iter().map(|&id| Target::Node(id)));
            stack.extend(&self.mis.kids[m as usize]);
        }
    }

    /// Warnings about what could not be followed.
    pub(crate) fn finish_warnings(&mut self, had_sources: bool) {
        if !self.unfollowed_locals.is_empty() {
            let list: Vec<&str> = self.unfollowed_locals.iter().map(String::as_str).take(10).collect();
            let more = self.unfollowed_locals.len().saturating_sub(10);
            self.warnings.push(Warning {
                code: "locals-not-followed",
                message: format!(
                    "plan JSON does not describe local values, so dependencies through {} local(s) are unknown ({}{}){}",
                    self.unfollowed_locals.len(),
                    list.join(", "),
                    if more > 0 { format!(", and {more} more") } else { String::new() },
                    if had_sources {
                        ": they were not found in the sources"
                    } else {
                        "; pass the configuration directory (--source-dir) to follow them"
                    }
                ),
            });
        }
        if !self.dangling.is_empty() {
            let list: Vec<&str> = self.dangling.iter().map(String::as_str).take(10).collect();
            let more = self.dangling.len().saturating_sub(10);
            self.warnings.push(Warning {
                code: "dangling-references",
                message: format!(
                    "{} referenced address(es) are not in the plan and are kept as dangling nodes: {}{}",
                    self.dangling.len(),
                    list.join(", "),
                    if more > 0 {
                        format!(", and {more} more")
                    } else {
                        String::new()
                    }
                ),
            });
        }
    }
}

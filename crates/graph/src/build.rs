//! Building the graph from a plan: nodes from `resource_changes` and the state sections, edges
//! from the `configuration` section's references, resolved per module instance.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use planguard_plan::config::all_references;
use planguard_plan::{Address, ConfigModule, Expression, ModuleCall, ModulePath, Plan, Warning};

use crate::addr_index::AddrIndex;
use crate::model::{EdgeKind, Node, NodeKind};
use crate::refs::{prune_prefixes, Reference};
use crate::source::Sources;

/// A raw edge before finalisation: from, to, why, attribute id (see [`Builder::attr_names`];
/// `NO_ATTR` for none).
pub(crate) type RawEdge = (u32, u32, EdgeKind, u32);

/// The attribute id of an edge without attribute.
pub(crate) const NO_ATTR: u32 = u32::MAX;

/// One module of the configuration tree, flattened, with its instances.
struct ModInfo<'p> {
    /// `""` for the root, `module.a.module.b` below it.
    config_path: String,
    module: &'p ConfigModule,
    call: Option<&'p ModuleCall>,
    /// (module instance, parent module instance) pairs.
    instances: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Expression,
    DependsOn,
}

pub(crate) struct Builder<'p> {
    plan: &'p Plan,
    pub nodes: Vec<Node>,
    pub by_addr: AddrIndex,
    attr_ids: HashMap<String, u32>,
    /// Interned attribute names, by id.
    pub attr_names: Vec<String>,
    /// `MI \0 local config address` -> instance nodes.
    instances: HashMap<String, Vec<u32>>,
    /// (parent module instance, call name) -> child module instances.
    children: HashMap<(String, String), Vec<String>>,
    seen_modules: HashSet<String>,
    /// Module instance -> its child module instances.
    kids: HashMap<String, Vec<String>>,
    /// Module instance -> its output nodes.
    outputs_of: HashMap<String, Vec<u32>>,
    /// Module instance -> resource and data nodes directly in it.
    resources_in: HashMap<String, Vec<u32>>,
    pub edges: Vec<RawEdge>,
    pub warnings: Vec<Warning>,
    sources: Option<Sources>,
    dangling: BTreeSet<String>,
    unfollowed_locals: BTreeSet<String>,
}

fn prefix(mi: &str) -> String {
    if mi.is_empty() {
        String::new()
    } else {
        format!("{mi}.")
    }
}

fn instance_key(mi: &str, local: &str) -> String {
    format!("{mi}\u{0}{local}")
}

impl<'p> Builder<'p> {
    pub(crate) fn new(plan: &'p Plan, sources: Option<Sources>) -> Self {
        Builder {
            plan,
            nodes: Vec::with_capacity(plan.resource_changes.len() * 3 + 64),
            by_addr: AddrIndex::with_capacity(plan.resource_changes.len() * 3 + 64),
            attr_ids: HashMap::default(),
            attr_names: Vec::new(),
            instances: HashMap::default(),
            children: HashMap::default(),
            seen_modules: HashSet::default(),
            kids: HashMap::default(),
            outputs_of: HashMap::default(),
            resources_in: HashMap::default(),
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
        if let Some(id) = self.lookup(&node.address) {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(node);
        let nodes = &self.nodes;
        self.by_addr
            .insert_new(&nodes[id as usize].address, id, |i| nodes[i as usize].address.as_str());
        id
    }

    fn register_module(&mut self, full: &str, path: &ModulePath) {
        if full.is_empty() || self.seen_modules.contains(full) {
            return;
        }
        self.seen_modules.insert(full.to_string());
        for i in 0..path.0.len() {
            let parent = ModulePath(path.0[..i].to_vec()).to_string();
            let child = ModulePath(path.0[..=i].to_vec()).to_string();
            let list = self
                .children
                .entry((parent.clone(), path.0[i].name.clone()))
                .or_default();
            if !list.contains(&child) {
                list.push(child.clone());
                self.kids.entry(parent).or_default().push(child);
            }
        }
    }

    /// Adds a resource or data instance node and indexes it.
    #[allow(clippy::too_many_arguments)]
    fn add_instance(
        &mut self,
        address: String,
        addr: &Address,
        module: Option<&str>,
        action: Option<planguard_plan::ActionKind>,
        change_index: Option<usize>,
        index_it: bool,
    ) {
        if self.lookup(&address).is_some() {
            return;
        }
        let id = self.nodes.len() as u32;
        let module = match module {
            Some(m) => m.to_string(),
            None => addr.module.to_string(),
        };
        let kind = match addr.mode {
            planguard_plan::Mode::Managed => NodeKind::Resource,
            planguard_plan::Mode::Data => NodeKind::Data,
        };
        self.register_module(&module, &addr.module);
        if index_it {
            // `MI \0 [data.]TYPE.NAME`, as `instance_key` spells it.
            let mut key = String::with_capacity(module.len() + addr.resource_type.len() + addr.name.len() + 8);
            key.push_str(&module);
            key.push('\u{0}');
            if kind == NodeKind::Data {
                key.push_str("data.");
            }
            key.push_str(&addr.resource_type);
            key.push('.');
            key.push_str(&addr.name);
            match self.instances.get_mut(&key) {
                Some(list) => list.push(id),
                None => {
                    self.instances.insert(key, vec![id]);
                }
            }
        }
        match self.resources_in.get_mut(&module) {
            Some(list) => list.push(id),
            None => {
                self.resources_in.insert(module.clone(), vec![id]);
            }
        }
        self.nodes.push(Node {
            address,
            kind,
            resource_type: Some(addr.resource_type.clone()),
            module,
            action,
            change_index,
            dangling: false,
        });
        let nodes = &self.nodes;
        self.by_addr
            .insert_new(&nodes[id as usize].address, id, |i| nodes[i as usize].address.as_str());
    }

    /// Nodes for every resource instance the plan names.
    pub(crate) fn add_plan_resources(&mut self) {
        let plan = self.plan;
        for (i, rc) in plan.resource_changes.iter().enumerate() {
            let parsed;
            let addr = if rc.addr.resource_type.is_empty() {
                match Address::parse(&rc.address) {
                    Ok(a) => {
                        parsed = a;
                        &parsed
                    }
                    Err(err) => {
                        self.warnings.push(Warning {
                            code: "bad-address",
                            message: format!("resource change {:?} has an address planguard cannot read ({err}); left out of the graph", rc.address),
                        });
                        continue;
                    }
                }
            } else {
                &rc.addr
            };
            match &rc.deposed {
                Some(key) => {
                    let address = format!("{} (deposed {key})", rc.address);
                    self.add_instance(
                        address,
                        addr,
                        rc.module_address.as_deref(),
                        Some(rc.action().kind()),
                        Some(i),
                        false,
                    );
                }
                None => self.add_instance(
                    rc.address.clone(),
                    addr,
                    rc.module_address.as_deref(),
                    Some(rc.action().kind()),
                    Some(i),
                    true,
                ),
            }
        }
        let states = [
            plan.prior_state.as_ref().and_then(|s| s.values.as_ref()),
            plan.planned_values.as_ref(),
        ];
        for values in states.into_iter().flatten() {
            for res in values.resources() {
                if res.deposed_key.is_some() || self.lookup(&res.address).is_some() {
                    continue;
                }
                if let Ok(addr) = Address::parse(&res.address) {
                    self.add_instance(res.address.clone(), &addr, None, None, None, true);
                }
            }
        }
    }

    /// Nodes and edges from the configuration section.
    pub(crate) fn add_configuration(&mut self) {
        let Some(config) = self.plan.configuration.as_ref() else {
            return;
        };
        // Flatten the module tree with its instances, parents first.
        let mut mods: Vec<ModInfo<'p>> = vec![ModInfo {
            config_path: String::new(),
            module: &config.root_module,
            call: None,
            instances: vec![(String::new(), String::new())],
        }];
        let mut i = 0;
        while i < mods.len() {
            let calls: Vec<(&String, &ModuleCall)> = mods[i].module.module_calls.iter().collect();
            for (name, call) in calls {
                let mut instances = Vec::new();
                for (parent_mi, _) in &mods[i].instances {
                    let key = (parent_mi.clone(), name.clone());
                    let mut list = self.children.get(&key).cloned().unwrap_or_default();
                    if list.is_empty() {
                        // No resource tells the instance keys (no resources, or count = 0):
                        // one keyless stand-in keeps references flowing through the module.
                        let mi = format!("{}module.{name}", prefix(parent_mi));
                        self.children.insert(key, vec![mi.clone()]);
                        self.kids.entry(parent_mi.clone()).or_default().push(mi.clone());
                        list.push(mi);
                    }
                    list.sort();
                    for mi in list {
                        instances.push((mi, parent_mi.clone()));
                    }
                }
                let config_path = if mods[i].config_path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{}.module.{name}", mods[i].config_path)
                };
                mods.push(ModInfo {
                    config_path,
                    module: &call.module,
                    call: Some(call),
                    instances,
                });
            }
            i += 1;
        }

        for m in &mods {
            for (mi, parent_mi) in &m.instances {
                let p = prefix(mi);
                if !mi.is_empty() {
                    self.add_node(Node {
                        address: mi.clone(),
                        kind: NodeKind::ModuleCall,
                        resource_type: None,
                        module: parent_mi.clone(),
                        action: None,
                        change_index: None,
                        dangling: false,
                    });
                }
                // Older plans omit root variable declarations but still list their values.
                let root_values = if mi.is_empty() {
                    Some(self.plan.variables.keys())
                } else {
                    None
                };
                for name in m.module.variables.keys().chain(root_values.into_iter().flatten()) {
                    self.add_node(Node {
                        address: format!("{p}var.{name}"),
                        kind: NodeKind::Variable,
                        resource_type: None,
                        module: mi.clone(),
                        action: None,
                        change_index: None,
                        dangling: false,
                    });
                }
                for name in m.module.outputs.keys() {
                    let action = if mi.is_empty() {
                        self.plan.output_changes.get(name).map(|c| c.actions.kind())
                    } else {
                        None
                    };
                    let id = self.add_node(Node {
                        address: format!("{p}output.{name}"),
                        kind: NodeKind::Output,
                        resource_type: None,
                        module: mi.clone(),
                        action,
                        change_index: None,
                        dangling: false,
                    });
                    self.outputs_of.entry(mi.clone()).or_default().push(id);
                }
                let local_names: Vec<String> = self
                    .sources
                    .as_ref()
                    .and_then(|s| s.locals.get(&m.config_path))
                    .map(|l| l.keys().cloned().collect())
                    .unwrap_or_default();
                for name in local_names {
                    self.add_node(Node {
                        address: format!("{p}local.{name}"),
                        kind: NodeKind::Local,
                        resource_type: None,
                        module: mi.clone(),
                        action: None,
                        change_index: None,
                        dangling: false,
                    });
                }
                for r in &m.module.resources {
                    let key = instance_key(mi, &r.address);
                    if !self.instances.contains_key(&key) {
                        // A block with no instance in the plan (count = 0, filtered plan).
                        let kind = match r.mode {
                            planguard_plan::Mode::Managed => NodeKind::Resource,
                            planguard_plan::Mode::Data => NodeKind::Data,
                        };
                        let id = self.add_node(Node {
                            address: format!("{p}{}", r.address),
                            kind,
                            resource_type: Some(r.resource_type.clone()),
                            module: mi.clone(),
                            action: None,
                            change_index: None,
                            dangling: false,
                        });
                        self.instances.insert(key, vec![id]);
                        self.resources_in.entry(mi.clone()).or_default().push(id);
                    }
                }
            }
        }

        let providers = self.add_providers(&mods);

        let mut relevant: HashMap<String, bool> = HashMap::default();
        relevant.insert(String::new(), false);
        let mut targets = Vec::new();
        for m in &mods {
            for (mi, parent_mi) in &m.instances {
                let p = prefix(mi);
                for r in &m.module.resources {
                    let ids = self
                        .instances
                        .get(&instance_key(mi, &r.address))
                        .cloned()
                        .unwrap_or_default();
                    let mut add = |b: &mut Self, via: EdgeKind, attr: Option<&str>, refs: &[&str], mode: Mode| {
                        targets.clear();
                        for r in prune_prefixes(refs) {
                            b.resolve(mi, r, mode, &mut targets);
                        }
                        let attr = b.attr_id(attr);
                        for &from in &ids {
                            for &to in &targets {
                                b.edges.push((from, to, via, attr));
                            }
                        }
                    };
                    for (attr, expr) in &r.expressions {
                        add(
                            self,
                            EdgeKind::Reference,
                            Some(attr),
                            &expr.references(),
                            Mode::Expression,
                        );
                    }
                    for prov in &r.provisioners {
                        for (attr, expr) in &prov.expressions {
                            add(
                                self,
                                EdgeKind::Reference,
                                Some(attr),
                                &expr.references(),
                                Mode::Expression,
                            );
                        }
                    }
                    if let Some(e) = &r.count_expression {
                        add(self, EdgeKind::Count, Some("count"), &e.references(), Mode::Expression);
                    }
                    if let Some(e) = &r.for_each_expression {
                        add(
                            self,
                            EdgeKind::ForEach,
                            Some("for_each"),
                            &e.references(),
                            Mode::Expression,
                        );
                    }
                    let deps: Vec<&str> = r.depends_on.iter().map(String::as_str).collect();
                    add(self, EdgeKind::DependsOn, None, &deps, Mode::DependsOn);
                    if let Some(key) = r.provider_config_key.as_deref() {
                        let provider = providers
                            .get(key)
                            .or_else(|| providers.get(&format!("module.{key}")))
                            .copied();
                        if let Some(provider) = provider {
                            for &from in &ids {
                                self.edges.push((from, provider, EdgeKind::Provider, NO_ATTR));
                            }
                        }
                    }
                }
                for (name, output) in &m.module.outputs {
                    let Some(from) = self.lookup(&format!("{p}output.{name}")) else {
                        continue;
                    };
                    let via = if mi.is_empty() {
                        EdgeKind::Reference
                    } else {
                        EdgeKind::ModuleOutput
                    };
                    if let Some(expr) = &output.expression {
                        self.add_edges(from, mi, via, None, &expr.references(), Mode::Expression);
                    }
                    let deps: Vec<&str> = output.depends_on.iter().map(String::as_str).collect();
                    self.add_edges(from, mi, EdgeKind::DependsOn, None, &deps, Mode::DependsOn);
                }
                let locals: Vec<(String, Vec<String>)> = self
                    .sources
                    .as_ref()
                    .and_then(|s| s.locals.get(&m.config_path))
                    .map(|l| l.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
                for (name, refs) in locals {
                    let Some(from) = self.lookup(&format!("{p}local.{name}")) else {
                        continue;
                    };
                    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                    self.add_edges(from, mi, EdgeKind::Reference, None, &refs, Mode::Expression);
                }
                let Some(call) = m.call else { continue };
                for name in m.module.variables.keys() {
                    let (Some(from), Some(expr)) = (self.lookup(&format!("{p}var.{name}")), call.expressions.get(name))
                    else {
                        continue;
                    };
                    self.add_edges(
                        from,
                        parent_mi,
                        EdgeKind::ModuleInput,
                        Some(name),
                        &expr.references(),
                        Mode::Expression,
                    );
                }
                let Some(module_node) = self.lookup(mi) else {
                    continue;
                };
                let before = self.edges.len();
                let exprs: [(&Option<Expression>, EdgeKind); 2] = [
                    (&call.count_expression, EdgeKind::Count),
                    (&call.for_each_expression, EdgeKind::ForEach),
                ];
                for (expr, via) in exprs {
                    if let Some(e) = expr {
                        self.add_edges(module_node, parent_mi, via, None, &e.references(), Mode::Expression);
                    }
                }
                let deps: Vec<&str> = call.depends_on.iter().map(String::as_str).collect();
                self.add_edges(
                    module_node,
                    parent_mi,
                    EdgeKind::DependsOn,
                    None,
                    &deps,
                    Mode::DependsOn,
                );
                let parent_relevant = relevant.get(parent_mi).copied().unwrap_or(false);
                if parent_relevant {
                    if let Some(parent_node) = self.lookup(parent_mi) {
                        self.edges.push((module_node, parent_node, EdgeKind::Module, NO_ATTR));
                    }
                }
                let is_relevant = parent_relevant || self.edges.len() > before;
                relevant.insert(mi.clone(), is_relevant);
                if is_relevant {
                    for &r in self.resources_in.get(mi).map(Vec::as_slice).unwrap_or(&[]) {
                        self.edges.push((r, module_node, EdgeKind::Module, NO_ATTR));
                    }
                }
            }
        }
        self.add_state_edges();
    }

    /// Provider configurations whose arguments reference something become nodes.
    fn add_providers(&mut self, mods: &[ModInfo<'p>]) -> HashMap<String, u32> {
        let mut out = HashMap::default();
        let Some(config) = self.plan.configuration.as_ref() else {
            return out;
        };
        for (key, pc) in &config.provider_config {
            let refs = all_references(&pc.expressions);
            if refs.iter().all(|r| {
                Reference::parse(r).is_none_or(|r| matches!(r.root, "count" | "each" | "path" | "terraform" | "self"))
            }) {
                continue;
            }
            let module = pc.module_address.clone().unwrap_or_default();
            let name = pc.full_name.as_deref().unwrap_or(&pc.name);
            let mut address = format!(
                "{}provider[{}]",
                prefix(&module),
                planguard_plan::address::hcl_quote(name)
            );
            if let Some(alias) = &pc.alias {
                address.push('.');
                address.push_str(alias);
            }
            let id = self.add_node(Node {
                address,
                kind: NodeKind::Provider,
                resource_type: None,
                module: module.clone(),
                action: None,
                change_index: None,
                dangling: false,
            });
            out.insert(key.clone(), id);
            let instances: Vec<String> = mods
                .iter()
                .find(|m| m.config_path == module)
                .map(|m| m.instances.iter().map(|(mi, _)| mi.clone()).collect())
                .unwrap_or_else(|| vec![module.clone()]);
            for mi in instances {
                self.add_edges(id, &mi, EdgeKind::Reference, None, &refs, Mode::Expression);
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

    fn add_edges(&mut self, from: u32, mi: &str, via: EdgeKind, attr: Option<&str>, refs: &[&str], mode: Mode) {
        let mut targets = Vec::new();
        for r in prune_prefixes(refs) {
            self.resolve(mi, r, mode, &mut targets);
        }
        let attr = self.attr_id(attr);
        for to in targets {
            self.edges.push((from, to, via, attr));
        }
    }

    fn dangling_node(&mut self, mi: &str, address: String, kind: NodeKind, resource_type: Option<String>) -> u32 {
        if let Some(id) = self.lookup(&address) {
            return id;
        }
        if kind == NodeKind::Local {
            self.unfollowed_locals.insert(address.clone());
        } else {
            self.dangling.insert(address.clone());
        }
        self.add_node(Node {
            address,
            kind,
            resource_type,
            module: mi.to_string(),
            action: None,
            change_index: None,
            dangling: true,
        })
    }

    /// Resolves one reference made in module instance `mi` to the nodes it means.
    fn resolve(&mut self, mi: &str, text: &str, mode: Mode, out: &mut Vec<u32>) {
        let Some(r) = Reference::parse(text) else { return };
        let mut address = String::with_capacity(mi.len() + text.len() + 16);
        address.push_str(mi);
        if !mi.is_empty() {
            address.push('.');
        }
        let base = address.len();
        match r.root {
            "count" | "each" | "path" | "terraform" | "self" => {}
            "var" | "local" => {
                let Some(name) = r.attr(0) else { return };
                address.push_str(r.root);
                address.push('.');
                address.push_str(name);
                let id = match self.lookup(&address) {
                    Some(id) => id,
                    None if r.root == "local" => self.dangling_node(mi, address, NodeKind::Local, None),
                    None => self.dangling_node(mi, address, NodeKind::Dangling, None),
                };
                out.push(id);
            }
            "module" => {
                let Some(name) = r.attr(0) else { return };
                let (key, output) = match r.key(1) {
                    Some(k) => (Some(k), r.attr(2)),
                    None => (None, r.attr(1)),
                };
                let lookup = (mi.to_string(), name.to_string());
                let Some(all) = self.children.get(&lookup).filter(|l| !l.is_empty()) else {
                    address.push_str("module.");
                    address.push_str(name);
                    out.push(self.dangling_node(mi, address, NodeKind::Dangling, None));
                    return;
                };
                let chosen: Vec<String> = match key {
                    Some(k) => {
                        address.push_str("module.");
                        address.push_str(name);
                        address.push_str(&k.to_string());
                        if all.contains(&address) {
                            vec![address.clone()]
                        } else {
                            all.clone()
                        }
                    }
                    None => all.clone(),
                };
                for ci in chosen {
                    if mode == Mode::DependsOn {
                        self.module_resources(&ci, out);
                    } else if let Some(output) = output {
                        let target = format!("{ci}.output.{output}");
                        let id = match self.lookup(&target) {
                            Some(id) => id,
                            None => self.dangling_node(&ci, target, NodeKind::Dangling, None),
                        };
                        out.push(id);
                    } else {
                        out.extend(self.outputs_of.get(&ci).map(Vec::as_slice).unwrap_or(&[]));
                    }
                }
            }
            "data" | "ephemeral" => {
                let (Some(t), Some(n)) = (r.attr(0), r.attr(1)) else {
                    return;
                };
                address.push_str(r.root);
                address.push('.');
                address.push_str(t);
                address.push('.');
                address.push_str(n);
                self.resolve_resource(mi, address, base, t, r.key(2), out);
            }
            root => {
                let Some(n) = r.attr(0) else { return };
                address.push_str(root);
                address.push('.');
                address.push_str(n);
                self.resolve_resource(mi, address, base, root, r.key(1), out);
            }
        }
    }

    /// `address` is the resource's address in `mi` without key; `base` is where its local part
    /// starts.
    fn resolve_resource(
        &mut self,
        mi: &str,
        mut address: String,
        base: usize,
        resource_type: &str,
        key: Option<&planguard_plan::InstanceKey>,
        out: &mut Vec<u32>,
    ) {
        match self.instances.get(&instance_key(mi, &address[base..])) {
            Some(list) => {
                if let Some(k) = key {
                    let len = address.len();
                    address.push_str(&k.to_string());
                    if let Some(id) = self.lookup(&address) {
                        if list.contains(&id) {
                            out.push(id);
                            return;
                        }
                    }
                    address.truncate(len);
                }
                out.extend_from_slice(list);
            }
            None => {
                let id = self.dangling_node(mi, address, NodeKind::Dangling, Some(resource_type.to_string()));
                out.push(id);
            }
        }
    }

    /// Every resource node in module instance `mi` and the module instances below it.
    fn module_resources(&self, mi: &str, out: &mut Vec<u32>) {
        let mut stack = vec![mi];
        while let Some(m) = stack.pop() {
            out.extend(self.resources_in.get(m).map(Vec::as_slice).unwrap_or(&[]));
            stack.extend(
                self.kids
                    .get(m)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(String::as_str),
            );
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

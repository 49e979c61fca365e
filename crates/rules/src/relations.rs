//! What `related` conditions ask of the dependency graph.
//!
//! The rule engine only needs "which resources does this one reference, through which
//! argument" and the reverse. [`Relations`] is that question; `planguard_graph::Graph`
//! answers it (through variables, locals, outputs and modules), and [`ConfigRelations`]
//! answers it from the plan's configuration references alone (same-module references,
//! `for_each`/`count`, `depends_on`), for callers without a graph.

use planguard_graph::SourceValue;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use planguard_plan::{Mode, Plan};

/// Which way a `related` condition looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Resources this one references (an instance's security groups).
    Dependencies,
    /// Resources that reference this one (the alarms watching an instance).
    Dependents,
}

/// One edge seen from a resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    /// The other resource instance's full address.
    pub address: String,
    /// The top-level argument of the referencing resource that makes the reference
    /// (`vpc_security_group_ids`), when known; `None` for `depends_on` and indirect edges.
    pub attribute: Option<String>,
    /// The other resource's index in `plan.resource_changes`, when known (saves a lookup by
    /// address).
    pub change_index: Option<usize>,
}

/// The callback of [`Relations::visit`]: `(address, attribute, change_index)` of one
/// related resource.
pub type Visit<'f> = dyn FnMut(&str, Option<&str>, Option<usize>) + 'f;

/// Resource-to-resource dependencies, by full instance address.
pub trait Relations: Sync {
    /// Resources that `address` references.
    fn dependencies(&self, address: &str) -> Vec<Relation>;
    /// Resources that reference `address`.
    fn dependents(&self, address: &str) -> Vec<Relation>;

    /// Calls `f(address, attribute, change_index)` for each resource related to `address`
    /// in `direction`. The engine uses this, once per resource and `related` condition;
    /// implementations override it to avoid building a `Vec<Relation>` each time.
    fn visit(&self, address: &str, direction: Direction, f: &mut Visit<'_>) {
        let links = match direction {
            Direction::Dependencies => self.dependencies(address),
            Direction::Dependents => self.dependents(address),
        };
        for link in &links {
            f(&link.address, link.attribute.as_deref(), link.change_index);
        }
    }

    /// The argument `attribute` of the resource at `config_address` as written in the `.tf`
    /// sources, when it is a `jsonencode(...)` call and the sources were read (`--source-dir`).
    /// Policy rules decide trust and permission documents the plan knows only after apply
    /// from it.
    fn source_document(&self, _config_address: &str, _attribute: &str) -> Option<&SourceValue> {
        None
    }
}

impl Relations for planguard_graph::Graph {
    fn source_document(&self, config_address: &str, attribute: &str) -> Option<&SourceValue> {
        planguard_graph::Graph::source_document(self, config_address, attribute)
    }

    fn dependencies(&self, address: &str) -> Vec<Relation> {
        let Some(id) = self.node_id(address) else {
            return Vec::new();
        };
        self.resource_dependency_links(id)
            .iter()
            .map(|(n, attribute)| {
                let node = self.node(*n);
                Relation {
                    address: node.address.clone(),
                    attribute: attribute.as_deref().map(str::to_string),
                    change_index: node.change_index,
                }
            })
            .collect()
    }

    fn visit(&self, address: &str, direction: Direction, f: &mut Visit<'_>) {
        let Some(id) = self.node_id(address) else {
            return;
        };
        // Borrowed from the graph's cache: `related` conditions visit once per resource.
        let list = match direction {
            Direction::Dependencies => self.resource_dependency_links(id),
            Direction::Dependents => self.resource_dependent_links(id),
        };
        for (n, attribute) in list {
            let node = self.node(*n);
            f(&node.address, attribute.as_deref(), node.change_index);
        }
    }

    fn dependents(&self, address: &str) -> Vec<Relation> {
        let Some(id) = self.node_id(address) else {
            return Vec::new();
        };
        self.resource_dependent_links(id)
            .iter()
            .map(|(n, attribute)| {
                let node = self.node(*n);
                Relation {
                    address: node.address.clone(),
                    attribute: attribute.as_deref().map(str::to_string),
                    change_index: node.change_index,
                }
            })
            .collect()
    }
}

/// Relations read from the plan's `configuration` references: an argument of a resource
/// referencing `TYPE.NAME` (or `TYPE.NAME.attr`) in the same module links it to every
/// instance of that resource in the same module instance.
#[derive(Debug, Default)]
pub struct ConfigRelations {
    forward: HashMap<String, BTreeSet<Relation>>,
    backward: HashMap<String, BTreeSet<Relation>>,
}

impl ConfigRelations {
    /// Builds the relations of a plan.
    pub fn build(plan: &Plan) -> Self {
        // (module instance, local config address) -> instances (index, address)
        let mut instances: HashMap<(&str, String), Vec<(usize, &str)>> = HashMap::new();
        for (i, change) in plan.resource_changes.iter().enumerate() {
            if change.deposed.is_some() {
                continue;
            }
            instances
                .entry((change.module(), change.addr.local_config_address()))
                .or_default()
                .push((i, &change.address));
        }
        let mut out = ConfigRelations::default();
        for (ci, change) in plan.resource_changes.iter().enumerate() {
            if change.deposed.is_some() || change.addr.mode != Mode::Managed && change.addr.mode != Mode::Data {
                continue;
            }
            let Some(config) = plan.config_resource(&change.addr) else {
                continue;
            };
            let mut targets: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
            for (arg, expr) in &config.resource.expressions {
                for reference in expr.references() {
                    if let Some(local) = resource_of(reference) {
                        targets.entry(local).or_default().insert(Some(arg.clone()));
                    }
                }
            }
            // `for_each = aws_instance.web` links each instance to the whole collection.
            for expr in [&config.resource.for_each_expression, &config.resource.count_expression]
                .into_iter()
                .flatten()
            {
                for reference in expr.references() {
                    if let Some(local) = resource_of(reference) {
                        targets.entry(local).or_default().insert(None);
                    }
                }
            }
            for dep in &config.resource.depends_on {
                if let Some(local) = resource_of(dep) {
                    targets.entry(local).or_default().insert(None);
                }
            }
            for (local, attrs) in targets {
                let Some(found) = instances.get(&(change.module(), local)) else {
                    continue;
                };
                for &(ti, target) in found {
                    if target == change.address {
                        continue;
                    }
                    for attr in &attrs {
                        out.forward.entry(change.address.clone()).or_default().insert(Relation {
                            address: target.to_string(),
                            attribute: attr.clone(),
                            change_index: Some(ti),
                        });
                        out.backward.entry(target.to_string()).or_default().insert(Relation {
                            address: change.address.clone(),
                            attribute: attr.clone(),
                            change_index: Some(ci),
                        });
                    }
                }
            }
        }
        out
    }
}

/// `aws_sg.x.id` -> `aws_sg.x`; `data.t.n.json` -> `data.t.n`; `var.x`, `local.y`,
/// `module.m.out`, `each.key` -> none.
fn resource_of(reference: &str) -> Option<String> {
    let parts: Vec<&str> = reference.split('.').collect();
    let strip = |s: &str| s.split('[').next().unwrap_or(s).to_string();
    match parts.as_slice() {
        ["var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self", ..] => None,
        ["data", t, n, ..] => Some(format!("data.{t}.{}", strip(n))),
        [t, n, ..] => Some(format!("{t}.{}", strip(n))),
        _ => None,
    }
}

impl Relations for ConfigRelations {
    fn dependencies(&self, address: &str) -> Vec<Relation> {
        self.forward
            .get(address)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn dependents(&self, address: &str) -> Vec<Relation> {
        self.backward
            .get(address)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn visit(&self, address: &str, direction: Direction, f: &mut Visit<'_>) {
        let map = match direction {
            Direction::Dependencies => &self.forward,
            Direction::Dependents => &self.backward,
        };
        for link in map.get(address).into_iter().flatten() {
            f(&link.address, link.attribute.as_deref(), link.change_index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_resources() {
        assert_eq!(
            resource_of("aws_security_group.ssh.id").as_deref(),
            Some("aws_security_group.ssh")
        );
        assert_eq!(
            resource_of("aws_security_group.ssh").as_deref(),
            Some("aws_security_group.ssh")
        );
        assert_eq!(resource_of("aws_subnet.a[0].id").as_deref(), Some("aws_subnet.a"));
        assert_eq!(
            resource_of("data.aws_iam_policy_document.p.json").as_deref(),
            Some("data.aws_iam_policy_document.p")
        );
        assert_eq!(resource_of("var.x"), None);
        assert_eq!(resource_of("module.m.out"), None);
    }
}

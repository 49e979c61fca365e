//! Rendering: text tree, Graphviz DOT, Mermaid and JSON.
//!
//! DOT, Mermaid and text show the *display graph*: resources, data sources, root outputs and
//! dangling references, with edges collapsed through variables, locals, module outputs, module
//! instances and providers (as `terraform graph` does). JSON writes the full graph.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use petgraph::Direction;
use planguard_plan::{ActionKind, ModulePath};

use crate::model::{EdgeKind, Node, NodeId, NodeKind, View};
use crate::Graph;

/// A graph restricted to some nodes: ids, edges as (from, to, via, attribute) over positions.
struct Sub {
    ids: Vec<NodeId>,
    edges: Vec<(usize, usize, EdgeKind, Option<std::sync::Arc<str>>)>,
}

impl Sub {
    fn adjacency(&self) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut deps = vec![Vec::new(); self.ids.len()];
        let mut rdeps = vec![Vec::new(); self.ids.len()];
        for &(a, b, _, _) in &self.edges {
            deps[a].push(b);
            rdeps[b].push(a);
        }
        (deps, rdeps)
    }

    /// Keeps the nodes `keep` selects and the edges between them.
    fn filter(self, keep: &[bool]) -> Sub {
        let mut pos = vec![usize::MAX; self.ids.len()];
        let mut ids = Vec::new();
        for (i, &id) in self.ids.iter().enumerate() {
            if keep[i] {
                pos[i] = ids.len();
                ids.push(id);
            }
        }
        let edges = self
            .edges
            .into_iter()
            .filter(|e| keep[e.0] && keep[e.1])
            .map(|(a, b, v, at)| (pos[a], pos[b], v, at))
            .collect();
        Sub { ids, edges }
    }
}

fn is_display(node: &Node) -> bool {
    match node.kind {
        NodeKind::Resource | NodeKind::Data | NodeKind::Dangling => true,
        NodeKind::Output => node.module.is_empty(),
        NodeKind::Local => node.dangling,
        _ => false,
    }
}

/// The terse action label and colour class of a node.
fn action_class(node: &Node) -> &'static str {
    match node.action {
        Some(ActionKind::Create) => "create",
        Some(ActionKind::Update) => "update",
        Some(ActionKind::Replace) => "replace",
        Some(ActionKind::Delete) => "delete",
        Some(ActionKind::Read) => "read",
        Some(ActionKind::Forget) => "forget",
        Some(ActionKind::NoOp) | None => "unchanged",
    }
}

/// Fill and stroke colours per action class.
const COLOURS: [(&str, &str, &str); 7] = [
    ("create", "#b2f2bb", "#2b8a3e"),
    ("update", "#ffec99", "#e67700"),
    ("replace", "#ffc078", "#d9480f"),
    ("delete", "#ffa8a8", "#c92a2a"),
    ("read", "#a5d8ff", "#1864ab"),
    ("forget", "#eebefa", "#862e9c"),
    ("unchanged", "#e9ecef", "#868e96"),
];

fn colours(class: &str) -> (&'static str, &'static str) {
    COLOURS
        .iter()
        .find(|c| c.0 == class)
        .map_or(("#e9ecef", "#868e96"), |c| (c.1, c.2))
}

/// The address without its module prefix.
fn local_label(node: &Node) -> &str {
    if node.module.is_empty() {
        return &node.address;
    }
    node.address
        .strip_prefix(node.module.as_str())
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(&node.address)
}

fn action_text(node: &Node) -> String {
    match (node.kind, node.action) {
        (NodeKind::Dangling, _) => "not in plan".into(),
        (NodeKind::Local, _) if node.dangling => "local, not followed".into(),
        (_, Some(a)) => a.as_str().into(),
        (NodeKind::Output, None) => "output".into(),
        (_, None) => "no change".into(),
    }
}

fn parent_module(mi: &str) -> String {
    match ModulePath::parse(mi) {
        Ok(mut p) if !p.0.is_empty() => {
            p.0.pop();
            p.to_string()
        }
        _ => String::new(),
    }
}

/// Module instances as a tree: parent -> sorted children, including every ancestor.
fn module_tree(modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut tree: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack: Vec<String> = modules.iter().cloned().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(m) = stack.pop() {
        if m.is_empty() || !seen.insert(m.clone()) {
            continue;
        }
        let parent = parent_module(&m);
        tree.entry(parent.clone()).or_default().insert(m);
        stack.push(parent);
    }
    tree
}

impl Graph {
    fn full_sub(&self) -> Sub {
        let ids: Vec<NodeId> = self.nodes().map(|(id, _)| id).collect();
        let edges = self
            .edges()
            .map(|(a, b, e)| (a.index(), b.index(), e.via, e.attribute.clone()))
            .collect();
        Sub { ids, edges }
    }

    fn display_sub(&self) -> Sub {
        let ids: Vec<NodeId> = self.nodes().filter(|(_, n)| is_display(n)).map(|(id, _)| id).collect();
        let mut pos = vec![usize::MAX; self.len()];
        for (i, id) in ids.iter().enumerate() {
            pos[id.index()] = i;
        }
        let mut edges = Vec::new();
        for (i, &id) in ids.iter().enumerate() {
            for (t, via, attr) in self.collapse_with_kind(id, Direction::Outgoing, is_display) {
                edges.push((i, pos[t.index()], via, attr));
            }
        }
        // One edge per pair for drawing: the first reason in (via, attribute) order.
        edges.sort();
        edges.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        Sub { ids, edges }
    }

    fn view_of(&self, sub: Sub, view: &View) -> Sub {
        if !view.changed_only && view.focus.is_none() && view.depth.is_none() {
            return sub;
        }
        let (deps, rdeps) = sub.adjacency();
        let keep = self.select(view, &sub.ids, &deps, &rdeps);
        sub.filter(&keep)
    }

    /// Which nodes of the full graph `view` keeps, by node index: the nodes [`Graph::to_json`]
    /// draws, for renderers outside this crate (the HTML report). An unknown `view.focus`
    /// address keeps nothing.
    pub fn kept_nodes(&self, view: &View) -> Vec<bool> {
        if !view.changed_only && view.focus.is_none() && view.depth.is_none() {
            return vec![true; self.len()];
        }
        let sub = self.full_sub();
        let (deps, rdeps) = sub.adjacency();
        self.select(view, &sub.ids, &deps, &rdeps)
    }

    /// Renders the full graph as JSON (see the [crate docs](crate#json-format) for the format),
    /// cut down by `view`. An unknown `view.focus` address gives an empty graph.
    pub fn to_json(&self, view: &View) -> String {
        #[derive(serde::Serialize)]
        struct JsonNode<'a> {
            address: &'a str,
            kind: NodeKind,
            #[serde(rename = "type")]
            resource_type: Option<&'a str>,
            module: &'a str,
            action: Option<ActionKind>,
            change_index: Option<usize>,
            dangling: bool,
            depth: usize,
        }
        #[derive(serde::Serialize)]
        struct JsonEdge<'a> {
            from: &'a str,
            to: &'a str,
            via: EdgeKind,
            attribute: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct JsonGraph<'a> {
            nodes: Vec<JsonNode<'a>>,
            edges: Vec<JsonEdge<'a>>,
        }
        let sub = self.view_of(self.full_sub(), view);
        let out = JsonGraph {
            nodes: sub
                .ids
                .iter()
                .map(|&id| {
                    let n = self.node(id);
                    JsonNode {
                        address: &n.address,
                        kind: n.kind,
                        resource_type: n.resource_type.as_deref(),
                        module: &n.module,
                        action: n.action,
                        change_index: n.change_index,
                        dangling: n.dangling,
                        depth: self.depth(id),
                    }
                })
                .collect(),
            edges: sub
                .edges
                .iter()
                .map(|(a, b, via, attr)| JsonEdge {
                    from: &self.node(sub.ids[*a]).address,
                    to: &self.node(sub.ids[*b]).address,
                    via: *via,
                    attribute: attr.as_deref(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| String::from("{}"));
        text.push('\n');
        text
    }

    /// Renders the display graph as Graphviz DOT: nodes coloured by action (create green, update
    /// yellow, replace orange, delete red, read blue, forget purple, unchanged grey), module
    /// instances as nested clusters, `depends_on`/`module` edges dashed.
    pub fn to_dot(&self, view: &View) -> String {
        let sub = self.view_of(self.display_sub(), view);
        let mut out = String::new();
        out.push_str("digraph planguard {\n");
        out.push_str("  rankdir = \"RL\";\n");
        out.push_str("  graph [fontname = \"sans-serif\"];\n");
        out.push_str("  node [shape = rect, style = \"filled\", fontname = \"sans-serif\"];\n");
        out.push_str("  edge [fontname = \"sans-serif\", fontsize = 10];\n");
        let mut by_module: BTreeMap<&str, Vec<NodeId>> = BTreeMap::new();
        for &id in &sub.ids {
            by_module.entry(self.node(id).module.as_str()).or_default().push(id);
        }
        let modules: BTreeSet<String> = by_module.keys().map(|m| m.to_string()).collect();
        let tree = module_tree(&modules);
        self.dot_module(&mut out, "", 1, &by_module, &tree);
        for (a, b, via, _) in &sub.edges {
            let _ = write!(
                out,
                "  {} -> {}",
                dot_quote(&self.node(sub.ids[*a]).address),
                dot_quote(&self.node(sub.ids[*b]).address)
            );
            match via {
                EdgeKind::Reference | EdgeKind::ModuleOutput | EdgeKind::ModuleInput => out.push_str(";\n"),
                other => {
                    let _ = writeln!(out, " [style = \"dashed\", label = {}];", dot_quote(other.as_str()));
                }
            }
        }
        out.push_str("}\n");
        out
    }

    fn dot_module(
        &self,
        out: &mut String,
        module: &str,
        indent: usize,
        by_module: &BTreeMap<&str, Vec<NodeId>>,
        tree: &BTreeMap<String, BTreeSet<String>>,
    ) {
        let pad = "  ".repeat(indent);
        for &id in by_module.get(module).map(Vec::as_slice).unwrap_or(&[]) {
            let n = self.node(id);
            let class = action_class(n);
            let (fill, stroke) = colours(class);
            let label = format!("{}\n{}", local_label(n), action_text(n));
            let shape = match n.kind {
                NodeKind::Output => ", shape = \"note\"",
                NodeKind::Dangling | NodeKind::Local => ", shape = \"ellipse\", style = \"dashed,filled\"",
                _ => "",
            };
            let _ = writeln!(
                out,
                "{pad}{} [label = {}, fillcolor = \"{fill}\", color = \"{stroke}\"{shape}];",
                dot_quote(&n.address),
                dot_quote(&label)
            );
        }
        for child in tree.get(module).into_iter().flatten() {
            let _ = writeln!(out, "{pad}subgraph {} {{", dot_quote(&format!("cluster_{child}")));
            let _ = writeln!(out, "{pad}  label = {};", dot_quote(child));
            let _ = writeln!(out, "{pad}  style = \"rounded\";");
            self.dot_module(out, child, indent + 1, by_module, tree);
            let _ = writeln!(out, "{pad}}}");
        }
    }

    /// Renders the display graph as a Mermaid flowchart that GitHub and Azure DevOps render
    /// (mermaid 10+): node ids `n0, n1, ...`, quoted and entity-escaped labels, module instances
    /// as nested subgraphs, colours through `classDef`.
    pub fn to_mermaid(&self, view: &View) -> String {
        let sub = self.view_of(self.display_sub(), view);
        let mut out = String::from("flowchart RL\n");
        for (class, fill, stroke) in COLOURS {
            let _ = writeln!(out, "  classDef {class} fill:{fill},stroke:{stroke},color:#000");
        }
        let mut by_module: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, &id) in sub.ids.iter().enumerate() {
            by_module.entry(self.node(id).module.as_str()).or_default().push(i);
        }
        let modules: BTreeSet<String> = by_module.keys().map(|m| m.to_string()).collect();
        let tree = module_tree(&modules);
        let mut counter = 0usize;
        self.mermaid_module(&mut out, &sub, "", 1, &by_module, &tree, &mut counter);
        for (a, b, via, _) in &sub.edges {
            match via {
                EdgeKind::Reference | EdgeKind::ModuleOutput | EdgeKind::ModuleInput => {
                    let _ = writeln!(out, "  n{a} --> n{b}");
                }
                other => {
                    let _ = writeln!(out, "  n{a} -.->|{}| n{b}", other.as_str());
                }
            }
        }
        let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, &id) in sub.ids.iter().enumerate() {
            classes.entry(action_class(self.node(id))).or_default().push(i);
        }
        for (class, members) in classes {
            let list: Vec<String> = members.iter().map(|i| format!("n{i}")).collect();
            let _ = writeln!(out, "  class {} {class}", list.join(","));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn mermaid_module(
        &self,
        out: &mut String,
        sub: &Sub,
        module: &str,
        indent: usize,
        by_module: &BTreeMap<&str, Vec<usize>>,
        tree: &BTreeMap<String, BTreeSet<String>>,
        counter: &mut usize,
    ) {
        let pad = "  ".repeat(indent);
        for &i in by_module.get(module).map(Vec::as_slice).unwrap_or(&[]) {
            let n = self.node(sub.ids[i]);
            let label = mermaid_escape(&format!("{} ({})", local_label(n), action_text(n)));
            let (open, close) = match n.kind {
                NodeKind::Output => ("[/\"", "\"/]"),
                NodeKind::Dangling | NodeKind::Local => ("([\"", "\"])"),
                _ => ("[\"", "\"]"),
            };
            let _ = writeln!(out, "{pad}n{i}{open}{label}{close}");
        }
        for child in tree.get(module).into_iter().flatten() {
            let id = *counter;
            *counter += 1;
            let _ = writeln!(out, "{pad}subgraph m{id}[\"{}\"]", mermaid_escape(child));
            self.mermaid_module(out, sub, child, indent + 1, by_module, tree, counter);
            let _ = writeln!(out, "{pad}end");
        }
    }

    /// Renders the changes as a text forest: each change that depends on no other change
    /// (dependencies first) with its blast radius summary and the tree of what depends on it
    /// (display graph); a node already shown says "see above", so the output stays linear.
    /// `view.depth` limits the tree depth; `changed_only` and `focus` cut the graph first.
    pub fn to_text(&self, view: &View) -> String {
        let sub = self.view_of(self.display_sub(), view);
        let (_, rdeps) = sub.adjacency();
        let mut edge_label: BTreeMap<(usize, usize), String> = BTreeMap::new();
        for (a, b, via, attr) in &sub.edges {
            let label = match (via, attr) {
                (EdgeKind::Reference | EdgeKind::ModuleInput | EdgeKind::ModuleOutput, Some(at)) => at.to_string(),
                (v, _) => v.as_str().to_string(),
            };
            edge_label.entry((*a, *b)).or_insert(label);
        }
        let mut pos = vec![usize::MAX; self.len()];
        for (i, id) in sub.ids.iter().enumerate() {
            pos[id.index()] = i;
        }
        let order: Vec<NodeId> = match self.topological_changes() {
            Ok(o) => o,
            Err(_) => self.nodes().filter(|(_, n)| n.is_change()).map(|(id, _)| id).collect(),
        };
        let roots: Vec<usize> = order
            .into_iter()
            .filter(|id| pos[id.index()] != usize::MAX && self.node(*id).kind != NodeKind::Output)
            .map(|id| pos[id.index()])
            .collect();
        let mut out = String::new();
        let mut counts: BTreeMap<ActionKind, usize> = BTreeMap::new();
        for (_, n) in self.nodes() {
            if n.is_change() && n.kind.is_resource() {
                *counts.entry(n.action.unwrap_or(ActionKind::NoOp)).or_default() += 1;
            }
        }
        if counts.is_empty() {
            out.push_str("No resource changes.\n");
        } else {
            let parts: Vec<String> = ActionKind::ALL
                .iter()
                .filter_map(|k| counts.get(k).map(|c| format!("{c} {k}")))
                .collect();
            let total: usize = counts.values().sum();
            let _ = writeln!(out, "{total} resource change(s): {}", parts.join(", "));
        }
        if let Some(cycle) = self.cycles.first() {
            let names: Vec<&str> = cycle.iter().map(|&id| self.node(id).address.as_str()).collect();
            let _ = writeln!(out, "Dependency cycle: {}", names.join(" <-> "));
        }
        // A forest: changes that depend on no other shown change are roots; each node's subtree is
        // printed once, later occurrences say "see above". Changes left over (cycles) become roots.
        let upstream_change = {
            let changed: Vec<usize> = roots.clone();
            let mut reached = vec![false; sub.ids.len()];
            // Nodes reachable (as dependents) from a change, excluding the change itself.
            let mut stack: Vec<usize> = Vec::new();
            for &c in &changed {
                for &d in &rdeps[c] {
                    if !reached[d] {
                        reached[d] = true;
                        stack.push(d);
                    }
                }
            }
            while let Some(n) = stack.pop() {
                for &d in &rdeps[n] {
                    if !reached[d] {
                        reached[d] = true;
                        stack.push(d);
                    }
                }
            }
            reached
        };
        let mut seen = BTreeSet::new();
        let ordered: Vec<usize> = roots
            .iter()
            .copied()
            .filter(|&r| !upstream_change[r])
            .chain(roots.iter().copied().filter(|&r| upstream_change[r]))
            .collect();
        for root in ordered {
            if seen.contains(&root) {
                continue;
            }
            seen.insert(root);
            let id = sub.ids[root];
            let n = self.node(id);
            let radius = self.blast_radius(id);
            let reached = radius
                .nodes
                .iter()
                .filter(|&&r| {
                    let k = self.node(r).kind;
                    k.is_resource() || (k == NodeKind::Output && self.node(r).module.is_empty())
                })
                .count();
            out.push('\n');
            let _ = writeln!(out, "{} {} ({})", symbol(n.action), n.address, action_text(n));
            if reached == 0 {
                out.push_str("  reaches nothing else\n");
                continue;
            }
            let _ = writeln!(
                out,
                "  reaches {reached} resource(s)/output(s), worst action: {}",
                radius.worst_action.map_or("none", |a| a.as_str())
            );
            self.text_tree(
                &mut out,
                &sub,
                &rdeps,
                &edge_label,
                root,
                "  ",
                1,
                view.depth,
                &mut seen,
            );
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn text_tree(
        &self,
        out: &mut String,
        sub: &Sub,
        rdeps: &[Vec<usize>],
        labels: &BTreeMap<(usize, usize), String>,
        at: usize,
        indent: &str,
        level: usize,
        limit: Option<usize>,
        seen: &mut BTreeSet<usize>,
    ) {
        let mut children: Vec<usize> = rdeps[at].clone();
        children.sort_unstable();
        children.dedup();
        let last_index = children.len().saturating_sub(1);
        for (k, c) in children.into_iter().enumerate() {
            let last = k == last_index;
            let n = self.node(sub.ids[c]);
            let label = labels.get(&(c, at)).map(String::as_str).unwrap_or("");
            let branch = if last { "└── " } else { "├── " };
            let again = !seen.insert(c);
            let _ = writeln!(
                out,
                "{indent}{branch}{} {} ({}) via {label}{}",
                symbol(n.action),
                n.address,
                action_text(n),
                if again { " (see above)" } else { "" }
            );
            if again || limit.is_some_and(|l| level >= l) {
                continue;
            }
            let next = format!("{indent}{}", if last { "    " } else { "│   " });
            self.text_tree(out, sub, rdeps, labels, c, &next, level + 1, limit, seen);
        }
    }
}

fn symbol(action: Option<ActionKind>) -> &'static str {
    match action {
        Some(ActionKind::Create) => "+",
        Some(ActionKind::Update) => "~",
        Some(ActionKind::Replace) => "-/+",
        Some(ActionKind::Delete) => "-",
        Some(ActionKind::Read) => "<=",
        Some(ActionKind::Forget) => ".",
        Some(ActionKind::NoOp) | None => "=",
    }
}

/// Quotes a DOT identifier.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for a quoted Mermaid label with entity codes: `"`, `[`, `]`, `<`, `>`, `&`,
/// `#` and characters that break lines.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            mermaid_escape("a[\"x\"]#<&>"),
            "a#91;#quot;x#quot;#93;#35;#lt;#amp;#gt;"
        );
        assert_eq!(dot_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(parent_module("module.a[\"x.y\"].module.b"), "module.a[\"x.y\"]");
        assert_eq!(parent_module("module.a"), "");
    }
}

//! A self-contained interactive HTML report: verdict, guardrails, counts, cost and findings
//! at the top, then the dependency graph as inline SVG (laid out here, in Rust), then tables
//! that stay usable without the graph. No network request of any kind: CSS, script and data
//! are inline, and the script is hand-written.
//!
//! Layout: longest-path layering (each node's layer is its dependency depth, which the graph
//! already computes) and four barycentre sweeps to order each layer, module by module. It is
//! linear per sweep, adds no dependency and is deterministic by construction (ties break on
//! address order); on the 10k-resource synthetic plan it lays out the 1,490 drawn nodes in
//! about 0.1 s (debug build) and cuts adjacent-layer crossings from 3,439 to 2,123. The
//! `rust-sugiyama` crate (crossing minimisation plus coordinate assignment) has not been
//! measured against it yet; see `benches/README.md`.

use std::collections::BTreeMap;
use std::fmt::Write;

use planguard_graph::Graph;
use planguard_plan::ActionKind;
use serde::Serialize;

use crate::analyze::Report;
use crate::render::{overall_verdict, Outcome};

/// Nodes drawn per graph before modules collapse into groups. About 1,500 SVG groups keep
/// Chromium's first paint and filter updates well under a second on a CI runner, while a
/// plan of that size is already more than a reviewer reads node by node.
pub const NODE_BUDGET: usize = 1_500;

const NODE_WIDTH: f64 = 230.0;
const NODE_HEIGHT: f64 = 28.0;
const LAYER_GAP: f64 = 270.0;
const ROW_GAP: f64 = 38.0;
const MARGIN: f64 = 30.0;
const MODULE_GAP: f64 = 30.0;
const SWEEPS: usize = 4;

/// The glyph drawn on a node, so colour is never the only cue.
pub fn glyph(action: Option<ActionKind>) -> &'static str {
    match action {
        Some(ActionKind::Create) => "+",
        Some(ActionKind::Update) => "~",
        Some(ActionKind::Replace) => "±",
        Some(ActionKind::Delete) => "−",
        Some(ActionKind::Read) => "⟳",
        Some(ActionKind::Forget) => "⊘",
        Some(ActionKind::NoOp) | None => "·",
    }
}

fn action_name(action: Option<ActionKind>) -> &'static str {
    action.map_or("none", ActionKind::as_str)
}

/// Escapes text for HTML markup and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script type="application/json">`: no plan string can close the element
/// or start a comment, and line separators can't end a string in older engines.
pub fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    // These characters occur only inside JSON strings, where the escapes mean the same.
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// One drawn node: a graph node, or a collapsed group of them.
struct Drawn {
    address: String,
    kind: &'static str,
    resource_type: String,
    module: String,
    action: Option<ActionKind>,
    members: Vec<String>,
}

#[derive(Serialize)]
struct NodeData<'a> {
    address: &'a str,
    kind: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    module: &'a str,
    action: &'a str,
    reason: Option<&'a str>,
    /// Already redacted by the summary: sensitive as `(sensitive)`, unknown as
    /// `(known after apply)`.
    attributes: &'a [planguard_plan::summary::AttributeChange],
    findings: Vec<usize>,
    cost_delta: Option<f64>,
    source: Option<String>,
    dependents: Vec<usize>,
    dependencies: Vec<usize>,
    members: &'a [String],
}

#[derive(Serialize)]
struct FindingData<'a> {
    rule: &'a str,
    title: &'a str,
    severity: &'a str,
    status: &'a str,
    resource: &'a str,
    path: String,
    message: String,
}

#[derive(Serialize)]
struct PageData<'a> {
    nodes: Vec<NodeData<'a>>,
    findings: Vec<FindingData<'a>>,
}

/// The layout of one graph: drawn nodes, their edges and positions.
struct Layout {
    nodes: Vec<Drawn>,
    edges: Vec<(usize, usize)>,
    positions: Vec<(f64, f64)>,
    width: f64,
    height: f64,
    collapsed: usize,
    on_path: Vec<bool>,
    /// Edge crossings between adjacent layers before and after the barycentre sweeps.
    crossings: (usize, usize),
}

/// Crossings among the edges joining adjacent layers: pairs whose ends are in opposite order.
fn count_crossings(layer_of: &[usize], rank: &[f64], edges: &[(usize, usize)]) -> usize {
    let mut by_layer: BTreeMap<usize, Vec<(i64, i64)>> = BTreeMap::new();
    for &(a, b) in edges {
        let (low, high) = if layer_of[a] < layer_of[b] { (a, b) } else { (b, a) };
        if layer_of[high] == layer_of[low] + 1 {
            by_layer
                .entry(layer_of[low])
                .or_default()
                .push((rank[low] as i64, rank[high] as i64));
        }
    }
    let mut total = 0;
    for (_, mut pairs) in by_layer {
        pairs.sort_unstable();
        // Inversions of the upper ends, counted with a Fenwick tree over their ranks.
        let size = pairs.iter().map(|p| p.1).max().unwrap_or(0) as usize + 2;
        let mut tree = vec![0usize; size + 1];
        let mut seen = 0;
        let mut i = 0;
        while i < pairs.len() {
            // Edges sharing a lower end don't cross each other.
            let mut j = i;
            while j < pairs.len() && pairs[j].0 == pairs[i].0 {
                let mut k = pairs[j].1 as usize + 1;
                let mut not_greater = 0;
                while k > 0 {
                    not_greater += tree[k];
                    k &= k - 1;
                }
                total += seen - not_greater;
                j += 1;
            }
            for p in &pairs[i..j] {
                let mut k = p.1 as usize + 1;
                while k <= size {
                    tree[k] += 1;
                    k += k & k.wrapping_neg();
                }
                seen += 1;
            }
            i = j;
        }
    }
    total
}

/// Edge crossings between adjacent layers of a graph's drawing, before and after the
/// barycentre ordering (for the layout benchmark figures and tests).
pub fn layout_crossings(graph: &Graph) -> (usize, usize) {
    layout(graph, NODE_BUDGET).crossings
}

/// Which graph nodes are drawn as themselves and which fold into a group, by group key.
fn grouping(graph: &Graph, budget: usize) -> Vec<Option<String>> {
    let mut group: Vec<Option<String>> = vec![None; graph.len()];
    let mut visible = graph.len();
    if visible <= budget {
        return group;
    }
    // Candidate groups: each non-root module, then each resource type of the root module.
    let mut candidates: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, node) in graph.nodes() {
        let key = if node.module.is_empty() {
            format!("{} (root)", node.resource_type.as_deref().unwrap_or(node.kind.as_str()))
        } else {
            node.module.clone()
        };
        candidates.entry(key).or_default().push(id.index());
    }
    let mut by_size: Vec<(String, Vec<usize>)> = candidates.into_iter().collect();
    // Largest first; ties in key order, so the result doesn't depend on map order.
    by_size.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    for (key, members) in by_size {
        if visible <= budget {
            break;
        }
        if members.len() < 2 {
            continue;
        }
        visible -= members.len() - 1;
        for m in members {
            group[m] = Some(key.clone());
        }
    }
    group
}

fn layout(graph: &Graph, budget: usize) -> Layout {
    let group = grouping(graph, budget);
    let mut drawn: Vec<Drawn> = Vec::new();
    let mut drawn_of: Vec<usize> = vec![0; graph.len()];
    let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut layer_of: Vec<usize> = Vec::new();
    let mut collapsed = 0;
    for (id, node) in graph.nodes() {
        let index = match &group[id.index()] {
            None => {
                drawn.push(Drawn {
                    address: node.address.clone(),
                    kind: node.kind.as_str(),
                    resource_type: node.resource_type.clone().unwrap_or_default(),
                    module: node.module.clone(),
                    action: node.action,
                    members: Vec::new(),
                });
                layer_of.push(graph.depth(id));
                drawn.len() - 1
            }
            Some(key) => {
                collapsed += 1;
                let next = drawn.len();
                let index = *group_index.entry(key.clone()).or_insert(next);
                if index == next {
                    drawn.push(Drawn {
                        address: format!("group:{key}"),
                        kind: "group",
                        resource_type: String::new(),
                        module: node.module.clone(),
                        action: None,
                        members: Vec::new(),
                    });
                    layer_of.push(graph.depth(id));
                }
                let g = &mut drawn[index];
                g.members.push(node.address.clone());
                // A group shows its most disruptive change.
                if node.action.map_or(0, ActionKind::severity) > g.action.map_or(0, ActionKind::severity) {
                    g.action = node.action;
                }
                layer_of[index] = layer_of[index].min(graph.depth(id));
                index
            }
        };
        drawn_of[id.index()] = index;
    }
    let mut edges: Vec<(usize, usize)> = graph
        .edges()
        .map(|(from, to, _)| (drawn_of[from.index()], drawn_of[to.index()]))
        .filter(|(a, b)| a != b)
        .collect();
    edges.sort_unstable();
    edges.dedup();

    // Layers: dependencies left, dependents right. A group may sit no further right than its
    // dependents, so layers are pushed up along edges (bounded: cycles share a layer).
    for _ in 0..drawn.len().min(64) {
        let mut moved = false;
        for &(dependent, dependency) in &edges {
            if layer_of[dependent] <= layer_of[dependency] && drawn[dependent].kind == "group" {
                layer_of[dependent] = layer_of[dependency] + 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let layers = layer_of.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, &l) in layer_of.iter().enumerate() {
        rows[l].push(i);
    }
    for row in &mut rows {
        row.sort_by(|&a, &b| {
            (drawn[a].module.as_str(), drawn[a].address.as_str())
                .cmp(&(drawn[b].module.as_str(), drawn[b].address.as_str()))
        });
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); drawn.len()];
    for &(a, b) in &edges {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    let mut position: Vec<f64> = vec![0.0; drawn.len()];
    let place = |rows: &Vec<Vec<usize>>, position: &mut Vec<f64>| {
        for row in rows {
            for (i, &n) in row.iter().enumerate() {
                position[n] = i as f64;
            }
        }
    };
    place(&rows, &mut position);
    let initial_rank = position.clone();
    for _ in 0..SWEEPS {
        for row in &mut rows {
            let keys: Vec<(f64, usize)> = row
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let ns = &neighbours[n];
                    let centre = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&m| position[m]).sum::<f64>() / ns.len() as f64
                    };
                    (centre, i)
                })
                .collect();
            let mut order: Vec<usize> = (0..row.len()).collect();
            // Module first keeps each module's nodes together in a layer (its box stays whole).
            order.sort_by(|&a, &b| {
                drawn[row[a]]
                    .module
                    .cmp(&drawn[row[b]].module)
                    .then(keys[a].0.total_cmp(&keys[b].0))
                    .then(keys[a].1.cmp(&keys[b].1))
            });
            *row = order.into_iter().map(|i| row[i]).collect();
        }
        place(&rows, &mut position);
    }
    let mut positions = vec![(0.0, 0.0); drawn.len()];
    let mut bottom = 0.0f64;
    for (l, row) in rows.iter().enumerate() {
        let mut y = MARGIN + 20.0;
        for (i, &n) in row.iter().enumerate() {
            // Room between two modules' boxes for the lower one's label.
            if i > 0 && drawn[row[i - 1]].module != drawn[n].module {
                y += MODULE_GAP;
            }
            positions[n] = (MARGIN + l as f64 * LAYER_GAP, y);
            y += ROW_GAP;
        }
        bottom = bottom.max(y);
    }
    let on_path = paths_between_changes(&drawn, &edges);
    let crossings = (
        count_crossings(&layer_of, &initial_rank, &edges),
        count_crossings(&layer_of, &position, &edges),
    );
    Layout {
        crossings,
        width: 2.0 * MARGIN + layers.max(1) as f64 * LAYER_GAP,
        height: MARGIN + bottom.max(MARGIN + 20.0 + ROW_GAP),
        nodes: drawn,
        edges,
        positions,
        collapsed,
        on_path,
    }
}

/// Changes, and nodes both reached from a change and reaching one: what "only changes and the
/// paths between them" keeps.
fn paths_between_changes(nodes: &[Drawn], edges: &[(usize, usize)]) -> Vec<bool> {
    let is_change: Vec<bool> = nodes
        .iter()
        .map(|n| n.action.is_some_and(|a| a != ActionKind::NoOp))
        .collect();
    let reach = |forward: bool| {
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for &(a, b) in edges {
            if forward {
                adjacency[a].push(b);
            } else {
                adjacency[b].push(a);
            }
        }
        let mut seen = vec![false; nodes.len()];
        let mut stack: Vec<usize> = (0..nodes.len()).filter(|&i| is_change[i]).collect();
        while let Some(n) = stack.pop() {
            for &m in &adjacency[n] {
                if !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
        seen
    };
    let below = reach(true);
    let above = reach(false);
    (0..nodes.len())
        .map(|i| is_change[i] || (below[i] && above[i]))
        .collect()
}

fn truncate_label(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_string()
    } else {
        let tail: String = text.chars().skip(count - (max - 1)).collect();
        format!("…{tail}")
    }
}

fn money(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${:.2}", v.abs())
}

fn signed_money(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", money(v))
    } else {
        money(v)
    }
}

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// The HTML report of a check.
pub fn render(outcomes: &[Outcome]) -> String {
    render_with_budget(outcomes, NODE_BUDGET)
}

/// [`render`] with another node budget (tests use a small one to see groups).
pub fn render_with_budget(outcomes: &[Outcome], budget: usize) -> String {
    let verdict = overall_verdict(outcomes);
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<header><h1>planguard: <span class=\"verdict verdict-{0}\">{1}</span></h1></header>",
        verdict.as_str(),
        escape(&verdict.as_str().to_uppercase())
    );
    for (index, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Outcome::Analyzed(report) => plan_section(&mut body, index, &report.graph, Some(report), budget),
            Outcome::Failed { file, error } => {
                let _ = writeln!(
                    body,
                    "<section class=\"plan\"><h2>{}</h2><p class=\"error\">{}</p></section>",
                    escape(file),
                    escape(&crate::render::input_error_message(file, error))
                );
            }
        }
    }
    page(&format!("planguard: {}", verdict.as_str()), &body)
}

/// The HTML view of a dependency graph alone (`planguard graph --format html`).
pub fn render_graph(graph: &Graph, title: &str) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<header><h1>planguard graph: {}</h1></header>", escape(title));
    plan_section(&mut body, 0, graph, None, NODE_BUDGET);
    page(&format!("planguard graph: {title}"), &body)
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}\
         <aside data-panel=\"details\" hidden tabindex=\"-1\" aria-live=\"polite\"><button type=\"button\" class=\"close\" aria-label=\"Close\">×</button><div class=\"content\"></div></aside>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title)
    )
}

fn plan_section(out: &mut String, index: usize, graph: &Graph, report: Option<&Report>, budget: usize) {
    let lay = layout(graph, budget);
    let _ = writeln!(out, "<section class=\"plan\" data-plan=\"{index}\">");
    if let Some(report) = report {
        summary(out, report);
    }
    // Data per drawn node.
    let mut finding_index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut cost: BTreeMap<&str, f64> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, &str> = BTreeMap::new();
    let mut attributes: BTreeMap<&str, &[planguard_plan::summary::AttributeChange]> = BTreeMap::new();
    if let Some(report) = report {
        for (i, f) in report.findings.iter().enumerate() {
            finding_index.entry(f.resource.as_str()).or_default().push(i);
            findings.push(FindingData {
                rule: &f.rule_id,
                title: &f.title,
                severity: f.severity.as_str(),
                status: f.status.as_str(),
                resource: &f.resource,
                path: f.path.to_string(),
                message: f.message.to_string(),
            });
        }
        for r in &report.cost.resources {
            if let Some(d) = r.monthly_delta {
                if r.deposed.is_none() {
                    cost.insert(r.address.as_str(), d);
                }
            }
        }
        for c in &report.summary.changes {
            if !c.attributes.is_empty() {
                attributes.insert(c.address.as_str(), &c.attributes);
            }
            if let Some(reason) = &c.reason {
                reasons.insert(c.address.as_str(), reason.as_str());
            }
        }
    }
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); lay.nodes.len()];
    let mut dependencies: Vec<Vec<usize>> = vec![Vec::new(); lay.nodes.len()];
    for &(a, b) in &lay.edges {
        dependencies[a].push(b);
        dependents[b].push(a);
    }
    let nodes: Vec<NodeData<'_>> = lay
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let keys: Vec<&str> = if n.members.is_empty() {
                vec![n.address.as_str()]
            } else {
                n.members.iter().map(String::as_str).collect()
            };
            let node_findings: Vec<usize> = keys
                .iter()
                .flat_map(|k| finding_index.get(k).cloned().unwrap_or_default())
                .collect();
            let deltas: Vec<f64> = keys.iter().filter_map(|k| cost.get(k).copied()).collect();
            let source = report.and_then(|r| {
                let loc = r.sources.as_ref()?.locate(&n.address)?;
                Some(format!("{}:{}", loc.file.display(), loc.line))
            });
            NodeData {
                address: &n.address,
                kind: n.kind,
                resource_type: &n.resource_type,
                module: &n.module,
                action: action_name(n.action),
                reason: reasons.get(n.address.as_str()).copied(),
                attributes: attributes.get(n.address.as_str()).copied().unwrap_or(&[]),
                findings: node_findings,
                cost_delta: if deltas.is_empty() {
                    None
                } else {
                    Some(deltas.iter().sum())
                },
                source,
                dependents: std::mem::take(&mut dependents[i]),
                dependencies: std::mem::take(&mut dependencies[i]),
                members: &n.members,
            }
        })
        .collect();

    filters(out, &lay, &findings);
    let _ = writeln!(
        out,
        "<h2>Graph</h2><p class=\"note\">{} nodes drawn{}. Click or press Enter on a node for details; drag to pan, wheel or +/− to zoom; arrow keys move between nodes.</p>",
        lay.nodes.len(),
        if lay.collapsed > 0 {
            format!(
                ", {} folded into module groups (budget {budget} nodes)",
                lay.collapsed
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "<div class=\"graph\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"dependency graph\">",
        w = lay.width,
        h = lay.height
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L8,4L0,8z\" fill=\"#777\"/></marker></defs>\n<g class=\"viewport\">");
    module_boxes(out, &lay);
    out.push_str("<g class=\"edges\">");
    for &(a, b) in &lay.edges {
        let (ax, ay) = lay.positions[a];
        let (bx, by) = lay.positions[b];
        // From dependent to dependency: the dependent is right of (or level with) it.
        let (x1, y1, x2, y2) = if ax >= bx {
            (ax, ay + NODE_HEIGHT / 2.0, bx + NODE_WIDTH, by + NODE_HEIGHT / 2.0)
        } else {
            (ax + NODE_WIDTH, ay + NODE_HEIGHT / 2.0, bx, by + NODE_HEIGHT / 2.0)
        };
        let _ = write!(
            out,
            "<path data-from=\"{a}\" data-to=\"{b}\" d=\"M{x1:.0},{y1:.0}C{:.0},{y1:.0} {:.0},{y2:.0} {x2:.0},{y2:.0}\" marker-end=\"url(#arrow)\"/>",
            (x1 + x2) / 2.0,
            (x1 + x2) / 2.0
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">");
    for (i, n) in lay.nodes.iter().enumerate() {
        let (x, y) = lay.positions[i];
        let data = &nodes[i];
        let severity = data
            .findings
            .iter()
            .filter_map(|&f| report.map(|r| r.findings[f].severity))
            .min()
            .map(|s| s.as_str());
        let label = if n.members.is_empty() {
            // The module box names the module: the node shows the rest.
            n.address
                .strip_prefix(n.module.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .filter(|_| !n.module.is_empty())
                .unwrap_or(&n.address)
                .to_string()
        } else {
            format!("▣ {} ({})", n.address.trim_start_matches("group:"), n.members.len())
        };
        let _ = write!(
            out,
            "<g class=\"node kind-{kind}\" tabindex=\"0\" role=\"button\" data-index=\"{i}\" data-address=\"{address}\" data-action=\"{action}\" data-kind=\"{kind}\" data-module=\"{module}\" data-type=\"{rtype}\" data-path=\"{path}\"{sev} transform=\"translate({x:.0},{y:.0})\"><title>{address} ({action})</title><rect width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"{rx}\"/><text class=\"glyph\" x=\"12\" y=\"19\">{glyph}</text><text x=\"26\" y=\"18\">{label}</text>",
            kind = n.kind,
            address = escape(&n.address),
            action = action_name(n.action),
            module = escape(&n.module),
            rtype = escape(&n.resource_type),
            path = if lay.on_path[i] { "1" } else { "0" },
            sev = severity.map(|s| format!(" data-severity=\"{s}\"")).unwrap_or_default(),
            rx = if n.kind == "data" { 14 } else { 4 },
            glyph = glyph(n.action),
            label = escape(&truncate_label(&label, 30)),
        );
        if let Some(s) = severity {
            let _ = write!(
                out,
                "<g class=\"badge sev-{s}\"><circle cx=\"{NODE_WIDTH}\" cy=\"0\" r=\"9\"/><text x=\"{NODE_WIDTH}\" y=\"4\">{}</text></g>",
                data.findings.len().min(99)
            );
        }
        if let Some(d) = data.cost_delta {
            if d != 0.0 {
                let _ = write!(
                    out,
                    "<text class=\"cost\" x=\"{:.0}\" y=\"-2\">{}</text>",
                    NODE_WIDTH - 14.0,
                    escape(&signed_money(d))
                );
            }
        }
        out.push_str("</g>");
    }
    out.push_str("</g></g></svg></div>\n");
    let _ = writeln!(
        out,
        "<script type=\"application/json\" class=\"plan-data\">{}</script>",
        script_json(&PageData { nodes, findings })
    );
    if let Some(report) = report {
        tables(out, report);
    }
    out.push_str("</section>\n");
}

fn module_boxes(out: &mut String, lay: &Layout) {
    let mut boxes: BTreeMap<(&str, i64), (f64, f64, f64, f64)> = BTreeMap::new();
    for (i, n) in lay.nodes.iter().enumerate() {
        if n.module.is_empty() {
            continue;
        }
        let (x, y) = lay.positions[i];
        // One box per module per layer: a layer keeps a module's nodes together.
        let e = boxes.entry((n.module.as_str(), x as i64)).or_insert((x, y, x, y));
        e.0 = e.0.min(x);
        e.1 = e.1.min(y);
        e.2 = e.2.max(x);
        e.3 = e.3.max(y);
    }
    out.push_str("<g class=\"modules\">");
    for ((module, _), (x0, y0, x1, y1)) in boxes {
        let _ = write!(
            out,
            "<g class=\"module\" data-module=\"{m}\"><rect x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" rx=\"6\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text></g>",
            x0 - 8.0,
            y0 - 18.0,
            x1 - x0 + NODE_WIDTH + 16.0,
            y1 - y0 + NODE_HEIGHT + 24.0,
            x0 - 4.0,
            y0 - 5.0,
            escape(&truncate_label(module, 34)),
            m = escape(module)
        );
    }
    out.push_str("</g>");
}

fn filters(out: &mut String, lay: &Layout, findings: &[FindingData<'_>]) {
    let mut actions: Vec<&str> = lay.nodes.iter().map(|n| action_name(n.action)).collect();
    actions.sort_unstable();
    actions.dedup();
    let mut modules: Vec<&str> = lay.nodes.iter().map(|n| n.module.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    let mut types: Vec<&str> = lay
        .nodes
        .iter()
        .map(|n| n.resource_type.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    types.sort_unstable();
    types.dedup();
    out.push_str("<form class=\"filters\" onsubmit=\"return false\"><fieldset><legend>Action</legend>");
    for a in &actions {
        let glyph_of = ActionKind::ALL.iter().find(|k| k.as_str() == *a).copied();
        let _ = write!(
            out,
            "<label class=\"act act-{a}\"><input type=\"checkbox\" name=\"action\" value=\"{a}\" checked> {} {a}</label>",
            glyph(glyph_of)
        );
    }
    out.push_str("</fieldset><label>Severity <select name=\"severity\"><option value=\"\">any</option>");
    for s in ["critical", "high", "medium", "low", "info"] {
        if findings.iter().any(|f| f.severity == s) {
            let _ = write!(out, "<option value=\"{s}\">{s} or worse</option>");
        }
    }
    out.push_str("</select></label><label>Module <select name=\"module\"><option value=\"*\">any</option>");
    for m in &modules {
        let shown = if m.is_empty() { "(root)" } else { m };
        let _ = write!(out, "<option value=\"{}\">{}</option>", escape(m), escape(shown));
    }
    out.push_str("</select></label><label>Type <select name=\"type\"><option value=\"\">any</option>");
    for t in &types {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", escape(t));
    }
    out.push_str("</select></label><label><input type=\"checkbox\" name=\"paths\"> only changes and the paths between them</label><label>Search <input type=\"search\" name=\"search\" placeholder=\"address\"></label></form>\n");
}

fn summary(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<h2>{} <span class=\"verdict verdict-{}\">{}</span></h2>",
        escape(&report.file),
        report.verdict.as_str(),
        report.verdict.as_str()
    );
    out.push_str("<div class=\"cards\">");
    let mut counts: BTreeMap<u8, (ActionKind, usize)> = BTreeMap::new();
    for c in &report.summary.changes {
        counts.entry(c.kind.severity()).or_insert((c.kind, 0)).1 += 1;
    }
    out.push_str("<div class=\"card\"><h3>Changes</h3><ul>");
    for (_, (kind, n)) in counts.iter().rev() {
        let _ = write!(
            out,
            "<li class=\"act act-{0}\">{1} {2} {0}</li>",
            kind.as_str(),
            glyph(Some(*kind)),
            n
        );
    }
    if counts.is_empty() {
        out.push_str("<li>no changes</li>");
    }
    out.push_str("</ul></div>");
    let c = &report.cost;
    let at_least = if c.totals_at_least { "at least " } else { "" };
    let _ = write!(
        out,
        "<div class=\"card\"><h3>Monthly cost ({})</h3><ul><li>before {at_least}{}</li><li>after {at_least}{}</li><li>delta <strong>{}</strong></li></ul></div>",
        escape(&c.currency),
        money(c.monthly_before),
        money(c.monthly_after),
        signed_money(c.monthly_delta)
    );
    let mut by_severity: BTreeMap<planguard_rules::Severity, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_severity.entry(f.severity).or_default() += 1;
    }
    out.push_str("<div class=\"card\"><h3>Findings</h3><ul>");
    for (s, n) in &by_severity {
        let _ = write!(out, "<li class=\"sev-{0}\">{1} {0}</li>", s.as_str(), n);
    }
    if by_severity.is_empty() {
        out.push_str("<li>none</li>");
    }
    out.push_str("</ul></div><div class=\"card\"><h3>Guardrails</h3><ul>");
    for g in &report.guardrails {
        let state = if g.skipped.is_some() {
            "skipped"
        } else if g.passed {
            "passed"
        } else {
            "violated"
        };
        let _ = write!(
            out,
            "<li class=\"guard-{state}\">{} ({}): {state}</li>",
            escape(&g.name),
            g.guardrail_type
        );
    }
    if report.guardrails.is_empty() {
        out.push_str("<li>none configured</li>");
    }
    out.push_str("</ul></div></div>\n");
}

fn tables(out: &mut String, report: &Report) {
    out.push_str(
        "<h2>Changes</h2><table><thead><tr><th>Action</th><th>Address</th><th>Reason</th></tr></thead><tbody>",
    );
    for c in &report.summary.changes {
        let _ = write!(
            out,
            "<tr><td class=\"act act-{0}\">{1} {0}</td><td><a href=\"#node={2}\">{3}</a></td><td>{4}</td></tr>",
            c.kind.as_str(),
            glyph(Some(c.kind)),
            escape(&crate::sources::encode_uri_path(&c.address).replace('#', "%23")),
            escape(&c.address),
            escape(c.reason.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table>\n<h2>Findings</h2><table><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Message</th></tr></thead><tbody>");
    for f in &report.findings {
        let _ = write!(
            out,
            "<tr><td class=\"sev-{0}\">{0}{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>",
            f.severity.as_str(),
            if f.status.as_str() == "unknown" {
                " (unknown)"
            } else {
                ""
            },
            escape(&f.rule_id),
            escape(&f.resource),
            escape(f.message.as_str())
        );
    }
    out.push_str("</tbody></table>\n<h2>Cost</h2><table><thead><tr><th>Address</th><th>Before</th><th>After</th><th>Delta</th></tr></thead><tbody>");
    let opt = |v: Option<f64>| v.map_or_else(|| "unknown".to_string(), money);
    for r in &report.cost.resources {
        if r.monthly_before.is_none() && r.monthly_after.is_none() && r.monthly_delta.is_none() {
            continue;
        }
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.address),
            opt(r.monthly_before),
            opt(r.monthly_after),
            r.monthly_delta.map_or_else(|| "unknown".to_string(), signed_money)
        );
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let text = script_json(&serde_json::json!({"a": "</script><!-- & \u{2028}"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["a"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn escape_covers_markup_and_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn crossings_are_counted() {
        // Layer 0: a, b; layer 1: c, d. a-d and b-c cross once; a-c doesn't cross b-c.
        let layer = [0, 0, 1, 1];
        let rank = [0.0, 1.0, 0.0, 1.0];
        assert_eq!(count_crossings(&layer, &rank, &[(3, 0), (2, 1)]), 1);
        assert_eq!(count_crossings(&layer, &rank, &[(2, 0), (3, 1)]), 0);
        assert_eq!(count_crossings(&layer, &rank, &[(2, 0), (2, 1), (3, 0)]), 1);
    }

    fn fixture(name: &str) -> crate::analyze::Report {
        let analyzer = crate::Analyzer::builder().build().unwrap();
        let path = format!(
            "{}/../../fixtures/terraform/{name}/plan.json",
            env!("CARGO_MANIFEST_DIR")
        );
        analyzer.analyze_file(std::path::Path::new(&path)).unwrap()
    }

    #[test]
    fn barycentre_ordering_crosses_no_more_than_address_order() {
        let mut improved = false;
        for name in ["aws-data", "aws-network", "modules", "graph-chains"] {
            let (before, after) = layout_crossings(&fixture(name).graph);
            assert!(after <= before, "{name}: {before} -> {after}");
            improved |= after < before;
        }
        assert!(improved, "the sweeps never helped");
    }

    #[test]
    fn above_the_budget_modules_fold_into_groups_and_every_node_is_somewhere() {
        let report = fixture("modules");
        let lay = layout(&report.graph, 10);
        assert!(lay.nodes.len() < report.graph.len());
        assert!(lay.nodes.iter().any(|n| n.kind == "group"));
        let drawn = lay.nodes.iter().map(|n| n.members.len().max(1)).sum::<usize>();
        assert_eq!(drawn, report.graph.len());
        let html = render_with_budget(&[Outcome::Analyzed(Box::new(report))], 10);
        assert!(html.contains("folded into module groups"));
    }

    #[test]
    fn every_action_has_its_own_glyph() {
        let mut glyphs: Vec<&str> = ActionKind::ALL.iter().map(|a| glyph(Some(*a))).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        assert_eq!(glyphs.len(), ActionKind::ALL.len());
    }
}

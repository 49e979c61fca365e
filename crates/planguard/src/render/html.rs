//! A self-contained interactive HTML report: verdict, guardrails, counts, cost and findings
//! at the top, then the dependency graph as inline SVG (laid out here, in Rust), then tables
//! that stay usable without the graph. No network request of any kind: CSS, script and data
//! are inline, and the script is hand-written.
//!
//! Layout: longest-path layering (each node's layer is its dependency depth, which the graph
//! already computes), then barycentre sweeps layer by layer, alternating direction, each layer
//! ordered against the layers already placed with every module's nodes kept together (its box
//! stays whole); the best of the sweeps by crossing count is kept. It adds no dependency and is
//! deterministic by construction (ties break on address order). Above the node budget, modules
//! fold into groups, and each group's members get a layout of their own, which the script
//! draws in place when the group is expanded. `benches/README.md` compares it with the
//! `rust-sugiyama` crate (fewer crossings, about 80 times slower on a budget-sized drawing, and
//! no module clusters).

use std::collections::BTreeMap;
use std::fmt::Write;

use planguard_graph::{Graph, NodeId, NodeKind, View};
use planguard_plan::ActionKind;
use planguard_rules::RuleSet;
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
const SWEEPS: usize = 8;

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

/// Escapes text for element content, where quotes need no escape (addresses are full of
/// `["key"]`); never for attribute values.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
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

/// The page's geometry, so the script draws expanded groups, edges and module boxes with the
/// same measures as the layout.
#[derive(Serialize)]
struct Geometry {
    node_width: f64,
    node_height: f64,
    layer_gap: f64,
    row_gap: f64,
    margin: f64,
    /// Padding inside an expanded group, and the height of its title row.
    group_pad: f64,
    group_head: f64,
}

const GEOMETRY: Geometry = Geometry {
    node_width: NODE_WIDTH,
    node_height: NODE_HEIGHT,
    layer_gap: LAYER_GAP,
    row_gap: ROW_GAP,
    margin: MARGIN,
    group_pad: 12.0,
    group_head: 34.0,
};

/// Every node of the drawing, one column per field (a page of a large plan holds tens of
/// thousands): strings that repeat (modules, types, kinds, actions) are indices into tables.
#[derive(Serialize, Default)]
struct NodeColumns<'a> {
    /// The address without its module's prefix (`aws_s3_bucket.logs` inside
    /// `module.app`); `full` holds the few that don't start with it.
    address: Vec<&'a str>,
    module: Vec<usize>,
    #[serde(rename = "type")]
    resource_type: Vec<usize>,
    kind: Vec<usize>,
    action: Vec<usize>,
    full: BTreeMap<usize, &'a str>,
}

/// What the details panel shows beyond the columns, for the nodes that have any of it.
#[derive(Serialize)]
struct Details<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    /// Already redacted by the summary: sensitive as `(sensitive)`, unknown as
    /// `(known after apply)`.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    attributes: &'a [planguard_plan::summary::AttributeChange],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

#[derive(Serialize)]
struct FindingData<'a> {
    rule: &'a str,
    severity: &'a str,
    #[serde(skip_serializing_if = "is_failed")]
    status: &'a str,
    /// The local node of the finding's resource; `resource` names it when it isn't drawn.
    node: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "String::is_empty")]
    path: String,
    message: String,
}

fn is_failed(status: &&str) -> bool {
    *status == "failed"
}

#[derive(Serialize)]
struct GroupData<'a> {
    key: &'a str,
    drawn: usize,
    members: &'a [usize],
    /// Each member's cell inside the expanded group, `layer * rows + row` (empty: too large
    /// to expand).
    cells: Vec<usize>,
    layers: usize,
    rows: usize,
}

#[derive(Serialize)]
struct PageData<'a> {
    geometry: &'a Geometry,
    glyphs: BTreeMap<&'static str, &'static str>,
    kinds: Vec<&'static str>,
    actions: Vec<&'static str>,
    modules: Vec<&'a str>,
    types: Vec<&'a str>,
    nodes: NodeColumns<'a>,
    /// Dependent, dependency, dependent, dependency, ... (local ids), sorted by dependent; each
    /// dependent is written as the step from the one before (most steps are 0 or 1).
    edges: Vec<usize>,
    /// Per drawn node: the local node it draws, or -1 for a group.
    drawn: Vec<i64>,
    groups: Vec<GroupData<'a>>,
    /// Members of groups on a path between changes (drawn nodes say it in `data-path`).
    paths: Vec<usize>,
    details: BTreeMap<usize, Details<'a>>,
    /// Monthly cost delta of the nodes that have one.
    cost: BTreeMap<usize, f64>,
    findings: Vec<FindingData<'a>>,
    /// Titles of the rules that fired; their `rules explain` text is in the page's rules section.
    rules: BTreeMap<&'a str, &'a str>,
}

/// Index of each distinct string, in sorted order, and the table itself.
fn table<'a>(values: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, BTreeMap<&'a str, usize>) {
    let mut sorted: Vec<&str> = values.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let index = sorted.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    (sorted, index)
}

/// The nodes a page draws: the graph, or the part of it a [`View`] keeps, numbered `0..` in
/// graph order ("local" ids, which the page's data uses throughout).
struct Sub<'g> {
    graph: &'g Graph,
    ids: Vec<NodeId>,
    /// Dependent to dependency, local ids, sorted.
    edges: Vec<(usize, usize)>,
}

impl<'g> Sub<'g> {
    fn new(graph: &'g Graph, view: &View) -> Self {
        let keep = graph.kept_nodes(view);
        let mut local = vec![usize::MAX; graph.len()];
        let mut ids = Vec::new();
        for (id, _) in graph.nodes() {
            if keep.get(id.index()).copied().unwrap_or(false) {
                local[id.index()] = ids.len();
                ids.push(id);
            }
        }
        let mut edges: Vec<(usize, usize)> = graph
            .edges()
            .map(|(a, b, _)| (local[a.index()], local[b.index()]))
            .filter(|&(a, b)| a != usize::MAX && b != usize::MAX && a != b)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        Sub { graph, ids, edges }
    }

    fn node(&self, local: usize) -> &'g planguard_graph::Node {
        self.graph.node(self.ids[local])
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// One drawn node: a graph node, or a folded group of them.
struct Drawn {
    /// The local node it draws, or `None` for a group.
    node: Option<usize>,
    address: String,
    kind: &'static str,
    resource_type: String,
    module: String,
    action: Option<ActionKind>,
    members: usize,
}

/// A folded group and the layout of its members for when it is expanded in place.
struct Group {
    key: String,
    drawn: usize,
    /// Local ids, in graph order.
    members: Vec<usize>,
    /// Each member's (layer, row) inside the expanded group; empty when the group is too
    /// large to expand.
    cells: Vec<(usize, usize)>,
    layers: usize,
    rows: usize,
}

/// The layout of one graph: drawn nodes, their edges and positions.
struct Layout {
    nodes: Vec<Drawn>,
    groups: Vec<Group>,
    edges: Vec<(usize, usize)>,
    positions: Vec<(f64, f64)>,
    width: f64,
    height: f64,
    collapsed: usize,
    on_path: Vec<bool>,
    /// Edge crossings between adjacent layers before and after the barycentre sweeps.
    crossings: (usize, usize),
}

/// Edge crossings of a drawing: every edge is followed through each gap between consecutive
/// layers it spans (as a straight line from end to end), and two segments in one gap cross
/// when their ends are in opposite order on both sides.
fn count_crossings(layer_of: &[usize], rank: &[f64], edges: &[(usize, usize)]) -> usize {
    let mut gaps: BTreeMap<usize, Vec<(f64, f64)>> = BTreeMap::new();
    for &(a, b) in edges {
        let (low, high) = if layer_of[a] <= layer_of[b] { (a, b) } else { (b, a) };
        let (la, lb) = (layer_of[low], layer_of[high]);
        if la == lb {
            continue;
        }
        let (pa, pb) = (rank[low], rank[high]);
        let at = |t: usize| pa + (pb - pa) * (t - la) as f64 / (lb - la) as f64;
        for l in la..lb {
            gaps.entry(l).or_default().push((at(l), at(l + 1)));
        }
    }
    let mut total = 0;
    for (_, mut segments) in gaps {
        segments.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
        let mut ends: Vec<f64> = segments.iter().map(|s| s.1).collect();
        ends.sort_by(f64::total_cmp);
        ends.dedup();
        let rank_of = |v: f64| ends.partition_point(|&e| e < v) + 1;
        // Inversions of the right ends, counted with a Fenwick tree over their ranks.
        let size = ends.len() + 1;
        let mut tree = vec![0usize; size + 1];
        let mut seen = 0;
        let mut i = 0;
        while i < segments.len() {
            // Segments sharing a left end don't cross each other.
            let mut j = i;
            while j < segments.len() && segments[j].0 == segments[i].0 {
                let mut k = rank_of(segments[j].1);
                let mut not_greater = 0;
                while k > 0 {
                    not_greater += tree[k];
                    k &= k - 1;
                }
                total += seen - not_greater;
                j += 1;
            }
            for segment in &segments[i..j] {
                let mut k = rank_of(segment.1);
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

/// Edge crossings of a graph's drawing ([`count_crossings`]), before and after the
/// barycentre ordering (for the layout benchmark figures and tests).
pub fn layout_crossings(graph: &Graph) -> (usize, usize) {
    layout(&Sub::new(graph, &View::default()), NODE_BUDGET).crossings
}

/// Each drawn node's top-left corner, and the edges between drawn nodes.
pub type Drawing = (Vec<(f64, f64)>, Vec<(usize, usize)>);

/// The drawing of a graph as the report lays it out: each drawn node's top-left corner and
/// the edges between drawn nodes (dependent, dependency), for comparing layout engines on the
/// same input (benches).
pub fn layout_positions(graph: &Graph) -> Drawing {
    let lay = layout(&Sub::new(graph, &View::default()), NODE_BUDGET);
    (lay.positions, lay.edges)
}

/// Which local nodes are drawn as themselves and which fold into a group, by group key.
fn grouping(sub: &Sub<'_>, budget: usize) -> Vec<Option<String>> {
    let mut group: Vec<Option<String>> = vec![None; sub.len()];
    let mut visible = sub.len();
    if visible <= budget {
        return group;
    }
    // Candidate groups: each non-root module, then each resource type of the root module.
    let mut candidates: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for local in 0..sub.len() {
        let node = sub.node(local);
        let key = if node.module.is_empty() {
            format!("{} (root)", node.resource_type.as_deref().unwrap_or(node.kind.as_str()))
        } else {
            node.module.clone()
        };
        candidates.entry(key).or_default().push(local);
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

/// Rows of each layer after the barycentre sweeps, and the crossings before and after.
struct Arrangement {
    rows: Vec<Vec<usize>>,
    crossings: (usize, usize),
}

/// Orders the nodes of each layer: modules kept together, then barycentre sweeps. `layer_of`
/// may skip layers; empty ones are dropped.
fn arrange(modules: &[&str], addresses: &[&str], layer_of: &[usize], edges: &[(usize, usize)]) -> Arrangement {
    let n = layer_of.len();
    let mut used: Vec<usize> = layer_of.to_vec();
    used.sort_unstable();
    used.dedup();
    let dense: Vec<usize> = layer_of.iter().map(|l| used.binary_search(l).unwrap_or(0)).collect();
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); used.len()];
    for (i, &l) in dense.iter().enumerate() {
        rows[l].push(i);
    }
    for row in &mut rows {
        row.sort_by(|&a, &b| (modules[a], addresses[a]).cmp(&(modules[b], addresses[b])));
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    let mut position: Vec<f64> = vec![0.0; n];
    let place_row = |row: &[usize], position: &mut Vec<f64>| {
        for (i, &node) in row.iter().enumerate() {
            position[node] = i as f64;
        }
    };
    for row in &rows {
        place_row(row, &mut position);
    }
    let initial = count_crossings(&dense, &position, edges);
    let (mut best_rows, mut best) = (rows.clone(), initial);
    // Layer by layer, left to right then back: each layer is ordered by the mean position of
    // its neighbours on the side already placed (all of them when none is there), and the new
    // order counts at once for the next layer. The best sweep so far is kept.
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (0..rows.len()).collect()
        } else {
            (0..rows.len()).rev().collect()
        };
        for l in order {
            let row = &mut rows[l];
            let keys: Vec<f64> = row
                .iter()
                .enumerate()
                .map(|(i, &node)| {
                    let placed = |m: &&usize| if forward { dense[**m] < l } else { dense[**m] > l };
                    let side: Vec<usize> = neighbours[node].iter().filter(placed).copied().collect();
                    let ns: &[usize] = if side.is_empty() { &neighbours[node] } else { &side };
                    if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&m| position[m]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            // Each module's nodes stay together in a layer (its box stays whole): modules are
            // ordered by the mean of their nodes' keys, then nodes inside each module.
            let mut block: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
            for (i, &node) in row.iter().enumerate() {
                let e = block.entry(modules[node]).or_insert((0.0, 0));
                e.0 += keys[i];
                e.1 += 1;
            }
            let block_key = |i: usize| {
                let (sum, count) = block[modules[row[i]]];
                sum / count as f64
            };
            let mut sorted: Vec<usize> = (0..row.len()).collect();
            sorted.sort_by(|&a, &b| {
                block_key(a)
                    .total_cmp(&block_key(b))
                    .then(modules[row[a]].cmp(modules[row[b]]))
                    .then(keys[a].total_cmp(&keys[b]))
                    .then(a.cmp(&b))
            });
            *row = sorted.into_iter().map(|i| row[i]).collect();
            place_row(row, &mut position);
        }
        let now = count_crossings(&dense, &position, edges);
        if now < best {
            best = now;
            best_rows = rows.clone();
        }
    }
    let rows = best_rows;
    let crossings = (initial, best);
    Arrangement { rows, crossings }
}

/// Lays out a folded group's members as a small layered drawing of their own; `edges` are the
/// edges between two of its members (local ids).
fn arrange_members(sub: &Sub<'_>, members: &[usize], edges: &[(usize, usize)]) -> (Vec<(usize, usize)>, usize, usize) {
    let index = |local: usize| members.binary_search(&local).ok();
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|&(a, b)| Some((index(a)?, index(b)?)))
        .collect();
    let modules: Vec<&str> = members.iter().map(|&m| sub.node(m).module.as_str()).collect();
    let addresses: Vec<&str> = members.iter().map(|&m| sub.node(m).address.as_str()).collect();
    let layers: Vec<usize> = members.iter().map(|&m| sub.graph.depth(sub.ids[m])).collect();
    let arrangement = arrange(&modules, &addresses, &layers, &edges);
    let mut cells = vec![(0, 0); members.len()];
    let mut rows = 0;
    for (l, row) in arrangement.rows.iter().enumerate() {
        rows = rows.max(row.len());
        for (r, &i) in row.iter().enumerate() {
            cells[i] = (l, r);
        }
    }
    (cells, arrangement.rows.len(), rows)
}

fn layout(sub: &Sub<'_>, budget: usize) -> Layout {
    let group = grouping(sub, budget);
    let mut drawn: Vec<Drawn> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut drawn_of: Vec<usize> = vec![0; sub.len()];
    let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut layer_of: Vec<usize> = Vec::new();
    let mut collapsed = 0;
    for local in 0..sub.len() {
        let node = sub.node(local);
        let depth = sub.graph.depth(sub.ids[local]);
        let index = match &group[local] {
            None => {
                drawn.push(Drawn {
                    node: Some(local),
                    address: node.address.clone(),
                    kind: node.kind.as_str(),
                    resource_type: node.resource_type.clone().unwrap_or_default(),
                    module: node.module.clone(),
                    action: node.action,
                    members: 0,
                });
                layer_of.push(depth);
                drawn.len() - 1
            }
            Some(key) => {
                collapsed += 1;
                let next = groups.len();
                let g = *group_index.entry(key.clone()).or_insert(next);
                if g == next {
                    drawn.push(Drawn {
                        node: None,
                        address: format!("group:{key}"),
                        kind: "group",
                        resource_type: String::new(),
                        module: node.module.clone(),
                        action: None,
                        members: 0,
                    });
                    layer_of.push(depth);
                    groups.push(Group {
                        key: key.clone(),
                        drawn: drawn.len() - 1,
                        members: Vec::new(),
                        cells: Vec::new(),
                        layers: 0,
                        rows: 0,
                    });
                }
                let index = groups[g].drawn;
                groups[g].members.push(local);
                let d = &mut drawn[index];
                d.members += 1;
                // A group shows its most disruptive change.
                if node.action.map_or(0, ActionKind::severity) > d.action.map_or(0, ActionKind::severity) {
                    d.action = node.action;
                }
                layer_of[index] = layer_of[index].min(depth);
                index
            }
        };
        drawn_of[local] = index;
    }
    // Each group's inner edges, in one pass over the edges.
    let mut group_of: Vec<Option<usize>> = vec![None; sub.len()];
    for (g, group) in groups.iter().enumerate() {
        for &m in &group.members {
            group_of[m] = Some(g);
        }
    }
    let mut inner: Vec<Vec<(usize, usize)>> = vec![Vec::new(); groups.len()];
    for &(a, b) in &sub.edges {
        if let (Some(ga), Some(gb)) = (group_of[a], group_of[b]) {
            if ga == gb {
                inner[ga].push((a, b));
            }
        }
    }
    for (g, group) in groups.iter_mut().enumerate() {
        // A group larger than the budget would be a page of its own: its members are listed.
        if group.members.len() <= budget {
            (group.cells, group.layers, group.rows) = arrange_members(sub, &group.members, &inner[g]);
        }
    }
    let mut edges: Vec<(usize, usize)> = sub
        .edges
        .iter()
        .map(|&(from, to)| (drawn_of[from], drawn_of[to]))
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
    let modules: Vec<&str> = drawn.iter().map(|d| d.module.as_str()).collect();
    let addresses: Vec<&str> = drawn.iter().map(|d| d.address.as_str()).collect();
    let arrangement = arrange(&modules, &addresses, &layer_of, &edges);
    let layers = arrangement.rows.len();
    let mut positions = vec![(0.0, 0.0); drawn.len()];
    let mut bottom = 0.0f64;
    for (l, row) in arrangement.rows.iter().enumerate() {
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
    let is_change: Vec<bool> = drawn
        .iter()
        .map(|n| n.action.is_some_and(|a| a != ActionKind::NoOp))
        .collect();
    let on_path = paths_between_changes(&is_change, &edges);
    Layout {
        crossings: arrangement.crossings,
        width: 2.0 * MARGIN + layers.max(1) as f64 * LAYER_GAP,
        height: MARGIN + bottom.max(MARGIN + 20.0 + ROW_GAP),
        nodes: drawn,
        groups,
        edges,
        positions,
        collapsed,
        on_path,
    }
}

/// Changes, and nodes both reached from a change and reaching one: what "only changes and the
/// paths between them" keeps.
fn paths_between_changes(is_change: &[bool], edges: &[(usize, usize)]) -> Vec<bool> {
    let n = is_change.len();
    let reach = |forward: bool| {
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in edges {
            if forward {
                adjacency[a].push(b);
            } else {
                adjacency[b].push(a);
            }
        }
        let mut seen = vec![false; n];
        let mut stack: Vec<usize> = (0..n).filter(|&i| is_change[i]).collect();
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
    (0..n).map(|i| is_change[i] || (below[i] && above[i])).collect()
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

/// The HTML report of a check. `rules` gives the `rules explain` text of the rules that fired.
pub fn render(outcomes: &[Outcome], rules: &RuleSet) -> String {
    render_with_budget(outcomes, rules, NODE_BUDGET)
}

/// [`render`] with another node budget (tests use a small one to see groups).
pub fn render_with_budget(outcomes: &[Outcome], rules: &RuleSet, budget: usize) -> String {
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
            Outcome::Analyzed(report) => {
                let sub = Sub::new(&report.graph, &View::default());
                plan_section(&mut body, index, &sub, Some(report), budget);
            }
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
    rules_section(&mut body, outcomes, rules);
    page(&format!("planguard: {}", verdict.as_str()), &body)
}

/// The HTML view of a dependency graph alone (`planguard graph --format html`), cut down by
/// `view` like the other graph formats.
pub fn render_graph(graph: &Graph, title: &str, view: &View) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<header><h1>planguard graph: {}</h1></header>", escape(title));
    plan_section(&mut body, 0, &Sub::new(graph, view), None, NODE_BUDGET);
    page(&format!("planguard graph: {title}"), &body)
}

/// The anchor of a rule's explanation in the page.
fn rule_anchor(id: &str) -> String {
    format!("rule-{}", crate::sources::encode_uri_path(id).replace('#', "%23"))
}

/// The `rules explain` text of each rule with a finding, so the panel and the findings table
/// can link to it without a network request.
fn rules_section(out: &mut String, outcomes: &[Outcome], rules: &RuleSet) {
    let mut fired: BTreeMap<&str, &str> = BTreeMap::new();
    for outcome in outcomes {
        if let Outcome::Analyzed(report) = outcome {
            for f in &report.findings {
                fired.insert(&f.rule_id, &f.title);
            }
        }
    }
    if fired.is_empty() {
        return;
    }
    out.push_str("<section class=\"rules\"><h2>Rules with findings</h2>\n");
    for (id, title) in fired {
        let _ = write!(
            out,
            "<details class=\"rule\" id=\"{}\" data-rule=\"{1}\"><summary><strong>{1}</strong> {2}</summary>",
            escape(&rule_anchor(id)),
            escape(id),
            escape(title)
        );
        match rules.explain(id) {
            Ok(text) => {
                let _ = write!(out, "<pre class=\"explain\">{}</pre>", escape_text(&text));
            }
            // A finding from a rule the set no longer resolves to one rule: say so.
            Err(_) => out.push_str("<p class=\"explain\">No explanation available for this rule id.</p>"),
        }
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
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

fn plan_section(out: &mut String, index: usize, sub: &Sub<'_>, report: Option<&Report>, budget: usize) {
    let lay = layout(sub, budget);
    let _ = writeln!(out, "<section class=\"plan\" data-plan=\"{index}\">");
    if let Some(report) = report {
        summary(out, report);
    }
    let mut local_of: BTreeMap<&str, usize> = BTreeMap::new();
    for local in 0..sub.len() {
        local_of.insert(sub.node(local).address.as_str(), local);
    }
    let mut findings = Vec::new();
    let mut rule_titles: BTreeMap<&str, &str> = BTreeMap::new();
    // Per local node: its findings' worst severity and count, its cost delta.
    let mut worst: BTreeMap<usize, (planguard_rules::Severity, usize)> = BTreeMap::new();
    let mut cost: BTreeMap<usize, f64> = BTreeMap::new();
    let mut details: BTreeMap<usize, Details<'_>> = BTreeMap::new();
    if let Some(report) = report {
        for f in &report.findings {
            let node = local_of.get(f.resource.as_str()).copied();
            rule_titles.insert(&f.rule_id, &f.title);
            if let Some(n) = node {
                let e = worst.entry(n).or_insert((f.severity, 0));
                e.0 = e.0.min(f.severity);
                e.1 += 1;
            }
            findings.push(FindingData {
                rule: &f.rule_id,
                severity: f.severity.as_str(),
                status: f.status.as_str(),
                node,
                resource: if node.is_none() { Some(&f.resource) } else { None },
                path: f.path.to_string(),
                message: f.message.to_string(),
            });
        }
        for r in &report.cost.resources {
            if let (Some(d), None) = (r.monthly_delta, &r.deposed) {
                if let Some(&n) = local_of.get(r.address.as_str()) {
                    cost.insert(n, d);
                }
            }
        }
        let mut reasons: BTreeMap<usize, (Option<&str>, &[planguard_plan::summary::AttributeChange])> = BTreeMap::new();
        for c in &report.summary.changes {
            if let Some(&n) = local_of.get(c.address.as_str()) {
                if !c.attributes.is_empty() || c.reason.is_some() {
                    reasons.insert(n, (c.reason.as_deref(), &c.attributes));
                }
            }
        }
        for local in 0..sub.len() {
            let node = sub.node(local);
            let source = report.sources.as_ref().and_then(|s| {
                if !node.kind.is_resource() {
                    return None;
                }
                let loc = s.locate(&node.address)?;
                Some(format!("{}:{}", loc.file.display(), loc.line))
            });
            let (reason, attributes) = reasons.get(&local).copied().unwrap_or((None, &[]));
            if reason.is_some() || !attributes.is_empty() || source.is_some() {
                details.insert(
                    local,
                    Details {
                        reason,
                        attributes,
                        source,
                    },
                );
            }
        }
    }

    // The columns of every node, then what each drawn node stands for.
    let (modules, module_index) = table((0..sub.len()).map(|l| sub.node(l).module.as_str()));
    let (types, type_index) = table((0..sub.len()).map(|l| sub.node(l).resource_type.as_deref().unwrap_or("")));
    let kinds: Vec<&'static str> = ALL_KINDS.iter().map(|k| k.as_str()).collect();
    let actions: Vec<&'static str> = std::iter::once(action_name(None))
        .chain(ActionKind::ALL.iter().map(|a| a.as_str()))
        .collect();
    let mut columns = NodeColumns::default();
    for local in 0..sub.len() {
        let node = sub.node(local);
        let relative = node
            .address
            .strip_prefix(node.module.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .filter(|_| !node.module.is_empty());
        columns.address.push(match relative {
            Some(rest) => rest,
            None if node.module.is_empty() => &node.address,
            None => {
                columns.full.insert(local, &node.address);
                ""
            }
        });
        columns
            .module
            .push(module_index.get(node.module.as_str()).copied().unwrap_or(0));
        columns.resource_type.push(
            type_index
                .get(node.resource_type.as_deref().unwrap_or(""))
                .copied()
                .unwrap_or(0),
        );
        columns
            .kind
            .push(ALL_KINDS.iter().position(|k| *k == node.kind).unwrap_or(0));
        columns
            .action
            .push(actions.iter().position(|a| *a == action_name(node.action)).unwrap_or(0));
    }
    let member_on_path = {
        let is_change: Vec<bool> = (0..sub.len()).map(|l| sub.node(l).is_change()).collect();
        paths_between_changes(&is_change, &sub.edges)
    };
    let mut paths = Vec::new();
    let groups: Vec<GroupData<'_>> = lay
        .groups
        .iter()
        .map(|g| {
            paths.extend(g.members.iter().copied().filter(|&m| member_on_path[m]));
            GroupData {
                key: &g.key,
                drawn: g.drawn,
                members: &g.members,
                cells: g.cells.iter().map(|&(layer, row)| layer * g.rows + row).collect(),
                layers: g.layers,
                rows: g.rows,
            }
        })
        .collect();
    paths.sort_unstable();
    let mut group_at: BTreeMap<usize, usize> = BTreeMap::new();
    for (g, group) in lay.groups.iter().enumerate() {
        group_at.insert(group.drawn, g);
    }
    let members_of = |i: usize| -> &[usize] {
        match lay.nodes[i].node {
            Some(ref local) => std::slice::from_ref(local),
            None => group_at.get(&i).map_or(&[][..], |&g| lay.groups[g].members.as_slice()),
        }
    };

    filters(out, sub, &lay, &findings);
    let _ = writeln!(
        out,
        "<h2>Graph</h2><p class=\"note\">{} nodes drawn{}. Click or press Enter on a node for details{}; drag to pan, wheel or +/− to zoom; arrow keys move between nodes.</p>",
        lay.nodes.len(),
        if lay.collapsed > 0 {
            format!(
                ", {} folded into module groups (budget {budget} nodes)",
                lay.collapsed
            )
        } else {
            String::new()
        },
        if lay.collapsed > 0 {
            ", on a group (▣) to expand it in place and again to fold it"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "<div class=\"graph\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"dependency graph\">",
        w = lay.width,
        h = lay.height
    );
    // Module boxes and edges follow the nodes' positions, which expanding a group moves: the
    // script draws them.
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L8,4L0,8z\" fill=\"#777\"/></marker></defs>\n<g class=\"viewport\"><g class=\"modules\"></g><g class=\"edges\"></g>\n<g class=\"nodes\">");
    for (i, n) in lay.nodes.iter().enumerate() {
        let (x, y) = lay.positions[i];
        let members = members_of(i);
        let severity = members.iter().filter_map(|m| worst.get(m)).map(|w| w.0).min();
        let finding_count: usize = members.iter().filter_map(|m| worst.get(m)).map(|w| w.1).sum();
        let deltas: Vec<f64> = members.iter().filter_map(|m| cost.get(m).copied()).collect();
        let label = if n.node.is_some() {
            // The module box names the module: the node shows the rest.
            n.address
                .strip_prefix(n.module.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .filter(|_| !n.module.is_empty())
                .unwrap_or(&n.address)
                .to_string()
        } else {
            format!("▣ {} ({})", n.address.trim_start_matches("group:"), n.members)
        };
        let group_attributes = match group_at.get(&i).copied() {
            Some(g) if !lay.groups[g].cells.is_empty() => format!(" data-group=\"{g}\" aria-expanded=\"false\""),
            Some(g) => format!(" data-group=\"{g}\""),
            None => String::new(),
        };
        let _ = write!(
            out,
            "<g class=\"node kind-{kind}\" tabindex=\"0\" role=\"button\" data-address=\"{address}\" data-action=\"{action}\" data-module=\"{module}\" data-type=\"{rtype}\" data-path=\"{path}\"{sev}{group_attributes} transform=\"translate({x:.0},{y:.0})\"><title>{title}</title><rect width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"{rx}\"/><text class=\"glyph\" x=\"12\" y=\"19\">{glyph}</text><text x=\"26\" y=\"18\">{label}</text>",
            kind = n.kind,
            address = escape(&n.address),
            title = escape_text(&n.address),
            action = action_name(n.action),
            module = escape(&n.module),
            rtype = escape(&n.resource_type),
            path = if lay.on_path[i] { "1" } else { "0" },
            sev = severity.map(|s| format!(" data-severity=\"{}\"", s.as_str())).unwrap_or_default(),
            rx = if n.kind == "data" { 14 } else { 4 },
            glyph = glyph(n.action),
            label = escape_text(&truncate_label(&label, 30)),
        );
        if let Some(s) = severity {
            let _ = write!(
                out,
                "<g class=\"badge sev-{}\"><circle cx=\"{NODE_WIDTH}\" cy=\"0\" r=\"9\"/><text x=\"{NODE_WIDTH}\" y=\"4\">{}</text></g>",
                s.as_str(),
                finding_count.min(99)
            );
        }
        let delta: f64 = deltas.iter().sum();
        if !deltas.is_empty() && delta != 0.0 {
            let _ = write!(
                out,
                "<text class=\"cost\" x=\"{:.0}\" y=\"-2\">{}</text>",
                NODE_WIDTH - 14.0,
                escape(&signed_money(delta))
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</g></g></svg></div>\n");
    let data = PageData {
        geometry: &GEOMETRY,
        glyphs: std::iter::once(action_name(None))
            .chain(ActionKind::ALL.iter().map(|a| a.as_str()))
            .map(|a| (a, glyph(ActionKind::ALL.iter().copied().find(|k| k.as_str() == a))))
            .collect(),
        kinds,
        actions,
        modules,
        types,
        nodes: columns,
        edges: {
            let mut previous = 0;
            sub.edges
                .iter()
                .flat_map(|&(a, b)| {
                    let step = a - previous;
                    previous = a;
                    [step, b]
                })
                .collect()
        },
        drawn: lay.nodes.iter().map(|n| n.node.map_or(-1, |l| l as i64)).collect(),
        groups,
        paths,
        details,
        cost,
        findings,
        rules: rule_titles,
    };
    let _ = writeln!(
        out,
        "<script type=\"application/json\" class=\"plan-data\">{}</script>",
        script_json(&data)
    );
    if let Some(report) = report {
        tables(out, report);
    }
    out.push_str("</section>\n");
}

const ALL_KINDS: [NodeKind; 8] = [
    NodeKind::Resource,
    NodeKind::Data,
    NodeKind::ModuleCall,
    NodeKind::Output,
    NodeKind::Variable,
    NodeKind::Local,
    NodeKind::Provider,
    NodeKind::Dangling,
];

fn filters(out: &mut String, sub: &Sub<'_>, lay: &Layout, findings: &[FindingData<'_>]) {
    // Members of folded groups count: expanding a group shows them.
    let mut actions: Vec<&str> = (0..sub.len()).map(|l| action_name(sub.node(l).action)).collect();
    actions.sort_unstable();
    actions.dedup();
    let mut modules: Vec<&str> = lay.nodes.iter().map(|n| n.module.as_str()).collect();
    modules.extend((0..sub.len()).map(|l| sub.node(l).module.as_str()));
    modules.sort_unstable();
    modules.dedup();
    let mut types: Vec<&str> = (0..sub.len())
        .filter_map(|l| sub.node(l).resource_type.as_deref())
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

/// An address as a URL fragment value: only what a fragment can't hold is encoded (a plan
/// has thousands of `["key"]` addresses, and `[`, `]` need no escape there).
fn fragment(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    for c in address.chars() {
        match c {
            ' ' | '"' | '#' | '%' | '<' | '>' | '`' | '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}

// Cells and rows leave out their optional end tags (HTML allows it): the tables of a large plan
// hold tens of thousands of them.
fn tables(out: &mut String, report: &Report) {
    out.push_str("<h2>Changes</h2><table><thead><tr><th>Action<th>Address<th>Reason</thead><tbody>");
    for c in &report.summary.changes {
        let _ = writeln!(
            out,
            "<tr><td class=\"act-{0}\">{1} {0}<td><a href=\"#node={2}\">{3}</a><td>{4}",
            c.kind.as_str(),
            glyph(Some(c.kind)),
            escape(&fragment(&c.address)),
            escape_text(&c.address),
            escape_text(c.reason.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table>\n<h2>Findings</h2><table><thead><tr><th>Severity<th>Rule<th>Resource<th>Message</thead><tbody>");
    for f in &report.findings {
        let _ = writeln!(
            out,
            "<tr><td class=\"sev-{0}\">{0}{1}<td><a href=\"#{2}\">{3}</a><td>{4}<td>{5}",
            f.severity.as_str(),
            if f.status.as_str() == "unknown" {
                " (unknown)"
            } else {
                ""
            },
            escape(&rule_anchor(&f.rule_id)),
            escape_text(&f.rule_id),
            escape_text(&f.resource),
            escape_text(f.message.as_str())
        );
    }
    out.push_str(
        "</tbody></table>\n<h2>Cost</h2><table><thead><tr><th>Address<th>Before<th>After<th>Delta</thead><tbody>",
    );
    let opt = |v: Option<f64>| v.map_or_else(|| "unknown".to_string(), money);
    let mut free = 0;
    for r in &report.cost.resources {
        if r.monthly_before.is_none() && r.monthly_after.is_none() && r.monthly_delta.is_none() {
            continue;
        }
        // Priced, and free before and after: counted below rather than listed one by one.
        if [r.monthly_before, r.monthly_after, r.monthly_delta] == [Some(0.0); 3] {
            free += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "<tr><td>{}<td>{}<td>{}<td>{}",
            escape_text(&r.address),
            opt(r.monthly_before),
            opt(r.monthly_after),
            r.monthly_delta.map_or_else(|| "unknown".to_string(), signed_money)
        );
    }
    out.push_str("</tbody></table>\n");
    if free > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{free} more priced resource{} cost $0.00 before and after (the JSON report lists each).</p>",
            if free == 1 { "" } else { "s" }
        );
    }
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
    fn text_escape_covers_markup() {
        assert_eq!(escape_text("<b>\"x\" & 'y'</b>"), "&lt;b&gt;\"x\" &amp; 'y'&lt;/b&gt;");
    }

    #[test]
    fn escape_covers_markup_and_attributes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn fragments_encode_only_what_a_fragment_cannot_hold() {
        assert_eq!(fragment("module.a[\"x y\"].b[0]"), "module.a[%22x%20y%22].b[0]");
        assert_eq!(fragment("a#b%c<d>`é"), "a%23b%25c%3Cd%3E%60é");
    }

    #[test]
    fn crossings_are_counted() {
        // Layer 0: a, b; layer 1: c, d. a-d and b-c cross once; a-c doesn't cross b-c.
        let layer = [0, 0, 1, 1];
        let rank = [0.0, 1.0, 0.0, 1.0];
        assert_eq!(count_crossings(&layer, &rank, &[(3, 0), (2, 1)]), 1);
        assert_eq!(count_crossings(&layer, &rank, &[(2, 0), (3, 1)]), 0);
        assert_eq!(count_crossings(&layer, &rank, &[(2, 0), (2, 1), (3, 0)]), 1);
        // A long edge crosses what it passes: a (layer 0, top) to d (layer 2, bottom) passes
        // layer 1 half-way and crosses b (layer 0, bottom) to c (layer 1, top).
        let layer = [0, 0, 1, 2];
        let rank = [0.0, 1.0, 0.0, 1.0];
        assert_eq!(count_crossings(&layer, &rank, &[(3, 0), (2, 1)]), 1);
        assert_eq!(count_crossings(&layer, &rank, &[(3, 1), (2, 0)]), 0);
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
        let sub = Sub::new(&report.graph, &View::default());
        let lay = layout(&sub, 10);
        assert!(lay.nodes.len() < report.graph.len());
        assert!(lay.nodes.iter().any(|n| n.kind == "group"));
        let drawn = lay.nodes.iter().map(|n| n.members.max(1)).sum::<usize>();
        assert_eq!(drawn, report.graph.len());
        // Each node is drawn once: as itself or as a member of exactly one group.
        let mut seen = vec![0; sub.len()];
        for n in &lay.nodes {
            if let Some(l) = n.node {
                seen[l] += 1;
            }
        }
        for g in &lay.groups {
            assert_eq!(lay.nodes[g.drawn].members, g.members.len());
            for &m in &g.members {
                seen[m] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1), "{seen:?}");
        let analyzer = crate::Analyzer::builder().build().unwrap();
        let html = render_with_budget(&[Outcome::Analyzed(Box::new(report))], analyzer.rules(), 10);
        assert!(html.contains("folded into module groups"));
        assert!(html.contains("aria-expanded=\"false\""));
    }

    #[test]
    fn an_expanded_group_lays_its_members_out_in_distinct_cells_dependencies_left() {
        let report = fixture("modules");
        let sub = Sub::new(&report.graph, &View::default());
        let lay = layout(&sub, 10);
        let group = lay.groups.iter().max_by_key(|g| g.members.len()).expect("a group");
        assert_eq!(group.cells.len(), group.members.len());
        let mut cells = group.cells.clone();
        cells.sort_unstable();
        cells.dedup();
        assert_eq!(cells.len(), group.members.len(), "two members share a cell");
        assert!(group.cells.iter().all(|&(l, r)| l < group.layers && r < group.rows));
        let cell_of: BTreeMap<usize, (usize, usize)> =
            group.members.iter().copied().zip(group.cells.iter().copied()).collect();
        let mut inner = 0;
        for (a, b) in &sub.edges {
            if let (Some(ca), Some(cb)) = (cell_of.get(a), cell_of.get(b)) {
                inner += 1;
                assert!(ca.0 >= cb.0, "a dependent left of its dependency");
            }
        }
        assert!(inner > 0, "the group has no inner edge to check");
        // The same input lays out the same way.
        let again = layout(&sub, 10);
        assert_eq!(again.groups[0].cells, lay.groups[0].cells);
    }

    #[test]
    fn a_view_cuts_the_drawing_down() {
        let report = fixture("graph-chains");
        let all = Sub::new(&report.graph, &View::default());
        let changed = Sub::new(
            &report.graph,
            &View {
                changed_only: true,
                ..View::default()
            },
        );
        assert!(changed.len() < all.len() && !changed.ids.is_empty());
        // Every change survives "changed only"; an unchanged resource off the paths doesn't.
        let kept: Vec<&str> = changed
            .ids
            .iter()
            .map(|&id| report.graph.node(id).address.as_str())
            .collect();
        for (_, node) in report.graph.nodes() {
            if node.is_change() {
                assert!(kept.contains(&node.address.as_str()), "{}", node.address);
            }
        }
        let html = render_graph(
            &report.graph,
            "p",
            &View {
                changed_only: true,
                ..View::default()
            },
        );
        assert_eq!(html.matches("<g class=\"node ").count(), changed.len());
    }

    #[test]
    fn every_action_has_its_own_glyph() {
        let mut glyphs: Vec<&str> = ActionKind::ALL.iter().map(|a| glyph(Some(*a))).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        assert_eq!(glyphs.len(), ActionKind::ALL.len());
    }
}

//! Queries: depth, cycles, blast radius, topological order, dependencies through
//! non-resource nodes, and view selection.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use planguard_plan::ActionKind;

use crate::build::RawEdge;
use crate::model::{BlastRadius, CappedRadius, Cycle, EdgeKind, Node, NodeId, View};
use crate::Graph;

/// What [`structure`] finds: per node, its depth and the worst action reaching it; the cycles.
pub(crate) struct Structure {
    pub depth: Vec<u32>,
    pub worst_reach: Vec<Option<ActionKind>>,
    pub cycles: Vec<Vec<NodeId>>,
}

/// Strongly connected components, cycles and depths of the graph with `n` nodes and `edges`
/// (sorted by source; parallel edges allowed), linear in the graph's size. It reads the edge
/// list rather than the petgraph graph (whose adjacency lists are linked through the edges) so
/// that it is faster and can run while the petgraph graph is built.
pub(crate) fn structure(n: usize, edges: &[RawEdge], actions: &[Option<ActionKind>]) -> Structure {
    // Outgoing adjacency in compressed rows: edges are sorted by source.
    let mut start = vec![0u32; n + 1];
    for e in edges {
        start[e.0 as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let out = |v: u32| {
        edges[start[v as usize] as usize..start[v as usize + 1] as usize]
            .iter()
            .map(|e| e.1)
    };

    // Tarjan's algorithm, iteratively (dependency chains can be deep). Components are numbered
    // as they complete, which is dependencies-first (reverse topological order).
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![0u32; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let mut next = 0u32;
    let mut comps = 0u32;
    for root in 0..n as u32 {
        if index[root as usize] != UNSEEN {
            continue;
        }
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        calls.push((root, start[root as usize]));
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            if *pos < start[v as usize + 1] {
                let w = edges[*pos as usize].1;
                *pos += 1;
                if index[w as usize] == UNSEEN {
                    index[w as usize] = next;
                    low[w as usize] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    calls.push((w, start[w as usize]));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if low[v as usize] == index[v as usize] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp[w as usize] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
            if let Some(&(u, _)) = calls.last() {
                low[u as usize] = low[u as usize].min(low[v as usize]);
            }
        }
    }

    // Members of each component, nodes in id order.
    let comps = comps as usize;
    let mut member_start = vec![0u32; comps + 1];
    for &c in &comp {
        member_start[c as usize + 1] += 1;
    }
    for c in 0..comps {
        member_start[c + 1] += member_start[c];
    }
    let mut fill = member_start.clone();
    let mut members = vec![0u32; n];
    for (v, &c) in comp.iter().enumerate() {
        members[fill[c as usize] as usize] = v as u32;
        fill[c as usize] += 1;
    }
    let members_of = |c: usize| &members[member_start[c] as usize..member_start[c + 1] as usize];

    // What a component depends on was numbered before it.
    let mut comp_depth = vec![0u32; comps];
    let mut comp_worst: Vec<Option<ActionKind>> = vec![None; comps];
    let mut cycles = Vec::new();
    for c in 0..comps {
        let mut d = 0u32;
        let mut self_loop = false;
        let mut w = None;
        for &v in members_of(c) {
            w = worse(w, actions[v as usize]);
            for t in out(v) {
                let tc = comp[t as usize] as usize;
                if tc == c {
                    self_loop |= t == v;
                } else {
                    d = d.max(comp_depth[tc] + 1);
                }
            }
        }
        comp_depth[c] = d;
        comp_worst[c] = w;
        if members_of(c).len() > 1 || self_loop {
            cycles.push(members_of(c).iter().map(|&v| NodeId(v)).collect::<Vec<_>>());
        }
    }
    cycles.sort();
    // Walking components backwards sees every dependent component before the components it
    // depends on, so each one's worst action is final when it is passed down: one linear pass
    // gives each node the worst action reaching it (what `blast_radius` computes per node with
    // a walk of the whole radius).
    for c in (0..comps).rev() {
        let w = comp_worst[c];
        if w.is_none() {
            continue;
        }
        for &v in members_of(c) {
            for t in out(v) {
                let tc = comp[t as usize] as usize;
                if tc != c {
                    comp_worst[tc] = worse(comp_worst[tc], w);
                }
            }
        }
    }
    Structure {
        worst_reach: comp.iter().map(|&c| comp_worst[c as usize]).collect(),
        depth: comp.iter().map(|&c| comp_depth[c as usize]).collect(),
        cycles,
    }
}

impl Graph {
    /// Every dependency cycle (strongly connected component with more than one node, or a node
    /// depending on itself), each in address order, sorted.
    pub fn cycles(&self) -> Vec<Vec<NodeId>> {
        self.cycles.clone()
    }

    /// The changed nodes (see [`Node::is_change`]) in dependency order: every change comes after
    /// the changes it depends on (the order creates and updates run in; destroys run in reverse).
    /// Ties are broken by address. Fails with the first cycle when there is one.
    pub fn topological_changes(&self) -> Result<Vec<NodeId>, Cycle> {
        if let Some(first) = self.cycles.first() {
            return Err(Cycle { nodes: first.clone() });
        }
        let n = self.graph.node_count();
        let mut pending: Vec<u32> = (0..n)
            .map(|i| {
                let mut targets: Vec<usize> = self
                    .graph
                    .edges_directed(NodeIndex::new(i), Direction::Outgoing)
                    .map(|e| e.target().index())
                    .collect();
                targets.sort_unstable();
                targets.dedup();
                targets.len() as u32
            })
            .collect();
        let mut heap: BinaryHeap<Reverse<u32>> = (0..n as u32)
            .filter(|&i| pending[i as usize] == 0)
            .map(Reverse)
            .collect();
        let mut out = Vec::new();
        while let Some(Reverse(i)) = heap.pop() {
            let idx = NodeIndex::new(i as usize);
            if self.nodes[idx.index()].is_change() {
                out.push(NodeId(i));
            }
            let mut sources: Vec<usize> = self
                .graph
                .edges_directed(idx, Direction::Incoming)
                .map(|e| e.source().index())
                .collect();
            sources.sort_unstable();
            sources.dedup();
            for s in sources {
                pending[s] -= 1;
                if pending[s] == 0 {
                    heap.push(Reverse(s as u32));
                }
            }
        }
        Ok(out)
    }

    /// Every node that transitively depends on `id`, with the most disruptive action among
    /// `id` and them.
    pub fn blast_radius(&self, id: NodeId) -> BlastRadius {
        // Sparse walk: the cost is the size of the radius, not of the graph.
        let start = NodeIndex::new(id.index());
        let mut seen: rustc_hash::FxHashSet<NodeIndex> = rustc_hash::FxHashSet::default();
        seen.insert(start);
        let mut stack = vec![start];
        let mut nodes = Vec::new();
        let mut worst = self.node(id).action;
        while let Some(n) = stack.pop() {
            for e in self.graph.edges_directed(n, Direction::Incoming) {
                let s = e.source();
                if seen.insert(s) {
                    stack.push(s);
                    nodes.push(NodeId(s.index() as u32));
                    worst = worse(worst, self.nodes[s.index()].action);
                }
            }
        }
        nodes.sort_unstable();
        BlastRadius {
            origin: id,
            nodes,
            worst_action: worst,
        }
    }

    /// The most disruptive action of `id` and every node that transitively depends on it:
    /// [`BlastRadius::worst_action`] without the walk (precomputed in linear time).
    pub fn worst_reachable_action(&self, id: NodeId) -> Option<ActionKind> {
        self.worst_reach[id.index()]
    }

    /// [`Graph::blast_radius`]'s nodes, walking at most `cap` of them: the cost of one call is
    /// bounded by the cap (and the edges of the nodes met), where a full walk from every
    /// change of a large plan is quadratic.
    pub fn blast_radius_capped(&self, id: NodeId, cap: usize) -> CappedRadius {
        let start = NodeIndex::new(id.index());
        let mut seen: rustc_hash::FxHashSet<NodeIndex> = rustc_hash::FxHashSet::default();
        seen.insert(start);
        let mut stack = vec![start];
        let mut nodes = Vec::new();
        let mut capped = false;
        'walk: while let Some(n) = stack.pop() {
            for e in self.graph.edges_directed(n, Direction::Incoming) {
                let s = e.source();
                if seen.insert(s) {
                    if nodes.len() == cap {
                        capped = true;
                        break 'walk;
                    }
                    stack.push(s);
                    nodes.push(NodeId(s.index() as u32));
                }
            }
        }
        nodes.sort_unstable();
        CappedRadius { nodes, capped }
    }

    /// The resource and data source nodes `id` depends on, following through variables, locals,
    /// outputs, module instances and providers (stopping at the first resource on each path),
    /// each with the top-level argument of `id` that leads there (`None` for `depends_on`,
    /// module and provider edges). Sorted; computed once per node and cached. An owned copy
    /// of [`Graph::resource_dependency_links`].
    pub fn resource_dependencies(&self, id: NodeId) -> Vec<(NodeId, Option<String>)> {
        owned(self.resource_dependency_links(id))
    }

    /// The resource and data source nodes that depend on `id`, following back through
    /// variables, locals, outputs, module instances and providers, each with its own top-level
    /// argument that leads to `id`. Sorted; computed once per node and cached. An owned copy
    /// of [`Graph::resource_dependent_links`].
    pub fn resource_dependents(&self, id: NodeId) -> Vec<(NodeId, Option<String>)> {
        owned(self.resource_dependent_links(id))
    }

    /// [`Graph::resource_dependencies`], borrowed from the cache: no allocation after the
    /// first call for `id` (rules with `related` conditions ask once per resource).
    pub fn resource_dependency_links(&self, id: NodeId) -> &[(NodeId, Option<Arc<str>>)] {
        self.resource_deps[id.index()].get_or_init(|| self.collapse(id, Direction::Outgoing, |n| n.kind.is_resource()))
    }

    /// [`Graph::resource_dependents`], borrowed from the cache.
    pub fn resource_dependent_links(&self, id: NodeId) -> &[(NodeId, Option<Arc<str>>)] {
        self.resource_rdeps[id.index()].get_or_init(|| self.collapse(id, Direction::Incoming, |n| n.kind.is_resource()))
    }

    /// The nodes for which `stop` holds that `id` reaches in `dir` through nodes for which it
    /// doesn't, each with the attribute of the edge at `id`'s side (outgoing) or at the found
    /// node's side (incoming).
    pub(crate) fn collapse(
        &self,
        id: NodeId,
        dir: Direction,
        stop: impl Fn(&Node) -> bool,
    ) -> Vec<(NodeId, Option<Arc<str>>)> {
        // Sorted and deduplicated on (node, attribute) once the edge kind is dropped; `Arc<str>`
        // orders like the `String` it replaces.
        let mut out: Vec<(NodeId, Option<Arc<str>>)> = self
            .collapse_with_kind(id, dir, stop)
            .into_iter()
            .map(|(n, _, a)| (n, a))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Like [`Graph::collapse`], also giving the kind of the edge at `id`'s side (outgoing) or
    /// at the found node's side (incoming).
    pub(crate) fn collapse_with_kind(
        &self,
        id: NodeId,
        dir: Direction,
        stop: impl Fn(&Node) -> bool,
    ) -> Vec<(NodeId, EdgeKind, Option<Arc<str>>)> {
        let start = NodeIndex::new(id.index());
        let mut out = Vec::new();
        match dir {
            Direction::Outgoing => {
                // The attribute is the first hop's: walk once per distinct first edge label.
                let mut firsts: Vec<(EdgeKind, Option<Arc<str>>, NodeIndex)> = self
                    .graph
                    .edges_directed(start, Direction::Outgoing)
                    .map(|e| (e.weight().via, e.weight().attribute.clone(), e.target()))
                    .collect();
                firsts.sort();
                let mut i = 0;
                while i < firsts.len() {
                    let (via, attr) = (firsts[i].0, firsts[i].1.clone());
                    let mut stack: Vec<(NodeIndex, EdgeKind)> = Vec::new();
                    while i < firsts.len() && firsts[i].0 == via && firsts[i].1 == attr {
                        stack.push((firsts[i].2, via));
                        i += 1;
                    }
                    // Fx: these sets are small and built once per node (for every node when drawing).
                    let mut seen: rustc_hash::FxHashSet<NodeIndex> = stack.iter().map(|s| s.0).collect();
                    while let Some((n, path_via)) = stack.pop() {
                        if n == start {
                            continue;
                        }
                        if stop(&self.nodes[n.index()]) {
                            out.push((NodeId(n.index() as u32), path_via, attr.clone()));
                            continue;
                        }
                        for e in self.graph.edges_directed(n, Direction::Outgoing) {
                            if seen.insert(e.target()) {
                                // Through a module instance, say why the module depends on it
                                // (`depends_on`, `for_each`, ...) rather than just `module`.
                                let next_via = if path_via == EdgeKind::Module && e.weight().via != EdgeKind::Module {
                                    e.weight().via
                                } else {
                                    path_via
                                };
                                stack.push((e.target(), next_via));
                            }
                        }
                    }
                }
            }
            Direction::Incoming => {
                let mut seen: rustc_hash::FxHashSet<NodeIndex> = rustc_hash::FxHashSet::default();
                let mut stack = vec![start];
                seen.insert(start);
                while let Some(n) = stack.pop() {
                    for e in self.graph.edges_directed(n, Direction::Incoming) {
                        let s = e.source();
                        if s != start && stop(&self.nodes[s.index()]) {
                            out.push((NodeId(s.index() as u32), e.weight().via, e.weight().attribute.clone()));
                        } else if seen.insert(s) {
                            stack.push(s);
                        }
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Which nodes a view keeps, over an adjacency given as (dependencies, dependents) lists.
    pub(crate) fn select(&self, view: &View, ids: &[NodeId], deps: &[Vec<usize>], rdeps: &[Vec<usize>]) -> Vec<bool> {
        let n = ids.len();
        let changed: Vec<usize> = (0..n).filter(|&i| self.node(ids[i]).is_change()).collect();
        let mut keep = vec![true; n];
        if view.changed_only {
            let down = bfs(&changed, rdeps, None);
            let up = bfs(&changed, deps, None);
            for i in 0..n {
                keep[i] &= down[i].is_some() && up[i].is_some();
            }
        }
        let seeds: Option<Vec<usize>> = match &view.focus {
            Some(address) => Some(
                self.node_id(address)
                    .and_then(|f| ids.iter().position(|&x| x == f))
                    .into_iter()
                    .collect(),
            ),
            None if view.depth.is_some() => Some(changed.clone()),
            None => None,
        };
        if let Some(seeds) = seeds {
            let down = bfs(&seeds, rdeps, view.depth);
            let up = bfs(&seeds, deps, view.depth);
            for i in 0..n {
                keep[i] &= down[i].is_some() || up[i].is_some();
            }
        }
        keep
    }
}

/// An owned copy of a cached list, as the `Vec`-returning accessors give it.
fn owned(list: &[(NodeId, Option<Arc<str>>)]) -> Vec<(NodeId, Option<String>)> {
    list.iter()
        .map(|(n, a)| (*n, a.as_deref().map(str::to_string)))
        .collect()
}

fn bfs(seeds: &[usize], adj: &[Vec<usize>], limit: Option<usize>) -> Vec<Option<usize>> {
    let mut dist = vec![None; adj.len()];
    let mut queue = std::collections::VecDeque::new();
    for &s in seeds {
        if dist[s].is_none() {
            dist[s] = Some(0);
            queue.push_back(s);
        }
    }
    while let Some(i) = queue.pop_front() {
        let d = dist[i].unwrap_or(0);
        if limit.is_some_and(|l| d >= l) {
            continue;
        }
        for &o in &adj[i] {
            if dist[o].is_none() {
                dist[o] = Some(d + 1);
                queue.push_back(o);
            }
        }
    }
    dist
}

/// The worse of two optional actions by severity.
pub(crate) fn worse(a: Option<ActionKind>, b: Option<ActionKind>) -> Option<ActionKind> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.severity() > x.severity() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

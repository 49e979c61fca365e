//! Queries: depth, cycles, blast radius, topological order, dependencies through
//! non-resource nodes, and view selection.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use planguard_plan::ActionKind;

use crate::model::{BlastRadius, CappedRadius, Cycle, EdgeKind, Node, NodeId, View};
use crate::Graph;

impl Graph {
    /// Strongly connected components, cycles and depths; linear in the graph's size.
    pub(crate) fn compute_structure(&mut self) {
        let n = self.graph.node_count();
        let sccs = petgraph::algo::tarjan_scc(&self.graph);
        let mut comp = vec![0u32; n];
        for (c, scc) in sccs.iter().enumerate() {
            for idx in scc {
                comp[idx.index()] = c as u32;
            }
        }
        // tarjan_scc returns components dependencies-first (reverse topological order).
        let mut comp_depth = vec![0u32; sccs.len()];
        let mut cycles = Vec::new();
        for (c, scc) in sccs.iter().enumerate() {
            let mut d = 0u32;
            let mut self_loop = false;
            for &idx in scc {
                for e in self.graph.edges_directed(idx, Direction::Outgoing) {
                    let tc = comp[e.target().index()] as usize;
                    if tc == c {
                        self_loop |= e.target() == idx;
                    } else {
                        d = d.max(comp_depth[tc] + 1);
                    }
                }
            }
            comp_depth[c] = d;
            if scc.len() > 1 || self_loop {
                let mut nodes: Vec<NodeId> = scc.iter().map(|i| NodeId(i.index() as u32)).collect();
                nodes.sort();
                cycles.push(nodes);
            }
        }
        cycles.sort();
        // Dependents come after what they depend on in `sccs`, so walking it backwards sees
        // every dependent component before the components it depends on: one linear pass
        // gives each node the worst action it reaches (what `blast_radius` computes per node
        // with a walk of the whole radius).
        let mut comp_worst: Vec<Option<ActionKind>> = vec![None; sccs.len()];
        for (c, scc) in sccs.iter().enumerate().rev() {
            let mut w = None;
            for &idx in scc {
                w = worse(w, self.graph[idx].action);
                for e in self.graph.edges_directed(idx, Direction::Incoming) {
                    let sc = comp[e.source().index()] as usize;
                    if sc != c {
                        w = worse(w, comp_worst[sc]);
                    }
                }
            }
            comp_worst[c] = w;
        }
        self.worst_reach = (0..n).map(|i| comp_worst[comp[i] as usize]).collect();
        self.depth = (0..n).map(|i| comp_depth[comp[i] as usize]).collect();
        self.cycles = cycles;
    }

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
            if self.graph[idx].is_change() {
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
                    worst = worse(worst, self.graph[s].action);
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
                        if stop(&self.graph[n]) {
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
                        if s != start && stop(&self.graph[s]) {
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

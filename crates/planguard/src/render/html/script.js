// planguard's report script: selection, details, blast radius, filters, pan and zoom, and
// folded groups expanded in place. Hand-written, no dependencies; reads only the JSON
// embedded in the page. Node positions come from the layout done in Rust; the script only
// shifts them to make room for an expanded group, and draws edges and module boxes from them.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var panel = document.querySelector('[data-panel="details"]');
  var content = panel.querySelector(".content");
  var plans = [];
  var severityRank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

  function text(tag, value, cls) {
    var e = document.createElement(tag);
    e.textContent = value;
    if (cls) e.className = cls;
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function money(v) {
    return (v < 0 ? "-" : v > 0 ? "+" : "") + "$" + Math.abs(v).toFixed(2);
  }
  function truncate(s, max) {
    var chars = Array.from(s);
    return chars.length <= max ? s : "\u2026" + chars.slice(chars.length - (max - 1)).join("");
  }

  document.querySelectorAll("section.plan[data-plan]").forEach(function (section) {
    var blob = section.querySelector("script.plan-data");
    if (!blob) return;
    var plan = load(section, JSON.parse(blob.textContent));
    plans.push(plan);
    setupFilters(plan);
    setupPanZoom(plan);
    relayout(plan);
  });

  // The page's columns as one object per node, with adjacency and findings.
  function load(section, data) {
    var c = data.nodes, nodes = [];
    for (var i = 0; i < c.address.length; i++) {
      var module = data.modules[c.module[i]];
      nodes.push({
        id: i,
        address: c.full[i] || (module ? module + "." + c.address[i] : c.address[i]),
        label: c.full[i] || c.address[i],
        module: module,
        type: data.types[c.type[i]],
        kind: data.kinds[c.kind[i]],
        action: data.actions[c.action[i]],
        details: data.details[i] || {},
        cost: data.cost[i],
        findings: [], dependents: [], dependencies: [],
        group: -1, drawn: -1, path: false, el: null,
      });
    }
    // Edges come sorted by dependent, each written as the step from the previous one; expand
    // them once into absolute pairs.
    var from = 0, edges = new Array(data.edges.length);
    for (var k = 0; k < data.edges.length; k += 2) {
      from += data.edges[k];
      edges[k] = from; edges[k + 1] = data.edges[k + 1];
      nodes[from].dependencies.push(data.edges[k + 1]);
      nodes[data.edges[k + 1]].dependents.push(from);
    }
    data.edges = edges;
    data.findings.forEach(function (f, fi) { if (f.node !== null) nodes[f.node].findings.push(fi); });
    data.paths.forEach(function (m) { nodes[m].path = true; });
    var drawnEls = Array.prototype.slice.call(section.querySelectorAll(".nodes > .node"));
    var plan = {
      section: section, data: data, nodes: nodes, drawnEls: drawnEls, groups: [],
      svg: section.querySelector("svg"), edgeLayer: section.querySelector(".edges"),
      moduleLayer: section.querySelector(".modules"), edges: [], selected: null,
    };
    var g = data.geometry;
    drawnEls.forEach(function (el, i) {
      var t = el.transform.baseVal.consolidate().matrix;
      el._base = { x: t.e, y: t.f };
      el._layer = Math.round((t.e - g.margin) / g.layer_gap);
      el._w = g.node_width; el._h = g.node_height;
      var local = data.drawn[i];
      if (local >= 0) { nodes[local].drawn = i; nodes[local].el = el; el._node = local; }
      el.addEventListener("click", function (ev) { ev.stopPropagation(); activate(plan, el); });
      el.addEventListener("keydown", function (ev) { keys(plan, el, ev); });
    });
    data.groups.forEach(function (gr, gi) {
      var group = { index: gi, key: gr.key, el: drawnEls[gr.drawn], members: gr.members, layers: gr.layers, rows: gr.rows,
        layer: gr.cells.map(function (c) { return Math.floor(c / gr.rows); }),
        row: gr.cells.map(function (c) { return c % gr.rows; }), expanded: false, built: false };
      group.el._group = gi;
      gr.members.forEach(function (m) { nodes[m].group = gi; });
      plan.groups.push(group);
    });
    return plan;
  }

  function groupSize(plan, group) {
    var g = plan.data.geometry;
    return {
      w: 2 * g.group_pad + (group.layers - 1) * g.layer_gap + g.node_width,
      h: g.group_head + (group.rows - 1) * g.row_gap + g.node_height + g.group_pad,
    };
  }

  // A member's element, drawn inside its group's element the first time the group opens.
  function buildMembers(plan, group) {
    var g = plan.data.geometry, holder = svg("g", { class: "members" });
    // Layer by layer, top to bottom: the order arrow keys walk.
    var order = group.members.map(function (m, k) { return k; });
    order.sort(function (a, b) { return group.layer[a] - group.layer[b] || group.row[a] - group.row[b]; });
    order.forEach(function (k) {
      var m = group.members[k], n = plan.nodes[m];
      var worst = null;
      n.findings.forEach(function (fi) {
        var s = plan.data.findings[fi].severity;
        if (worst === null || severityRank[s] < severityRank[worst]) worst = s;
      });
      var x = g.group_pad + group.layer[k] * g.layer_gap, y = g.group_head + group.row[k] * g.row_gap;
      var el = svg("g", {
        class: "node member kind-" + n.kind, tabindex: "0", role: "button", "data-node": m,
        "data-address": n.address, "data-action": n.action, "data-module": n.module, "data-type": n.type,
        "data-path": n.path ? "1" : "0", transform: "translate(" + x + "," + y + ")",
      });
      if (worst) el.setAttribute("data-severity", worst);
      el.appendChild(svg("title", {})).textContent = n.address;
      el.appendChild(svg("rect", { width: g.node_width, height: g.node_height, rx: n.kind === "data" ? 14 : 4 }));
      el.appendChild(svg("text", { class: "glyph", x: 12, y: 19 })).textContent = plan.data.glyphs[n.action] || "\u00b7";
      el.appendChild(svg("text", { class: "label", x: 26, y: 18 })).textContent = truncate(n.label, 30);
      if (worst) {
        var badge = el.appendChild(svg("g", { class: "badge sev-" + worst }));
        badge.appendChild(svg("circle", { cx: g.node_width, cy: 0, r: 9 }));
        badge.appendChild(svg("text", { x: g.node_width, y: 4 })).textContent = Math.min(n.findings.length, 99);
      }
      var d = n.cost;
      if (d !== undefined && d !== 0) el.appendChild(svg("text", { class: "cost", x: g.node_width - 14, y: -2 })).textContent = money(d);
      el._node = m; el._rel = { x: x, y: y }; el._w = g.node_width; el._h = g.node_height;
      el.addEventListener("click", function (ev) { ev.stopPropagation(); activate(plan, el); });
      el.addEventListener("keydown", function (ev) { keys(plan, el, ev); });
      n.el = el;
      holder.appendChild(el);
    });
    group.el.appendChild(holder);
    group.holder = holder;
    group.built = true;
  }

  function setExpanded(plan, group, open) {
    if (!group.layer.length || group.expanded === open) return;
    if (open && !group.built) buildMembers(plan, group);
    group.expanded = open;
    var el = group.el, size = groupSize(plan, group), g = plan.data.geometry;
    el.classList.toggle("open", open);
    el.setAttribute("aria-expanded", open ? "true" : "false");
    el.querySelector(":scope > rect").setAttribute("width", open ? size.w : g.node_width);
    el.querySelector(":scope > rect").setAttribute("height", open ? size.h : g.node_height);
    el._w = open ? size.w : g.node_width; el._h = open ? size.h : g.node_height;
    group.holder.style.display = open ? "" : "none";
    if (!open && plan.selected && plan.selected._node !== undefined && plan.nodes[plan.selected._node].group === group.index) closePanel();
    relayout(plan);
    if (plan.applyFilters) plan.applyFilters();
    if (open && plan.reveal) plan.reveal(el);
  }

  // Positions from the Rust layout, shifted to make room for the expanded groups: later layers
  // move right by the widest expansion before them, nodes below an expansion in its layer move down.
  function relayout(plan) {
    var g = plan.data.geometry, extraW = {}, open = plan.groups.filter(function (gr) { return gr.expanded; });
    open.forEach(function (gr) {
      var l = gr.el._layer, w = groupSize(plan, gr).w - g.node_width;
      extraW[l] = Math.max(extraW[l] || 0, w);
    });
    var maxX = 0, maxY = 0;
    plan.drawnEls.forEach(function (el) {
      var dx = 0, dy = 0;
      for (var l in extraW) if (+l < el._layer) dx += extraW[l];
      open.forEach(function (gr) {
        if (gr.el !== el && gr.el._layer === el._layer && gr.el._base.y < el._base.y) dy += groupSize(plan, gr).h - g.node_height;
      });
      el._x = el._base.x + dx; el._y = el._base.y + dy;
      el.setAttribute("transform", "translate(" + el._x + "," + el._y + ")");
      maxX = Math.max(maxX, el._x + el._w); maxY = Math.max(maxY, el._y + el._h);
    });
    open.forEach(function (gr) {
      gr.members.forEach(function (m) {
        var el = plan.nodes[m].el;
        el._x = gr.el._x + el._rel.x; el._y = gr.el._y + el._rel.y;
      });
    });
    if (plan.resize) plan.resize(maxX + g.margin, maxY + g.margin);
    drawEdges(plan);
    drawModules(plan);
  }

  // The element a node shows as now: itself, or its group while folded.
  function shownAs(plan, m) {
    var n = plan.nodes[m];
    if (n.group >= 0) {
      var gr = plan.groups[n.group];
      return gr.expanded ? n.el : gr.el;
    }
    return n.el;
  }

  function drawEdges(plan) {
    var g = plan.data.geometry, seen = new Set(), layer = plan.edgeLayer, e = plan.data.edges;
    var keyOf = new Map(), next = 0;
    layer.textContent = "";
    plan.edges = [];
    for (var k = 0; k < e.length; k += 2) {
      var a = shownAs(plan, e[k]), b = shownAs(plan, e[k + 1]);
      if (a === b) continue;
      if (!keyOf.has(a)) keyOf.set(a, next++);
      if (!keyOf.has(b)) keyOf.set(b, next++);
      var key = keyOf.get(a) * 1e7 + keyOf.get(b);
      if (seen.has(key)) continue;
      seen.add(key);
      // From dependent to dependency: the dependent is right of (or level with) it.
      var x1, x2, y1 = a._y + g.node_height / 2, y2 = b._y + g.node_height / 2;
      if (a._x >= b._x) { x1 = a._x; x2 = b._x + b._w; } else { x1 = a._x + a._w; x2 = b._x; }
      var mid = Math.round((x1 + x2) / 2);
      var path = svg("path", { d: "M" + x1 + "," + y1 + "C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2, "marker-end": "url(#arrow)" });
      path._from = a; path._to = b;
      layer.appendChild(path);
      plan.edges.push(path);
    }
  }

  // One box per module per layer around the nodes (and expanded groups) it holds.
  function drawModules(plan) {
    var boxes = new Map();
    plan.drawnEls.forEach(function (el) {
      var m = el.dataset.module;
      if (!m) return;
      var key = m + "\u0000" + el._layer, b = boxes.get(key);
      if (!b) { b = { m: m, x0: el._x, y0: el._y, x1: el._x + el._w, y1: el._y + el._h }; boxes.set(key, b); }
      b.x0 = Math.min(b.x0, el._x); b.y0 = Math.min(b.y0, el._y);
      b.x1 = Math.max(b.x1, el._x + el._w); b.y1 = Math.max(b.y1, el._y + el._h);
    });
    var layer = plan.moduleLayer;
    layer.textContent = "";
    Array.from(boxes.keys()).sort().forEach(function (key) {
      var b = boxes.get(key), box = svg("g", { class: "module", "data-module": b.m });
      box.appendChild(svg("rect", { x: b.x0 - 8, y: b.y0 - 18, width: b.x1 - b.x0 + 16, height: b.y1 - b.y0 + 24, rx: 6 }));
      box.appendChild(svg("text", { x: b.x0 - 4, y: b.y0 - 5 })).textContent = truncate(b.m, 34);
      layer.appendChild(box);
    });
  }

  function clearHighlight(plan) {
    plan.section.querySelectorAll(".node.selected, .node[data-highlight]").forEach(function (n) {
      n.removeAttribute("data-highlight"); n.classList.remove("selected");
    });
    plan.edges.forEach(function (e) { e.classList.remove("blast"); });
  }

  // Everything that depends on the nodes, directly or not (the nodes themselves left out).
  function blast(plan, starts) {
    var seen = new Set(starts), stack = starts.slice(), out = [];
    while (stack.length) {
      plan.nodes[stack.pop()].dependents.forEach(function (m) {
        if (!seen.has(m)) { seen.add(m); out.push(m); stack.push(m); }
      });
    }
    return out;
  }

  // Click or Enter: a folded group opens (and an open one folds); any node shows its details.
  function activate(plan, el) {
    if (el._group !== undefined) {
      var group = plan.groups[el._group];
      if (group.layer.length) setExpanded(plan, group, !group.expanded);
    }
    select(plan, el, true);
  }

  // `withResource`: a group's list says which member each finding is on.
  function findingList(plan, ids, withResource) {
    var ul = document.createElement("ul");
    ids.forEach(function (i) {
      var f = plan.data.findings[i];
      var li = document.createElement("li");
      var rule = document.createElement("a"), target = ruleElement(f.rule);
      rule.className = "rule";
      rule.href = target ? "#" + target.id : "#";
      rule.title = "rules explain " + f.rule;
      rule.appendChild(text("strong", f.rule));
      rule.addEventListener("click", function (ev) { ev.preventDefault(); showRule(f.rule); });
      li.appendChild(rule);
      var who = f.node === null ? f.resource : plan.nodes[f.node].address;
      li.appendChild(document.createTextNode(" " + f.severity + (f.status === "unknown" ? " (unknown)" : "") + ": " +
        (plan.data.rules[f.rule] || "") + " \u2014 " + f.message + (f.path ? " [" + f.path + "]" : "") +
        (withResource && who ? " (" + who + ")" : "")));
      ul.appendChild(li);
    });
    return ul;
  }

  function ruleElement(id) {
    return Array.prototype.find.call(document.querySelectorAll("details.rule"), function (d) { return d.dataset.rule === id; });
  }

  // Opens a rule's embedded `rules explain` text and brings it into view.
  function showRule(id) {
    var target = ruleElement(id);
    if (!target) return;
    target.open = true;
    target.scrollIntoView({ block: "start" });
    var summary = target.querySelector("summary");
    if (summary) summary.focus();
  }

  function select(plan, el, updateHash) {
    clearHighlight(plan);
    plan.selected = el;
    el.classList.add("selected");
    var isGroup = el._group !== undefined, group = isGroup ? plan.groups[el._group] : null;
    var ids = isGroup ? group.members : [el._node];
    var radius = blast(plan, ids);
    var lit = new Set();
    radius.forEach(function (m) { var u = shownAs(plan, m); if (u !== el) lit.add(u); });
    lit.forEach(function (u) { u.setAttribute("data-highlight", "blast"); });
    var inBlast = new Set(lit);
    inBlast.add(el);
    plan.edges.forEach(function (e) { if (inBlast.has(e._from) && inBlast.has(e._to)) e.classList.add("blast"); });

    content.textContent = "";
    var dl = document.createElement("dl");
    function row(k, v) { if (v === null || v === undefined || v === "") return; dl.appendChild(text("dt", k)); dl.appendChild(text("dd", v)); }
    var findings = [], cost = null;
    ids.forEach(function (m) {
      findings = findings.concat(plan.nodes[m].findings);
      var d = plan.nodes[m].cost;
      if (d !== undefined) cost = (cost || 0) + d;
    });
    var address;
    if (isGroup) {
      address = el.dataset.address;
      content.appendChild(text("h2", address, "address"));
      row("Kind", "folded group of " + ids.length + " nodes");
      row("Module", el.dataset.module || "(root)");
      row("Most disruptive action", el.dataset.action);
      row("Shown", group.layer.length ? (group.expanded ? "expanded in the graph (click or Enter again to fold)" : "folded") :
        "folded: too many members to expand in place");
    } else {
      var node = plan.nodes[el._node];
      address = node.address;
      content.appendChild(text("h2", address, "address"));
      row("Kind", node.kind);
      row("Type", node.type);
      row("Module", node.module || "(root)");
      row("Action", node.action);
      row("Why", node.details.reason);
      row("Declared at", node.details.source);
      if (node.group >= 0) row("In group", plan.groups[node.group].key);
    }
    row("Monthly cost delta", cost === null ? "" : money(cost));
    row("Blast radius", radius.length + " dependent" + (radius.length === 1 ? "" : "s"));
    if (isGroup) {
      row("Members (" + ids.length + ")", ids.slice(0, 200).map(function (m) { return plan.nodes[m].address; }).join("\n") + (ids.length > 200 ? "\n\u2026" : ""));
    } else {
      row("Depends on", plan.nodes[el._node].dependencies.map(function (d) { return plan.nodes[d].address; }).join("\n"));
    }
    content.appendChild(dl);
    var attributes = isGroup ? [] : plan.nodes[el._node].details.attributes || [];
    if (attributes.length) {
      content.appendChild(text("h3", "Changed attributes"));
      var al = document.createElement("ul");
      attributes.forEach(function (a) {
        al.appendChild(text("li", a.path + ": " + a.before + " \u2192 " + a.after + (a.forces_replacement ? " (forces replacement)" : ""), "attribute"));
      });
      content.appendChild(al);
    }
    if (findings.length) {
      content.appendChild(text("h3", "Findings"));
      content.appendChild(findingList(plan, findings, isGroup));
      content.appendChild(text("p", "A rule id opens its explanation (planguard rules explain) further down the page.", "note"));
    }
    panel.hidden = false;
    if (updateHash) history.replaceState(null, "", "#node=" + encodeURIComponent(address));
  }

  function closePanel() {
    panel.hidden = true;
    plans.forEach(function (p) { clearHighlight(p); p.selected = null; });
  }
  panel.querySelector(".close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });

  function visible(plan) {
    return Array.prototype.filter.call(plan.section.querySelectorAll(".node"), function (n) {
      return !n.closest(".hidden") && !(n.parentNode.classList.contains("members") && n.parentNode.style.display === "none");
    });
  }

  function keys(plan, el, ev) {
    if (ev.target !== el) return;
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); activate(plan, el); return; }
    var list = visible(plan);
    var at = list.indexOf(el);
    var next = null;
    if (ev.key === "ArrowDown" || ev.key === "ArrowRight") next = list[at + 1];
    if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") next = list[at - 1];
    if (next) { ev.preventDefault(); ev.stopPropagation(); next.focus(); }
  }

  // What a member's element would carry in its data-* attributes, before it is drawn.
  function memberData(plan, m) {
    var n = plan.nodes[m];
    if (!n.data) {
      var worst;
      n.findings.forEach(function (fi) {
        var s = plan.data.findings[fi].severity;
        if (worst === undefined || severityRank[s] < severityRank[worst]) worst = s;
      });
      n.data = { action: n.action, module: n.module, type: n.type, path: n.path ? "1" : "0", address: n.address, severity: worst };
    }
    return n.data;
  }

  function setupFilters(plan) {
    var form = plan.section.querySelector("form.filters");
    if (!form) return;
    function passes(d, actions, sev, mod, type, paths, search) {
      var ok = actions[d.action] !== false;
      if (ok && sev) ok = d.severity !== undefined && severityRank[d.severity] <= severityRank[sev];
      if (ok && mod !== "*") ok = d.module === mod;
      if (ok && type) ok = d.type === type;
      if (ok && paths) ok = d.path === "1";
      if (ok && search) ok = d.address.toLowerCase().indexOf(search) >= 0;
      return ok;
    }
    function apply() {
      var actions = {};
      form.querySelectorAll('input[name="action"]').forEach(function (c) { actions[c.value] = c.checked; });
      var sev = form.elements.severity.value, mod = form.elements.module.value, type = form.elements.type.value;
      var paths = form.elements.paths.checked, search = form.elements.search.value.trim().toLowerCase();
      plan.drawnEls.forEach(function (el) {
        var ok;
        if (el._group !== undefined && plan.groups[el._group].expanded) {
          // An open group stays while any member passes; members hide one by one.
          ok = false;
          plan.groups[el._group].members.forEach(function (m) {
            var member = plan.nodes[m].el, pass = passes(member.dataset, actions, sev, mod, type, paths, search);
            member.classList.toggle("hidden", !pass);
            ok = ok || pass;
          });
        } else if (el._group !== undefined) {
          // A folded group stays while any member would pass: a search for a member's address
          // or type finds its group.
          ok = plan.groups[el._group].members.some(function (m) {
            return passes(memberData(plan, m), actions, sev, mod, type, paths, search);
          });
        } else {
          ok = passes(el.dataset, actions, sev, mod, type, paths, search);
        }
        el.classList.toggle("hidden", !ok);
      });
      plan.edges.forEach(function (e) { e.classList.toggle("hidden", !!(e._from.closest(".hidden") || e._to.closest(".hidden"))); });
    }
    plan.applyFilters = apply;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
  }

  function setupPanZoom(plan) {
    var svgEl = plan.svg, box = svgEl.viewBox.baseVal;
    var full = { w: box.width, h: box.height };
    // Start readable: at most 1600 units wide, aspect of the frame.
    var frame = svgEl.parentNode.getBoundingClientRect();
    var w = Math.min(full.w, 1600), h = w * (frame.height / Math.max(frame.width, 1));
    var view = { x: 0, y: 0, w: w, h: h };
    function set() { svgEl.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h); }
    set();
    plan.resize = function (width, height) { full.w = Math.max(width, 1); full.h = Math.max(height, 1); };
    plan.zoom = function (factor, cx, cy) {
      cx = cx === undefined ? view.x + view.w / 2 : cx; cy = cy === undefined ? view.y + view.h / 2 : cy;
      var nw = Math.max(100, Math.min(full.w * 4, view.w * factor));
      var k = nw / view.w;
      view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k; view.w = nw; view.h = view.h * k; set();
    };
    // Brings an opened group's top-left corner, and as much of it as fits, into view.
    plan.reveal = function (el) {
      view.x = el._x - 40; view.y = el._y - 40; set();
    };
    plan.centre = function (el) {
      view.x = el._x - view.w / 2 + el._w / 2; view.y = el._y - view.h / 2; set();
    };
    svgEl.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = svgEl.getBoundingClientRect();
      plan.zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, view.x + (ev.clientX - r.left) / r.width * view.w, view.y + (ev.clientY - r.top) / r.height * view.h);
    }, { passive: false });
    var drag = null;
    svgEl.addEventListener("pointerdown", function (ev) { if (ev.target.closest(".node")) return; drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var r = svgEl.getBoundingClientRect();
      view.x = drag.vx - (ev.clientX - drag.x) / r.width * view.w; view.y = drag.vy - (ev.clientY - drag.y) / r.height * view.h; set();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svgEl.parentNode.addEventListener("keydown", function (ev) {
      if (ev.key === "+" || ev.key === "=") plan.zoom(1 / 1.25);
      if (ev.key === "-" || ev.key === "_") plan.zoom(1.25);
    });
  }

  function fromHash() {
    if (location.hash.indexOf("#rule-") === 0) {
      var rule = document.getElementById(location.hash.slice(1));
      if (rule) { rule.open = true; rule.scrollIntoView({ block: "start" }); }
      return;
    }
    var m = /^#node=(.*)$/.exec(location.hash);
    if (!m) return;
    var address;
    try { address = decodeURIComponent(m[1]); } catch (e) { return; }
    for (var p = 0; p < plans.length; p++) {
      var plan = plans[p];
      var groupEl = plan.drawnEls.find(function (el) { return el._group !== undefined && el.dataset.address === address; });
      if (groupEl) { select(plan, groupEl, false); plan.centre(groupEl); return; }
      var node = plan.nodes.find(function (n) { return n.address === address; });
      if (!node) continue;
      if (node.group >= 0) {
        var group = plan.groups[node.group];
        // A member of a group too large to open: the group stands for it.
        if (!group.layer.length) { select(plan, group.el, false); plan.centre(group.el); return; }
        setExpanded(plan, group, true);
      }
      select(plan, node.el, false);
      plan.centre(node.el);
      return;
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

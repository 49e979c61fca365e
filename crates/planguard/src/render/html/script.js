// planguard's report script: selection, details, blast radius, filters, pan and zoom.
// Hand-written, no dependencies; reads only the JSON embedded in the page.
(function () {
  "use strict";
  var panel = document.querySelector('[data-panel="details"]');
  var content = panel.querySelector(".content");
  var plans = [];
  function text(tag, value, cls) {
    var e = document.createElement(tag);
    e.textContent = value;
    if (cls) e.className = cls;
    return e;
  }
  function money(v) {
    var s = (v < 0 ? "-" : v > 0 ? "+" : "") + "$" + Math.abs(v).toFixed(2);
    return s;
  }
  document.querySelectorAll("section.plan[data-plan]").forEach(function (section) {
    var blob = section.querySelector("script.plan-data");
    if (!blob) return;
    var data = JSON.parse(blob.textContent);
    var svg = section.querySelector("svg");
    var nodes = Array.prototype.slice.call(section.querySelectorAll(".node"));
    var edges = Array.prototype.slice.call(section.querySelectorAll(".edges path"));
    var plan = { section: section, data: data, svg: svg, nodes: nodes, edges: edges };
    plans.push(plan);
    nodes.forEach(function (el) {
      el.addEventListener("click", function (ev) { ev.stopPropagation(); select(plan, +el.dataset.index, true); });
      el.addEventListener("keydown", function (ev) { keys(plan, +el.dataset.index, ev); });
    });
    setupFilters(plan);
    setupPanZoom(plan);
  });

  function clearHighlight(plan) {
    plan.nodes.forEach(function (n) { n.removeAttribute("data-highlight"); n.classList.remove("selected"); });
    plan.edges.forEach(function (e) { e.classList.remove("blast"); });
  }

  // Everything that depends on the node, directly or not.
  function blast(plan, index) {
    var seen = {}, stack = [index], out = [];
    seen[index] = true;
    while (stack.length) {
      var n = stack.pop();
      plan.data.nodes[n].dependents.forEach(function (m) {
        if (!seen[m]) { seen[m] = true; out.push(m); stack.push(m); }
      });
    }
    return out;
  }

  function select(plan, index, updateHash) {
    var node = plan.data.nodes[index];
    if (!node) return;
    clearHighlight(plan);
    var el = plan.nodes[index];
    el.classList.add("selected");
    var radius = blast(plan, index);
    var inBlast = {};
    radius.forEach(function (m) { inBlast[m] = true; plan.nodes[m].setAttribute("data-highlight", "blast"); });
    inBlast[index] = true;
    plan.edges.forEach(function (e) {
      if (inBlast[+e.dataset.from] && inBlast[+e.dataset.to]) e.classList.add("blast");
    });
    content.textContent = "";
    content.appendChild(text("h2", node.address, "address"));
    var dl = document.createElement("dl");
    function row(k, v) { if (v === null || v === undefined || v === "") return; dl.appendChild(text("dt", k)); dl.appendChild(text("dd", v)); }
    row("Kind", node.kind);
    row("Type", node.type);
    row("Module", node.module || "(root)");
    row("Action", node.action);
    row("Why", node.reason);
    row("Declared at", node.source);
    row("Monthly cost delta", node.cost_delta === null ? "" : money(node.cost_delta));
    row("Blast radius", radius.length + " dependent" + (radius.length === 1 ? "" : "s"));
    row("Depends on", node.dependencies.map(function (d) { return plan.data.nodes[d].address; }).join("\n"));
    if (node.members.length) row("Members (" + node.members.length + ")", node.members.slice(0, 200).join("\n") + (node.members.length > 200 ? "\n…" : ""));
    content.appendChild(dl);
    if (node.attributes.length) {
      content.appendChild(text("h3", "Changed attributes"));
      var al = document.createElement("ul");
      node.attributes.forEach(function (a) {
        al.appendChild(text("li", a.path + ": " + a.before + " \u2192 " + a.after + (a.forces_replacement ? " (forces replacement)" : ""), "attribute"));
      });
      content.appendChild(al);
    }
    if (node.findings.length) {
      content.appendChild(text("h3", "Findings"));
      var ul = document.createElement("ul");
      node.findings.forEach(function (i) {
        var f = plan.data.findings[i];
        var li = document.createElement("li");
        li.appendChild(text("strong", f.rule, "rule"));
        li.appendChild(document.createTextNode(" " + f.severity + (f.status === "unknown" ? " (unknown)" : "") + ": " + f.title + " — " + f.message + (f.path ? " [" + f.path + "]" : "")));
        ul.appendChild(li);
      });
      content.appendChild(ul);
    }
    panel.hidden = false;
    if (updateHash) history.replaceState(null, "", "#node=" + encodeURIComponent(node.address));
  }

  function closePanel() {
    panel.hidden = true;
    plans.forEach(clearHighlight);
  }
  panel.querySelector(".close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });

  function visible(plan) { return plan.nodes.filter(function (n) { return !n.classList.contains("hidden"); }); }

  function keys(plan, index, ev) {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(plan, index, true); return; }
    var list = visible(plan);
    var at = list.indexOf(plan.nodes[index]);
    var next = null;
    if (ev.key === "ArrowDown" || ev.key === "ArrowRight") next = list[at + 1];
    if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") next = list[at - 1];
    if (next) { ev.preventDefault(); next.focus(); }
  }

  var severityRank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  function setupFilters(plan) {
    var form = plan.section.querySelector("form.filters");
    if (!form) return;
    function apply() {
      var actions = {};
      form.querySelectorAll('input[name="action"]').forEach(function (c) { actions[c.value] = c.checked; });
      var sev = form.elements.severity.value, mod = form.elements.module.value, type = form.elements.type.value;
      var paths = form.elements.paths.checked, search = form.elements.search.value.trim().toLowerCase();
      var shown = {};
      plan.nodes.forEach(function (el, i) {
        var d = el.dataset, ok = actions[d.action] !== false;
        if (ok && sev) ok = d.severity !== undefined && severityRank[d.severity] <= severityRank[sev];
        if (ok && mod !== "*") ok = d.module === mod;
        if (ok && type) ok = d.type === type;
        if (ok && paths) ok = d.path === "1";
        if (ok && search) ok = d.address.toLowerCase().indexOf(search) >= 0;
        el.classList.toggle("hidden", !ok);
        shown[i] = ok;
      });
      plan.edges.forEach(function (e) { e.classList.toggle("hidden", !(shown[+e.dataset.from] && shown[+e.dataset.to])); });
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
  }

  function setupPanZoom(plan) {
    var svg = plan.svg, box = svg.viewBox.baseVal;
    var full = { x: box.x, y: box.y, w: box.width, h: box.height };
    // Start readable: at most 1600 units wide, aspect of the frame.
    var frame = svg.parentNode.getBoundingClientRect();
    var w = Math.min(full.w, 1600), h = w * (frame.height / Math.max(frame.width, 1));
    var view = { x: 0, y: 0, w: w, h: h };
    function set() { svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h); }
    set();
    plan.zoom = function (factor, cx, cy) {
      cx = cx === undefined ? view.x + view.w / 2 : cx; cy = cy === undefined ? view.y + view.h / 2 : cy;
      var nw = Math.max(100, Math.min(full.w * 4, view.w * factor));
      var k = nw / view.w;
      view.x = cx - (cx - view.x) * k; view.y = cy - (cy - view.y) * k; view.w = nw; view.h = view.h * k; set();
    };
    plan.centre = function (index) {
      var t = plan.nodes[index].transform.baseVal.consolidate();
      if (!t) return;
      view.x = t.matrix.e - view.w / 2 + 115; view.y = t.matrix.f - view.h / 2; set();
    };
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect();
      plan.zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, view.x + (ev.clientX - r.left) / r.width * view.w, view.y + (ev.clientY - r.top) / r.height * view.h);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) { if (ev.target.closest(".node")) return; drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view.x = drag.vx - (ev.clientX - drag.x) / r.width * view.w; view.y = drag.vy - (ev.clientY - drag.y) / r.height * view.h; set();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.parentNode.addEventListener("keydown", function (ev) {
      if (ev.key === "+" || ev.key === "=") plan.zoom(1 / 1.25);
      if (ev.key === "-" || ev.key === "_") plan.zoom(1.25);
    });
  }

  function fromHash() {
    var m = /^#node=(.*)$/.exec(location.hash);
    if (!m) return;
    var address;
    try { address = decodeURIComponent(m[1]); } catch (e) { return; }
    for (var p = 0; p < plans.length; p++) {
      var nodes = plans[p].data.nodes;
      for (var i = 0; i < nodes.length; i++) {
        if (nodes[i].address === address || nodes[i].members.indexOf(address) >= 0) {
          select(plans[p], i, false);
          plans[p].centre(i);
          return;
        }
      }
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

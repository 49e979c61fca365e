// Opens planguard's HTML report in headless Chromium and checks what a reviewer relies on.
// Needs PLANGUARD (the planguard binary) and PLANGUARD_BENCH (planguard-bench, for the 10k
// plan); fails when either is missing rather than skipping.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const shots = join(repo, "target", "browser");
const planguard = process.env.PLANGUARD;
const bench = process.env.PLANGUARD_BENCH;
assert.ok(planguard, "set PLANGUARD to the planguard binary");
assert.ok(bench, "set PLANGUARD_BENCH to the planguard-bench binary");

const work = mkdtempSync(join(tmpdir(), "planguard-browser-"));
let browser;
let context;

function report(plan, name, extra = []) {
  const out = join(work, name);
  try {
    // From the repository root, so a relative plan path shows as users type it.
    execFileSync(planguard, ["check", plan, "--output", `html=${out}`, "--format", "json", ...extra], {
      cwd: repo,
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (e) {
    // Exit 1 is a violated guardrail: the report is still written.
    if (e.status !== 1) throw e;
  }
  return out;
}

// The JSON report (exit 1, a violated guardrail, still writes it).
function json(plan) {
  try {
    return execFileSync(planguard, ["check", plan, "--format", "json"], { stdio: ["ignore", "pipe", "ignore"] }).toString();
  } catch (e) {
    if (e.status !== 1) throw e;
    return e.stdout.toString();
  }
}

// A page that fails the test on any request but the report file itself.
async function open(file) {
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const others = [];
  page.on("request", (r) => {
    if (r.url().split("#")[0] !== url) others.push(r.url());
  });
  page.on("pageerror", (e) => others.push(`page error: ${e.message}`));
  return { page, url, others };
}

// In the page: the nodes of the first plan's data as { address, kind, dependents }.
function pageGraph() {
  const data = JSON.parse(document.querySelector("script.plan-data").textContent);
  const c = data.nodes;
  const nodes = c.address.map((rel, i) => {
    const module = data.modules[c.module[i]];
    return {
      address: c.full[i] ?? (module ? `${module}.${rel}` : rel),
      kind: data.kinds[c.kind[i]],
      dependents: [],
    };
  });
  let from = 0;
  for (let k = 0; k < data.edges.length; k += 2) {
    from += data.edges[k];
    nodes[data.edges[k + 1]].dependents.push(from);
  }
  return { data, nodes };
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  // A fresh profile each run: playwright passes it as --user-data-dir.
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "planguard-chromium-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
    viewport: { width: 1400, height: 1000 },
  });
  browser = context;
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test("nodes carry their address and action; a click shows details and the blast radius", async () => {
  const file = report("fixtures/terraform/aws-network/plan.json", "network.html");
  const expected = JSON.parse(json(join(repo, "fixtures/terraform/aws-network/plan.json")));
  const { page, url, others } = await open(file);
  await page.goto(url);
  const resources = expected.cost.resources.map((r) => r.address);
  for (const address of resources) {
    const node = page.locator(`.node[data-address="${address.replace(/"/g, '\\"')}"]`);
    assert.equal(await node.count(), 1, address);
    assert.ok(await node.getAttribute("data-action"), address);
  }
  // The finding-bearing resource with a cost delta and dependents.
  const withFindings = expected.findings.map((f) => f.resource);
  const costed = expected.cost.resources.find((r) => r.monthly_delta && withFindings.includes(r.address));
  const target = costed ?? expected.cost.resources.find((r) => withFindings.includes(r.address));
  assert.ok(target, "the fixture has a resource with findings");
  await page.locator(`.node[data-address="${target.address}"]`).click();
  const panel = page.locator('[data-panel="details"]');
  await panel.waitFor({ state: "visible" });
  const text = await panel.innerText();
  assert.ok(text.includes(target.address));
  for (const f of expected.findings.filter((f) => f.resource === target.address)) {
    assert.ok(text.includes(f.rule_id), f.rule_id);
  }
  if (target.monthly_delta) {
    assert.ok(text.includes(Math.abs(target.monthly_delta).toFixed(2)), "cost delta shown");
  }
  // Dependents light up: every node that depends on the target, no other.
  const { nodes } = await page.evaluate(pageGraph);
  const index = nodes.findIndex((n) => n.address === target.address);
  const seen = new Set([index]);
  const stack = [index];
  while (stack.length) for (const m of nodes[stack.pop()].dependents) if (!seen.has(m)) { seen.add(m); stack.push(m); }
  seen.delete(index);
  const dependents = [...seen].map((i) => nodes[i].address).sort();
  const lit = (await page.locator('.node[data-highlight="blast"]').evaluateAll((els) => els.map((e) => e.dataset.address))).sort();
  assert.deepEqual(lit, dependents);
  assert.ok(text.includes(`${dependents.length} dependent`));
  assert.match(page.url(), /#node=/);
  await page.screenshot({ path: join(shots, "report-small.png") });
  assert.deepEqual(others, []);
});

test("a node with dependents lights them up", async () => {
  const file = report(join(repo, "fixtures/terraform/aws-network/plan.json"), "network2.html");
  const { page, url, others } = await open(file);
  await page.goto(url);
  const { nodes } = await page.evaluate(pageGraph);
  const address = nodes.find((n) => n.kind === "resource" && n.dependents.length > 0).address;
  await page.locator(`.node[data-address="${address}"]`).click();
  assert.ok((await page.locator('.node[data-highlight="blast"]').count()) > 0);
  await page.keyboard.press("Escape");
  assert.equal(await page.locator('.node[data-highlight="blast"]').count(), 0);
  assert.deepEqual(others, []);
});

test("filters hide and show the right nodes", async () => {
  const file = report(join(repo, "fixtures/terraform/modules/plan.json"), "modules.html");
  const { page, url, others } = await open(file);
  await page.goto(url);
  const shown = () => page.locator(".node:not(.hidden)").evaluateAll((els) => els.map((e) => e.dataset.address));
  const all = await shown();
  const actions = await page.locator(".node").evaluateAll((els) => els.map((e) => e.dataset.action));
  const creates = actions.filter((a) => a === "create").length;
  assert.ok(creates > 0);
  await page.locator('input[name="action"][value="create"]').uncheck();
  assert.equal((await shown()).length, all.length - creates);
  await page.locator('input[name="action"][value="create"]').check();
  assert.equal((await shown()).length, all.length);
  // Module filter: exactly the nodes of that module.
  const module = await page.locator('select[name="module"] option').nth(2).getAttribute("value");
  await page.selectOption('select[name="module"]', module);
  const inModule = await page.locator(".node:not(.hidden)").evaluateAll((els) => els.map((e) => e.dataset.module));
  assert.ok(inModule.length > 0 && inModule.every((m) => m === module));
  await page.selectOption('select[name="module"]', "*");
  // Search by address.
  const type = await page.locator(".node.kind-resource").first().getAttribute("data-type");
  await page.fill('input[name="search"]', type);
  const found = await shown();
  assert.ok(found.length > 0 && found.length < all.length && found.every((a) => a.includes(type)));
  await page.fill('input[name="search"]', "");
  // Only changes and the paths between them: no unchanged leaf survives it.
  await page.locator('input[name="paths"]').check();
  const kept = await page.locator(".node:not(.hidden)").evaluateAll((els) => els.map((e) => e.dataset.path));
  assert.ok(kept.length > 0 && kept.length <= all.length && kept.every((p) => p === "1"));
  assert.deepEqual(others, []);
});

test("the URL fragment selects a node", async () => {
  const file = report(join(repo, "fixtures/terraform/modules/plan.json"), "fragment.html");
  const { page, url, others } = await open(file);
  await page.goto(url);
  const address = await page.locator(".node.kind-resource").first().getAttribute("data-address");
  await page.goto(`${url}#node=${encodeURIComponent(address)}`);
  await page.reload();
  const panel = page.locator('[data-panel="details"]');
  await panel.waitFor({ state: "visible" });
  assert.equal(await panel.locator(".address").innerText(), address);
  assert.equal(await page.locator(".node.selected").getAttribute("data-address"), address);
  // Keyboard: Enter on a focused node opens it.
  const second = page.locator(".node.kind-resource").nth(1);
  await second.focus();
  await page.keyboard.press("Enter");
  assert.equal(await panel.locator(".address").innerText(), await second.getAttribute("data-address"));
  assert.deepEqual(others, []);
});

test("changed attributes show before and after, redacted", async () => {
  const file = report(join(repo, "fixtures/terraform/changes/plan.json"), "changes.html");
  const { page, url, others } = await open(file);
  await page.goto(`${url}#node=${encodeURIComponent("terraform_data.update_me")}`);
  const panel = page.locator('[data-panel="details"]');
  await panel.waitFor({ state: "visible" });
  assert.ok((await panel.locator(".attribute").count()) > 0);
  assert.match(await panel.locator(".attribute").first().innerText(), /input\.size: 1 \u2192 2/);
  // A changed fragment selects another node (the open panel may cover it in the graph).
  await page.evaluate(() => { location.hash = "#node=" + encodeURIComponent("terraform_data.secret"); });
  await page.waitForFunction(() => document.querySelector('[data-panel="details"] .address').textContent === "terraform_data.secret");
  const secret = await panel.innerText();
  assert.ok(secret.includes("input: (sensitive) \u2192 (sensitive)"), secret);
  assert.ok(secret.includes("(known after apply)"), secret);
  assert.deepEqual(others, []);
});

test("a 10k-resource plan opens and becomes interactive", async () => {
  const plan = join(work, "plan-10k.json");
  execFileSync(bench, ["gen", "--resources", "10000", "--seed", "1", "--out", plan]);
  const started = Date.now();
  const file = report(plan, "large.html");
  const rendered = Date.now() - started;
  const { page, url, others } = await open(file);
  const opening = Date.now();
  await page.goto(url);
  const node = page.locator(".node.kind-resource").first();
  await node.click();
  await page.locator('[data-panel="details"]').waitFor({ state: "visible" });
  const interactive = Date.now() - opening;
  const nodes = await page.locator(".node").count();
  // The browser's own clock: parsing done, and the load event (the script has run by then).
  const timing = await page.evaluate(() => {
    const t = performance.getEntriesByType("navigation")[0];
    return { parsed: Math.round(t.domInteractive), loaded: Math.round(t.loadEventEnd) };
  });
  console.log(
    `10k plan: report ${statSync(file).size} bytes, check with the report in ${rendered} ms, ` +
      `${nodes} nodes drawn, DOM parsed after ${timing.parsed} ms, loaded (script run) after ${timing.loaded} ms, ` +
      `goto to details panel open after a click ${interactive} ms`,
  );
  // Opening the largest group is what a reviewer does next: it must stay responsive too.
  const group = page.locator('.node[aria-expanded="false"]').first();
  const opened = await group.evaluate((el) => {
    const started = performance.now();
    el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    return { ms: Math.round(performance.now() - started), expanded: el.getAttribute("aria-expanded") };
  });
  assert.equal(opened.expanded, "true");
  console.log(`10k plan: expanding a group took ${opened.ms} ms`);
  assert.ok(nodes > 0);
  await page.screenshot({ path: join(shots, "report-large.png") });
  assert.deepEqual(others, []);
});

// Rectangles of an element's box in page pixels, for overlap checks.
function overlaps(a, b) {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
}

test("a folded group expands in place and folds again", async () => {
  // Above the node budget (1,500 drawn nodes), so modules fold into groups.
  const plan = join(work, "plan-1k.json");
  execFileSync(bench, ["gen", "--resources", "1000", "--seed", "2", "--out", plan]);
  const file = report(plan, "groups.html");
  const { page, url, others } = await open(file);
  await page.goto(url);
  const { data, nodes } = await page.evaluate(pageGraph);
  // The group with the most members that can open.
  const groups = data.groups
    .map((g, i) => ({ ...g, index: i, layer: g.cells.map((c) => Math.floor(c / g.rows)), row: g.cells.map((c) => c % g.rows) }))
    .filter((g) => g.cells.length > 1);
  assert.ok(groups.length > 0, "the plan has expandable groups");
  const group = groups.sort((a, b) => b.members.length - a.members.length)[0];
  const el = page.locator(`.node[data-group="${group.index}"]`);
  assert.equal(await el.getAttribute("aria-expanded"), "false");
  assert.equal(await el.locator(".node.member").count(), 0);
  const before = await page.locator(".nodes > .node").evaluateAll((els) => els.map((e) => e.getAttribute("transform")));
  const edgesBefore = await page.locator(".edges path").count();

  // A link to the group brings it into view (and selects it, folded).
  await page.goto(`${url}#node=${encodeURIComponent(await el.getAttribute("data-address"))}`);
  await page.reload();
  assert.equal(await el.getAttribute("aria-expanded"), "false");
  await page.keyboard.press("Escape");
  await el.click();
  assert.equal(await el.getAttribute("aria-expanded"), "true");
  const members = el.locator(".node.member");
  assert.equal(await members.count(), group.members.length);
  const shown = (await members.evaluateAll((els) => els.map((e) => e.dataset.address))).sort();
  assert.deepEqual(shown, group.members.map((m) => nodes[m].address).sort());
  // The members don't overlap each other, and the opened group overlaps no other node.
  const memberBoxes = await members.evaluateAll((els) => els.map((e) => e.querySelector("rect").getBoundingClientRect().toJSON()));
  for (let i = 0; i < memberBoxes.length; i++)
    for (let j = i + 1; j < memberBoxes.length; j++) assert.ok(!overlaps(memberBoxes[i], memberBoxes[j]), `members ${i} and ${j} overlap`);
  const frame = await el.evaluate((e) => e.querySelector(":scope > rect").getBoundingClientRect().toJSON());
  const others2 = await page.locator(".nodes > .node").evaluateAll(
    (els, g) => els.filter((e) => e.dataset.group !== String(g)).map((e) => e.querySelector(":scope > rect").getBoundingClientRect().toJSON()),
    group.index,
  );
  for (const box of others2) assert.ok(!overlaps(frame, box), "the opened group covers another node");
  // Edges now reach the members: more paths than with the group folded.
  assert.ok((await page.locator(".edges path").count()) > edgesBefore);
  await page.screenshot({ path: join(shots, "report-group-open.png") });

  // A member opens its own details: the top-left one, which opening brought into view.
  const corner = group.members.find((m, k) => group.layer[k] === 0 && group.row[k] === 0);
  const member = members.and(page.locator(`[data-node="${corner}"]`));
  assert.equal(await members.first().getAttribute("data-node"), String(corner), "members in layer and row order");
  await member.click();
  const panel = page.locator('[data-panel="details"]');
  await panel.waitFor({ state: "visible" });
  assert.equal(await panel.locator(".address").innerText(), await member.getAttribute("data-address"));
  await page.keyboard.press("Escape");

  // Enter on the group folds it again; the other nodes go back where they were.
  await el.focus();
  await page.keyboard.press("Enter");
  assert.equal(await el.getAttribute("aria-expanded"), "false");
  assert.equal(await el.locator(".node.member:visible").count(), 0);
  const after = await page.locator(".nodes > .node").evaluateAll((els) => els.map((e) => e.getAttribute("transform")));
  assert.deepEqual(after, before);
  assert.equal(await page.locator(".edges path").count(), edgesBefore);

  // Searching for a folded member's address keeps its group, and only groups or nodes that match.
  const member0 = nodes[group.members[0]].address;
  await page.fill('input[name="search"]', member0);
  const kept = await page.locator(".nodes > .node:not(.hidden)").evaluateAll((els) => els.map((e) => e.dataset.group ?? e.dataset.address));
  assert.ok(kept.includes(String(group.index)), `${member0}: its group is hidden`);
  assert.ok(kept.length < (await page.locator(".nodes > .node").count()));
  await page.fill('input[name="search"]', "");

  // A link to a folded member opens its group and selects it.
  const target = nodes[group.members[group.members.length - 1]].address;
  await page.goto(`${url}#node=${encodeURIComponent(target)}`);
  await page.reload();
  await panel.waitFor({ state: "visible" });
  assert.equal(await panel.locator(".address").innerText(), target);
  assert.equal(await el.getAttribute("aria-expanded"), "true");
  assert.equal(await page.locator(".node.member.selected").getAttribute("data-address"), target);
  assert.deepEqual(others, []);
});

test("a finding's rule links to its embedded rules explain text", async () => {
  const file = report("fixtures/terraform/aws-network/plan.json", "explain.html");
  const expected = JSON.parse(json(join(repo, "fixtures/terraform/aws-network/plan.json")));
  const finding = expected.findings[0];
  const explain = execFileSync(planguard, ["rules", "explain", finding.rule_id]).toString();
  const { page, url, others } = await open(file);
  await page.goto(`${url}#node=${encodeURIComponent(finding.resource)}`);
  const panel = page.locator('[data-panel="details"]');
  await panel.waitFor({ state: "visible" });
  const link = panel.locator("a.rule", { hasText: finding.rule_id }).first();
  await link.click();
  const rule = page.locator(`details.rule[data-rule="${finding.rule_id}"]`);
  assert.equal(await rule.evaluate((d) => d.open), true);
  await rule.locator("pre.explain").waitFor({ state: "visible" });
  assert.ok(await rule.locator("pre.explain").isVisible());
  const shownText = await rule.locator("pre.explain").innerText();
  // The page's text is the command's, line for line.
  assert.equal(shownText.trim(), explain.trim());
  // Only the rules that fired are embedded.
  const embedded = (await page.locator("details.rule").evaluateAll((els) => els.map((e) => e.dataset.rule))).sort();
  assert.deepEqual(embedded, [...new Set(expected.findings.map((f) => f.rule_id))].sort());
  assert.deepEqual(others, []);
});

// The dashboard's benchmark in Chromium (docs/performance.md, "Admin UI: dashboard at 1,000 hosts"); run by
// server/bench/ui.sh against a server whose HOSTS hosts are registered and up.
//   VIGIL_USER=… VIGIL_PASSWORD=… VIGIL_API_TOKEN=… node dashboard.mjs URL HOSTS RUNS
// a. First load: from goto('/') to the first frame in which the grid counts every host, its first data row is
//    on screen and the summary's counts are shown (performance.now() in the page, from navigation start); in a
//    new browser context every run (cold cache, the stored session), then again in the same context (warm),
//    after one such run not counted.
// b. Stored change → open page: POST /api/v1/hosts/{id}/refresh stores a new sample of a host whose row is on
//    screen (the grid sorted by name); from just before the call (Date.now() here) to the row's text changing (Date.now() in the page,
//    a MutationObserver): one clock, this machine's.
// Prints a markdown table; exits 1 when the first load's median misses 1,500 ms, the change's p95 1,000 ms, or a change
// is not seen within 5 s.
import { chromium } from 'playwright-core';
import { gzipSync } from 'node:zlib';

const [url, hostsArg, runsArg] = process.argv.slice(2);
const hosts = Number(hostsArg);
const runs = Number(runsArg);
const { VIGIL_USER: user, VIGIL_PASSWORD: password, VIGIL_API_TOKEN: apiToken } = process.env;
if (!url || !(hosts > 0) || !(runs > 0) || !user || !password || !apiToken) {
  console.error('usage: VIGIL_USER=… VIGIL_PASSWORD=… VIGIL_API_TOKEN=… node dashboard.mjs URL HOSTS RUNS');
  process.exit(2);
}
const LOAD_TARGET_MS = 1500;
const CHANGE_TARGET_MS = 1000;
const CHANGES = 20;
const CHANGE_TIMEOUT_MS = 5000;
// A desktop screen: the grid (100vh - 20rem high) shows 24 rows, so 20 hosts to change are on screen.
const VIEWPORT = { width: 1920, height: 1200 };

const browser = await chromium.launch({
  executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const session = await logIn();
  const loads = [];
  for (let run = 0; run <= runs; run++) {
    const context = await browser.newContext({ baseURL: url, viewport: VIEWPORT, storageState: session });
    await context.addInitScript(watchUsable, hosts + 1); // aria-rowcount counts the header row
    const page = await context.newPage();
    const cold = await firstLoad(context, page);
    const warm = await firstLoad(context, page);
    // run 0 warms the server's request paths up (its JIT), as a server that has been running a while has them
    console.log(`${run ? `run ${run}` : 'warm-up, not counted'}: cold ${ms(cold.usable)}, warm ${ms(warm.usable)}`);
    if (run > 0) loads.push({ cold, warm });
    await context.close();
  }
  const changes = await storedChanges(session);
  failed = report(loads, changes, await scriptSizes(loads[0].cold.resources));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

/** Logs in through the form once; the session (its cookies) for every later context. */
async function logIn() {
  const context = await browser.newContext({ baseURL: url, viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('grid', { name: 'Hosts' }).waitFor({ timeout: 60_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * Runs in the page before its own scripts: records in window.__usable the time of the first frame in which the
 * dashboard is usable, and the main thread's long tasks until then; counts the server events in window.__events.
 */
function watchUsable(rowCount) {
  // the server events the page receives, by type (one more listener per type and stream)
  window.__events = {};
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    this.__counted ??= new Set();
    if (!this.__counted.has(type)) {
      this.__counted.add(type);
      add.call(this, type, () => { window.__events[type] = (window.__events[type] ?? 0) + 1; });
    }
    return add.call(this, type, listener, options);
  };
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)))
    .observe({ type: 'longtask' });
  const usable = () => {
    const grid = document.querySelector('[role="grid"][aria-label="Hosts"]');
    if (!grid || grid.getAttribute('aria-rowcount') !== String(rowCount)) return false;
    const row = grid.querySelector('[role="row"][aria-rowindex="2"]');
    const summary = document.querySelector('[aria-label="Fleet summary"]');
    if (!row || !summary || !/\d+ up/.test(summary.textContent ?? '')) return false;
    const box = row.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
  };
  const observer = new MutationObserver(() => {
    if (!usable()) return;
    observer.disconnect();
    const dom = performance.now();
    requestAnimationFrame(() => {
      window.__usable = { dom, frame: performance.now(), longTasks };
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

/** One load of the dashboard in the page: when it got usable, what the main thread did, what it fetched. */
async function firstLoad(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = metricsOf(await cdp.send('Performance.getMetrics'));
  await page.goto('/');
  const usable = await (await page.waitForFunction(() => window.__usable, null, { timeout: 60_000 })).jsonValue();
  const after = metricsOf(await cdp.send('Performance.getMetrics'));
  await cdp.detach();
  const timings = await page.evaluate(() => ({
    navigation: performance.getEntriesByType('navigation')[0].toJSON(),
    resources: performance.getEntriesByType('resource').map((e) => e.toJSON()),
  }));
  const mainThread = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) * 1000]));
  return {
    usable: usable.frame,
    dom: usable.dom,
    longTasks: usable.longTasks.reduce((a, b) => a + b, 0),
    mainThread,
    html: timings.navigation.responseEnd,
    domContentLoaded: timings.navigation.domContentLoadedEventEnd,
    resources: timings.resources,
  };
}

function metricsOf({ metrics }) {
  const wanted = ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskDuration'];
  return Object.fromEntries(metrics.filter((m) => wanted.includes(m.name)).map((m) => [m.name, m.value]));
}

/** The scripts of a load: what went over the wire, their size unpacked and what gzip makes of them. */
async function scriptSizes(resources) {
  const scripts = resources.filter((r) => new URL(r.name).pathname.endsWith('.js'));
  let gzipped = 0;
  for (const script of scripts) {
    const body = Buffer.from(await (await fetch(script.name)).arrayBuffer());
    gzipped += gzipSync(body).length;
  }
  return {
    files: scripts.length,
    encoded: sum(scripts.map((s) => s.encodedBodySize)),
    decoded: sum(scripts.map((s) => s.decodedBodySize)),
    gzipped,
  };
}

/** b: with the dashboard open, stores a new sample of 20 hosts on screen, one at a time, and times the rows. */
async function storedChanges(session) {
  const context = await browser.newContext({ baseURL: url, viewport: VIEWPORT, storageState: session });
  await context.addInitScript(watchUsable, hosts + 1);
  const page = await context.newPage();
  // sorted by name: in the default order (failing first) rows move as incidents open and close, and a row pushed
  // off screen is no longer drawn
  await page.goto('/?sort=name&dir=asc');
  await page.waitForFunction(() => window.__usable, null, { timeout: 60_000 });
  await page.evaluate(watchRows);
  const ids = new Map((await (await api('GET', '/api/v1/hosts')).json()).map((h) => [h.name, h.id]));
  const measured = [];
  const done = new Set();
  const started = Date.now();
  while (measured.length < CHANGES && Date.now() - started < 180_000) {
    // A host whose scheduled poll showed 0.3–3 s ago: its next one is more than 5 s away, so the change seen
    // is the refresh's.
    const name = await page.evaluate((exclude) => {
      const now = Date.now();
      return window.__onScreen().find((n) => !exclude.includes(n) && now - (window.__lastChange.get(n) ?? 0) >= 300
        && now - (window.__lastChange.get(n) ?? 0) <= 3000) ?? null;
    }, [...done]);
    if (!name) {
      await page.waitForTimeout(100);
      continue;
    }
    done.add(name);
    const t0 = Date.now();
    const response = await api('POST', `/api/v1/hosts/${ids.get(name)}/refresh`);
    const call = Date.now() - t0;
    const answer = await response.text();
    if (!response.ok || JSON.parse(answer).outcome !== 'ok') throw new Error(`refreshing ${name}: ${response.status} ${answer}`);
    const seen = await page.waitForFunction(([n, since]) => (window.__changes.get(n) ?? []).find((t) => t >= since),
      [name, t0], { timeout: CHANGE_TIMEOUT_MS, polling: 20 }).then((h) => h.jsonValue(), () => null);
    measured.push({ name, t0, call, latency: seen === null ? null : seen - t0 });
  }
  // a change not seen in time: did it come later?
  await page.waitForTimeout(CHANGE_TIMEOUT_MS);
  for (const missed of measured.filter((m) => m.latency === null)) {
    const late = await page.evaluate(([n, since]) => (window.__changes.get(n) ?? []).find((t) => t >= since) ?? null,
      [missed.name, missed.t0]);
    missed.late = late === null ? null : late - missed.t0;
  }
  const events = await page.evaluate(() => window.__events);
  await context.close();
  return { measured, events, seconds: (Date.now() - started) / 1000 };
}

/**
 * Runs in the page: window.__changes maps a host's name to the times (Date.now()) its row's text changed,
 * window.__lastChange to the latest; window.__onScreen() names the hosts whose rows are fully on screen.
 */
function watchRows() {
  const grid = document.querySelector('[role="grid"][aria-label="Hosts"]');
  const texts = new Map();
  window.__changes = new Map();
  window.__lastChange = new Map();
  const nameOf = (row) => row.querySelector('.c-name a')?.textContent ?? null;
  const rows = () => [...grid.querySelectorAll('[role="row"][data-row]')];
  for (const row of rows()) texts.set(nameOf(row), row.textContent);
  new MutationObserver((records) => {
    const now = Date.now();
    const touched = new Set();
    for (const record of records) {
      const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
      const row = target?.closest('[role="row"][data-row]');
      if (row) touched.add(row);
      for (const added of record.addedNodes) {
        if (added.nodeType === Node.ELEMENT_NODE && added.matches('[role="row"][data-row]')) touched.add(added);
      }
    }
    for (const row of touched) {
      const name = nameOf(row);
      if (name === null) continue;
      const before = texts.get(name);
      texts.set(name, row.textContent);
      if (before === undefined || before === row.textContent) continue;
      window.__changes.set(name, [...(window.__changes.get(name) ?? []), now]);
      window.__lastChange.set(name, now);
    }
  }).observe(grid, { childList: true, subtree: true, characterData: true });
  window.__onScreen = () => {
    const view = grid.getBoundingClientRect();
    return rows().filter((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= view.top + 34 && box.bottom <= view.bottom; // below the sticky header row
    }).map(nameOf);
  };
}

function api(method, path) {
  return fetch(new URL(path, url), { method, headers: { Authorization: `Bearer ${apiToken}` } });
}

function report(loads, { measured: changes, events, seconds }, js) {
  const cold = loads.map((l) => l.cold);
  const warm = loads.map((l) => l.warm);
  const seen = changes.filter((c) => c.latency !== null).map((c) => c.latency);
  const refreshes = changes.map((c) => c.call);
  const loadMedian = median(cold.map((l) => l.usable));
  const changeP95 = seen.length ? percentile(seen, 0.95) : Infinity;
  const missed = changes.length - seen.length;
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const typical = cold.find((l) => l.usable === loadMedian);
  const calls = typical.resources
    .filter((r) => new URL(r.name).pathname.startsWith('/api/') && r.startTime < typical.usable)
    .sort((a, b) => a.startTime - b.startTime)
    .map((r) => `${new URL(r.name).pathname.slice(8)} ${Math.round(r.startTime)}→${ms(r.responseEnd)}`
      + ` (${kib(r.encodedBodySize)})`);
  const lastScript = (load) => Math.max(...load.resources.filter((r) => r.name.endsWith('.js')).map((r) => r.responseEnd));
  const rows = [
    [`first load → usable grid, cold cache (new context), ${runs} runs`,
      `${cold.map((l) => ms(l.usable)).join(', ')}: median **${ms(loadMedian)}**, max ${ms(max(cold.map((l) => l.usable)))}`
      + ` (target ≤ ${ms(LOAD_TARGET_MS)})`],
    [`same, warm cache (same context)`,
      `median ${ms(median(warm.map((l) => l.usable)))}, max ${ms(max(warm.map((l) => l.usable)))}`],
    ['cold, where the time goes (medians, from navigation start)',
      `HTML ${ms(median(cold.map((l) => l.html)))}; scripts loaded ${ms(median(cold.map(lastScript)))};`
      + ` DOMContentLoaded ${ms(median(cold.map((l) => l.domContentLoaded)))};`
      + ` API requested→answered (the median run): ${calls.join(', ')};`
      + ` grid in the DOM ${ms(median(cold.map((l) => l.dom)))}; its frame ${ms(loadMedian)}`],
    ['cold, main thread until usable (medians): tasks / script / style / layout; long tasks',
      ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration']
        .map((k) => ms(median(cold.map((l) => l.mainThread[k])))).join(' / ')
      + `; ${ms(median(cold.map((l) => l.longTasks)))}`],
    ['JavaScript transferred (Resource Timing: encodedBodySize of the scripts)',
      `${kib(js.encoded)} in ${js.files} file${js.files === 1 ? '' : 's'} (${kib(js.decoded)} unpacked; gzip of it ${kib(js.gzipped)})`],
    [`stored change → its row changed on the open page, ${changes.length} hosts on screen`,
      seen.length ? `median ${ms(median(seen))}, p95 **${ms(changeP95)}**, max ${ms(max(seen))}`
        + ` (target p95 ≤ ${ms(CHANGE_TARGET_MS)})` : 'none seen'],
    [`changes not seen within ${CHANGE_TIMEOUT_MS / 1000} s`, `${missed}${missed ? ': ' : ''}`
      + changes.filter((c) => c.latency === null)
        .map((c) => `${c.name} ${c.late === null ? 'never' : `after ${ms(c.late)}`}`).join(', ')],
    [`server events on the open page in those ${Math.round(seconds)} s`,
      Object.entries(events).sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t} ${n}`).join(', ')],
    ['POST /api/v1/hosts/{id}/refresh itself (poll and store)',
      `median ${ms(median(refreshes))}, p95 ${ms(percentile(refreshes, 0.95))}, max ${ms(max(refreshes))}`],
  ];
  const ok = loadMedian <= LOAD_TARGET_MS && changeP95 <= CHANGE_TARGET_MS && missed === 0;
  rows.push(['targets met', ok ? 'yes' : '**no**']);
  console.log(`\n| dashboard at ${hosts} hosts, Chromium on loopback, ${VIEWPORT.width}×${VIEWPORT.height} | |`);
  console.log('|---|---|');
  for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
  return !ok;
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function max(values) {
  return Math.max(...values);
}

function median(values) {
  return percentile(values, 0.5);
}

/** Nearest rank. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function ms(value) {
  return Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} ms` : 'n/a';
}

// Shared helpers for the browser end-to-end tests: a local static server, headless Debian
// Chromium through playwright-core, a recorder of every request a page makes, and helpers to
// load files into the app. Later tests (accessibility, benchmarks in the browser) reuse these.
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const distDir = join(repoRoot, "dist");
export const singleFile = join(distDir, "ipvi-analyzer.html");
export const fixturesDir = join(repoRoot, "tests", "fixtures");

/** Where a test's screenshot goes: `target/screenshots/` (a clean clone stays clean after the
 * tests), or `docs/` when `IPVI_SCREENSHOTS_TO_DOCS=1` (`bash scripts/screenshots.sh`). */
export function screenshotPath(name) {
  const dir = process.env.IPVI_SCREENSHOTS_TO_DOCS === "1" ? join(repoRoot, "docs") : join(repoRoot, "target", "screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
/**
 * A screenshot of the whole of `selector`, however long. The screen's content scrolls inside its
 * own pane, which paints only what is in the window, so a long element is captured with the
 * window made as tall as the element for the moment of the capture (else everything below the
 * first window is blank).
 */
export async function elementScreenshot(page, selector, path) {
  const before = page.viewportSize();
  const height = await page.locator(selector).evaluate((e) => Math.ceil(e.getBoundingClientRect().height + Math.max(0, e.getBoundingClientRect().top)));
  await page.setViewportSize({ width: before.width, height: Math.min(Math.max(height + 40, before.height), 16_000) });
  await page.locator(selector).screenshot({ path, caret: "initial" });
  await page.setViewportSize(before);
}
/**
 * Shared data live beside the clone (<clone>/../shared/data); a worktree deeper down finds them in
 * the nearest ancestor that has shared/data. IPVI_SHARED_DATA overrides.
 */
export const sharedDataDir = findSharedData();
function findSharedData() {
  if (process.env.IPVI_SHARED_DATA) return resolve(process.env.IPVI_SHARED_DATA);
  for (let dir = resolve(repoRoot, ".."); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "data");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return resolve(repoRoot, "..", "shared", "data");
  }
}
export const azDir = join(sharedDataDir, "nibrs", "AZ_2019");

/** Tallies from shared/data/nibrs/AZ_2019/README.md (and the brief's mixed-incident count). */
export const AZ_2019 = {
  intimate_partner: { pairs: 1832, incidents: 1719 },
  other_family: { pairs: 1653, incidents: 1335 },
  unknown: { pairs: 1259, incidents: 799 },
  nonFamilyPairs: 3636, // known_non_family + stranger
  mixedIncidents: 67,
  pairRows: 8380,
  incidentsWithPairs: 6043,
};

/** The CSV files of the AZ_2019 extract (absolute paths), sorted. */
export function azFiles() {
  if (!existsSync(azDir)) throw new Error(`the AZ_2019 extract is missing: expected it at ${azDir}`);
  return readdirSync(azDir)
    .filter((name) => name.toLowerCase().endsWith(".csv"))
    .sort()
    .map((name) => join(azDir, name));
}

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves `dir` on 127.0.0.1 at a free port. Returns { url, port, log, close }; `log` lists every
 * path requested. Options: `missing` — names answered with 404 (to test load failures).
 */
export async function serveDir(dir, { missing = [] } = {}) {
  const root = resolve(dir);
  const log = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    log.push(path);
    let file = normalize(join(root, path.endsWith("/") ? path + "index.html" : path));
    const name = file.slice(root.length + 1);
    if (!(file === root || file.startsWith(root + sep)) || missing.includes(name) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => server.listen(0, "127.0.0.1", ok).on("error", fail));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    log,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-default-apps",
  "--disable-extensions",
];

/**
 * Starts Debian's Chromium (CHROMIUM env var or /usr/bin/chromium) with a fresh profile.
 * Returns { browser, context, close }: the context is persistent in that fresh user-data-dir.
 */
export async function launch({ acceptDownloads = true } = {}) {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (apt-get install chromium)`);
  const userDataDir = mkdtempSync(join(tmpdir(), "ipvi-e2e-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads,
    viewport: { width: 1280, height: 900 },
  });
  // Belt and braces: nothing may reach the network from a test, whatever the page does.
  await context.route(
    (url) => !isLocal(url.href),
    (route) => route.abort("blockedbyclient"),
  );
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** URLs that stay on this machine: the local test server, file:, blob:, data:. */
export function isLocal(url) {
  return /^(blob:|data:|file:|about:|http:\/\/127\.0\.0\.1[:/])/.test(url);
}

/**
 * Records every request the page and its workers make, split at the page's load event.
 * `await afterLoad()` lists requests other than blob: and data: issued after load.
 *
 * Playwright's request events and the load event come from different parts of the browser, so a
 * request issued just before load (the wasm fetch of dist/) can be reported after it. Such a
 * request is excused only when the page's own Resource Timing, on the same clock as its load
 * event, shows that it started before load.
 */
export function recordRequests(context, page) {
  const entries = [];
  let loaded = false;
  const seen = new Set();
  const add = (source) => (request) => {
    if (seen.has(request)) return;
    seen.add(request);
    entries.push({ url: request.url(), method: request.method(), afterLoad: loaded, source, failure: null, request });
  };
  context.on("request", add("context"));
  page.on("request", add("page"));
  page.on("worker", (worker) => entries.push({ url: worker.url(), method: "WORKER", afterLoad: loaded, source: "worker" }));
  page.on("requestfailed", (request) => {
    const entry = entries.find((e) => e.request === request);
    if (entry) entry.failure = request.failure()?.errorText ?? "failed";
  });
  page.on("load", () => {
    loaded = true;
  });
  return {
    entries,
    get loaded() {
      return loaded;
    },
    /** Requests (not blob:, not data:, not worker starts) issued after the load event. */
    afterLoad: async () => {
      const late = entries.filter((e) => e.afterLoad && e.method !== "WORKER" && !/^(blob:|data:)/.test(e.url));
      if (late.length === 0) return [];
      const startedBeforeLoad = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        if (!nav || !nav.loadEventStart) return [];
        return performance
          .getEntriesByType("resource")
          .filter((r) => r.startTime < nav.loadEventStart)
          .map((r) => r.name);
      });
      // Per URL, the page's timeline may excuse as many late reports as it has early starts
      // beyond the requests already reported before load.
      const budget = new Map();
      for (const url of startedBeforeLoad) budget.set(url, (budget.get(url) ?? 0) + 1);
      for (const e of entries) if (!e.afterLoad && budget.has(e.url)) budget.set(e.url, budget.get(e.url) - 1);
      return late
        .filter((e) => {
          if ((budget.get(e.url) ?? 0) <= 0) return true;
          budget.set(e.url, budget.get(e.url) - 1);
          return false;
        })
        .map((e) => `${e.method} ${e.url}`);
    },
    /** Every request to something that is not on this machine. */
    external: () => entries.filter((e) => !isLocal(e.url)).map((e) => `${e.method} ${e.url} (${e.failure || "sent"})`),
  };
}

/**
 * Opens the app at `url` (http://127.0.0.1:… or file://…) in a new page, waits until the app has
 * started (html[data-ipvi-ready]) and returns { page, requests, errors }. `errors` collects
 * uncaught page errors and console errors.
 */
export async function openApp(context, url, { waitReady = true } = {}) {
  const page = await context.newPage();
  const requests = recordRequests(context, page);
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  if (waitReady) {
    await page.waitForSelector("html[data-ipvi-ready='true'], #fatal-error", { state: "attached", timeout: 60_000 });
    const fatal = await page.$("#fatal-error");
    if (fatal) throw new Error(`the app did not start: ${await fatal.innerText()}`);
  }
  return { page, requests, errors };
}

/** The two ways the app is delivered: dist/ over http, and the single file from file://. */
export async function appTargets() {
  if (!existsSync(join(distDir, "index.html")) || !existsSync(singleFile)) {
    throw new Error("dist/ is not built: run bash scripts/build.sh first");
  }
  const server = await serveDir(distDir);
  return {
    server,
    targets: [
      { name: "dist over http", url: server.url, mode: "dist" },
      { name: "single file from file://", url: pathToFileURL(singleFile).href, mode: "single" },
    ],
    close: () => server.close(),
  };
}

/** Sends a ping through a fresh worker from window.ipviSpawnWorker; resolves to its answer. */
export async function workerPing(page, id = 1) {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const worker = window.ipviSpawnWorker();
        const timer = setTimeout(() => reject(new Error("no answer from the worker in 30 s")), 30_000);
        worker.addEventListener("message", (event) => {
          if (event.data && event.data.ipviBootstrap === "pong") {
            clearTimeout(timer);
            worker.terminate();
            resolve(event.data);
          }
        });
        worker.postMessage({ ipviBootstrap: "ping", id });
      }),
    id,
  );
}

/** Chooses `paths` in input#file-input. */
export async function chooseFiles(page, paths) {
  // The file input is on the data screen.
  if ((await page.locator("input#file-input").count()) === 0) await show(page, "data");
  await page.setInputFiles("input#file-input", paths);
}

/**
 * Drops `paths` onto `selector` as the browser would: dragenter, dragover, drop, with a
 * DataTransfer holding the files (built in the page from a temporary file input).
 */
export async function dropFiles(page, selector, paths) {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "e2e-drop-source";
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles("#e2e-drop-source", paths);
  await page.evaluate((selector) => {
    const source = document.getElementById("e2e-drop-source");
    const target = document.querySelector(selector);
    if (!target) throw new Error(`nothing matches ${selector}`);
    const dataTransfer = new DataTransfer();
    for (const file of source.files) dataTransfer.items.add(file);
    source.remove();
    for (const type of ["dragenter", "dragover", "drop"]) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
    }
  }, selector);
}

/** "1,832" -> 1832 (digits only). */
export function toNumber(text) {
  const digits = String(text).replace(/[^0-9]/g, "");
  if (!digits) throw new Error(`not a number: ${JSON.stringify(text)}`);
  return Number(digits);
}

/**
 * Opens a screen of the app through its navigation link (`data`, `relationships`, `people`,
 * `lists`, `report`, `assessment`, `peers`, `notifications`, `evaluation`, `outreach`,
 * `workspace`) and waits for it.
 */
export async function show(page, screen) {
  await page.click(`#nav-${screen}`);
  await page.waitForFunction((s) => location.hash === `#${s}`, screen);
  if (screen !== "workspace") await page.waitForSelector(`#screen-${screen}`);
}

/**
 * Opens the relationships screen and waits until its class table is filled in; returns
 * { class: { pairs, incidents } }.
 */
export async function readClassTable(page, { timeout = 180_000 } = {}) {
  await page.evaluate(() => {
    if (location.hash !== "#relationships") location.hash = "#relationships";
  });
  await page.waitForFunction(
    () => {
      if (document.getElementById("fatal-error")) return true;
      const cell = document.querySelector('table#pairs-by-class tr[data-class="intimate_partner"] td.pairs');
      return cell && /\d/.test(cell.textContent);
    },
    null,
    { timeout, polling: 100 },
  );
  const fatal = await page.$("#fatal-error");
  if (fatal) throw new Error(`the app stopped: ${await fatal.innerText()}`);
  return page.$$eval("table#pairs-by-class tr[data-class]", (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        row.dataset.class,
        {
          pairs: row.querySelector("td.pairs")?.textContent ?? "",
          incidents: row.querySelector("td.incidents")?.textContent ?? "",
        },
      ]),
    ),
  ).then((raw) =>
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, { pairs: toNumber(v.pairs), incidents: toNumber(v.incidents) }]),
    ),
  );
}

/** Reads a downloaded file's text. */
export async function downloadText(page, buttonSelector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(buttonSelector)]);
  const path = await download.path();
  return { name: download.suggestedFilename(), url: download.url(), text: readFileSync(path, "utf8") };
}

/** Milliseconds since `start` (performance.now()). */
export const since = (start) => Math.round(performance.now() - start);

// Benchmarks in headless Chromium (run by `bash scripts/bench.sh --browser`, not by the tests):
// the AZ_2019 extract through the app (files chosen → totals shown), then the core's own
// benchmarks on fixed generated data inside the page's wasm (window.wasm_bindgen.ipvi_bench).
// Prints one line of JSON per benchmark. BENCH_LARGE=1 adds the 1,000,000-record runs;
// BENCH_INQUIRY=<populations> adds whole inquiries of those sizes;
// BENCH_ONLY=text,import runs only the named core benchmarks.
// BENCH_APP_INQUIRY=<export directories> runs the whole inquiry through the app instead: the
// export's CSV files chosen in the page, imported and analysed by the analysis worker, once with
// no helper workers (?helpers=0) and once with the default (one per processor), reporting the
// time to the summary, the worker's own timings and the longest main-thread task.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { launch, openApp, serveDir, distDir, azFiles, chooseFiles, readClassTable } from "./harness.mjs";

const { context, close } = await launch();
const server = await serveDir(distDir);
const results = [];

/** The whole inquiry on the export in `dir`, through the app's worker, with `query` added. */
async function appInquiry(dir, query) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".csv"))
    .map((f) => join(dir, f));
  const { page, errors } = await openApp(context, `${server.url}index.html${query}`);
  await page.evaluate(() => {
    window.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, e.duration);
    }).observe({ type: "longtask" });
  });
  const start = Date.now();
  await chooseFiles(page, files);
  const failed = page.locator(".error[role=alert]");
  await page.locator("#inquiry-summary").or(failed).first().waitFor({ timeout: 3_600_000 });
  const ms = Date.now() - start;
  const out = {
    bench: "app inquiry (files chosen → summary)",
    dir,
    query,
    ms,
    failed: (await failed.count()) ? await failed.first().innerText() : null,
    timings: (await page.locator("#inquiry-timings").count()) ? await page.locator("#inquiry-timings").innerText() : null,
    longest_task_ms: await page.evaluate(() => window.__longestTask),
    errors,
  };
  await page.close();
  return out;
}

try {
  for (const dir of (process.env.BENCH_APP_INQUIRY || "").split(",").filter(Boolean)) {
    for (const query of ["?helpers=0", ""]) {
      results.push(await appInquiry(dir, query));
      console.log(JSON.stringify(results.at(-1)));
    }
  }
  if (process.env.BENCH_APP_INQUIRY) {
    // Only the app's inquiries were asked for.
    await close();
    await server.close();
    process.exit(0);
  }
  const { page } = await openApp(context, `${server.url}index.html`);
  // BENCH_ONLY=text,import runs only those of the core's benchmarks (and not the app's AZ runs).
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : null;
  for (let run = 1; run <= (only ? 0 : 3); run++) {
    await page.reload({ waitUntil: "load" });
    await page.waitForSelector("html[data-ipvi-ready='true']", { state: "attached" });
    const start = Date.now();
    await chooseFiles(page, azFiles());
    await readClassTable(page);
    results.push({ bench: "nibrs AZ_2019 files → totals (app, worker)", run, ms: Date.now() - start });
    console.log(JSON.stringify(results.at(-1)));
  }
  const large = !!process.env.BENCH_LARGE;
  const cases = [
    ["synth", 100_000, 5],
    ["inquiry", 20_000, 3],
    ["link", 100_000, 0],
    // The same as `ipvi bench-text --count 20000 --seed 1` and `ipvi bench-import --population
    // 100000 --years 5 --seed 1` (scripts/bench.sh).
    ["text", 20_000, 0],
    ["import", 100_000, 5],
    ...(large ? [["link", 1_000_000, 0], ["inquiry", 100_000, 5]] : []),
    // BENCH_INQUIRY=1000000,4500000: the whole inquiry on jurisdictions of those populations.
    ...(process.env.BENCH_INQUIRY || "").split(",").filter(Boolean).map((n) => ["inquiry", Number(n), 5]),
  ];
  for (const [kind, n, years] of cases.filter(([kind]) => !only || only.includes(kind))) {
    // A fresh page for each, so wasm memory is that run's peak.
    const fresh = await openApp(context, `${server.url}index.html`);
    const out = await fresh.page.evaluate(
      ([kind, n, years]) => JSON.parse(window.wasm_bindgen.ipvi_bench(kind, n, years, 1n)),
      [kind, n, years],
    );
    results.push({ bench: kind, n, years, ...out });
    console.log(JSON.stringify(results.at(-1)));
    await fresh.page.close();
  }
} finally {
  await close();
  await server.close();
}

// Benchmarks in headless Chromium (run by `bash scripts/bench.sh --browser`, not by the tests):
// the AZ_2019 extract through the app (files chosen → totals shown), then the core's own
// benchmarks on fixed generated data inside the page's wasm (window.wasm_bindgen.ipvi_bench).
// Prints one line of JSON per benchmark. BENCH_LARGE=1 adds the 1,000,000-record runs;
// BENCH_INQUIRY=<populations> adds whole inquiries of those sizes;
// BENCH_ONLY=text,import runs only the named core benchmarks.
import { launch, openApp, serveDir, distDir, azFiles, chooseFiles, readClassTable } from "./harness.mjs";

const { context, close } = await launch();
const server = await serveDir(distDir);
const results = [];
try {
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

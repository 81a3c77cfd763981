// The page around the app: both outputs start, the worker starts from a blob: URL and runs the
// wasm, the error screen works, a wasm that cannot be loaded gives a clear error, and nothing is
// requested after load. Independent of what the app shows.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { distDir, launch, openApp, appTargets, serveDir, since, workerPing } from "./harness.mjs";

let browser;
let served;
before(async () => {
  browser = await launch();
  served = await appTargets();
});
after(async () => {
  await served?.close();
  await browser?.close();
});

for (const mode of ["dist", "single"]) {
  describe(`page bootstrap (${mode === "dist" ? "dist over http" : "single file from file://"})`, () => {
    test("starts, runs the worker from a blob: URL, requests nothing after load", async (t) => {
      const target = served.targets.find((x) => x.mode === mode);
      const start = performance.now();
      const { page, requests, errors } = await openApp(browser.context, target.url);
      t.diagnostic(`app ready in ${since(start)} ms`);
      assert.equal(await page.$("#fatal-error"), null);
      assert.ok((await page.$eval("#app", (el) => el.childElementCount)) > 0, "the app rendered nothing into #app");
      assert.equal(await page.evaluate(() => typeof window.ipviFatal), "function");

      const workerStart = performance.now();
      const pong = await workerPing(page, 7);
      t.diagnostic(`worker answered in ${since(workerStart)} ms`);
      assert.deepEqual(pong, { ipviBootstrap: "pong", id: 7, ready: true, failed: false });
      const workerUrls = requests.entries.filter((e) => e.source === "worker").map((e) => e.url);
      assert.ok(workerUrls.length > 0 && workerUrls.every((u) => u.startsWith("blob:")), `workers: ${workerUrls}`);

      if (mode === "single") {
        const files = requests.entries.filter((e) => e.method !== "WORKER" && !/^(blob:|data:)/.test(e.url));
        assert.deepEqual(files.map((e) => e.url), [target.url], "the single file must load nothing but itself");
      } else {
        const paths = [...new Set(served.server.log)].sort();
        assert.deepEqual(paths, ["/", "/bootstrap.js", "/ipvi_analyzer.js", "/ipvi_analyzer_bg.wasm", "/style.css"]);
      }
      await page.waitForTimeout(500); // anything scheduled late would show up here
      assert.deepEqual(await requests.afterLoad(), []);
      assert.deepEqual(requests.external(), []);
      assert.deepEqual(errors, []);

      if (mode === "dist") {
        // The recorder itself must be able to fail: a request made now is reported. (A fetch is
        // refused by the policy once the module is loaded, so the probe is a style sheet, which
        // style-src 'self' still allows.)
        await page.evaluate(
          () =>
            new Promise((resolve) => {
              const link = document.createElement("link");
              link.rel = "stylesheet";
              link.href = "style.css?probe";
              link.onload = link.onerror = resolve;
              document.head.append(link);
            }),
        );
        assert.deepEqual(await requests.afterLoad(), [`GET ${target.url}style.css?probe`]);
      }
      await page.close();
    });

    test("ipviFatal shows an error screen and keeps the page", async () => {
      const target = served.targets.find((x) => x.mode === mode);
      const { page, errors } = await openApp(browser.context, target.url);
      const before = await page.$eval("#app", (el) => el.innerHTML);
      await page.evaluate(() => window.ipviFatal("Test failure: row 12, column SEX_CODE"));
      const screen = page.locator("#fatal-error[role=alert]");
      await screen.waitFor();
      assert.match(await screen.innerText(), /Test failure: row 12, column SEX_CODE/);
      assert.equal(await page.locator("#fatal-error button", { hasText: "Reload" }).count(), 1);
      assert.equal(await page.$eval("#app", (el) => el.innerHTML), before, "the error screen must not wipe the app");
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}

test("a wasm that cannot be loaded shows the error screen, naming it", async () => {
  const server = await serveDir(distDir, { missing: ["ipvi_analyzer_bg.wasm"] });
  try {
    const { page } = await openApp(browser.context, server.url, { waitReady: false });
    const screen = page.locator("#fatal-error[role=alert]");
    await screen.waitFor({ timeout: 30_000 });
    assert.match(await screen.innerText(), /ipvi_analyzer_bg\.wasm \(HTTP 404\)/);
    await page.close();
  } finally {
    await server.close();
  }
});

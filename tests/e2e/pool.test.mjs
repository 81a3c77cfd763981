// The linkage's candidate pairs scored in helper workers (src/pool.rs): the analysis worker
// starts them itself, from the page served over http and from the single file opened from disk,
// and the inquiry's results are those of the analysis worker alone, to the byte. `?helpers=N`
// sets the number of helpers whatever the data's size (the default uses them on large data only).
// When the helpers die during the scoring, the analysis worker scores the pairs itself and the
// results are still the same. Records nobody can tell apart (no names, no dates of birth) start
// no helpers.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { appTargets, azFiles, chooseFiles, downloadText, launch, openApp, show, since } from "./harness.mjs";

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

const withHelpers = (url, n) => `${url}${url.includes("?") ? "&" : "?"}helpers=${n}`;

/** Loads the 20,000-person sample at `url`; returns what the analyst can take away from it. */
async function sampleResults(url, t, { before } = {}) {
  const { page, errors } = await openApp(browser.context, url);
  if (before) await before(page);
  await page.selectOption("#sample-population", "20000");
  const start = performance.now();
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  const timings = await page.locator("#inquiry-timings").innerText();
  t.diagnostic(`${url.replace(/^.*\//, "")}: ${since(start)} ms; ${timings}`);
  const summary = (await page.locator("#inquiry-summary").innerText()).replace(/Times:.*$/ms, "");
  const lists = await page.locator("#list-counts").innerText();
  await show(page, "people");
  const results = { summary, lists, offenders: (await downloadText(page, "#export-offenders-csv")).text };
  assert.deepEqual(errors, []);
  await page.close();
  return { timings, results };
}

test("helper workers score the candidate pairs, over http and from disk, with the results of one worker", async (t) => {
  const dist = served.targets.find((x) => x.mode === "dist").url;
  const single = served.targets.find((x) => x.mode === "single").url;
  const alone = await sampleResults(withHelpers(dist, 0), t);
  assert.doesNotMatch(alone.timings, /helper/);
  assert.match(alone.results.offenders, /^[^\n]*\n[^\n]+/, "the offender list is empty");
  for (const url of [withHelpers(dist, 2), withHelpers(single, 3)]) {
    const pooled = await sampleResults(url, t);
    const n = url.endsWith("3") ? 3 : 2;
    assert.match(pooled.timings, new RegExp(`candidate pairs scored in ${n} helper workers side by side`));
    assert.deepEqual(pooled.results, alone.results, `${url}: the results differ from one worker's`);
  }
});

/**
 * Makes the analysis worker's helpers crash: the `failing` ones (by order of start) are stopped
 * when their first batch of pairs is sent to them, as a helper that runs out of memory is (the
 * worker is gone, and an error event comes in its place). Installed in the analysis worker
 * before the run, so it does not depend on timing.
 */
async function crashHelpers(page, failing) {
  const worker = page.workers().find((w) => w.url().startsWith("blob:"));
  await worker.evaluate((failing) => {
    const spawn = self.ipviSpawnHelper;
    let started = 0;
    self.ipviSpawnHelper = function () {
      const helper = spawn();
      if (failing.includes(started++)) {
        const post = helper.postMessage.bind(helper);
        helper.postMessage = (msg, ...rest) => {
          if (msg && msg.ipviPool === "score") {
            helper.terminate();
            setTimeout(() => helper.dispatchEvent(new ErrorEvent("error", { message: "helper stopped by the test" })), 0);
            return;
          }
          post(msg, ...rest);
        };
      }
      return helper;
    };
  }, failing);
}

test("helpers that die during the scoring leave their work to the others, then to the analysis worker, with the same results", async (t) => {
  const dist = served.targets.find((x) => x.mode === "dist").url;
  const alone = await sampleResults(withHelpers(dist, 0), t);
  // One of two helpers dies: the other scores its batches.
  const one = await sampleResults(withHelpers(dist, 2), t, { before: (page) => crashHelpers(page, [0]) });
  assert.match(one.timings, /candidate pairs scored in 1 helper worker\)/);
  assert.deepEqual(one.results, alone.results);
  // Both die: the analysis worker scores the pairs itself, and says nothing of helpers.
  const none = await sampleResults(withHelpers(dist, 2), t, { before: (page) => crashHelpers(page, [0, 1]) });
  assert.doesNotMatch(none.timings, /helper/);
  assert.deepEqual(none.results, alone.results);
});

test("records nobody can tell apart start no helpers, even when asked for", async (t) => {
  // The FBI extract has no names and no dates of birth: the linkage has nothing to compare.
  const dist = served.targets.find((x) => x.mode === "dist").url;
  const { page, errors } = await openApp(browser.context, withHelpers(dist, 2));
  await chooseFiles(page, azFiles());
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  const timings = await page.locator("#inquiry-timings").innerText();
  t.diagnostic(timings);
  assert.match(timings, /analysis/);
  assert.doesNotMatch(timings, /helper/);
  const workers = page.workers().length;
  assert.equal(workers, 1, `${workers} workers: the analysis worker started helpers`);
  assert.deepEqual(errors, []);
  await page.close();
});

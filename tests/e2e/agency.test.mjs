// An agency export in the synthetic layout, chosen through the file picker, runs the whole
// inquiry in the worker (classify, link, score, lists), and shows the same pairs-by-class view as
// every other input (the one path).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, chooseFiles, fixturesDir, launch, openApp, since, show } from "./harness.mjs";

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

test("an agency export gives the offender list", async (t) => {
  const dir = join(fixturesDir, "agency_export");
  const files = readdirSync(dir)
    .filter((n) => n.endsWith(".csv"))
    .map((n) => join(dir, n));
  const target = served.targets.find((x) => x.mode === "single");
  const { page, requests, errors } = await openApp(browser.context, target.url);
  const start = performance.now();
  await chooseFiles(page, files);
  await page.locator("#inquiry-summary").waitFor({ timeout: 300_000 });
  t.diagnostic(`analysed in ${since(start)} ms`);
  assert.match(await page.locator("#inquiry-summary-title").innerText(), /incidents\.csv|files/);
  assert.match(await page.locator("#source-counts").innerText(), /decided by code \d/);
  assert.equal(await page.locator("#no-people").count(), 0, "people with names can be identified");
  await show(page, "relationships");
  // The same view of the pairs as for the FBI extract, from the inquiry's classes.
  const pairs = await page.$$eval("#pairs-by-class tr[data-class] td.pairs", (tds) =>
    tds.reduce((s, td) => s + Number(td.textContent.replace(/\D/g, "")), 0),
  );
  const total = Number((await page.locator("#pairs-total").innerText()).replace(/\D/g, ""));
  assert.ok(total > 0 && pairs === total, `pairs by class ${pairs} = all pairs ${total}`);
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();
  const ranks = await page.$$eval("#offender-list tbody tr", (rows) => rows.map((r) => Number(r.dataset.rank)));
  assert.ok(ranks.length > 0);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// The real AZ_2019 NIBRS extract through the built app, served (dist over http) and from disk
// (the single file over file://): choose or drop the 42 CSV files, which go through the one path
// (the generic import with the built-in NIBRS profile, then the inquiry), check the totals
// against the data README, check that the inquiry says people cannot be identified across
// incidents and makes no offender list, download the pairs as CSV, and check that no request
// left the page after load.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AZ_2019,
  appTargets,
  azFiles,
  chooseFiles,
  downloadText,
  dropFiles,
  launch,
  openApp,
  readClassTable,
  show,
  since,
  toNumber,
} from "./harness.mjs";

const PAIRS_HEADER = "incident_id,victim_id,offender_id,relationship_code,class";

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

/** The totals the app shows must be the README's tallies. */
async function assertTotals(page) {
  const byClass = await readClassTable(page);
  assert.deepEqual(byClass.intimate_partner, AZ_2019.intimate_partner, "intimate partner pairs/incidents");
  assert.deepEqual(byClass.other_family, AZ_2019.other_family, "other family pairs/incidents");
  assert.deepEqual(byClass.unknown, AZ_2019.unknown, "unknown pairs/incidents");
  assert.equal(byClass.known_non_family.pairs + byClass.stranger.pairs, AZ_2019.nonFamilyPairs, "non-family pairs");
  const allPairs = Object.values(byClass).reduce((sum, c) => sum + c.pairs, 0);
  assert.equal(allPairs, AZ_2019.pairRows, "every relationship row is in exactly one class");
  assert.equal(toNumber(await page.textContent("#mixed-incidents")), AZ_2019.mixedIncidents, "mixed incidents");
  const total = toNumber(await page.textContent("#incidents-total"));
  assert.ok(total >= AZ_2019.incidentsWithPairs, `#incidents-total ${total} < incidents with pairs`);
  assert.equal(toNumber(await page.textContent("#incidents-with-pairs")), AZ_2019.incidentsWithPairs);
  // The one path: the built-in profile read the files, and the inquiry ran on them.
  await show(page, "data");
  assert.match(await page.locator("#import-profile").innerText(), /NIBRS.*built-in/);
  // No names, dates of birth or person ids: no offender list of anonymous records.
  assert.match(await page.locator("#no-people").innerText(), /cannot be identified across incidents/);
  await show(page, "people");
  assert.match(await page.locator("#no-people-here").innerText(), /cannot be identified across incidents/);
  assert.equal(await page.locator("#offender-list").count(), 0, "no offender list of anonymous records");
  await show(page, "relationships");
}

for (const mode of ["dist", "single"]) {
  describe(`AZ_2019 in the ${mode === "dist" ? "served app (dist over http)" : "single file from file://"}`, () => {
    test("file picker: totals, CSV download, no request after load", async (t) => {
      const target = served.targets.find((x) => x.mode === mode);
      const { page, requests, errors } = await openApp(browser.context, target.url);
      const files = azFiles();
      assert.equal(files.length, 42);

      const start = performance.now();
      await chooseFiles(page, files);
      await readClassTable(page);
      t.diagnostic(`timing: ${mode}: 42 files chosen -> totals shown in ${since(start)} ms`);
      await assertTotals(page);

      const csv = await downloadText(page, "button#download-pairs");
      assert.equal(csv.name, "ipvi-pairs.csv");
      assert.match(csv.url, /^blob:/);
      const lines = csv.text.split(/\r?\n/).filter((line) => line !== "");
      assert.equal(lines[0], PAIRS_HEADER);
      assert.equal(lines.length, AZ_2019.pairRows + 1, "one line per relationship row, plus the header");
      const classes = new Set(lines.slice(1).map((line) => line.split(",").at(-1)));
      assert.deepEqual([...classes].sort(), ["intimate_partner", "known_non_family", "other_family", "stranger", "unknown"]);

      assert.deepEqual(await requests.afterLoad(), [], "requests after the load event");
      assert.deepEqual(requests.external(), [], "requests that left the machine");
      assert.deepEqual(errors, []);
      assert.equal(await page.$("#fatal-error"), null);
      await page.close();
    });

    test("drag and drop onto #drop-zone gives the same totals", async (t) => {
      const target = served.targets.find((x) => x.mode === mode);
      const { page, requests, errors } = await openApp(browser.context, target.url);
      const start = performance.now();
      await dropFiles(page, "#drop-zone", azFiles());
      await readClassTable(page);
      t.diagnostic(`timing: ${mode}: 42 files dropped -> totals shown in ${since(start)} ms`);
      await assertTotals(page);
      assert.deepEqual(await requests.afterLoad(), []);
      assert.deepEqual(requests.external(), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
}

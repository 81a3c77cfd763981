// Exports the project did not write the layout of: two layouts of the corpus (tests/fixtures/
// corpus, modelled on public agency exports, generated values) loaded in the built app with no
// profile. The mapping screen shows the proposal; imported as proposed, the classes shown equal
// the truth written beside each layout (expected.json): a flat records-management export in
// Windows-1252 with relationships as words and per-incident victim and suspect numbers (pairs
// by class), and LAPD's incident-level "Crime Data from 2020 to Present" (incidents by class,
// from its offence descriptions, and the report drawn from them). No request leaves the page.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { appTargets, chooseFiles, fixturesDir, launch, openApp, readClassTable, show, toNumber } from "./harness.mjs";

const corpus = (layout) => join(fixturesDir, "corpus", layout);
const expected = (layout) => JSON.parse(readFileSync(join(corpus(layout), "expected.json"), "utf8"));
const files = (layout) =>
  readdirSync(corpus(layout))
    .filter((f) => f !== "expected.json")
    .map((f) => join(corpus(layout), f));

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
const url = () => served.targets.find((x) => x.mode === "dist").url;

/** Load a layout with no profile: the mapping screen, then "Import with this mapping". */
async function loadAsProposed(page, layout) {
  await page.evaluate(() => localStorage.removeItem("ipvi.import-profiles"));
  await chooseFiles(page, files(layout));
  await page.locator("#mapping").waitFor({ timeout: 60_000 });
  await page.click("#mapping-confirm");
  await page.locator("#audit-incidents-by-class").waitFor({ timeout: 120_000 });
}

async function auditIncidents(page) {
  return Object.fromEntries(
    await page.$$eval("#audit-incidents-by-class tr[data-class]", (rows) =>
      rows.map((r) => [r.dataset.class, r.querySelector("td.incidents").textContent]),
    ),
  );
}

describe("corpus layouts with no profile (dist over http)", () => {
  test("a flat RMS export per pair, Windows-1252, relationship words, V1/S2 numbers: pairs by class", async (t) => {
    const layout = "rms_flat_pairs_1252";
    const want = expected(layout);
    const { page, requests, errors } = await openApp(browser.context, url());
    await loadAsProposed(page, layout);
    const shown = await readClassTable(page);
    for (const [cls, n] of Object.entries(want.pairs_by_class)) {
      assert.equal(shown[cls]?.pairs ?? 0, n, `${cls} pairs`);
    }
    await show(page, "data");
    const audit = await auditIncidents(page);
    assert.equal(toNumber(audit.intimate_partner), want.incidents_by_class.intimate_partner, "IPV incidents");
    t.diagnostic(`pairs by class as shown: ${JSON.stringify(shown)}`);
    assert.equal(await page.$("#fatal-error"), null);
    assert.deepEqual(await requests.afterLoad(), []);
    assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
    await page.close();
  });

  test("LAPD's incident-level export: incidents by class from offence descriptions, no offender lists", async (t) => {
    const layout = "lapd_crime_data";
    const want = expected(layout);
    const { page, requests, errors } = await openApp(browser.context, url());
    await loadAsProposed(page, layout);
    const audit = await auditIncidents(page);
    t.diagnostic(`incidents by class as shown: ${JSON.stringify(audit)}`);
    for (const cls of ["intimate_partner", "other_family", "domestic_unspecified"]) {
      assert.equal(toNumber(audit[cls] ?? "0"), want.incidents_by_class[cls], `${cls} incidents`);
    }
    const verdict = await page.locator("#audit-verdict").innerText();
    assert.match(verdict, /person records/i, "the audit says what needs person records");
    await page.locator("#no-people").waitFor({ timeout: 120_000 });
    // The report is drawn from the incidents: classes, and domestic incidents by place.
    await page.click("#nav-report");
    await page.waitForSelector("#report-body svg");
    const report = await page.innerText("#report-body");
    assert.match(report, /Incidents by class/);
    assert.match(report, /Domestic incidents by place/);
    assert.match(report, /What this data cannot show/);
    assert.equal(await page.$("#fatal-error"), null);
    assert.deepEqual(await requests.afterLoad(), []);
    assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
    await page.close();
  });
});

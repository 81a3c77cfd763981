// The report screen on the real AZ_2019 extract: it renders (SVG charts with a table beside each),
// says what NIBRS data cannot support, and the shareable report that is downloaded holds no record
// id from the input and no count between 1 and 10 in its tables. Screenshots go to docs/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, azDir, azFiles, chooseFiles, downloadText, launch, openApp, readClassTable, repoRoot } from "./harness.mjs";

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

/** Every INCIDENT_ID of the extract (the record ids the report must never hold). */
function incidentIds() {
  const lines = readFileSync(join(azDir, "NIBRS_incident.csv"), "utf8").split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.replace(/"/g, ""));
  const col = header.indexOf("INCIDENT_ID");
  return lines
    .slice(1)
    .map((l) => l.split(",")[col])
    .filter((v) => v && /^\d+$/.test(v.replace(/"/g, "")))
    .map((v) => v.replace(/"/g, ""));
}

/** Cells of the report's count tables (not the partners' hours and the assessment). */
async function countCells(page, html) {
  return page.evaluate((html) => {
    // Without its style element, which the page's CSP would refuse (and report) while parsing.
    const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/g, ""), "text/html");
    const skip = /Hours a week|Policies and operations|Projected notifications/;
    const cells = [];
    for (const table of doc.querySelectorAll("table")) {
      if (skip.test(table.querySelector("caption")?.textContent ?? "")) continue;
      for (const td of table.querySelectorAll("td")) cells.push(td.textContent.trim());
    }
    return cells;
  }, html);
}

test("AZ_2019: report renders, states what NIBRS cannot support, and the shareable download is safe", async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, errors } = await openApp(browser.context, target.url);
  await chooseFiles(page, azFiles());
  await readClassTable(page);

  await page.click("#nav-report");
  await page.waitForSelector("#report-body svg");
  const svgs = await page.$$eval("#report-body svg", (s) => s.length);
  const pairs = await page.$$eval("#report-body .pair", (ps) => ps.filter((p) => p.querySelector("svg") && p.querySelector("table")).length);
  assert.ok(svgs >= 2, `charts: ${svgs}`);
  assert.ok(pairs >= 2, `every chart with its table: ${pairs}`);
  const titled = await page.$$eval("#report-body svg", (s) => s.every((x) => x.querySelector("title") && x.querySelector("desc")));
  assert.ok(titled, "every chart has a title and a description");
  const text = await page.innerText("#report-body");
  assert.match(text, /What this data cannot show/);
  assert.match(text, /harm concentration/i);
  assert.match(text, /Shareable version/);
  assert.ok(await page.isChecked("#shareable"), "shareable is on by default");

  const report = await downloadText(page, "#download-report");
  assert.equal(report.name, "ipvi-report.html");
  assert.match(report.text, /<svg/);
  assert.doesNotMatch(report.text, /<script/i, "the downloaded report has no script");
  const ids = incidentIds();
  assert.ok(ids.length > 1000, `incident ids read: ${ids.length}`);
  const leaked = ids.filter((id) => id.length >= 6 && report.text.includes(id));
  assert.deepEqual(leaked.slice(0, 5), [], "no INCIDENT_ID in the shareable report");
  const cells = await countCells(page, report.text);
  assert.ok(cells.length > 20, `table cells: ${cells.length}`);
  const small = cells.filter((c) => /^\d[\d,]*$/.test(c) && Number(c.replace(/,/g, "")) >= 1 && Number(c.replace(/,/g, "")) <= 10);
  assert.deepEqual(small, [], "no count between 1 and 10 in the shareable report's tables");

  const metrics = await downloadText(page, "#download-metrics");
  assert.equal(metrics.name, "ipvi-site-metrics.json");
  const m = JSON.parse(metrics.text);
  assert.equal(m.format, "ipvi-site-metrics");
  assert.equal(m.suppression_threshold, 11);
  assert.ok(!ids.slice(0, 2000).some((id) => id.length >= 6 && metrics.text.includes(id)), "no INCIDENT_ID in the metrics");

  // Turning shareable off needs a confirmation; "Keep shareable" keeps it.
  await page.click("#shareable");
  await page.waitForSelector("#confirm-internal");
  assert.ok(await page.isChecked("#shareable"));
  await page.click("#confirm-internal-no");
  assert.ok(await page.isChecked("#shareable"));

  await page.evaluate(() => window.scrollTo(0, 0));
  // caret: "initial" stops Playwright from injecting a style element (the CSP refuses it).
  await page.locator("#report").screenshot({ path: join(repoRoot, "docs", "report-nibrs.png"), caret: "initial" });
  t.diagnostic("screenshot: docs/report-nibrs.png");
  // The print style sheet shows the report alone.
  await page.emulateMedia({ media: "print" });
  const navVisible = await page.$eval(".screens-nav", (n) => getComputedStyle(n).visibility);
  assert.equal(navVisible, "hidden");
  await page.emulateMedia({ media: "screen" });
  assert.deepEqual(errors, []);
  await page.close();
});

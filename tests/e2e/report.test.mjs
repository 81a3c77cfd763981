// The report screen on the real AZ_2019 extract and on the sample (synthetic) jurisdiction: it
// renders (SVG charts with a table beside each), says what the data cannot support, and the
// shareable report that is downloaded holds no name or record id from the data and no count
// between 1 and 10 in its tables; axe-core finds no serious violation on the synthetic report.
// Screenshots taken from the app go to docs/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, azDir, azFiles, chooseFiles, downloadText, launch, openApp, readClassTable, elementScreenshot, repoRoot, screenshotPath, show } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SAMPLE_POPULATION = process.env.IPVI_REPORT_POPULATION || "20000";

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
  assert.doesNotMatch(text, /Synthetic data/, "a real extract is not marked synthetic");
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
  await elementScreenshot(page, "#report", screenshotPath("report-app-nibrs.png"));
  t.diagnostic(`screenshot: ${screenshotPath("report-app-nibrs.png")}`);
  // The print style sheet shows the report alone.
  await page.emulateMedia({ media: "print" });
  const nav = await page.$eval("#side-nav", (n) => [getComputedStyle(n).visibility, getComputedStyle(n).display]);
  assert.ok(nav[0] === "hidden" || nav[1] === "none", `the navigation prints: ${nav}`);
  assert.ok(await page.locator("#report-body").isVisible(), "the report prints");
  await page.emulateMedia({ media: "screen" });
  assert.deepEqual(errors, []);
  await page.close();
});

/** One column of a CSV text (simple quoted CSV as the core writes it). */
function csvColumn(text, name) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  // Files made from the sample start with the synthetic-data note (one cell) above the headers.
  if (rows[0].length === 1 && /^Synthetic data/.test(rows[0][0])) rows.shift();
  const col = rows[0].indexOf(name);
  assert.ok(col >= 0, `column ${name} in ${rows[0].join(",")}`);
  return rows.slice(1).map((r) => r[col] ?? "");
}

test(`sample jurisdiction (${SAMPLE_POPULATION} people): the report renders from the inquiry, the shareable download holds no name or id`, async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, requests, errors } = await openApp(browser.context, target.url);
  await page.selectOption("#sample-population", SAMPLE_POPULATION);
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();

  // What identifies people in this data: offenders' ids and names, victims' ids and names,
  // incident ids (from the offender list, the outreach view and the advocates' export).
  const offenderCsv = await downloadText(page, "#export-offenders-csv");
  const personIds = csvColumn(offenderCsv.text, "person_id").filter(Boolean);
  const offenderNames = await page.$$eval("#offender-list tbody tr", (rows) => rows.map((r) => r.children[2].textContent.trim()));
  await show(page, "outreach");
  await page.locator("#victim-outreach").waitFor();
  const outreach = await page.$$eval("#outreach-table tbody tr", (rows) =>
    rows.map((r) => ({ victim: r.dataset.victim, name: r.querySelector(".victim-name").textContent, incidents: r.children[5].textContent })),
  );
  const advocates = await downloadText(page, "#export-advocates-csv");
  assert.equal(advocates.name, "victim-outreach-advocates-only.csv");
  const victimNames = csvColumn(advocates.text, "victim_name").filter((n) => n.length > 3);
  assert.match(advocates.text.split("\n")[0], /^"Synthetic data: these records were made up/, "the sample's export says it is synthetic");
  assert.equal(advocates.text.split("\n")[1], "victim_name,address,city,postcode,phone,ipv_incident_dates,offender_lists,offender_notification_dates");
  const incidentIds = [...new Set(outreach.flatMap((o) => o.incidents.split(", ")).filter((x) => x.length >= 6))];
  const names = [...new Set([...offenderNames, ...outreach.map((o) => o.name), ...victimNames].filter((n) => n.length > 3))];
  const ids = [...new Set([...personIds, ...outreach.map((o) => o.victim), ...incidentIds])];
  t.diagnostic(`${names.length} names, ${personIds.length} person ids, ${incidentIds.length} incident ids to look for`);
  assert.ok(names.length > 50 && personIds.length > 20 && incidentIds.length > 20);
  await show(page, "people");

  await page.click("#nav-report");
  await page.waitForSelector("#report-body svg");
  const svgs = await page.$$eval("#report-body svg", (s) => s.length);
  const pairs = await page.$$eval("#report-body .pair", (ps) => ps.filter((p) => p.querySelector("svg") && p.querySelector("table")).length);
  assert.ok(svgs >= 5, `charts: ${svgs}`);
  assert.ok(pairs >= 5, `every chart with its table: ${pairs}`);
  const text = await page.innerText("#report-body");
  assert.match(text, /% of IPV offenders account for/, "the harm concentration sentence");
  assert.match(text, /non-domestic/i, "versatility");
  assert.match(text, /repeat/i, "repeat victimisation");
  assert.match(text, /Projected notifications/, "workload from the lists");
  assert.match(text, /Policies and operations/, "the site assessment");
  assert.match(text, /Shareable version/);
  assert.ok(await page.isChecked("#shareable"), "shareable is on by default");
  // Made from the sample: the report says it is synthetic, on screen and in the download.
  assert.match(await page.innerText("#report-body h1"), /^Synthetic data — /);
  assert.match(await page.innerText("#report-body .synthetic"), /made up by the analyzer's generator/);
  // The legend of the monthly chart lists exactly the series drawn, below the plot.
  const legend = await page.$$eval("#report-body svg", (svgs) =>
    svgs.map((s) => ({
      drawn: [...s.querySelectorAll("g.series")].map((g) => g.dataset.series),
      legend: [...s.querySelectorAll("g.legend-entry")].map((g) => g.dataset.series),
    })),
  );
  for (const l of legend) assert.deepEqual(l.legend, l.drawn, "a legend entry for a series not drawn");
  // Both "usable" figures are explained.
  assert.match(text, /counts the code field alone/);

  const report = await downloadText(page, "#download-report");
  assert.doesNotMatch(report.text, /<script/i);
  assert.match(report.text, /<title>Synthetic data — IPV problem analysis/);
  const metrics = await downloadText(page, "#download-metrics");
  const m = JSON.parse(metrics.text);
  assert.equal(m.synthetic, true, "the metrics file says it is synthetic");
  assert.equal(m.suppression_threshold, 11);
  assert.ok(m.harm && m.lists, "harm and list flows in the metrics");
  const shown = await page.innerHTML("#report-body");
  for (const [what, body] of [["report", report.text], ["metrics", metrics.text], ["screen", shown]]) {
    const upper = body.toUpperCase();
    assert.deepEqual(names.filter((n) => upper.includes(n.toUpperCase())).slice(0, 5), [], `no name in the shareable ${what}`);
    assert.deepEqual(ids.filter((id) => body.includes(id)).slice(0, 5), [], `no record or person id in the shareable ${what}`);
  }
  const cells = await countCells(page, report.text);
  assert.ok(cells.length > 20, `table cells: ${cells.length}`);
  const small = cells.filter((c) => /^\d[\d,]*$/.test(c) && Number(c.replace(/,/g, "")) >= 1 && Number(c.replace(/,/g, "")) <= 10);
  assert.deepEqual(small, [], "no count between 1 and 10 in the shareable report's tables");

  // Accessibility of the report screen.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("#report"));
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(violations, []);

  await page.evaluate(() => window.scrollTo(0, 0));
  await elementScreenshot(page, "#report", screenshotPath("report-app-synthetic.png"));
  t.diagnostic(`screenshot: ${screenshotPath("report-app-synthetic.png")}`);
  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// The offender inquiry on the sample jurisdiction: "Load sample data" generates a fictional
// jurisdiction in the worker and analyses it; the offender list is ranked, filters by list, opens
// a person page; no victim name reaches the offender list, the person page or the notification
// worksheet; offenders.csv has its header; nothing is requested after the page is ready.
// IPVI_SAMPLE_POPULATION=100000 measures the larger sample instead (the default is 20,000).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { appTargets, downloadText, launch, openApp, screenshotPath, show, since } from "./harness.mjs";

const POPULATION = process.env.IPVI_SAMPLE_POPULATION || "20000";

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

const rowRanks = (page) =>
  page.$$eval("#offender-list tbody tr", (rows) => rows.map((r) => Number(r.dataset.rank)));

test(`sample data (${POPULATION} people): list, person page, outreach kept apart, export`, async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, requests, errors } = await openApp(browser.context, target.url);

  // Cancel works while the worker generates.
  await page.click("#load-sample");
  await page.locator("#progress").waitFor({ timeout: 30_000 });
  await page.click("#cancel");
  await page.waitForFunction(() => document.querySelector("#status")?.textContent === "Cancelled.");
  assert.equal(await page.locator("#offender-list").count(), 0);

  await page.selectOption("#sample-population", POPULATION);
  const start = performance.now();
  await page.click("#load-sample");
  await page.locator("#progress").waitFor({ timeout: 30_000 });
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  t.diagnostic(`generate + analyse ${POPULATION} people: ${since(start)} ms`);
  // The header says what is loaded, that it is synthetic, and that nothing leaves the device.
  assert.match(await page.locator("#loaded-data").innerText(), /sample jurisdiction.*as of \d{4}-\d\d-\d\d/s);
  assert.match(await page.locator("#synthetic-badge").innerText(), /synthetic/i);
  assert.match(await page.locator("#device-only").innerText(), /nothing leaves this device/i);
  t.diagnostic(await page.locator("#inquiry-timings").innerText());
  t.diagnostic(await page.locator("#list-counts").innerText());
  t.diagnostic(await page.locator("#source-counts").innerText());
  await show(page, "people");
  assert.equal(await page.title(), "People — IPVI Analyzer");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "screen-title", "focus is not on the new screen's heading");
  await page.locator("#offender-list tbody tr").first().waitFor();

  // The screens made from the sample say it is synthetic.
  assert.match(await page.locator("#offenders .synthetic-note").innerText(), /^Synthetic data/);

  // The score's eight components are shown and add up to the score shown.
  const sums = await page.$$eval("#offender-list tbody tr", (rows) =>
    rows.map((r) => ({
      score: Math.round(Number(r.querySelector("td.score").textContent) * 10),
      parts: [...r.querySelectorAll("td.component")].map((td) => Math.round(Number(td.textContent) * 10)),
    })),
  );
  assert.ok(sums.length > 0);
  for (const s of sums) {
    assert.equal(s.parts.length, 8, "every component of the score is a column");
    assert.equal(s.parts.reduce((a, b) => a + b, 0), s.score, `components ${s.parts} do not add up to ${s.score}`);
  }
  // Every derived column has help, on hover and from the keyboard.
  const helps = await page.$$eval("#offender-list thead .col-help-button", (bs) =>
    bs.map((b) => document.getElementById(b.getAttribute("aria-describedby"))?.textContent ?? ""),
  );
  assert.ok(helps.length >= 11, `column help buttons: ${helps.length}`);
  assert.ok(helps.every((h) => h.length > 20), "a help button without its text");
  const harmHelp = page.locator("#offender-list thead .col-help-button[aria-describedby=col-help-harm]");
  await page.mouse.move(0, 0);
  await harmHelp.focus();
  assert.ok(await page.locator("#col-help-harm").isVisible(), "the help shows on keyboard focus");
  assert.match(await page.locator("#col-help-harm").innerText(), /days of custody/);
  await page.keyboard.press("Escape");
  assert.ok(!(await page.locator("#col-help-harm").isVisible()), "Escape hides the help");
  await page.mouse.move(0, 0);
  await page.locator("#offender-list thead .col-help-button[aria-describedby=col-help-gravity]").hover();
  assert.ok(await page.locator("#col-help-gravity").isVisible(), "the help shows on hover");
  await page.screenshot({ path: screenshotPath("offender-list-help.png") });
  await page.mouse.move(0, 0);

  // Ranked, rank 1 first.
  const ranks = await rowRanks(page);
  assert.ok(ranks.length > 0, "the offender list is empty");
  assert.equal(ranks[0], 1);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "not sorted by rank");
  assert.equal(await page.getAttribute("#offender-list th[aria-sort=ascending] button", "data-key"), "rank");

  // The victims, from the advocates' view only.
  await show(page, "outreach");
  await page.locator("#victim-outreach").waitFor();
  assert.match(await page.locator("#victim-outreach h2").innerText(), /for advocates only/i);
  const outreach = await page.$$eval("#outreach-table tbody tr", (rows) =>
    rows.map((r) => ({ offender: r.dataset.offender, victim: r.dataset.victim, name: r.querySelector(".victim-name").textContent })),
  );
  assert.ok(outreach.length > 0, "no victims in the outreach view");
  // Back returns to the people screen.
  await page.goBack();
  await page.locator("#offender-list").waitFor();

  // Filter by list A.
  await page.selectOption("#list-filter", "A");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#offender-list tbody tr")].every((r) => r.dataset.list === "A"),
  );
  const aRanks = await rowRanks(page);
  assert.ok(aRanks.length > 0, "no offender on list A");
  assert.deepEqual(aRanks, [...aRanks].sort((a, b) => a - b));

  // The list never names a victim who is not also a listed offender shown on it.
  const listed = await page.$$eval("#offender-list tbody tr", (rows) => rows.map((r) => r.children[2].textContent));
  const listText = await page.locator("#offender-list").innerText();
  for (const v of outreach.filter((v) => v.name.length > 3 && !listed.includes(v.name))) {
    assert.ok(!listText.includes(v.name), "a victim's name is on the offender list");
  }

  // Open the first person by keyboard.
  const first = page.locator("#offender-list tbody tr button.open-person").first();
  const personId = (await first.innerText()).trim();
  await first.focus();
  await page.keyboard.press("Enter");
  await page.locator("#person-page").waitFor();
  assert.match(await page.locator("#person-title").innerText(), new RegExp(personId));
  // The person page has its own address and title, and focus is on its heading.
  assert.equal(await page.evaluate(() => location.hash), `#people/${personId}`);
  assert.equal(await page.title(), `Person ${personId} — IPVI Analyzer`);
  await page.waitForFunction(() => document.activeElement?.id === "person-title");
  assert.ok((await page.locator("#person-reasons li").count()) > 0, "no reasons on the person page");
  assert.ok((await page.locator("#person-timeline tbody tr").count()) > 0, "no timeline");
  // Offences are named, not only coded ("13B Simple assault").
  const offences = await page.$$eval("#person-timeline td.offences", (tds) => tds.map((td) => td.textContent).filter(Boolean));
  assert.ok(offences.length > 0 && offences.every((o) => /^\w{2,3} [A-Z][a-z]/.test(o)), `offences without names: ${offences.slice(0, 3)}`);
  await page.locator("#person-timeline").screenshot({ path: screenshotPath("person-page-offences.png") });
  await page.locator("#person-record-table tbody tr").first().waitFor({ timeout: 60_000 });
  // Printing the person page prints the worksheet, and only it.
  await page.emulateMedia({ media: "print" });
  assert.ok(await page.locator("#print-worksheet").isVisible(), "the worksheet prints");
  assert.ok(!(await page.locator("#person-timeline").isVisible()), "the page under the worksheet does not print");
  await page.emulateMedia({ media: "screen" });
  const worksheet = await page.$eval("#print-worksheet", (el) => el.innerHTML);
  assert.match(worksheet, /notification worksheet/i);
  assert.match(worksheet, new RegExp(personId));
  const ownNames = [await page.locator("#person-title").innerText()];
  let victims = outreach.filter((v) => v.offender === personId);
  t.diagnostic(`${victims.length} victims of ${personId} in the outreach view`);
  if (victims.length === 0) victims = outreach.slice(0, 20);
  const pageText = await page.locator("#person-page").innerText();
  for (const v of victims.filter((v) => v.name.length > 3 && !ownNames.some((n) => n.includes(v.name)))) {
    assert.ok(!pageText.includes(v.name), "a victim's name is on the person page");
    assert.ok(!worksheet.includes(v.name), "a victim's name is on the worksheet");
    assert.ok(!pageText.includes(v.victim) && !worksheet.includes(v.victim), "a victim's id is on the person page");
  }

  // Back to the list and export it.
  await page.click("#close-person");
  await page.locator("#offender-list").waitFor();
  // Focus goes back to the button that opened the person.
  await page.waitForFunction((id) => document.activeElement?.textContent === id, personId);
  // The browser's back button reopens the person page, forward returns to the list.
  await page.goBack();
  await page.locator("#person-page").waitFor();
  await page.goForward();
  await page.locator("#offender-list").waitFor();
  const csv = await downloadText(page, "#export-offenders-csv");
  assert.equal(csv.name, "offenders.csv");
  assert.match(csv.text.split("\n")[0], /^"Synthetic data: these records were made up/, "the sample's export says it is synthetic");
  assert.equal(csv.text.split("\n")[1], "person_id,list,score,harm,recency_days,frequency,victims,reasons");
  assert.ok(csv.text.trim().split("\n").length > 2);
  const xlsx = await downloadText(page, "#export-offenders-xlsx");
  assert.equal(xlsx.name, "offenders-internal.xlsx");
  assert.ok(xlsx.text.startsWith("PK"), "the XLSX export is not a zip");

  // Sorting by a column sets aria-sort on its header.
  await page.click("#offender-list button.sort[data-key=score]");
  assert.equal(await page.getAttribute("#offender-list th[aria-sort=descending] button", "data-key"), "score");
  const scores = await page.$$eval("#offender-list tbody tr", (rows) => rows.map((r) => Number(r.children[4].textContent)));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));

  // Fairness and review screens render.
  await show(page, "lists");
  assert.match(await page.locator("#race-note").innerText(), /Race is never an input to a score or a list/);
  // Race groups are named; no ratio for a group under 11 people, a caution instead.
  const fair = await page.$$eval("#fairness-table tbody tr", (rows) =>
    rows.map((r) => [...r.children].map((td) => td.textContent.trim())),
  );
  const races = fair.filter((r) => r[0] === "race").map((r) => r[1]);
  assert.ok(races.length > 0 && races.every((g) => g.length > 2), `race shown as codes: ${races}`);
  assert.ok(races.some((g) => /Black or African American|White|Asian/.test(g)), `${races}`);
  const small = fair.filter((r) => r[2] !== "all" && Number(r[3]) < 11 && r[5] !== "–");
  assert.ok(small.length > 0, "the sample should have small groups");
  for (const r of small) assert.match(r[5], /fewer than 11 people/, `a ratio for ${r[3]} people: ${r}`);
  await page.locator("#fairness").screenshot({ path: screenshotPath("fairness-small-groups.png") });
  await show(page, "people");
  await page.locator("#review-links").waitFor();
  // The linkage review speaks plainly: no "null", "else" or "log2".
  const linkText = await page.locator("#review-links").innerText();
  assert.doesNotMatch(linkText, /\bnull\b|\belse\b|log2|jaro|damerau/i);
  if ((await page.locator("#review-links table.fields").count()) > 0) {
    assert.match(linkText, /times likelier (one person|two people)|no evidence either way/);
  }
  if ((await page.locator("#review-links .link-pair").count()) > 0) {
    await page.locator("#review-links .link-pair").first().screenshot({ path: screenshotPath("review-links-words.png") });
  }
  await show(page, "relationships");
  await page.locator("#review-relationships").waitFor();

  // An analyst's class and a linkage decision are kept and applied on the next run; the header
  // says, on every screen, how many wait.
  await page.locator("#review-relationships-table select.set-class").first().selectOption("other_family");
  await page.locator("#header-unapplied").waitFor();
  await show(page, "people");
  await page.locator("#review-links").waitFor();
  if ((await page.locator("#review-links button.split-link").count()) > 0) {
    await page.locator("#review-links button.split-link").first().click();
    assert.match(await page.locator("#header-unapplied").innerText(), /^2 decisions/);
  }
  await show(page, "data");
  await page.locator("#unapplied").waitFor();
  await page.click("#rerun");
  await page.waitForFunction(
    () => /analyst 1;/.test(document.querySelector("#source-counts")?.textContent ?? ""),
    null,
    { timeout: 600_000 },
  );
  assert.equal(await page.locator("#unapplied").count(), 0);

  assert.deepEqual(await requests.afterLoad(), [], "a request left the page after it was ready");
  assert.deepEqual(requests.external(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// One month's cycle, from loading to the printed agenda: the sample jurisdiction with an
// intervention is loaded (its notifications join the list), the "This month" screen is reached
// from the navigation with the keyboard, its numbers agree with one another and with the CSV
// files it downloads (the sizes table's month end = the summary = the month-end people; the
// month's moves and the due notifications = their CSV rows), an earlier month can be picked,
// the due tables sort, axe finds nothing serious, and printing prints the agenda alone, with
// no victim name or id in it (victims' names and ids from the outreach screen and the
// advocates' export). Screenshots: target/screenshots/cycle-*.png.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { appTargets, downloadText, launch, openApp, screenshotPath, show, since } from "./harness.mjs";

const POPULATION = process.env.IPVI_CYCLE_POPULATION || "5000";
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

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

/** The rows of a CSV text after the synthetic-data note: [headers, ...rows] (no quoted commas needed here). */
function csvRows(text) {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const body = lines[0].startsWith('"Synthetic data') ? lines.slice(1) : lines;
  return body.map((l) => {
    const out = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (quoted) {
        if (c === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        out.push(cur);
        cur = "";
      } else cur += c;
    }
    out.push(cur);
    return out;
  });
}

const summaryNumbers = (s) => {
  const m = s.match(/Lists as of (\d{4}-\d{2}-\d{2}): A (\d+), B (\d+), C (\d+), D (\d+)\. This month (\d+) new on a list, (\d+) escalated; notifications (\d+) overdue, (\d+) due\./);
  assert.ok(m, s);
  const [asOf, a, b, c, d, fresh, escalated, overdue, due] = [m[1], ...m.slice(2).map(Number)];
  return { asOf, sizes: [a, b, c, d], fresh, escalated, overdue, due };
};

test(`one month's cycle on the sample with an intervention (${POPULATION} people), to the printed agenda`, async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, requests, errors } = await openApp(browser.context, target.url);
  // Ticking the intervention chooses its default size: the smaller sample is chosen after.
  await page.check("#sample-intervention");
  await page.locator("#sample-start").waitFor();
  await page.selectOption("#sample-population", POPULATION);
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });

  // Victims' names and ids, to look for in the agenda later.
  await show(page, "outreach");
  await page.locator("#victim-outreach").waitFor();
  const outreach = await page.$$eval("#outreach-table tbody tr", (rows) =>
    rows.map((r) => ({ victim: r.dataset.victim, name: r.querySelector(".victim-name").textContent.trim() })),
  );
  const advocates = await downloadText(page, "#export-advocates-csv");
  const victimNames = csvRows(advocates.text)
    .slice(1)
    .map((r) => r[0])
    .filter((n) => n.length > 3);
  const names = [...new Set([...outreach.map((o) => o.name), ...victimNames].filter((n) => n.length > 3))];
  const victimIds = [...new Set(outreach.map((o) => o.victim).filter(Boolean))];
  assert.ok(names.length > 20 && victimIds.length > 20, `${names.length} names, ${victimIds.length} ids`);

  // The month screen, from the navigation with the keyboard.
  await page.focus("#nav-month");
  const start = performance.now();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#month");
  await page.waitForFunction(() => document.activeElement?.id === "screen-title");
  await page.locator("#cycle-summary").waitFor({ timeout: 300_000 });
  t.diagnostic(`replay of every month end: ${since(start)} ms`);
  const summary = summaryNumbers(await page.innerText("#cycle-summary"));
  t.diagnostic(await page.innerText("#cycle-summary"));
  const month = summary.asOf.slice(0, 7);
  assert.equal(await page.inputValue("#cycle-month"), month, "the data's as-of month by default");
  assert.equal(await page.innerText("#cycle-title"), `The cycle of ${month}`);

  // The newest month end in the sizes table is the summary's.
  const sizes = await page.$$eval("#cycle-sizes tbody tr", (rows) =>
    rows.map((r) => ({ month: r.dataset.month, cells: [...r.querySelectorAll("td")].map((c) => Number(c.textContent)) })),
  );
  assert.equal(sizes[0].month, month);
  assert.deepEqual(sizes[0].cells.slice(0, 4), summary.sizes);
  assert.equal(sizes[0].cells[4], summary.sizes.reduce((x, y) => x + y, 0));
  const months = await page.$$eval("#cycle-month option", (o) => o.map((x) => x.value));
  assert.equal(months.length, sizes.length, "one month end per month that can be picked");
  assert.ok(sizes.length >= 24, `${sizes.length} months`);

  // The tables and the CSV files agree with the summary.
  const rowsOf = async (id) => (await page.locator(`table#${id}`).count()) ? page.locator(`table#${id} tbody tr`).count() : 0;
  assert.equal(await rowsOf("cycle-new"), summary.fresh);
  assert.equal(await rowsOf("cycle-escalated"), summary.escalated);
  assert.equal(await rowsOf("cycle-overdue"), summary.overdue);
  assert.equal(await rowsOf("cycle-due"), summary.due);
  assert.ok(summary.overdue + summary.due > 0, "someone is due for a notification");
  const thisMonth = csvRows((await downloadText(page, "#cycle-csv-this-month")).text);
  assert.deepEqual(thisMonth[0], ["month", "person_id", "change", "from", "list", "entered", "reasons"]);
  assert.equal(thisMonth.length - 1, summary.fresh + summary.escalated);
  const dueCsv = await downloadText(page, "#cycle-csv-due");
  assert.equal(dueCsv.name, `${month}-notifications_due.csv`);
  const due = csvRows(dueCsv.text);
  assert.equal(due.filter((r) => r[2] === "overdue").length, summary.overdue);
  assert.equal(due.filter((r) => r[2] === "due").length, summary.due);
  const people = csvRows((await downloadText(page, "#cycle-csv-people")).text).slice(1);
  const lastMonth = people.filter((r) => r[0] === month);
  for (const [k, list] of ["A", "B", "C", "D"].entries()) {
    assert.equal(lastMonth.filter((r) => r[2] === list).length, summary.sizes[k], `list ${list}`);
  }
  const listed = new Set(people.map((r) => r[1]));
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#cycle-xlsx")]);
  assert.equal(xlsx.suggestedFilename(), `${month}-cycle.xlsx`);

  // The overdue table sorts by another column from the keyboard.
  if (summary.overdue > 1) {
    await page.focus("#cycle-overdue th:nth-child(1) button.sort");
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute("#cycle-overdue th:nth-child(1)", "aria-sort"), "ascending");
    const ids = await page.$$eval("#cycle-overdue tbody tr td:first-child", (c) => c.map((x) => x.textContent));
    assert.deepEqual(ids, [...ids].sort());
  }

  // Accessibility of the month screen.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("#screen-month"));
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(violations, []);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath("cycle-month.png"), caret: "initial" });
  await page.$eval("#cycle-due-title", (e) => e.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: screenshotPath("cycle-month-due.png"), caret: "initial" });

  // An earlier month: its as-of date is the month's last day, with fewer month ends.
  // The picker lists the newest month first.
  assert.equal(months[0], month);
  const earlier = months[6];
  await page.selectOption("#cycle-month", earlier);
  await page.waitForFunction((m) => document.querySelector("#cycle-title")?.textContent === `The cycle of ${m}`, earlier, { timeout: 300_000 });
  const before = summaryNumbers(await page.innerText("#cycle-summary"));
  assert.ok(before.asOf.startsWith(earlier), before.asOf);
  assert.equal(await page.locator("#cycle-sizes tbody tr").count(), sizes.length - 6);
  const sameMonth = sizes.find((s) => s.month === earlier);
  assert.deepEqual(sameMonth.cells.slice(0, 4), before.sizes, "a month end is the same replayed from any later month");
  await page.selectOption("#cycle-month", month);
  await page.waitForFunction((m) => document.querySelector("#cycle-title")?.textContent === `The cycle of ${m}`, month, { timeout: 300_000 });

  // Print the agenda: it alone is visible, and it holds no victim name or id.
  await page.emulateMedia({ media: "print" });
  assert.ok(await page.locator("#print-agenda").isVisible(), "the agenda prints");
  assert.ok(!(await page.locator("#cycle-sizes").isVisible()), "the screen under the agenda does not print");
  assert.ok(!(await page.locator("#side-nav").isVisible()), "the navigation does not print");
  await page.screenshot({ path: screenshotPath("cycle-agenda-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  // Every text node apart, so that adjacent cells do not run together.
  const agenda = await page.$eval("#print-agenda", (el) => {
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (w.nextNode()) parts.push(w.currentNode.textContent);
    return parts.join(" ");
  });
  assert.match(agenda, new RegExp(`IPVI partnership meeting — ${month}`));
  assert.match(agenda, new RegExp(`Notifications overdue \\(${summary.overdue}\\)`));
  assert.match(agenda, new RegExp(`Notifications due \\(${summary.due}\\)`));
  assert.match(agenda, /Synthetic data/, "the sample's agenda says it is synthetic");
  const upper = agenda.toUpperCase();
  for (const n of names) assert.ok(!upper.includes(n.toUpperCase()), `victim name ${n} in the agenda`);
  const tokens = new Set(agenda.split(/[^A-Za-z0-9-]+/));
  for (const id of victimIds) {
    if (!listed.has(id)) assert.ok(!tokens.has(id), `victim id ${id} in the agenda`);
  }
  const personIds = [...tokens].filter((x) => /^P\d+$/.test(x));
  assert.ok(personIds.length > 0 && personIds.every((p) => listed.has(p)), "every person in the agenda is a listed offender");
  t.diagnostic(`${names.length} victim names and ${victimIds.length} victim ids absent from the agenda; ${personIds.length} offenders in it`);

  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
});

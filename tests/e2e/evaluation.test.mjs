// The evaluation screen on a sample jurisdiction generated with an intervention: the sample's
// notifications are loaded into the notification list and shown on the person page; #evaluation
// draws Kaplan–Meier curves (SVG) with 6- and 12-month rates by list and notification type, the
// comparison with offenders not yet notified and the interrupted time series of monthly IPV
// incidents, arrests and injuries, each stating its window, cohort and method; changing the
// outcome evaluates again; nothing is requested after load and no page error occurs. The
// Notifications screen shows the implementation measures with their definitions. A screenshot
// taken from the app goes to target/screenshots/. Then the sample with an intervention at its
// defaults (the size, start and effect the app offers) shows its effect: the rate ratio's
// interval lies below 1, beside the smallest effect the data could detect.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, launch, openApp, elementScreenshot, repoRoot, screenshotPath, since, show } from "./harness.mjs";

const POPULATION = process.env.IPVI_EVAL_POPULATION || "5000";
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

test(`sample with an intervention (${POPULATION} people): notifications loaded, evaluation rendered`, async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, requests, errors } = await openApp(browser.context, target.url);

  // Checking the intervention offers its own default size; a smaller one is chosen after.
  await page.check("#sample-intervention");
  await page.locator("#sample-start").waitFor();
  await page.selectOption("#sample-population", POPULATION);
  // A wrong effect is refused before anything runs.
  await page.fill("#sample-effect", "many");
  await page.click("#load-sample");
  await page.locator("#sample-problem").waitFor();
  assert.match(await page.innerText("#sample-problem"), /not an effect/);
  await page.fill("#sample-effect", "0.7");
  assert.equal(await page.inputValue("#sample-start"), "2020-01-01");
  const start = performance.now();
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();
  t.diagnostic(`generate + analyse ${POPULATION} people with an intervention: ${since(start)} ms`);

  // The sample's notifications are in the notification list, named by the run's person ids.
  await page.click("#nav-notifications");
  await page.locator("#notifications").waitFor();
  const caption = await page.innerText("#notifications caption");
  const recorded = Number(caption.replace(/[^\d]/g, ""));
  t.diagnostic(caption);
  assert.ok(recorded > 20, caption);
  const notified = await page.$$eval("#notifications tbody tr", (rows) => rows.map((r) => r.children[0].textContent.trim()));
  assert.ok(notified.every((p) => /^P\d+$/.test(p)), `person ids: ${notified.slice(0, 3)}`);

  // The implementation measures of the sample's records, each with its definition.
  await page.locator("#implementation #fidelity-coverage").waitFor();
  const impl = await page.innerText("#implementation");
  for (const title of [
    "Share of each list notified",
    "Days from the qualifying incident to notification",
    "Failed attempts",
    "Re-notification after escalation",
    "Advocates' contacts",
    "By month",
  ]) {
    assert.ok(impl.includes(title), `${title} missing`);
  }
  assert.match(impl, /the share with a delivered notification for that list or a higher one/);
  const cells = (sel) => page.$$eval(`${sel} tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
  const num = (s) => Number(s.replace(/,/g, ""));
  const all = (await cells("#fidelity-attempts")).find((r) => r[0] === "all");
  assert.ok(all && num(all[1]) > 0 && num(all[1]) <= recorded && num(all[2]) > 0, `attempts, failed: ${all}`);
  const days = (await cells("#fidelity-days"))[0];
  assert.ok(num(days[1]) > 0 && /^\d+$/.test(days[2]) && /^\d+$/.test(days[3]), `days: ${days}`);
  const contacts = (await cells("#fidelity-contacts"))[0];
  assert.ok(num(contacts[0]) > 0 && num(contacts[1]) <= num(contacts[0]), `contacts: ${contacts}`);
  assert.ok((await cells("#fidelity-monthly")).length >= 6, "months");
  assert.doesNotMatch(impl, /\bP\d{3,}/, "no person ids in the implementation section");
  await page.evaluate(AXE);
  const implViolations = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("#implementation"));
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(implViolations, []);
  // A viewport as tall as the section, so that the capture is not cut by the sticky header.
  const viewport = page.viewportSize();
  const box = await page.locator("#implementation").boundingBox();
  await page.setViewportSize({ width: viewport.width, height: Math.ceil(box.height) + 200 });
  await page.locator("#implementation").scrollIntoViewIfNeeded();
  await page.locator("#implementation").screenshot({ path: screenshotPath("implementation-app-synthetic.png"), caret: "initial" });
  await page.setViewportSize(viewport);
  t.diagnostic(`screenshot: ${screenshotPath("implementation-app-synthetic.png")}`);

  // The person page of a notified offender shows the notifications.
  await show(page, "people");
  const ranked = await page.$$eval("#offender-list tbody tr button.open-person", (b) => b.map((x) => x.textContent.trim()));
  const person = ranked.find((p) => notified.includes(p));
  assert.ok(person, "a notified person on the first page of the offender list");
  await page.click(`#offender-list tbody tr button.open-person >> text="${person}"`);
  await page.locator("#person-page").waitFor();
  await page.locator("table#person-notifications tbody tr").first().waitFor();
  const personNotes = await page.innerText("#person-notifications");
  assert.match(personNotes, /recorded/, "the recorded notifications of the person");
  assert.doesNotMatch(personNotes, /in the analysis/, "the ones in the analysis are the recorded ones, not listed twice");
  assert.match(await page.innerText("#person-timeline"), /notification/);
  await page.click("#close-person");

  // The evaluation runs when the screen opens.
  await page.click("#nav-evaluation");
  await page.locator("#evaluation-result").waitFor({ timeout: 120_000 });
  const summary = await page.innerText("#eval-summary");
  t.diagnostic(summary);
  assert.match(summary, /re-offending = a new IPV incident as offender/);
  assert.match(summary, /intervention starting 2020-01-0\d/);
  const km = await page.$$eval("#evaluation svg[aria-labelledby^='km-list']", (s) => s.map((x) => x.querySelectorAll("path").length));
  assert.ok(km.length === 1 && km[0] >= 2, `KM curves by list: ${km}`);
  assert.equal(await page.locator("#evaluation svg[aria-labelledby^='km-type']").count(), 1, "KM curves by type");
  const groups = await page.$$eval("#km-list-table tbody tr", (rows) => rows.map((r) => r.dataset.group));
  assert.ok(groups.includes("all") && groups.some((g) => g.startsWith("list ")), `groups: ${groups}`);
  const firstRow = await page.$$eval("#km-list-table tbody tr:first-child td", (tds) => tds.map((x) => x.textContent));
  assert.match(firstRow[0], /people/, "the cohort");
  assert.match(firstRow[1], /\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/, "the window");
  assert.match(firstRow[2], /%.*95% CI/, "the 6-month rate with its interval");
  assert.match(await page.innerText("#km-method"), /Method: Kaplan–Meier/);
  const comparison = await page.innerText("#comparison");
  assert.match(comparison, /Window: .*Cohort: .*Method: /s);
  const its = await page.$$eval("#its-result .its-series", (d) => d.map((x) => x.dataset.series));
  assert.deepEqual(its, ["IPV incidents", "IPV arrests", "IPV incidents with an injured victim"]);
  const itsText = await page.innerText("#its-result");
  assert.match(itsText, /Window: .*Cohort: .*Method: .*Poisson/s);
  assert.match(itsText, /95% CI/);
  assert.ok((await page.locator("#its-result svg").count()) >= 1, "the time series drawn");

  // Accessibility of the evaluation screen.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("#evaluation"));
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
  });
  assert.deepEqual(violations, []);

  await page.evaluate(() => window.scrollTo(0, 0));
  await elementScreenshot(page, "#evaluation", screenshotPath("evaluation-app-synthetic.png"));
  t.diagnostic(`screenshot: ${screenshotPath("evaluation-app-synthetic.png")}`);

  // Another outcome evaluates again.
  await page.selectOption("#eval-outcome", "arrest");
  await page.waitForFunction(() => /a new IPV arrest/.test(document.querySelector("#eval-summary")?.textContent ?? ""), null, {
    timeout: 120_000,
  });

  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the sample with an intervention at its defaults shows its effect with an interval below 1", async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, requests, errors } = await openApp(browser.context, target.url);

  await page.check("#sample-intervention");
  await page.locator("#sample-start").waitFor();
  const population = await page.inputValue("#sample-population");
  const effect = Number(await page.inputValue("#sample-effect"));
  t.diagnostic(`defaults: ${population} people, start ${await page.inputValue("#sample-start")}, effect ${effect}`);
  assert.equal(population, "400000", "checking the intervention offers the size at which its effect is found");
  const start = performance.now();
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 900_000 });
  t.diagnostic(`generate + analyse ${population} people with an intervention: ${since(start)} ms`);

  await page.click("#nav-evaluation");
  await page.locator("#evaluation-result").waitFor({ timeout: 300_000 });
  const ratio = await page.innerText("#rate-ratio");
  const power = await page.innerText("#minimum-detectable");
  t.diagnostic(ratio);
  t.diagnostic(power);
  const m = ratio.match(/: (\d+\.\d+) \(95% CI (\d+\.\d+) to (\d+\.\d+)\)/);
  assert.ok(m, `an estimate with its interval: ${ratio}`);
  const [value, lower, upper] = m.slice(1).map(Number);
  assert.ok(lower <= value && value <= upper, ratio);
  assert.ok(upper < 1, `the interval excludes 1: ${ratio}`);
  assert.ok(lower <= effect && effect <= upper, `the interval covers the true effect ${effect}: ${ratio}`);
  assert.match(ratio, /The interval excludes 1\./);
  assert.match(power, /smallest effect this comparison could detect on these data .*a rate ratio of 0\.\d\d/);

  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

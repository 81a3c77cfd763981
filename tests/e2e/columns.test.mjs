// The "Columns" control of the big tables, on the sample jurisdiction: from the keyboard a column
// is hidden (its header leaves the table, on screen and in print), Escape closes the control and
// gives focus back to its button, the choice holds when the screen is left and opened again, the
// export keeps every column, and the column comes back. The pairs table has the same control.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { appTargets, downloadText, launch, openApp, show } from "./harness.mjs";

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

/** Press `key` until the focused element matches `selector` (at most `limit` presses). */
async function pressTo(page, selector, { key = "Tab", limit = 60 } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} not reached with ${key} in ${limit} presses`);
}

/** The table's column headers: a sort button's label, a component's letter, or the text. */
const headers = (page, table) =>
  page.$$eval(`#${table} thead th`, (ths) =>
    ths.map((th) => (th.querySelector("button.sort")?.firstChild?.textContent ?? th.querySelector("abbr")?.textContent ?? th.textContent).trim()),
  );

test("hide and show a column from the keyboard; the choice holds, print follows, exports keep every column", async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, errors } = await openApp(browser.context, target.url);
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();
  const all = await headers(page, "offender-list");
  assert.ok(all.includes("Agencies") && all.includes("RFGV score"), all.join(", "));
  const cells = await page.locator("#offender-list tbody tr:first-child td").count();
  assert.equal(cells, all.length);

  // Open the control from the keyboard: the panel shows, and the note on exports is beside it.
  await page.focus("#screen-title");
  await pressTo(page, "#offender-list-columns-button");
  assert.equal(await page.getAttribute("#offender-list-columns-button", "aria-expanded"), "false");
  assert.ok(!(await page.locator("#offender-list-columns").isVisible()));
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute("#offender-list-columns-button", "aria-expanded"), "true");
  assert.ok(await page.locator("#offender-list-columns").isVisible());
  assert.match(await page.innerText("#offender-list-columns-note"), /Exports keep every column/);

  // Hide "Agencies" with Space.
  await pressTo(page, "#offender-list-col-agencies");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => ![...document.querySelectorAll("#offender-list thead th")].some((th) => th.textContent.trim() === "Agencies"));
  assert.equal(await page.locator("#offender-list tbody tr:first-child td").count(), cells - 1);
  assert.match(await page.innerText("#offender-list-columns-button"), new RegExp(`Columns \\(${all.length - 2} of ${all.length - 1} shown\\)`));

  // Escape closes the control and focus returns to its button.
  await page.keyboard.press("Escape");
  assert.ok(!(await page.locator("#offender-list-columns").isVisible()));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "offender-list-columns-button");

  // Another screen and back: the column stays hidden.
  await show(page, "lists");
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();
  assert.ok(!(await headers(page, "offender-list")).includes("Agencies"), "the choice holds for the session");

  // Print: the control is not printed, the hidden column neither.
  await page.emulateMedia({ media: "print" });
  assert.ok(!(await page.locator("#offender-list-columns-button").isVisible()), "the control does not print");
  assert.ok(!(await headers(page, "offender-list")).includes("Agencies"));
  await page.emulateMedia({ media: "screen" });

  // The export keeps every column: hide the score and export.
  await page.focus("#offender-list-columns-button");
  await page.keyboard.press("Enter");
  await pressTo(page, "#offender-list-col-score");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !document.querySelector("#offender-list th[aria-sort] button[data-key=score]"));
  const csv = await downloadText(page, "#export-offenders-csv");
  const head = csv.text.split(/\r?\n/).find((l) => l.includes("person_id")) ?? "";
  assert.match(head, /\bscore\b/, `the export keeps the hidden score column: ${head}`);
  t.diagnostic(`export header with score and agencies hidden: ${head}`);

  // Show both again from the keyboard.
  await page.focus("#offender-list-col-score");
  await page.keyboard.press("Space");
  await pressTo(page, "#offender-list-col-agencies");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => [...document.querySelectorAll("#offender-list thead th")].some((th) => th.textContent.trim() === "Agencies"));
  assert.deepEqual(await headers(page, "offender-list"), all);

  // The pairs table on the relationships screen has the same control.
  await show(page, "relationships");
  await page.locator("#pairs-table tbody tr").first().waitFor({ timeout: 120_000 });
  const pairs = await headers(page, "pairs-table");
  assert.ok(pairs.includes("Offences"), pairs.join(", "));
  await page.focus("#pairs-table-columns-button");
  await page.keyboard.press("Enter");
  await pressTo(page, "#pairs-table-col-offenses");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !document.querySelector("#pairs-table th[data-key=offenses]"));
  assert.equal(await page.locator("#pairs-table tbody tr:first-child td").count(), pairs.length - 1);
  await page.keyboard.press("Space");
  await page.waitForSelector("#pairs-table th[data-key=offenses]");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "pairs-table-columns-button");
  assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
});

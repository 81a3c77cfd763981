// Bad input: a CSV that is not NIBRS, a missing required file, a truncated file, a file that is
// not UTF-8 and an empty file. Each must give a clear message (role=alert) naming the file; the
// page must not crash; afterwards the good extract loads with the right totals, in the same page.
// And a worker that dies in the middle of an import (out of memory): the page names the files,
// keeps the analyst's results, mapping and notifications, and the next import runs on a new worker.
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AZ_2019, appTargets, azFiles, chooseFiles, fixturesDir, launch, openApp, readClassTable, show } from "./harness.mjs";

const bad = (folder, name) => join(fixturesDir, "bad", folder, name);
/** The AZ_2019 files with `replacement` standing in for the file of the same name. */
const azWith = (replacement) => azFiles().map((f) => (basename(f) === basename(replacement) ? replacement : f));

// `about`: what the message must speak of besides the file's name. `error`: the message is an
// error (.error[role=alert]); otherwise a warning anywhere on the page is enough (an alert, a
// status, or a row of the problem list), as for a file read after converting its encoding.
const CASES = [
  {
    what: "a CSV that is not NIBRS",
    file: "people.csv",
    about: /NIBRS/,
    error: true,
    files: () => [bad("not_nibrs", "people.csv")],
  },
  {
    what: "a truncated file",
    file: "NIBRS_OFFENDER.csv",
    about: /row 5\b/i,
    error: true,
    files: () => azWith(bad("truncated", "NIBRS_OFFENDER.csv")),
  },
  {
    what: "a file that is not UTF-8",
    file: "NIBRS_RELATIONSHIP.csv",
    about: /UTF-8|encod|Windows-1252|character/i,
    error: false,
    files: () => azWith(bad("not_utf8", "NIBRS_RELATIONSHIP.csv")),
  },
  {
    what: "an empty file",
    file: "NIBRS_OFFENSE.csv",
    about: /empty/i,
    error: true,
    files: () => azWith(bad("empty", "NIBRS_OFFENSE.csv")),
  },
  // Last before the good extract: without the relationship file there can be no pair totals, so
  // totals still on screen afterwards would be stale, and the good load below must replace them.
  {
    what: "a missing required file",
    file: "NIBRS_VICTIM_OFFENDER_REL.csv",
    about: /missing|required/i,
    error: true,
    files: () => azFiles().filter((f) => basename(f) !== "NIBRS_VICTIM_OFFENDER_REL.csv"),
    noTotals: true,
  },
];

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

/** Waits for a message naming `file` and matching `about` (an error, or any warning: see CASES). */
async function messageAbout(page, file, about, { error }) {
  const selector = error ? ".error[role=alert]" : "[role=alert], [role=status], tr, li, p";
  const message = page.locator(selector).filter({ hasText: file }).filter({ hasText: about }).first();
  try {
    await message.waitFor({ timeout: 60_000 });
  } catch (e) {
    const shown = await page.$$eval("[role=alert], [role=status]", (els) => els.map((el) => el.textContent.trim()));
    throw new Error(`no ${selector} naming ${file} and matching ${about}; messages shown: ${JSON.stringify(shown)}`);
  }
  return message.innerText();
}

describe("bad input (dist over http), one page for all cases", () => {
  let page;
  let errors;
  before(async () => {
    ({ page, errors } = await openApp(browser.context, served.targets[0].url));
  });
  after(async () => page?.close());

  for (const c of CASES) {
    test(`${c.what}: a clear message naming ${c.file}, no crash`, async (t) => {
      await chooseFiles(page, c.files());
      const text = await messageAbout(page, c.file, c.about, c);
      t.diagnostic(`message: ${text.replace(/\s+/g, " ").slice(0, 300)}`);
      assert.equal(await page.$("#fatal-error"), null, "no fatal error screen");
      assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), [], "no uncaught error");
      if (c.noTotals) {
        await page.evaluate(() => (location.hash = "#relationships"));
        await page.waitForSelector("#screen-relationships");
        const shown = await page.$$eval('table#pairs-by-class tr[data-class="intimate_partner"] td.pairs', (cells) =>
          cells.map((cell) => cell.textContent.trim()),
        );
        assert.ok(
          shown.every((text) => text.replace(/\D/g, "") !== String(AZ_2019.intimate_partner.pairs)),
          `results of an earlier load are still shown next to the error: ${shown}`,
        );
      }
    });
  }

  test("the same page then loads the good extract", async () => {
    await chooseFiles(page, azFiles());
    await page.evaluate(() => (location.hash = "#relationships"));
    await page.waitForFunction(
      (want) => {
        const cell = document.querySelector('table#pairs-by-class tr[data-class="intimate_partner"] td.pairs');
        return cell && cell.textContent.replace(/\D/g, "") === String(want);
      },
      AZ_2019.intimate_partner.pairs,
      { timeout: 180_000 },
    );
    const byClass = await readClassTable(page);
    assert.deepEqual(byClass.intimate_partner, AZ_2019.intimate_partner);
    assert.deepEqual(byClass.other_family, AZ_2019.other_family);
    assert.equal(await page.$("#fatal-error"), null);
    assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
  });
});

describe("a worker that runs out of memory in the middle of an import", () => {
  test("the page names the files, keeps the last results, the mapping and the notifications, and imports again", async () => {
    const { page, errors } = await openApp(browser.context, served.targets.find((x) => x.mode === "dist").url);
    const live = () => page.workers();
    // An agency export with its mapping confirmed: results, an import report and a saved profile.
    await chooseFiles(page, [join(fixturesDir, "generic", "kingsport_utf16.csv")]);
    await page.locator("#mapping").waitFor({ timeout: 60_000 });
    await page.selectOption('#mapping select[data-column="Born"]', "dob");
    const tie = page.locator('#mapping select[data-column="Tie"]');
    if ((await tie.inputValue()) !== "relationship_text") await tie.selectOption("relationship_text");
    await page.fill("#profile-name", "Kingsport for the crash");
    await page.press("#profile-name", "Tab");
    await page.click("#mapping-confirm");
    await page.locator("#import-report").waitFor({ timeout: 120_000 });
    await show(page, "relationships");
    await page.locator("#results").waitFor({ timeout: 120_000 });
    const resultsBefore = await page.innerText("table#pairs-by-class");
    await page.click("#nav-notifications");
    await page.fill("#notif-person", "P5-crash-marker");
    await page.fill("#notif-date", "2021-06-01");
    await page.selectOption("#notif-list", "C");
    await page.selectOption("#notif-type", "call-in");
    await page.fill("#notif-by", "Officer");
    await page.click("#notif-add");
    await page.waitForSelector("#notif-table tbody tr");

    // The worker's next job dies inside the core: the second clock reading of the job (after the
    // files are read, before they are imported) throws what V8 throws when memory runs out, and
    // nothing catches it. Set through DevTools: the app has no hook for this.
    const [doomed] = live();
    await doomed.evaluate(() => {
      const now = Date.now;
      let calls = 0;
      Date.now = () => {
        calls += 1;
        if (calls === 2) throw new RangeError("Array buffer allocation failed");
        return now();
      };
    });
    const closed = new Promise((resolve) => doomed.once("close", resolve));
    await chooseFiles(page, azFiles());
    const alert = page.locator(".error[role=alert]", { hasText: "ran out of memory" });
    await alert.waitFor({ timeout: 60_000 });
    const text = await alert.innerText();
    assert.match(text, /^The analysis of 42 files \(NIBRS_[^)]*\) stopped: the browser ran out of memory/);
    assert.match(text, /Array buffer allocation failed/);
    assert.match(text, /A new analysis worker was started; the results shown before it, the mapping, the notifications and the workspace are kept/);
    await closed;
    await page.waitForFunction(() => !document.querySelector("progress#progress"));
    assert.equal(live().length, 1, "one worker: the new one");
    assert.notEqual(live()[0], doomed);
    // The work is still on the page.
    await show(page, "relationships");
    assert.equal(await page.innerText("table#pairs-by-class"), resultsBefore, "the last results are still shown");
    await show(page, "data");
    assert.match(await page.innerText("#import-report"), /kingsport_utf16\.csv/);
    assert.match(await page.innerText("#profile-list"), /Kingsport for the crash/);
    await show(page, "notifications");
    assert.match(await page.innerText("#notif-table"), /P5-crash-marker/);
    assert.equal(await page.$("#fatal-error"), null, "no full-page error screen");

    // The new worker imports.
    await chooseFiles(page, azFiles());
    await page.evaluate(() => (location.hash = "#relationships"));
    await page.waitForFunction(
      (want) => {
        const cell = document.querySelector('table#pairs-by-class tr[data-class="intimate_partner"] td.pairs');
        return cell && cell.textContent.replace(/\D/g, "") === String(want);
      },
      AZ_2019.intimate_partner.pairs,
      { timeout: 180_000 },
    );
    await show(page, "notifications");
    assert.match(await page.innerText("#notif-table"), /P5-crash-marker/);
    assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
    await page.close();
  });
});

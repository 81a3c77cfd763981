// Bad input: a CSV that is not NIBRS, a missing required file, a truncated file, a file that is
// not UTF-8 and an empty file. Each must give a clear message (role=alert) naming the file; the
// page must not crash; afterwards the good extract loads with the right totals, in the same page.
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AZ_2019, appTargets, azFiles, chooseFiles, fixturesDir, launch, openApp, readClassTable } from "./harness.mjs";

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

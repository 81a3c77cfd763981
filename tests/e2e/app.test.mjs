// The app's own behaviour in the browser: a worker crash or an unreadable worker message is shown
// for its job and the worker is replaced; Cancel stops a job and the next one runs; the pairs
// table sorts, filters and pages; the folder input loads an extract; the import summary and the
// problems download as CSV. Served dist/ only (the single file runs the same code).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AZ_2019, appTargets, azDir, azFiles, chooseFiles, downloadText, launch, readClassTable, show, toNumber } from "./harness.mjs";

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

/** Opens the app with every worker it spawns kept in window.__workers, for the tests to poke. */
async function openWatched() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    window.__workers = [];
    let spawn;
    Object.defineProperty(window, "ipviSpawnWorker", {
      configurable: true,
      set(f) {
        spawn = f;
      },
      get() {
        return (
          spawn &&
          (() => {
            const worker = spawn();
            window.__workers.push(worker);
            return worker;
          })
        );
      },
    });
  });
  await page.goto(served.targets[0].url, { waitUntil: "load" });
  await page.waitForSelector("html[data-ipvi-ready='true']", { state: "attached", timeout: 60_000 });
  await page.waitForFunction(() => window.__workers.length === 1);
  return { page, errors };
}

const workers = (page) => page.evaluate(() => window.__workers.length);

describe("the analysis worker", () => {
  test("a crash during a job is shown for that job, the worker is replaced, and the page stays usable", async () => {
    const { page, errors } = await openWatched();
    // The moment the job starts, fire what the browser fires on a Worker whose wasm trapped.
    await page.evaluate(() => {
      const watch = new MutationObserver(() => {
        if (document.querySelector("progress#progress")) {
          watch.disconnect();
          window.__workers[0].dispatchEvent(new ErrorEvent("error", { message: "simulated crash", cancelable: true }));
        }
      });
      watch.observe(document.body, { childList: true, subtree: true });
    });
    await chooseFiles(page, azFiles());
    const alert = page.locator(".error[role=alert]", { hasText: "simulated crash" });
    await alert.waitFor();
    assert.match(await alert.innerText(), /42 files/);
    await page.waitForFunction(() => window.__workers.length === 2);
    assert.equal(await page.$("progress#progress"), null, "the job is over");
    await page.waitForTimeout(100); // the bootstrap decides about its error screen on the next tick
    assert.equal(await page.$("#fatal-error"), null, "no full-page error screen");

    // A message from a worker of another protocol version: refused, the worker replaced.
    await page.evaluate(() => window.__workers[1].postMessage({ json: '{"v":99,"msg":{}}' }));
    await page.locator(".error[role=alert]", { hasText: "different versions" }).waitFor();
    await page.waitForFunction(() => window.__workers.length === 3);

    await chooseFiles(page, azFiles());
    const byClass = await readClassTable(page);
    assert.deepEqual(byClass.intimate_partner, AZ_2019.intimate_partner);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("Cancel stops the job and replaces the worker; the next job runs", async () => {
    const { page, errors } = await openWatched();
    // Press Cancel the moment it appears (the whole job takes about a second).
    await page.evaluate(() => {
      const watch = new MutationObserver(() => {
        const cancel = document.querySelector("button#cancel");
        if (cancel) {
          watch.disconnect();
          cancel.click();
        }
      });
      watch.observe(document.body, { childList: true, subtree: true });
    });
    await chooseFiles(page, azFiles());
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Cancelled.");
    assert.equal(await page.$("progress#progress"), null);
    assert.equal(await page.$("#results"), null, "no result from the cancelled job");
    await page.waitForFunction(() => window.__workers.length === 2);
    // A result the old worker might still post must not appear.
    await page.waitForTimeout(1500);
    assert.equal(await page.$("#results"), null);

    await chooseFiles(page, azFiles());
    const byClass = await readClassTable(page);
    assert.deepEqual(byClass.other_family, AZ_2019.other_family);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("results", () => {
  let page;
  before(async () => {
    ({ page } = await openWatched());
    await page.setInputFiles("input#folder-input", azDir);
    await readClassTable(page);
  });
  after(async () => page?.close());

  test("the folder input loads the whole extract", async () => {
    assert.equal(toNumber(await page.textContent("#pairs-total")), AZ_2019.pairRows);
    assert.equal(toNumber(await page.textContent("#incidents-with-pairs")), AZ_2019.incidentsWithPairs);
    await show(page, "data");
    const rel = page.locator('#import-summary tr[data-file="NIBRS_VICTIM_OFFENDER_REL.csv"]');
    assert.equal(toNumber(await rel.locator("td.rows-read").innerText()), AZ_2019.pairRows);
    await show(page, "relationships");
    assert.equal(toNumber(await page.textContent("#incidents-with-pairs")), AZ_2019.incidentsWithPairs);
  });

  test("the pairs table sorts, filters and pages", async () => {
    const header = '#pairs-table th[data-key="incident_id"]';
    assert.equal(await page.getAttribute(header, "aria-sort"), "none");
    await page.click(`${header} button`);
    assert.equal(await page.getAttribute(header, "aria-sort"), "ascending");
    await page.click(`${header} button`);
    assert.equal(await page.getAttribute(header, "aria-sort"), "descending");
    const ids = await page.$$eval("#pairs-table tbody tr td:first-child", (cells) => cells.map((c) => Number(c.textContent)));
    assert.equal(ids.length, 50);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "descending incident ids");

    await page.selectOption("select#class-filter", "intimate_partner");
    const classes = await page.$$eval("#pairs-table tbody tr", (rows) => [...new Set(rows.map((r) => r.dataset.class))]);
    assert.deepEqual(classes, ["intimate_partner"]);
    assert.match(await page.textContent("#pairs-count"), /of 1,832 pairs/);

    await page.fill("input#pairs-filter", "13A");
    const filtered = toNumber((await page.textContent("#pairs-count")).match(/of ([\d,]+) pairs/)[1]);
    assert.ok(filtered > 0 && filtered < 1832, `${filtered} intimate-partner pairs with 13A`);
    const offences = await page.$$eval('#pairs-table tbody tr td:nth-child(8)', (cells) => cells.map((c) => c.textContent));
    assert.ok(offences.every((o) => o.includes("13A")), "every row shown has 13A");

    await page.fill("input#pairs-filter", "");
    await page.selectOption("select#class-filter", "");
    await page.click("#page-next");
    assert.match(await page.textContent("#page-status"), /^Page 2 of 168$/);
    await page.click("#page-last");
    assert.match(await page.textContent("#pairs-count"), /Showing 8,351–8,380 of 8,380 pairs/);
  });

  test("the import summary and the problems download as CSV", async () => {
    await show(page, "data");
    const summary = await downloadText(page, "button#download-summary");
    assert.equal(summary.name, "ipvi-import-summary.csv");
    assert.match(summary.url, /^blob:/);
    assert.match(summary.text, /^file,rows_read,rows_used,rows_rejected\n/);
    assert.match(summary.text, /\nNIBRS_VICTIM_OFFENDER_REL\.csv,8380,/);
    if (await page.isEnabled("button#download-import-problems")) {
      const problems = await downloadText(page, "button#download-import-problems");
      assert.equal(problems.name, "ipvi-import-problems.csv");
      assert.match(problems.text, /^severity,file,row,column,value,message\n/);
    }
  });
});

// Import profiles survive a reload: a profile saved on the mapping screen is kept in the
// browser's storage (it holds no data values, so no passphrase is needed), is still listed after
// the page is reloaded, and reads the same export again without the mapping screen. The
// built-in profiles are listed beside the saved ones and can be viewed, downloaded and copied to
// an editable saved profile. No request leaves the page after load. Fixtures:
// tests/fixtures/generic/.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, chooseFiles, downloadText, fixturesDir, launch, openApp, recordRequests } from "./harness.mjs";

const fx = (name) => join(fixturesDir, "generic", name);
const PERSONAL = ["HALVORSEN", "MARISOL", "QUILLAN", "02/11/1990", "KPD21-0001", "GIRLFRIEND"];
const KEY = "ipvi.import-profiles";

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

/**
 * Reloads the page once the requests so far were checked; returns the recorder of the reloaded
 * page (the reload's own load is not a request "after load").
 */
async function reload(page, requests) {
  assert.deepEqual(await requests.afterLoad(), [], "requests after load, before the reload");
  const next = recordRequests(browser.context, page);
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("html[data-ipvi-ready='true']", { state: "attached", timeout: 60_000 });
  return next;
}

test("a profile saved on the mapping screen survives a reload and skips the mapping screen", async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const opened = await openApp(browser.context, target.url);
  const { page, errors } = opened;
  let { requests } = opened;
  // A fresh start: nothing kept from another test in this browser.
  await page.evaluate((key) => localStorage.removeItem(key), KEY);
  requests = await reload(page, requests);
  assert.equal(await page.locator("#profile-list li[data-profile]").count(), 0);
  assert.match(await page.locator("#profiles-where").innerText(), /kept in this browser's storage on this computer/);
  assert.match(await page.locator("#profiles-where").innerText(), /no data values/);

  await chooseFiles(page, [fx("kingsport_utf16.csv")]);
  await page.locator("#mapping").waitFor({ timeout: 60_000 });
  await page.locator('#mapping select[data-column="Born"]').selectOption("dob");
  const tie = page.locator('#mapping select[data-column="Tie"]');
  if ((await tie.inputValue()) !== "relationship_text") await tie.selectOption("relationship_text");
  await page.fill("#profile-name", "Kingsport RMS");
  await page.press("#profile-name", "Tab");
  await page.click("#mapping-confirm");
  await page.locator("#import-report").waitFor({ timeout: 120_000 });
  assert.match(await page.locator("#import-profile").innerText(), /Kingsport RMS.*confirmed/);
  await page.locator('#profile-list li[data-profile="Kingsport RMS"]').waitFor();

  // Kept in the browser's storage, without any value from the data.
  const kept = await page.evaluate((key) => localStorage.getItem(key), KEY);
  assert.ok(kept, "the profile is in localStorage");
  assert.equal(JSON.parse(kept)[0].name, "Kingsport RMS");
  for (const value of PERSONAL) assert.ok(!kept.includes(value), `${value} is kept in the browser's storage`);

  // Reload: the profile is still listed and reads the same export without questions.
  requests = await reload(page, requests);
  await page.locator('#profile-list li[data-profile="Kingsport RMS"]').waitFor({ timeout: 10_000 });
  const start = performance.now();
  await chooseFiles(page, [fx("kingsport_utf16.csv")]);
  await page.locator("#import-report").waitFor({ timeout: 120_000 });
  t.diagnostic(`read again with the kept profile in ${Math.round(performance.now() - start)} ms`);
  assert.equal(await page.locator("#mapping").count(), 0, "no mapping screen after the reload");
  assert.match(await page.locator("#import-profile").innerText(), /Kingsport RMS.*saved profile/);

  // Removing it removes it from the browser's storage too.
  await page.click('#profile-list li[data-profile="Kingsport RMS"] button[aria-label^="Remove"]');
  await page.waitForFunction((key) => localStorage.getItem(key) === null, KEY);
  requests = await reload(page, requests);
  assert.equal(await page.locator("#profile-list li[data-profile]").count(), 0);

  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(requests.external(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the built-in profiles are listed, viewed, downloaded and copied to an editable saved profile", async () => {
  const target = served.targets.find((x) => x.mode === "single");
  const { page, requests, errors } = await openApp(browser.context, target.url);
  await page.evaluate((key) => localStorage.removeItem(key), KEY);
  const names = await page.$$eval("#builtin-profiles li[data-builtin]", (lis) => lis.map((li) => li.dataset.builtin));
  assert.ok(names.some((n) => /NIBRS/.test(n)), `a NIBRS layout among ${names}`);
  assert.ok(names.some((n) => /[Ss]ynthetic/.test(n)), `the synthetic export among ${names}`);
  const nibrs = page.locator("#builtin-profiles li[data-builtin]").filter({ hasText: "NIBRS" }).first();
  const name = await nibrs.getAttribute("data-builtin");

  await nibrs.locator("button.view-profile").click();
  const json = JSON.parse(await nibrs.locator("pre.profile-json").innerText());
  assert.equal(json.format, "ipvi-import-profile");
  assert.equal(json.name, name);
  const file = await downloadText(page, `#builtin-profiles li[data-builtin="${name}"] button.download-profile`);
  assert.equal(JSON.parse(file.text).name, name);

  await nibrs.locator("button.copy-profile").click();
  const copy = page.locator(`#profile-list li[data-profile="${name} (copy)"]`);
  await copy.waitFor({ timeout: 10_000 });
  // The copy is an ordinary saved profile: its code tables can be edited.
  await copy.locator("button", { hasText: "Code tables" }).click();
  const kept = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), KEY));
  assert.equal(kept[0].name, `${name} (copy)`);
  assert.equal(kept[0].tables.length, json.tables.length);

  await page.evaluate((key) => localStorage.removeItem(key), KEY);
  assert.deepEqual(await requests.afterLoad(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

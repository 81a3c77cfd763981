// The encrypted workspace end to end: set a passphrase (the work is saved in IndexedDB, AES-GCM),
// reload, a wrong passphrase (message, nothing lost), the right one (restored), export the file,
// import a truncated copy (message), import the good file (restored).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, azFiles, chooseFiles, launch, openApp, readClassTable } from "./harness.mjs";

const PASS = "correct horse battery staple";
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

const FILES = azFiles();

async function waitStatus(page, pattern) {
  await page.waitForFunction(
    (src) => {
      const re = new RegExp(src);
      const s = document.getElementById("workspace-status")?.textContent ?? "";
      const m = document.getElementById("workspace-message")?.textContent ?? "";
      return re.test(s) || re.test(m);
    },
    pattern.source,
    { timeout: 60_000 },
  );
}

test("workspace: save, reload, wrong and right passphrase, export, truncated and good import", async () => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  let { page, errors } = await openApp(browser.context, url);
  await chooseFiles(page, FILES);
  const before = await readClassTable(page);
  await page.click("#nav-report");
  await page.fill("#site-name", "Test site");
  await page.click("#nav-workspace");
  await page.waitForSelector("#workspace[data-phase='empty']");
  await page.fill("#workspace-passphrase", PASS);
  await page.fill("#workspace-passphrase2", PASS);
  await page.click("#workspace-create");
  await waitStatus(page, /Saved in this browser/);
  // A change after the first save is saved too.
  await page.click("#nav-notifications");
  await page.fill("#notif-person", "P42-round-trip-marker");
  await page.fill("#notif-date", "2019-06-01");
  await page.selectOption("#notif-list", "C");
  await page.selectOption("#notif-type", "call-in");
  await page.fill("#notif-by", "Officer");
  await page.click("#notif-add");
  await page.waitForSelector("#notif-table tbody tr");
  await page.click("#nav-workspace");
  await page.click("#workspace-save");
  await page.waitForTimeout(300);
  await waitStatus(page, /Saved in this browser/);
  assert.deepEqual(errors, []);
  await page.close();

  // Reload: locked until the passphrase is given.
  ({ page, errors } = await openApp(browser.context, url + "#workspace"));
  await page.waitForSelector("#workspace[data-phase='locked']");
  await page.fill("#workspace-passphrase", "not the passphrase");
  await page.click("#workspace-unlock");
  await page.waitForSelector("#workspace-message");
  assert.equal(await page.textContent("#workspace-message"), "The passphrase does not open this workspace. Nothing was changed.");
  assert.equal(await page.getAttribute("#workspace", "data-phase"), "locked");
  await page.fill("#workspace-passphrase", PASS);
  await page.click("#workspace-unlock");
  await waitStatus(page, /Workspace opened/);
  const restored = await readClassTable(page);
  assert.deepEqual(restored, before, "the files were restored and analysed again");
  await page.click("#nav-notifications");
  assert.match(await page.innerText("#notif-table"), /P42-round-trip-marker[\s\S]*2019-06-01[\s\S]*C[\s\S]*call-in/);
  await page.click("#nav-report");
  assert.equal(await page.inputValue("#site-name"), "Test site");

  // Export.
  await page.click("#nav-workspace");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-workspace")]);
  assert.equal(download.suggestedFilename(), "ipvi-workspace.ipviw");
  const exported = readFileSync(await download.path());
  assert.equal(exported.subarray(0, 6).toString("latin1"), "IPVIWS");
  assert.ok(!exported.includes(Buffer.from("P42-round-trip-marker")), "the export is encrypted");
  const dir = mkdtempSync(join(tmpdir(), "ipvi-ws-"));
  const good = join(dir, "ipvi-workspace.ipviw");
  const cut = join(dir, "truncated.ipviw");
  writeFileSync(good, exported);
  writeFileSync(cut, exported.subarray(0, Math.floor(exported.length / 2)));
  await page.close();

  // A fresh browser profile: import a truncated copy, then the good file.
  const other = await launch();
  try {
    ({ page, errors } = await openApp(other.context, url + "#workspace"));
    await page.waitForSelector("#workspace[data-phase='empty']");
    await page.fill("#workspace-passphrase", PASS);
    await page.setInputFiles("#import-workspace", cut);
    await page.waitForSelector("#workspace-message");
    assert.match(await page.textContent("#workspace-message"), /incomplete[\s\S]*Nothing was changed/);
    assert.equal(await page.getAttribute("#workspace", "data-phase"), "empty");
    await page.setInputFiles("#import-workspace", good);
    await waitStatus(page, /Imported/);
    assert.deepEqual(await readClassTable(page), before);
    await page.click("#nav-notifications");
    assert.match(await page.innerText("#notif-table"), /P42-round-trip-marker/);
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

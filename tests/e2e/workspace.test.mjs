// The encrypted workspace and the lock end to end: set a passphrase (the work is saved in
// IndexedDB, AES-GCM), reload, a wrong passphrase (message, nothing lost), the right one
// (restored, with its save count and time), export the file, import a truncated copy (message),
// import the good file (restored). The lock: by hand, with and without a workspace, and after the
// idle time (capped at 30 minutes, kept across reloads) clears the page and the worker and shows
// only the unlock form. A file made with other key-derivation parameters keeps them when saved
// again; an older copy is recognised; a damaged file says so. Passphrase boxes are emptied after
// every attempt and are not offered to password managers.
import assert from "node:assert/strict";
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, azFiles, chooseFiles, launch, openApp, readClassTable, screenshotPath } from "./harness.mjs";

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

/** Every passphrase box is outside any form and not offered to password managers. */
async function assertPassphraseBoxes(page) {
  const boxes = await page.$$eval("input[type=password]", (list) =>
    list.map((i) => ({ id: i.id, autocomplete: i.getAttribute("autocomplete"), inForm: !!i.closest("form") })),
  );
  assert.ok(boxes.length > 0);
  for (const b of boxes) {
    assert.ok(["off", "new-password"].includes(b.autocomplete), `${b.id}: autocomplete=${b.autocomplete}`);
    assert.equal(b.inForm, false, `${b.id} is inside a form that could be submitted and saved`);
  }
}

/** The passphrase boxes on the page are empty. */
async function assertEmptied(page, when) {
  const values = await page.$$eval("input[type=password]", (list) => list.map((i) => i.value));
  assert.ok(values.every((v) => v === ""), `a passphrase box still holds text ${when}`);
  await assertPassphraseBoxes(page);
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
  await assertPassphraseBoxes(page);
  await page.fill("#workspace-passphrase", PASS);
  await page.fill("#workspace-passphrase2", PASS);
  await page.click("#workspace-create");
  await waitStatus(page, /Saved in this browser/);
  await assertEmptied(page, "after create");
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
  assert.match(await page.textContent("#workspace-message"), /^Wrong passphrase or damaged file[\s\S]*Nothing was changed/);
  assert.equal(await page.getAttribute("#workspace", "data-phase"), "locked");
  await assertEmptied(page, "after a wrong passphrase");
  await page.fill("#workspace-passphrase", PASS);
  await page.press("#workspace-passphrase", "Enter"); // the keyboard opens it too
  await waitStatus(page, /Workspace opened/);
  await assertEmptied(page, "after unlocking");
  assert.match(
    await page.textContent("#workspace-status"),
    /^Workspace opened \(saved \d+ times, last on \d{4}-\d\d-\d\d \d\d:\d\d\): your work is restored\.$/,
  );
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
    await assertEmptied(page, "after a failed import");
    await page.fill("#workspace-passphrase", PASS);
    await page.setInputFiles("#import-workspace", good);
    await waitStatus(page, /Imported/);
    await assertEmptied(page, "after importing a workspace file");
    assert.deepEqual(await readClassTable(page), before);
    await page.click("#nav-notifications");
    assert.match(await page.innerText("#notif-table"), /P42-round-trip-marker/);
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
  }
});

/** Every worker the page has started, and whether it has ended. */
function watchWorkers(page) {
  const list = [];
  const add = (w) => {
    const entry = { worker: w, closed: false };
    w.on("close", () => (entry.closed = true));
    list.push(entry);
  };
  page.workers().forEach(add);
  page.on("worker", add);
  return list;
}

/** What the locked page still shows: every input and button, and its text. */
async function lockedPage(page) {
  return page.evaluate(() => ({
    inputs: [...document.querySelectorAll("input, select, textarea")].map((i) => i.id),
    buttons: [...document.querySelectorAll("button")].map((b) => b.id),
    text: document.body.innerText,
  }));
}

test("lock by hand: page and worker cleared, only the unlock form; the passphrase brings the work back", async () => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const b = await launch();
  try {
    const { page, errors } = await openApp(b.context, url + "#workspace");
    const workers = watchWorkers(page);
    await page.waitForSelector("#workspace[data-phase='empty']");
    await page.fill("#workspace-passphrase", PASS);
    await page.fill("#workspace-passphrase2", PASS);
    await page.click("#workspace-create");
    await waitStatus(page, /Workspace created|Saved in this browser/);
    await chooseFiles(page, FILES);
    const before = await readClassTable(page);
    await page.click("#nav-notifications");
    await page.fill("#notif-person", "P7-lock-marker");
    await page.fill("#notif-date", "2019-06-01");
    await page.selectOption("#notif-list", "C");
    await page.selectOption("#notif-type", "call-in");
    await page.fill("#notif-by", "Officer");
    await page.click("#notif-add");
    await page.waitForSelector("#notif-table tbody tr");
    await page.click("#nav-workspace");
    await page.click("#workspace-save");
    await waitStatus(page, /Saved in this browser/);
    // One analysis worker (the page's worker script); on data this size it may have started
    // helper workers of its own (src/pool.rs), which end with it.
    const analysis = workers[0].worker.url();
    assert.equal(workers.filter((w) => !w.closed && w.worker.url() === analysis).length, 1);
    const beforeLock = workers.slice();

    await page.click("#lock-now");
    await page.waitForSelector("#workspace[data-locked='true'][data-phase='locked']");
    const shown = await lockedPage(page);
    assert.deepEqual(shown.inputs, ["workspace-passphrase"], "only the unlock form");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "workspace-passphrase", "the keyboard starts there");
    assert.deepEqual(shown.buttons, ["workspace-unlock", "lock-leave"]);
    assert.match(shown.text, /every result and every loaded file was cleared from this page and from the analysis worker/);
    assert.ok(!shown.text.includes("P7-lock-marker"), "the notifications are gone from the page");
    assert.equal(await page.$("#results"), null);
    assert.equal(await page.$("table#pairs-by-class"), null);
    // The worker that held the data was ended, with any helpers it had started, and a fresh one
    // started.
    await waitFor(
      () => beforeLock.every((w) => w.closed) && workers.filter((w) => !w.closed).length === 1,
      "the old worker and its helpers end",
    );
    await page.screenshot({ path: screenshotPath("lock-screen.png"), fullPage: true });

    await page.fill("#workspace-passphrase", PASS);
    await page.click("#workspace-unlock");
    await waitStatus(page, /Workspace opened \(saved \d+ times/);
    await assertEmptied(page, "after unlocking the lock screen");
    assert.deepEqual(await readClassTable(page), before, "the files came back and were analysed again");
    await page.click("#nav-notifications");
    assert.match(await page.innerText("#notif-table"), /P7-lock-marker/);
    // The key opened on the lock screen keeps saving: the next change is one save more.
    const savesBefore = await storedSaves(page);
    await page.fill("#notif-person", "P8-after-unlock");
    await page.fill("#notif-date", "2019-07-01");
    await page.selectOption("#notif-list", "C");
    await page.selectOption("#notif-type", "call-in");
    await page.fill("#notif-by", "Officer");
    await page.click("#notif-add");
    let savesAfter = savesBefore;
    const end = Date.now() + 30_000;
    while (savesAfter <= savesBefore && Date.now() < end) {
      await page.waitForTimeout(200);
      savesAfter = await storedSaves(page);
    }
    assert.ok(savesAfter > savesBefore, `saved again after unlocking (${savesBefore} → ${savesAfter})`);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

/** The save counter of the workspace kept in the page's IndexedDB. */
async function storedSaves(page) {
  return page.evaluate(async () => new DataView((await window.ipviVault.get("workspace")).buffer).getUint32(41));
}

/** Polls `check` (in Node) until it is true. */
async function waitFor(check, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("lock with no workspace: everything loaded is cleared, the page says so, and starts again", async () => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const b = await launch();
  try {
    const { page, errors } = await openApp(b.context, url);
    const workers = watchWorkers(page);
    await chooseFiles(page, FILES);
    await readClassTable(page);
    await page.click("#lock-now");
    await page.waitForSelector("#workspace[data-locked='true'][data-phase='empty']");
    const shown = await lockedPage(page);
    assert.deepEqual(shown.inputs, [], "nothing to type into");
    assert.deepEqual(shown.buttons, ["lock-leave"]);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "lock-leave");
    assert.match(shown.text, /No workspace is saved in this browser, so nothing can be opened: load the files again/);
    assert.equal(await page.$("#results"), null);
    await waitFor(() => workers[0].closed && workers.filter((w) => !w.closed).length === 1, "the old worker ends");
    await page.screenshot({ path: screenshotPath("lock-screen-no-workspace.png"), fullPage: true });
    await page.click("#lock-leave");
    await page.waitForSelector("input#file-input");
    assert.equal(await page.$("#results"), null, "nothing came back");
    assert.equal(await page.$("#reanalyse"), null, "the files are forgotten");
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test("the idle time is capped at 30 minutes, kept across reloads, and locks the page when it runs out", async () => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.clock.install();
    await page.goto(url + "#workspace", { waitUntil: "load" });
    await page.waitForSelector("html[data-ipvi-ready='true']", { state: "attached" });
    assert.equal(await page.getAttribute("#workspace-timeout", "max"), "30");
    await page.fill("#workspace-timeout", "45");
    await page.dispatchEvent("#workspace-timeout", "change");
    assert.equal(await page.inputValue("#workspace-timeout"), "30");
    assert.match(await page.textContent("#workspace-status"), /locks after 30 minutes/);
    await page.fill("#workspace-timeout", "2");
    await page.dispatchEvent("#workspace-timeout", "change");
    await page.reload({ waitUntil: "load" });
    await page.waitForSelector("html[data-ipvi-ready='true']", { state: "attached" });
    assert.equal(await page.inputValue("#workspace-timeout"), "2", "kept across a reload");

    await chooseFiles(page, FILES);
    await readClassTable(page);
    await page.clock.fastForward("01:30");
    await page.waitForTimeout(300);
    assert.equal(await page.$("#workspace[data-locked='true']"), null, "not before the idle time");
    await page.clock.fastForward("01:00");
    await page.waitForSelector("#workspace[data-locked='true']");
    assert.equal(await page.$("#results"), null);
  } finally {
    await b.close();
  }
});

/** A workspace file made here, as another analyzer might: any iteration count, save count, time. */
function craftWorkspace({ pass, iterations, saves, savedAt, state }) {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const json = Buffer.from(JSON.stringify({ files: [], state }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  const plain = Buffer.concat([Buffer.from("IPVIWC", "latin1"), len, json]);
  const header = Buffer.alloc(61);
  header.write("IPVIWS", 0, "latin1");
  header.writeUInt16BE(2, 6);
  header.writeUInt8(1, 8);
  header.writeUInt32BE(iterations, 9);
  salt.copy(header, 13);
  iv.copy(header, 29);
  header.writeUInt32BE(saves, 41);
  header.writeBigUInt64BE(BigInt(savedAt), 45);
  header.writeBigUInt64BE(BigInt(plain.length + 16), 53);
  const key = pbkdf2Sync(pass, salt, iterations, 32, "sha256");
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { bytes: Buffer.concat([header, body]), salt };
}

function readHeader(buf) {
  return {
    version: buf.readUInt16BE(6),
    iterations: buf.readUInt32BE(9),
    salt: Buffer.from(buf.subarray(13, 29)),
    saves: buf.readUInt32BE(41),
    savedAt: Number(buf.readBigUInt64BE(45)),
  };
}

test("a file's key-derivation parameters survive a save; save count and time shown; older copies and damaged files named", async () => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const savedAt = Date.UTC(2026, 11, 6, 14, 2);
  const crafted = craftWorkspace({ pass: PASS, iterations: 700_000, saves: 5, savedAt, state: { work: { site: "Crafted site" } } });
  const dir = mkdtempSync(join(tmpdir(), "ipvi-ws-"));
  const file = join(dir, "other-analyzer.ipviw");
  writeFileSync(file, crafted.bytes);
  const damaged = Buffer.from(crafted.bytes);
  damaged[damaged.length - 20] ^= 0x01;
  const damagedFile = join(dir, "damaged.ipviw");
  writeFileSync(damagedFile, damaged);
  const b = await launch();
  try {
    let { page, errors } = await openApp(b.context, url + "#workspace");
    await page.waitForSelector("#workspace[data-phase='empty']");
    await page.fill("#workspace-passphrase", PASS);
    await page.setInputFiles("#import-workspace", file);
    await waitStatus(page, /Imported/);
    const when = await page.evaluate((ms) => {
      const d = new Date(ms);
      const p = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
    }, savedAt);
    assert.match(await page.textContent("#workspace-status"), new RegExp(`saved 5 times, last on ${when}`));
    assert.equal(await page.$("#workspace-warning"), null);

    // A change, saved: the header keeps the file's salt and 700,000 iterations, one save more.
    await page.click("#nav-notifications");
    await page.fill("#notif-person", "P9-resaved");
    await page.fill("#notif-date", "2019-06-01");
    await page.selectOption("#notif-list", "C");
    await page.selectOption("#notif-type", "call-in");
    await page.fill("#notif-by", "Officer");
    await page.click("#notif-add");
    await page.click("#nav-workspace");
    await page.click("#workspace-save");
    await waitStatus(page, /Saved in this browser/);
    const stored = Buffer.from(await page.evaluate(async () => Array.from(await window.ipviVault.get("workspace"))));
    const h = readHeader(stored);
    assert.equal(h.version, 2);
    assert.equal(h.iterations, 700_000, "the iteration count read from the file is written back");
    assert.ok(h.salt.equals(crafted.salt), "and so is the salt");
    assert.ok(h.saves >= 6, `saves ${h.saves}`);
    assert.ok(Math.abs(h.savedAt - Date.now()) < 10 * 60_000, "the save time is now");
    await page.close();

    // The saved copy opens again after a reload.
    ({ page, errors } = await openApp(b.context, url + "#workspace"));
    await page.waitForSelector("#workspace[data-phase='locked']");
    await page.fill("#workspace-passphrase", PASS);
    await page.click("#workspace-unlock");
    await waitStatus(page, new RegExp(`Workspace opened \\(saved ${h.saves} times, last on`));
    await page.click("#nav-notifications");
    assert.match(await page.innerText("#notif-table"), /P9-resaved/);
    await page.click("#nav-workspace");

    // The first copy again: older than the one this browser has opened, and said so.
    await page.fill("#workspace-passphrase", PASS);
    await page.setInputFiles("#import-workspace", file);
    await page.waitForSelector("#workspace-warning");
    // (Opening saved it once more: the newest this browser knows is at least h.saves.)
    const warning = await page.textContent("#workspace-warning");
    const m = /^other-analyzer\.ipviw is an older copy: it was saved 5 times, but this browser has already opened or saved a copy of this workspace saved (\d+) times\./.exec(warning);
    assert.ok(m && Number(m[1]) >= h.saves, warning);

    // One changed byte: the same words as a wrong passphrase.
    await page.fill("#workspace-passphrase", PASS);
    await page.setInputFiles("#import-workspace", damagedFile);
    await page.waitForFunction(() => /^Wrong passphrase or damaged file/.test(document.getElementById("workspace-message")?.textContent ?? ""));
    await assertEmptied(page, "after a damaged file");
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

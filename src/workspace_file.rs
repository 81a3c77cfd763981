//! The encrypted workspace file, without the cryptography: the versioned header (magic
//! `IPVIWS`, format version, key-derivation parameters, salt, IV, save counter and time,
//! ciphertext length) and the plaintext container (the saved state as JSON plus the loaded
//! files' original bytes).
//!
//! Layout of a file (all integers big-endian):
//! `"IPVIWS"` · version u16 · kdf u8 (1 = PBKDF2-SHA-256) · iterations u32 · salt 16 bytes ·
//! IV 12 bytes · (version 2:) saves u32 · saved at u64 (milliseconds since 1970, UTC) ·
//! ciphertext length u64 · ciphertext (AES-GCM-256, 16-byte tag at its end).
//! The header is the AES-GCM additional data, so a changed header — an edited save counter or
//! time included — fails authentication too. Version 1 files (no counter, no time) still open.
//!
//! The salt and the iteration count read from a file stay with its key: the next save writes
//! them back unchanged ([`Header::next`]), so a file made with other parameters keeps opening.
//! The same bytes are kept in IndexedDB and exported as `ipvi-workspace.ipviw`.
//!
//! Pure and tested natively; `storage` does the encryption with WebCrypto.

/// The file's first bytes.
pub const MAGIC: &[u8; 6] = b"IPVIWS";
/// The header version this analyzer writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 2;
/// PBKDF2 with HMAC-SHA-256.
pub const KDF_PBKDF2_SHA256: u8 = 1;
/// PBKDF2 iterations for new files (OWASP's 2023 figure for PBKDF2-HMAC-SHA-256).
pub const ITERATIONS: u32 = 600_000;
/// Files asking for fewer iterations than this were not made by this analyzer.
pub const MIN_ITERATIONS: u32 = 600_000;
/// Nor were files asking for more than this (it would hang the page).
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// Salt bytes.
pub const SALT_LEN: usize = 16;
/// AES-GCM IV bytes.
pub const IV_LEN: usize = 12;
/// AES-GCM tag bytes at the end of the ciphertext.
pub const TAG_LEN: usize = 16;
/// Header bytes of a version 1 file.
pub const HEADER_LEN_V1: usize = 6 + 2 + 1 + 4 + SALT_LEN + IV_LEN + 8;
/// Header bytes of a version 2 file (the one written now): version 1's plus the save counter
/// and the save time.
pub const HEADER_LEN: usize = HEADER_LEN_V1 + 4 + 8;

/// The header's length for a format version.
pub fn header_len(version: u16) -> usize {
    if version >= 2 {
        HEADER_LEN
    } else {
        HEADER_LEN_V1
    }
}
/// The plaintext container's first bytes.
pub const CONTAINER_MAGIC: &[u8; 6] = b"IPVIWC";

/// The message for a failed AES-GCM authentication: a wrong passphrase and a changed byte look
/// the same to the cipher, so the message names both.
pub const WRONG_PASSPHRASE: &str =
    "Wrong passphrase or damaged file: the workspace could not be opened. Check the passphrase, or use another copy. Nothing was changed.";

/// A workspace file's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub kdf: u8,
    pub iterations: u32,
    pub salt: [u8; SALT_LEN],
    pub iv: [u8; IV_LEN],
    /// How many times this workspace has been saved, this save included (0 in version 1).
    pub saves: u32,
    /// When it was saved, in milliseconds since 1970 (UTC); 0 when unknown (version 1).
    pub saved_at_ms: u64,
    pub ciphertext_len: u64,
}

/// Why a workspace file cannot be opened. Every message says that nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceFileError {
    #[error("{file} is not an IPVI workspace file (it does not start with IPVIWS). Choose a file exported with \"Export workspace\". Nothing was changed.")]
    NotWorkspace { file: String },
    #[error("{file} was saved by a newer version of the analyzer (workspace format {found}; this analyzer reads up to {FORMAT_VERSION}). Update the analyzer to open it. Nothing was changed.")]
    Newer { file: String, found: u16 },
    #[error("{file} is incomplete: it holds {have} bytes where {need} are needed (was it cut off while copying?). Use a complete copy. Nothing was changed.")]
    Truncated { file: String, have: u64, need: u64 },
    #[error("{file} is damaged ({detail}). Use another copy. Nothing was changed.")]
    Corrupt { file: String, detail: String },
}

/// What a save keeps from the file it continues: the key-derivation parameters (with the key)
/// and the number of saves so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyParams {
    pub salt: [u8; SALT_LEN],
    pub iterations: u32,
}

impl Header {
    /// A header for a new save at the current format: `saves` counts this save too.
    pub fn new(key: KeyParams, iv: [u8; IV_LEN], saves: u32, saved_at_ms: u64, plaintext_len: usize) -> Header {
        Header {
            version: FORMAT_VERSION,
            kdf: KDF_PBKDF2_SHA256,
            iterations: key.iterations,
            salt: key.salt,
            iv,
            saves,
            saved_at_ms,
            ciphertext_len: (plaintext_len + TAG_LEN) as u64,
        }
    }

    /// The key-derivation parameters this file was made with.
    pub fn key_params(&self) -> KeyParams {
        KeyParams {
            salt: self.salt,
            iterations: self.iterations,
        }
    }

    /// The header's bytes (also the AES-GCM additional data).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(header_len(self.version));
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&self.version.to_be_bytes());
        b.push(self.kdf);
        b.extend_from_slice(&self.iterations.to_be_bytes());
        b.extend_from_slice(&self.salt);
        b.extend_from_slice(&self.iv);
        if self.version >= 2 {
            b.extend_from_slice(&self.saves.to_be_bytes());
            b.extend_from_slice(&self.saved_at_ms.to_be_bytes());
        }
        b.extend_from_slice(&self.ciphertext_len.to_be_bytes());
        b
    }
}

/// "saved 3 times, last on 2026-12-06 14:02" (`when` is the save time as the page shows it);
/// "saved before save counting" for a version 1 file.
pub fn saves_text(saves: u32, when: Option<&str>) -> String {
    match (saves, when) {
        (0, _) => "saved before this analyzer counted saves".to_string(),
        (1, Some(w)) => format!("saved once, on {w}"),
        (1, None) => "saved once".to_string(),
        (n, Some(w)) => format!("saved {n} times, last on {w}"),
        (n, None) => format!("saved {n} times"),
    }
}

/// The warning when a copy is older than the newest copy of the same workspace this browser
/// has opened or saved (`seen` saves), or `None`.
pub fn older_copy_warning(file: &str, saves: u32, seen: Option<u32>) -> Option<String> {
    let seen = seen?;
    (saves < seen).then(|| {
        format!(
            "{file} is an older copy: it was saved {saves} times, but this browser has already opened or saved \
             a copy of this workspace saved {seen} times. Work saved after this copy is not in it. If you \
             keep working in it, the newer copy will be replaced."
        )
    })
}

/// The name under which this browser remembers a workspace's newest save (from its salt, which
/// never changes for a workspace; not secret).
pub fn workspace_id(salt: &[u8; SALT_LEN]) -> String {
    salt.iter().map(|b| format!("{b:02x}")).collect()
}

/// Header followed by the ciphertext.
pub fn assemble(header: &Header, ciphertext: &[u8]) -> Vec<u8> {
    let mut b = header.to_bytes();
    b.extend_from_slice(ciphertext);
    b
}

fn take<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[at..at + N]);
    out
}

/// Read and check a file's header; returns it with the ciphertext.
pub fn parse<'a>(file: &str, bytes: &'a [u8]) -> Result<(Header, &'a [u8]), WorkspaceFileError> {
    let file = file.to_string();
    if bytes.len() < MAGIC.len() {
        if MAGIC.starts_with(bytes) && !bytes.is_empty() {
            return Err(WorkspaceFileError::Truncated {
                file,
                have: bytes.len() as u64,
                need: HEADER_LEN as u64,
            });
        }
        return Err(WorkspaceFileError::NotWorkspace { file });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(WorkspaceFileError::NotWorkspace { file });
    }
    if bytes.len() >= 8 {
        let version = u16::from_be_bytes(take::<2>(bytes, 6));
        if version > FORMAT_VERSION {
            return Err(WorkspaceFileError::Newer { file, found: version });
        }
        if version == 0 {
            return Err(WorkspaceFileError::Corrupt {
                file,
                detail: "format version 0".into(),
            });
        }
    }
    // Until the version is known, the current format's length is what is missing.
    let len = if bytes.len() >= 8 {
        header_len(u16::from_be_bytes(take::<2>(bytes, 6)))
    } else {
        HEADER_LEN
    };
    if bytes.len() < len {
        return Err(WorkspaceFileError::Truncated {
            file,
            have: bytes.len() as u64,
            need: len as u64,
        });
    }
    let version = u16::from_be_bytes(take::<2>(bytes, 6));
    let at = 13 + SALT_LEN + IV_LEN;
    let (saves, saved_at_ms, len_at) = if version >= 2 {
        (
            u32::from_be_bytes(take::<4>(bytes, at)),
            u64::from_be_bytes(take::<8>(bytes, at + 4)),
            at + 12,
        )
    } else {
        (0, 0, at)
    };
    let header = Header {
        version,
        kdf: bytes[8],
        iterations: u32::from_be_bytes(take::<4>(bytes, 9)),
        salt: take::<SALT_LEN>(bytes, 13),
        iv: take::<IV_LEN>(bytes, 13 + SALT_LEN),
        saves,
        saved_at_ms,
        ciphertext_len: u64::from_be_bytes(take::<8>(bytes, len_at)),
    };
    if header.kdf != KDF_PBKDF2_SHA256 {
        return Err(WorkspaceFileError::Corrupt {
            file,
            detail: format!("unknown key derivation {}", header.kdf),
        });
    }
    if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&header.iterations) {
        return Err(WorkspaceFileError::Corrupt {
            file,
            detail: format!("key derivation with {} iterations", header.iterations),
        });
    }
    if header.ciphertext_len < TAG_LEN as u64 {
        return Err(WorkspaceFileError::Corrupt {
            file,
            detail: format!("ciphertext length {}", header.ciphertext_len),
        });
    }
    let body = &bytes[len..];
    let need = len as u64 + header.ciphertext_len;
    if (body.len() as u64) < header.ciphertext_len {
        return Err(WorkspaceFileError::Truncated {
            file,
            have: bytes.len() as u64,
            need,
        });
    }
    if (body.len() as u64) > header.ciphertext_len {
        return Err(WorkspaceFileError::Corrupt {
            file,
            detail: format!(
                "{} bytes after the end of the workspace",
                body.len() as u64 - header.ciphertext_len
            ),
        });
    }
    Ok((header, body))
}

/// A file carried in the workspace: its name and original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    files: Vec<(String, u64)>,
    state: serde_json::Value,
}

/// The plaintext: `IPVIWC`, a u32 manifest length, the manifest JSON (the state and each file's
/// name and length), then the files' bytes one after another. The bytes are not re-encoded, so a
/// 10 MB extract costs 10 MB.
pub fn pack(state: &serde_json::Value, files: &[SavedFile]) -> Vec<u8> {
    let manifest = Manifest {
        files: files.iter().map(|f| (f.name.clone(), f.bytes.len() as u64)).collect(),
        state: state.clone(),
    };
    // A Value with string keys always serialises.
    let json = serde_json::to_vec(&manifest).unwrap_or_default();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let mut out = Vec::with_capacity(CONTAINER_MAGIC.len() + 4 + json.len() + total);
    out.extend_from_slice(CONTAINER_MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_be_bytes());
    out.extend_from_slice(&json);
    for f in files {
        out.extend_from_slice(&f.bytes);
    }
    out
}

/// Read a decrypted container back.
pub fn unpack(file: &str, bytes: &[u8]) -> Result<(serde_json::Value, Vec<SavedFile>), WorkspaceFileError> {
    let corrupt = |detail: String| WorkspaceFileError::Corrupt {
        file: file.to_string(),
        detail,
    };
    if bytes.len() < CONTAINER_MAGIC.len() + 4 || &bytes[..CONTAINER_MAGIC.len()] != CONTAINER_MAGIC {
        return Err(corrupt("the decrypted content is not a workspace".into()));
    }
    let json_len = u32::from_be_bytes(take::<4>(bytes, CONTAINER_MAGIC.len())) as usize;
    let start = CONTAINER_MAGIC.len() + 4;
    let json = bytes
        .get(start..start.saturating_add(json_len))
        .ok_or_else(|| corrupt("the workspace's contents list is cut short".into()))?;
    let manifest: Manifest =
        serde_json::from_slice(json).map_err(|e| corrupt(format!("the workspace's contents list: {e}")))?;
    let mut at = start + json_len;
    let mut files = Vec::with_capacity(manifest.files.len());
    for (name, len) in manifest.files {
        let end = usize::try_from(len).ok().and_then(|l| at.checked_add(l));
        let chunk = end
            .and_then(|end| bytes.get(at..end))
            .ok_or_else(|| corrupt(format!("the bytes of {name} are cut short")))?;
        at += chunk.len();
        files.push(SavedFile {
            name,
            bytes: chunk.to_vec(),
        });
    }
    if at != bytes.len() {
        return Err(corrupt(format!("{} unexpected bytes at the end", bytes.len() - at)));
    }
    Ok((manifest.state, files))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const KEY: KeyParams = KeyParams {
        salt: [7; SALT_LEN],
        iterations: ITERATIONS,
    };

    fn file_bytes(plain_len: usize) -> Vec<u8> {
        let h = Header::new(KEY, [9; IV_LEN], 3, 1_796_566_920_000, plain_len);
        assemble(&h, &vec![0xAB; plain_len + TAG_LEN])
    }

    #[test]
    fn header_round_trips() {
        let bytes = file_bytes(100);
        let (h, ct) = parse("w.ipviw", &bytes).unwrap();
        assert_eq!(h, Header::new(KEY, [9; IV_LEN], 3, 1_796_566_920_000, 100));
        assert_eq!((h.version, h.iterations, h.saves), (2, 600_000, 3));
        assert_eq!(h.saved_at_ms, 1_796_566_920_000);
        assert_eq!(ct.len(), 116);
        assert_eq!(h.to_bytes().len(), HEADER_LEN);
    }

    #[test]
    fn other_key_parameters_are_kept_by_the_next_save() {
        let key = KeyParams {
            salt: [1; SALT_LEN],
            iterations: 700_000,
        };
        let first = assemble(&Header::new(key, [2; IV_LEN], 1, 5, 0), &[0; TAG_LEN]);
        let (h, _) = parse("w", &first).unwrap();
        assert_eq!(h.key_params(), key);
        let next = Header::new(h.key_params(), [3; IV_LEN], h.saves + 1, 6, 0);
        let (again, _) = parse("w", &assemble(&next, &[0; TAG_LEN])).unwrap();
        assert_eq!((again.iterations, again.salt, again.saves), (700_000, [1; SALT_LEN], 2));
    }

    #[test]
    fn version_1_files_still_open_without_a_counter() {
        let mut v1 = Header::new(KEY, [9; IV_LEN], 0, 0, 10);
        v1.version = 1;
        let bytes = assemble(&v1, &[0xAB; 10 + TAG_LEN]);
        assert_eq!(bytes.len(), HEADER_LEN_V1 + 10 + TAG_LEN);
        let (h, ct) = parse("old.ipviw", &bytes).unwrap();
        assert_eq!((h.version, h.saves, h.saved_at_ms, ct.len()), (1, 0, 0, 26));
        assert_eq!(h.to_bytes(), bytes[..HEADER_LEN_V1].to_vec());
    }

    #[test]
    fn save_counts_and_older_copies_are_said_in_words() {
        assert_eq!(
            saves_text(3, Some("2026-12-06 14:02")),
            "saved 3 times, last on 2026-12-06 14:02"
        );
        assert_eq!(
            saves_text(1, Some("2026-12-06 14:02")),
            "saved once, on 2026-12-06 14:02"
        );
        assert!(saves_text(0, None).contains("before"));
        assert_eq!(older_copy_warning("a.ipviw", 3, None), None);
        assert_eq!(older_copy_warning("a.ipviw", 3, Some(3)), None);
        assert_eq!(older_copy_warning("a.ipviw", 4, Some(3)), None);
        let w = older_copy_warning("a.ipviw", 2, Some(5)).unwrap();
        assert!(w.contains("a.ipviw is an older copy") && w.contains("saved 2 times") && w.contains("saved 5 times"));
        assert_eq!(workspace_id(&[0xAB; SALT_LEN]).len(), 32);
    }

    #[test]
    fn every_truncation_is_named_truncated_not_a_panic() {
        let bytes = file_bytes(40);
        for cut in 1..bytes.len() {
            let err = parse("w.ipviw", &bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, WorkspaceFileError::Truncated { .. }),
                "cut at {cut}: {err}"
            );
            assert!(err.to_string().contains("Nothing was changed"));
        }
    }

    #[test]
    fn other_files_and_newer_versions_are_refused_with_their_reason() {
        assert!(matches!(
            parse("a.csv", b"incident_id,date\n1,2").unwrap_err(),
            WorkspaceFileError::NotWorkspace { .. }
        ));
        assert!(matches!(
            parse("e", b"").unwrap_err(),
            WorkspaceFileError::NotWorkspace { .. }
        ));
        let mut newer = file_bytes(10);
        newer[6..8].copy_from_slice(&3u16.to_be_bytes());
        let err = parse("n.ipviw", &newer).unwrap_err();
        assert_eq!(
            err,
            WorkspaceFileError::Newer {
                file: "n.ipviw".into(),
                found: 3
            }
        );
        assert!(err.to_string().contains("Update the analyzer"));
        let mut weak = file_bytes(10);
        weak[9..13].copy_from_slice(&1000u32.to_be_bytes());
        assert!(matches!(
            parse("w", &weak).unwrap_err(),
            WorkspaceFileError::Corrupt { .. }
        ));
        let mut long = file_bytes(10);
        long.push(0);
        assert!(matches!(
            parse("l", &long).unwrap_err(),
            WorkspaceFileError::Corrupt { .. }
        ));
    }

    #[test]
    fn container_round_trips_state_and_bytes() {
        let state = serde_json::json!({"household_as_family": true, "notes": ["a"]});
        let files = vec![
            SavedFile {
                name: "NIBRS_incident.csv".into(),
                bytes: b"a,b\n1,2\n".to_vec(),
            },
            SavedFile {
                name: "empty.csv".into(),
                bytes: vec![],
            },
            SavedFile {
                name: "bin".into(),
                bytes: (0..=255).collect(),
            },
        ];
        let packed = pack(&state, &files);
        let (s, f) = unpack("w", &packed).unwrap();
        assert_eq!(s, state);
        assert_eq!(f, files);
        for cut in 0..packed.len() {
            assert!(unpack("w", &packed[..cut]).is_err(), "cut at {cut}");
        }
    }
}

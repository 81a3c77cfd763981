//! Getting files from the analyst: a file list, or dropped entries walked through their folders
//! (`webkitGetAsEntry`, `FileSystemDirectoryReader`), and reading them as `ArrayBuffer`s.

use crate::worker_client::js_error_text;
use js_sys::{Array, ArrayBuffer, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry,
};

/// The files of a `FileList`.
pub fn from_file_list(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// What a drop holds: folders to walk, and files. Must be called during the drop event: the
/// items are gone afterwards. A file is taken with `getAsFile` even when it has an entry, so
/// drops the browser gives no readable entries for (synthetic ones, some sandboxes) still work.
pub fn from_drop(dt: &DataTransfer) -> (Vec<FileSystemEntry>, Vec<File>) {
    let items = dt.items();
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) if entry.is_directory() => folders.push(entry),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    files.push(f);
                }
            }
        }
    }
    if folders.is_empty() && files.is_empty() {
        if let Some(list) = dt.files() {
            files = from_file_list(&list);
        }
    }
    (folders, files)
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File, String> {
    let promise = Promise::new(&mut |resolve, reject| entry.file_with_callback_and_callback(&resolve, &reject));
    JsFuture::from(promise)
        .await
        .map(|f| f.unchecked_into())
        .map_err(|e| format!("{}: the file could not be opened ({})", entry.name(), js_error_text(&e)))
}

async fn read_batch(reader: &FileSystemDirectoryReader, dir: &str) -> Result<Array, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map(|a| a.unchecked_into())
        .map_err(|e| format!("{dir}: the folder could not be read ({})", js_error_text(&e)))
}

/// All files under the dropped entries, folders walked to any depth, sorted by path.
pub async fn walk(entries: Vec<FileSystemEntry>) -> Result<Vec<File>, String> {
    let mut stack = entries;
    let mut found: Vec<(String, File)> = Vec::new();
    while let Some(entry) = stack.pop() {
        if entry.is_file() {
            let path = entry.full_path();
            found.push((path, file_of(entry.unchecked_ref()).await?));
        } else if entry.is_directory() {
            let dir: &FileSystemDirectoryEntry = entry.unchecked_ref();
            let reader = dir.create_reader();
            // A reader returns its entries in batches until an empty one.
            loop {
                let batch = read_batch(&reader, &entry.full_path()).await?;
                if batch.length() == 0 {
                    break;
                }
                stack.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(_, f)| f).collect())
}

/// Is this a file the analyzer reads (by its name)?
pub fn is_csv(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".csv")
}

/// Is this a table file the generic import reads (CSV, TSV, XLSX, XLS, ODS)?
pub fn is_table_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".csv", ".tsv", ".xlsx", ".xls", ".ods"].iter().any(|x| n.ends_with(x))
}

/// Read a file's bytes.
pub async fn read(file: &File) -> Result<ArrayBuffer, String> {
    JsFuture::from(file.array_buffer())
        .await
        .map(|b| b.unchecked_into())
        .map_err(|e| format!("{}: the file could not be read ({})", file.name(), js_error_text(&e)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    #[test]
    fn table_files_are_told_from_others() {
        assert!(super::is_table_file("export.XLSX") && super::is_table_file("a.tsv"));
        assert!(!super::is_table_file("README.md"));
    }

    #[test]
    fn only_csv_names_are_read() {
        for (name, want) in [
            ("NIBRS_OFFENSE.csv", true),
            ("x.CSV", true),
            ("README.md", false),
            ("csv", false),
        ] {
            assert_eq!(super::is_csv(name), want, "{name}");
        }
    }
}

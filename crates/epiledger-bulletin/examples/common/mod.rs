//! What the corpus examples share.

use std::path::PathBuf;
use std::{fs, process};

/// The files of a directory (the bulletins of a corpus), in name order; a directory that cannot
/// be read ends the example with a message.
pub fn sorted_files(dir: &str) -> Vec<PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("{dir}: {e}");
            process::exit(2);
        }
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    files
}

//! Folders the user types for an export. `~` and `~/...` mean their home folder, as in a
//! shell (so "~/sar" is never a folder literally named `~` under the working folder), and the
//! suggestion offered is inside the private data folder (`exports/`), which only its owner may
//! read.

use crate::store::{Store, StoreError};
use std::path::PathBuf;

/// The folder `typed` means: trimmed, with a leading `~` expanded to the home folder.
pub fn expand(typed: &str) -> Result<PathBuf, StoreError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(StoreError::invalid("Type the folder to write to."));
    }
    let rest = match typed.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with(std::path::MAIN_SEPARATOR) => rest,
        _ => return Ok(PathBuf::from(typed)),
    };
    let home = directories::BaseDirs::new()
        .map(|b| b.home_dir().to_path_buf())
        .ok_or_else(|| StoreError::invalid("There is no home folder here to put ~ in: type the whole path."))?;
    Ok(home.join(rest.trim_start_matches(['/', std::path::MAIN_SEPARATOR])))
}

/// A folder to suggest for an export named `name`: `exports/NAME` inside the data folder.
pub fn suggested(store: &Store, name: &str) -> String {
    store
        .data_dir()
        .map(|d| d.root().join("exports").join(name).display().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_is_the_home_folder_and_nothing_else_changes() {
        let home = directories::BaseDirs::new().unwrap().home_dir().to_path_buf();
        assert_eq!(expand("~/sar").unwrap(), home.join("sar"));
        assert_eq!(expand(" ~ ").unwrap(), home);
        assert_eq!(expand("/media/usb/sar").unwrap(), PathBuf::from("/media/usb/sar"));
        assert_eq!(expand("~other/sar").unwrap(), PathBuf::from("~other/sar"));
        assert_eq!(expand("notes~/x").unwrap(), PathBuf::from("notes~/x"));
        assert!(expand("   ").is_err());
    }
}

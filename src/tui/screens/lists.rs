//! `M` on the handover: a mailing list for a purpose the profile makes lists for (newsletters,
//! events...), as CSV or printable address labels, written to a file (by default in a `lists`
//! folder inside the private data folder). The list leaves out everyone the store leaves out
//! (see [`crate::export::mailing`]); the message says how many and reminds the user to delete
//! the file once used.

use super::form_popup::{field_error, value, FormPopup};
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};
use std::path::PathBuf;

const CSV: &str = "a list (CSV, for email)";
const LABELS: &str = "address labels (HTML, to print)";

/// The list popup, or a sentence saying the profile makes no lists.
pub fn list_popup(store: &Store) -> Cmd {
    let purposes: Vec<(String, String)> = store
        .profile()
        .purposes
        .iter()
        .filter(|p| p.mailing_list)
        .map(|p| (p.key.clone(), p.description.trim_end_matches('.').to_string()))
        .collect();
    if purposes.is_empty() {
        return Cmd::Error(
            "The organisation profile makes no mailing lists (no purpose has mailing_list = true).".into(),
        );
    }
    let labels: Vec<&str> = purposes.iter().map(|(_, d)| d.as_str()).collect();
    let folder = store
        .data_dir()
        .map(|d| d.root().join("lists"))
        .unwrap_or_else(|| PathBuf::from("lists"));
    let today = store.clock().today().format("%Y-%m-%d").to_string();
    let form = Form::new("Mailing list")
        .with(Field::choice("purpose", "For", &labels, labels[0]))
        .with(Field::choice("kind", "As", &[CSV, LABELS], CSV))
        .with(Field::text("folder", "Folder", &folder.display().to_string()).max_chars(500));
    Cmd::popup(FormPopup::new(
        form,
        vec!["Leaves out restricted records, everyone who objected, people referred but not yet clients, and anyone whose consent the purpose needs and who has not given it.".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let chosen = value(form, "purpose");
            let Some((key, _)) = purposes.iter().find(|(_, d)| *d == chosen) else {
                return Err(field_error("purpose", "Choose what the list is for."));
            };
            let folder = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
            crate::export::pack::make_dir(&folder).map_err(|e| field_error("folder", e))?;
            let labels = value(form, "kind") == LABELS;
            let file = folder.join(format!("{key}-{today}.{}", if labels { "html" } else { "csv" }));
            let n = if labels {
                crate::export::mailing::write_address_labels(store, key, &file)
            } else {
                crate::export::mailing::write_mailing_list(store, key, &file)
            }
            .map_err(|e| field_error("folder", e))?;
            Ok(Cmd::Info(format!(
                "{n} {} written to {}. It holds personal data: delete it once used.",
                if labels { "address labels" } else { "people" },
                file.display()
            )))
        }),
    ))
}

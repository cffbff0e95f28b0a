//! `B` on the handover: back the case file up now. A form asks where (the folder the last
//! backup went to, or a USB stick's) and how many backups to keep there; the backup then runs
//! with a progress line (see [`crate::tui::slow`]). The handover's title says when the last one
//! was made: amber after the profile's `warn_after_days`, red after `overdue_after_days`.

use super::form_popup::{field_error, value, FormPopup};
use crate::profile::BackupRule;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::slow::SlowWork;
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form};
use chrono::NaiveDateTime;
use ratatui::style::Style;

/// The backup form.
pub fn backup_popup(store: &Store) -> Cmd {
    let folder = store
        .backup_folder()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let form = Form::new("Back up now")
        .with(Field::text("folder", "Folder", &folder).max_chars(500))
        .with(Field::text("keep", "Keep newest", "").max_chars(4));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "One encrypted file that every user on the case file opens with their own passphrase. To keep a copy off this laptop, give the folder of a USB stick (on Linux usually under /media).".into(),
            "Keep newest: leave empty to keep every backup there, or a number to remove the oldest beyond it.".into(),
        ],
        Box::new(|_: &mut Store, form: &Form| {
            if value(form, "folder").trim().is_empty() {
                return Err(field_error("folder", "Say which folder to write the backup into."));
            }
            let folder = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
            let keep = match value(form, "keep").trim() {
                "" => None,
                n => match n.parse::<usize>() {
                    Ok(k) if k >= 1 => Some(k),
                    _ => return Err(field_error("keep", "A whole number of backups, 1 or more, or leave it empty.")),
                },
            };
            Ok(Cmd::Slow(SlowWork {
                doing: "Backing up the case file".into(),
                progress: None,
                work: Box::new(move |store: &mut Store| {
                    let result = store.backup(&folder, keep, &mut |_, _| {});
                    Box::new(move || match result {
                        Ok(r) => Cmd::Info(format!(
                            "Backed up to {} ({:.1} MB){}.",
                            r.path.display(),
                            r.bytes as f64 / 1e6,
                            if r.retired.is_empty() {
                                String::new()
                            } else {
                                format!("; {} older backup(s) removed", r.retired.len())
                            }
                        )),
                        Err(e) => Cmd::Error(format!("The backup was not made: {e}")),
                    })
                }),
            }))
        }),
    ))
}

/// How the handover's title states the last backup, and in what colour.
pub fn last_backup_label(
    last: Option<NaiveDateTime>,
    now: NaiveDateTime,
    rule: BackupRule,
    theme: &Theme,
) -> (String, Style) {
    let Some(last) = last else {
        return ("never backed up".into(), theme.overdue);
    };
    let days = (now.date() - last.date()).num_days().max(0);
    let text = match days {
        0 => "backed up today".to_string(),
        1 => "backed up yesterday".to_string(),
        d => format!("backed up {d} days ago"),
    };
    let style = if days >= i64::from(rule.overdue_after_days) {
        theme.overdue
    } else if days >= i64::from(rule.warn_after_days) {
        theme.due_soon
    } else {
        theme.dim
    };
    (text, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_backup_turns_amber_then_red_as_the_profile_says() {
        let t = Theme::colored();
        let rule = BackupRule {
            warn_after_days: 7,
            overdue_after_days: 30,
        };
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default();
        let ago = |d: i64| Some(now - chrono::Duration::days(d));
        assert_eq!(
            last_backup_label(ago(0), now, rule, &t),
            ("backed up today".into(), t.dim)
        );
        assert_eq!(last_backup_label(ago(6), now, rule, &t).1, t.dim);
        assert_eq!(
            last_backup_label(ago(7), now, rule, &t),
            ("backed up 7 days ago".into(), t.due_soon)
        );
        assert_eq!(last_backup_label(ago(30), now, rule, &t).1, t.overdue);
        assert_eq!(
            last_backup_label(None, now, rule, &t),
            ("never backed up".into(), t.overdue)
        );
    }
}

//! `dutydesk sync …`: which laptop this is, making and retiring laptops, writing and taking in
//! bundles, and the conflicts a merge leaves for a person.

use super::args::SyncCommand;
use super::commands::{unlock, unlock_keeping_passphrase};
use super::output::{self, say};
use super::CliError;
use crate::store::sync::conflicts::Resolution;
use crate::store::sync::laptop_words;
use crate::store::DataDir;

type Res = Result<(), CliError>;

pub(super) fn run(dir: &DataDir, user: Option<&str>, cmd: SyncCommand) -> Res {
    match cmd {
        SyncCommand::Status { json } => status(dir, user, json),
        SyncCommand::AddLaptop { name, to } => {
            let mut store = unlock(dir, user)?;
            let made = store.add_laptop(&name, &to)?;
            say!(
                "Made laptop {} (\"{}\") in {}: copy that folder onto the new laptop and use it as its data folder (dutydesk --data-dir FOLDER, or the default folder the README names). It opens with the same users and passphrases.",
                made.device,
                made.name,
                made.folder.display()
            );
            say!("The folder holds the whole case file, encrypted: keep the stick locked away until it is copied, then wipe it.");
            Ok(())
        }
        SyncCommand::RetireLaptop { device } => {
            let mut store = unlock(dir, user)?;
            store.retire_laptop(device)?;
            say!("Laptop {device} is retired: its bundles are refused from now on. Wipe its data folder on the laptop itself.");
            Ok(())
        }
        SyncCommand::Export { to } => {
            let mut store = unlock(dir, user)?;
            for e in store.sync_export(&to)? {
                say!(
                    "For {}: {} ({} {} since you last met), encrypted to the users' passphrases.",
                    if e.to_device == 0 {
                        "the hub".to_string()
                    } else {
                        format!("laptop {} ({})", e.to_device, e.to_name)
                    },
                    e.path.display(),
                    e.changes,
                    if e.changes == 1 { "change" } else { "changes" }
                );
            }
            Ok(())
        }
        SyncCommand::Import { file, json } => {
            let (mut store, pass) = unlock_keeping_passphrase(dir, user)?;
            let done = store.sync_import(&file, &pass)?;
            let waiting = store.conflicts()?.len();
            if json {
                output::json(&serde_json::json!({
                    "from_device": done.from_device,
                    "seq": done.seq,
                    "made_at": done.made_at,
                    "report": done.report,
                    "users_updated": done.users_updated,
                    "bundle_removed": done.bundle_removed,
                    "conflicts_waiting": waiting,
                }))?;
            } else {
                say!(
                    "Merged bundle {} from {} (made {}).",
                    done.seq,
                    laptop_words(done.from_device),
                    done.made_at.format("%d/%m/%Y %H:%M")
                );
                for line in done.report.sentences() {
                    say!("{line}");
                }
                if done.users_updated {
                    say!("Users and passphrases now follow the hub's.");
                }
                if let Some(why) = &done.users_problem {
                    say!("The hub's users could not be taken this time ({why}); they come with its next bundle.");
                }
                if done.bundle_removed {
                    say!("The bundle was deleted, now that it is taken in.");
                } else {
                    say!(
                        "Delete {} now that it is taken in: it holds the case file's changes.",
                        file.display()
                    );
                }
            }
            if waiting > 0 {
                return Err(CliError::negative(format!(
                    "{waiting} {} for a person: `dutydesk sync conflicts`, or the handover.",
                    if waiting == 1 {
                        "conflict waits"
                    } else {
                        "conflicts wait"
                    }
                )));
            }
            Ok(())
        }
        SyncCommand::Conflicts { json } => {
            let store = unlock(dir, user)?;
            let list = store.conflicts()?;
            if json {
                return output::json(&list);
            }
            if list.is_empty() {
                say!("No conflicts wait for you.");
            }
            for c in &list {
                say!(
                    "{}  {}{} (from laptop {}, {})",
                    c.id,
                    c.person_name.as_deref().map(|n| format!("{n}: ")).unwrap_or_default(),
                    c.what,
                    c.from_device,
                    c.found_at.format("%d/%m/%Y")
                );
                if c.column.is_some() {
                    say!("    was: {}", output::clean(&c.base));
                    say!("    this laptop: {}", output::clean(&c.mine));
                    say!("    laptop {}: {}", c.from_device, output::clean(&c.theirs));
                }
            }
            Ok(())
        }
        SyncCommand::Resolve {
            id,
            mine,
            theirs,
            value,
        } => {
            let mut store = unlock(dir, user)?;
            let how = match (mine, theirs, value) {
                (true, _, _) => Resolution::Mine,
                (_, true, _) => Resolution::Theirs,
                (_, _, Some(v)) => Resolution::Edited(v),
                _ => return Err(CliError::new("Say how: --mine, --theirs or --value TEXT.".into())),
            };
            let said = resolution_words(&how);
            store.resolve_conflict(id, how)?;
            say!("Conflict {id} resolved: {said}.");
            Ok(())
        }
    }
}

fn status(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let me = store.this_device()?;
    let peers = store.peers()?;
    let waiting = store.conflicts()?.len();
    if json {
        return output::json(&serde_json::json!({
            "device": me,
            "hub": me == 0,
            "peers": peers,
            "conflicts_waiting": waiting,
        }));
    }
    if me == 0 {
        say!("This is the hub (laptop 0).");
    } else {
        say!("This is laptop {me}; it exchanges bundles with the hub.");
    }
    if peers.is_empty() {
        say!("No other laptops yet: `dutydesk sync add-laptop NAME --to DIR` makes one (data protection lead).");
    }
    for p in &peers {
        let met = p
            .last_met
            .map(|t| format!("last bundle taken in {}", t.format("%d/%m/%Y %H:%M")))
            .unwrap_or_else(|| "no bundle taken in yet".into());
        let state = match p.retired_on {
            Some(d) => format!("retired {}", d.format("%d/%m/%Y")),
            None if p.unanswered > 0 => format!(
                "{met}; its answer to {} awaited",
                if p.unanswered == 1 {
                    "1 bundle".to_string()
                } else {
                    format!("{} bundles", p.unanswered)
                }
            ),
            None => met,
        };
        if p.device == 0 {
            say!("The hub: {state}.");
        } else {
            say!("Laptop {} ({}): {state}.", p.device, p.name);
        }
    }
    say!(
        "{} {} for a person{}",
        waiting,
        if waiting == 1 {
            "conflict waits"
        } else {
            "conflicts wait"
        },
        if waiting > 0 {
            ": `dutydesk sync conflicts`."
        } else {
            "."
        }
    );
    Ok(())
}

/// What a resolution kept, in words.
pub(super) fn resolution_words(how: &Resolution) -> &'static str {
    match how {
        Resolution::Mine => "this laptop's value kept",
        Resolution::Theirs => "the other laptop's value taken",
        Resolution::Edited(_) => "the value typed stands",
    }
}

//! `dutydesk sync` from the command line, as a script or a coordinator would run it: a laptop
//! made on the hub, bundles both ways, a conflict listed and resolved, and the exit codes.

mod common;

use common::sync::set;
use common::*;
use dutydesk::domain::{Category, Role};
use dutydesk::store::datadir::DataDir;
use dutydesk::store::Store;
use std::path::{Path, PathBuf};

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn bundles_in(folder: &Path, to: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(to))
        .collect();
    v.sort();
    v
}

#[test]
fn two_laptops_merge_from_the_command_line() {
    let (tmp, hub, mut store) = new_case_file();
    add_role_users(&mut store);
    let client = add(
        &mut store,
        &full_record(
            "Ada",
            "Quill",
            "07700 900001",
            "ada@example.org",
            "NN1 1AA",
            &[Category::Client],
        ),
    );
    drop(store);
    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();

    // Only the lead makes laptops.
    let o = cli_as(
        &hub,
        Role::DutyOfficer,
        &["sync", "add-laptop", "Rota laptop", "--to", stick.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let o = cli_as(
        &hub,
        Role::DataProtectionLead,
        &["sync", "add-laptop", "Rota laptop", "--to", stick.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("Made laptop 1"));
    let laptop = DataDir::new(stick.join("dutydesk-laptop1"));

    let o = cli_as(&laptop, Role::DutyOfficer, &["sync", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(status["device"], 1);
    assert_eq!(status["peers"][0]["device"], 0);

    // The same field changed differently on both.
    {
        let mut l = Store::unlock(
            &laptop,
            &login_for(Role::DutyOfficer),
            &pass_for(Role::DutyOfficer),
            clock(),
        )
        .unwrap();
        set(&mut l, client, |r| r.email = Some("laptop@example.org".into()));
        let mut h = Store::unlock(
            &hub,
            &login_for(Role::DutyOfficer),
            &pass_for(Role::DutyOfficer),
            clock(),
        )
        .unwrap();
        set(&mut h, client, |r| r.email = Some("hub@example.org".into()));
    }
    let o = cli_as(
        &laptop,
        Role::DutyOfficer,
        &["sync", "export", "--to", stick.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("For the hub"), "{}", out(&o));
    let to_hub = bundles_in(&stick, "to-laptop0");
    assert_eq!(to_hub.len(), 1);

    let kept = stick.join("kept-copy.ddsync");
    std::fs::copy(&to_hub[0], &kept).unwrap();
    // Taken in on the hub: exit 1 while a conflict waits; the bundle is deleted.
    let o = cli_as(
        &hub,
        Role::DutyOfficer,
        &["sync", "import", to_hub[0].to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("Merged bundle 1 from laptop 1"), "{}", out(&o));
    assert!(err(&o).contains("1 conflict waits"), "{}", err(&o));
    assert!(!to_hub[0].exists() && out(&o).contains("The bundle was deleted"));
    // A copy of it taken in again: refused, exit 2.
    let o = cli_as(&hub, Role::DutyOfficer, &["sync", "import", kept.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("already taken in"), "{}", err(&o));

    let o = cli_as(&hub, Role::DutyOfficer, &["sync", "conflicts", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(list[0]["what"], "Email address");
    assert_eq!(list[0]["theirs"], "laptop@example.org");
    let id = list[0]["id"].as_i64().unwrap().to_string();
    // Saying nothing about how is a usage error.
    let o = cli_as(&hub, Role::DutyOfficer, &["sync", "resolve", &id]);
    assert_eq!(o.status.code(), Some(2));
    let o = cli_as(&hub, Role::DutyOfficer, &["sync", "resolve", &id, "--theirs"]);
    assert!(o.status.success(), "{}", err(&o));

    // The hub's answer carries the resolution back.
    let o = cli_as(
        &hub,
        Role::DutyOfficer,
        &["sync", "export", "--to", stick.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", err(&o));
    let to_laptop = bundles_in(&stick, "to-laptop1");
    let o = cli_as(
        &laptop,
        Role::DutyOfficer,
        &["sync", "import", "--json", to_laptop[0].to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", err(&o));
    let done: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(done["from_device"], 0);
    assert_eq!(done["conflicts_waiting"], 0);
    for dir in [&hub, &laptop] {
        let s = Store::unlock(
            dir,
            &login_for(Role::DutyOfficer),
            &pass_for(Role::DutyOfficer),
            clock(),
        )
        .unwrap();
        assert_eq!(
            s.person(client).unwrap().record.email.as_deref(),
            Some("laptop@example.org")
        );
        drop(s);
        let o = cli_as(dir, Role::DutyOfficer, &["check"]);
        assert!(o.status.success(), "{}", err(&o));
    }

    // Not a bundle: one sentence, exit 2, no backtrace.
    let junk = stick.join("notes.txt");
    std::fs::write(&junk, "hello").unwrap();
    let o = cli_as(&hub, Role::DutyOfficer, &["sync", "import", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("not a dutydesk bundle") && !err(&o).contains("panicked"),
        "{}",
        err(&o)
    );
}

//! The command line, run as a user would: exit codes, messages and output shapes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn dutydesk(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env("DUTYDESK_INSECURE_FAST_KDF", "1");
    c.env_remove("DUTYDESK_USER");
    c.env_remove("DUTYDESK_PASSPHRASE");
    c.env_remove("DUTYDESK_DATA_DIR");
    c.env_remove("DUTYDESK_IDLE_MINUTES");
    c.env_remove("DUTYDESK_NEW_PASSPHRASE");
    c
}

fn init(dir: &std::path::Path) {
    dutydesk(dir)
        .args(["init", "--user", "lead"])
        .args(common::ORGANISATION)
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("Created a case file"));
}

/// Every command in the grammar, found from the definitions themselves (so a new one cannot
/// be missed), answers `--help`.
#[test]
fn every_command_in_the_grammar_answers_help() {
    fn paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            let mut path = prefix.clone();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            paths(sub, path, out);
        }
    }
    let mut all = Vec::new();
    paths(
        &<dutydesk::cli::Cli as clap::CommandFactory>::command(),
        Vec::new(),
        &mut all,
    );
    assert!(all.len() > 25, "{all:?}");
    let tmp = tempfile::tempdir().unwrap();
    for mut path in all {
        path.push("--help".into());
        // Each with an example of its use, beside the usage.
        dutydesk(tmp.path())
            .args(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage").and(predicate::str::contains("Example")));
    }
}

/// Shell completions and the manual page come from the same definitions as `--help`.
#[test]
fn completions_and_the_manual_page_are_generated() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_dutydesk()"),
        ("zsh", "#compdef dutydesk"),
        ("fish", "complete -c dutydesk"),
    ] {
        dutydesk(tmp.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("backup")));
    }
    dutydesk(tmp.path()).args(["completions", "tcsh"]).assert().code(2);
    dutydesk(tmp.path())
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH dutydesk 1").and(predicate::str::contains("restore")));
}

#[test]
fn usage_errors_exit_with_2() {
    let tmp = tempfile::tempdir().unwrap();
    dutydesk(tmp.path()).arg("frobnicate").assert().code(2);
    dutydesk(tmp.path()).args(["due"]).assert().code(2);
}

#[test]
fn due_prints_the_date_alone_on_the_first_line_then_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = dutydesk(tmp.path())
        .args(["due", "2026-03-05"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("2026-04-07"));
    assert!(text.contains("Easter Monday"), "{text}");
    let cases = [
        (vec!["due", "2026-01-31", "--extended"], "2026-04-30"),
        // 28 February 2026 is a Saturday, so the deadline moves to Monday.
        (vec!["due", "2026-01-31"], "2026-03-02"),
        (vec!["due", "05/03/2026", "--id-received", "2026-03-10"], "2026-04-10"),
        (vec!["due", "2026-07-03", "--region", "scotland"], "2026-08-04"),
        (vec!["due", "2026-07-03", "--region", "england-and-wales"], "2026-08-03"),
    ];
    for (args, want) in cases {
        let out = dutydesk(tmp.path())
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(String::from_utf8(out).unwrap().lines().next(), Some(want), "{args:?}");
    }
}

#[test]
fn bad_dates_and_regions_get_one_sentence_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        vec!["due", "31/02/2026"],
        vec!["due", "yesterday"],
        vec!["due", "2026-01-01", "--region", "wales-only"],
    ] {
        dutydesk(tmp.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("dutydesk: ").and(predicate::str::contains("panicked").not()));
    }
}

#[test]
fn init_then_search_and_check_work_and_bad_passphrases_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    dutydesk(&dir)
        .args(["--user", "lead", "check"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("audit chain intact"));
    dutydesk(&dir)
        .args(["--user", "lead", "search", "anyone", "--json"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .code(1) // as grep: nothing found
        .stdout(predicate::str::contains("[]"))
        .stderr(predicate::str::contains("Nobody found"));
    let before = std::fs::read(dir.join("keyslots.json")).unwrap();
    dutydesk(&dir)
        .args(["--user", "lead", "check"])
        .env("DUTYDESK_PASSPHRASE", "not the right one")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("passphrase is wrong"));
    dutydesk(&dir)
        .args(["--user", "ghost", "check"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no user \"ghost\""));
    assert_eq!(std::fs::read(dir.join("keyslots.json")).unwrap(), before);
    // A second init is refused.
    dutydesk(&dir)
        .args(["init", "--user", "other"])
        .env("DUTYDESK_PASSPHRASE", "other test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already a case file"));
}

#[test]
fn a_missing_case_file_says_how_to_make_one() {
    let tmp = tempfile::tempdir().unwrap();
    dutydesk(&tmp.path().join("nothing-here"))
        .args(["--user", "lead", "check"])
        .env("DUTYDESK_PASSPHRASE", "x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dutydesk init"));
}

#[test]
fn an_unknown_profile_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    dutydesk(&tmp.path().join("d"))
        .args(["init", "--profile", "no-such-profile", "--user", "lead"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("good-neighbours"));
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[profile]\nid = \"x\"\nversion = 1\nname = \"x\"\n[[category]]\nkey = \"wizard\"\n",
    )
    .unwrap();
    dutydesk(&tmp.path().join("d"))
        .args(["init", "--profile", bad.to_str().unwrap(), "--user", "lead"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line"));
    assert!(!tmp.path().join("d").join("casefile.db").exists());
}

#[test]
fn users_are_added_listed_and_removed_by_the_lead_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    dutydesk(&dir)
        .args(["--user", "lead", "users", "add", "duty1", "--role", "duty_officer"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .env("DUTYDESK_NEW_PASSPHRASE", "duty1 test passphrase")
        .assert()
        .success();
    dutydesk(&dir)
        .args(["--user", "lead", "users", "add", "x", "--role", "wizard"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown role"));
    dutydesk(&dir)
        .args(["--user", "duty1", "users", "add", "duty2", "--role", "duty_officer"])
        .env("DUTYDESK_PASSPHRASE", "duty1 test passphrase")
        .env("DUTYDESK_NEW_PASSPHRASE", "duty2 test passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("may not"));
    dutydesk(&dir)
        .args(["--user", "duty1", "users", "list"])
        .env("DUTYDESK_PASSPHRASE", "duty1 test passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("duty1").and(predicate::str::contains("lead")));
    dutydesk(&dir)
        .args(["--user", "duty1", "users", "passwd"])
        .env("DUTYDESK_PASSPHRASE", "duty1 test passphrase")
        .env("DUTYDESK_NEW_PASSPHRASE", "duty1 fresh passphrase")
        .assert()
        .success();
    dutydesk(&dir)
        .args(["--user", "lead", "users", "remove", "duty1"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success();
    dutydesk(&dir)
        .args(["--user", "duty1", "users", "list"])
        .env("DUTYDESK_PASSPHRASE", "duty1 fresh passphrase")
        .assert()
        .code(2);
}

#[test]
fn demo_creates_users_for_every_role_and_people_to_find() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = dutydesk(&dir)
        .args(["demo", "--people", "200", "--no-open"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let users: Vec<&str> = text.lines().filter(|l| l.starts_with("user ")).collect();
    assert_eq!(users.len(), 6, "{text}");
    for role in [
        "duty_officer",
        "section_leader",
        "trustee",
        "membership_secretary",
        "dbs_officer",
        "data_protection_lead",
    ] {
        assert!(users.iter().any(|l| l.contains(&format!("role {role} "))), "{role}");
    }
    let out = dutydesk(&dir)
        .args(["--user", "duty", "search", "a", "--json"])
        .env("DUTYDESK_PASSPHRASE", "demo duty passphrase")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let arr = hits.as_array().unwrap();
    assert!(!arr.is_empty());
    for h in arr {
        assert!(h["id"].is_i64() && h["name"].is_string() && h["categories"].is_array());
    }
    // The limit is honest: every match is counted, the list is cut only by --limit, and
    // how many more matched is said on stderr (the whole list when the limit allows).
    let search = |limit: &str| {
        dutydesk(&dir)
            .args(["--user", "duty", "search", "a", "--json", "--limit", limit])
            .env("DUTYDESK_PASSPHRASE", "demo duty passphrase")
            .output()
            .unwrap()
    };
    let everyone = search("100000");
    assert_eq!(everyone.status.code(), Some(0));
    assert!(
        everyone.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&everyone.stderr)
    );
    let total = serde_json::from_slice::<serde_json::Value>(&everyone.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    assert!(total > 3, "{total}");
    let three = search("3");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&three.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let said = String::from_utf8_lossy(&three.stderr);
    assert!(
        said.contains(&format!("{} more matched beyond the first 3", total - 3)),
        "{said}"
    );
    assert_eq!(search("0").status.code(), Some(2), "a limit of 0 is refused");
    // The demo never overwrites an existing case file.
    dutydesk(&dir).args(["demo", "--no-open"]).assert().code(2);
}

#[test]
fn demo_in_its_default_folder_starts_afresh_each_time() {
    let home = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let mut c = Command::cargo_bin("dutydesk").unwrap();
        c.env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("DUTYDESK_INSECURE_FAST_KDF", "1")
            .env_remove("DUTYDESK_DATA_DIR")
            .env_remove("DUTYDESK_USER")
            .env_remove("DUTYDESK_PASSPHRASE")
            .args(["demo", "--people", "20", "--no-open"])
            .assert()
            .success()
            .stdout(predicate::str::contains("dutydesk-demo"));
    }
}

#[test]
fn backup_verify_and_restore_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let usb = tmp.path().join("usb");
    init(&data);
    let lead = |dir: &std::path::Path| {
        let mut c = dutydesk(dir);
        c.env("DUTYDESK_USER", "lead")
            .env("DUTYDESK_PASSPHRASE", "lead test passphrase");
        c
    };
    lead(&data)
        .args(["backup", "--to"])
        .arg(&usb)
        .assert()
        .success()
        .stdout(predicate::str::contains("Backed up to"))
        .stderr(predicate::str::contains("Backing up: 100%"));
    // The backup (beside it, the erasure register's copy).
    let file = std::fs::read_dir(&usb)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "ddbak"))
        .unwrap();
    lead(&data)
        .args(["backup", "verify"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Backup of Test Neighbours").and(predicate::str::contains("Sound")));
    // A wrong passphrase: one sentence, exit code 1.
    dutydesk(&data)
        .args(["backup", "verify"])
        .arg(&file)
        .env("DUTYDESK_USER", "lead")
        .env("DUTYDESK_PASSPHRASE", "not the passphrase")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not open this backup"));
    // Over the live case file: refused without --replace, and without a yes in a script.
    lead(&data)
        .arg("restore")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--replace"));
    lead(&data)
        .args(["restore", "--replace"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    lead(&data)
        .args(["restore", "--replace", "--yes"])
        .arg(&file)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("0 person(s) erased after the backup").and(predicate::str::contains("kept in")),
        );
    // A new laptop.
    let laptop = tmp.path().join("laptop");
    lead(&laptop)
        .arg("restore")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Restored the backup"));
    lead(&laptop).arg("check").assert().success();
}

#[test]
fn holds_are_listed_for_the_lead_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    init(&data);
    dutydesk(&data)
        .arg("holds")
        .env("DUTYDESK_USER", "lead")
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("No legal holds stand."));
    dutydesk(&data)
        .args(["holds", "--json"])
        .env("DUTYDESK_USER", "lead")
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("[]"));
}

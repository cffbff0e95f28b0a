//! `dutydesk import` as a script or a user runs it: a dry run that reports by row and exits 1
//! on problems, a fixed re-run, the import with its private report and the reminder to
//! delete the source, saved mappings, refusals with exit code 2, and each role bringing in
//! only the people it may file. The binary runs on the real clock, so no date here is near
//! today. Everyone is invented.

mod common;

use common::*;
use dutydesk::domain::{Category, FieldGroup, Role};
use dutydesk::profile::AccessMatrix;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const BROKEN: &str = "Name,Tel,Post code,DOB,Referred by\n\
Mrs Edna Testperson,01295 111222,OX17 2AB,25/12/1940,Age UK\n\
Frank Synthetic,12,,12/25/1960,\n\
Gina Sample,01295 333444,,,\n";

#[test]
fn a_dry_run_reports_by_row_then_the_fixed_sheet_comes_in_once() {
    let (tmp, dir, store) = new_case_file();
    drop(store);
    let sheet = write(tmp.path(), "clients.csv", BROKEN);
    let args = |extra: &[&str]| {
        let mut a = vec!["import", sheet.to_str().unwrap(), "--category", "client"];
        a.extend_from_slice(extra);
        cli_as(&dir, Role::DataProtectionLead, &a)
    };
    let out = args(&["--dry-run"]);
    assert_eq!(out.status.code(), Some(1), "problems found exit 1: {}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Row 3: problem: Date of birth"), "{text}");
    assert!(text.contains("Phone:"), "{text}");
    assert!(text.contains("nothing was changed"), "{text}");
    assert!(text.contains("Referred by -> Details came from"), "{text}");
    let found = cli_as(&dir, Role::DataProtectionLead, &["search", "Testperson"]);
    assert_eq!(found.status.code(), Some(1), "the dry run filed no one");

    // Put right, checked again, imported, with the full report written privately.
    write(
        tmp.path(),
        "clients.csv",
        &BROKEN.replace(
            "Frank Synthetic,12,,12/25/1960",
            "Frank Synthetic,01295 555666,,25/12/1960",
        ),
    );
    let out = args(&["--dry-run", "--save-mapping", "clients"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = tmp.path().join("report.csv");
    let out = args(&["--report", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 were brought in (3 new, 1 privacy notice due)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains(sheet.to_str().unwrap()), "names the source file");
    assert!(stderr(&out).contains("now delete"), "{}", stderr(&out));
    assert!(stderr(&out).contains("saved mapping \"clients\""), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(csv.starts_with("row,status,person_id,message\n2,new,"), "{csv}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&report).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let found = cli_as(&dir, Role::DataProtectionLead, &["notices", "--json"]);
    let notices: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(
        notices.as_array().unwrap().len(),
        1,
        "a notice for the person Age UK referred"
    );

    // Again: everyone is on file, so nothing would change; the command says so and exits 1.
    let out = args(&["--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("No row"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["skip"], 3, "{json}");
    assert_eq!(json["rows"][0]["status"], "skip");
}

#[test]
fn wrong_arguments_are_refused_with_a_sentence_and_exit_code_2() {
    let (tmp, dir, store) = new_case_file();
    drop(store);
    let sheet = write(tmp.path(), "clients.csv", BROKEN);
    let sheet = sheet.to_str().unwrap();
    let missing = tmp.path().join("nothing.xlsx");
    let wrong_kind = write(tmp.path(), "clients.pdf", "%PDF");
    for (args, says) in [
        (
            vec!["import", sheet, "--category", "client", "--duplicates", "merge"],
            "skip, fill, update or create",
        ),
        (
            vec!["import", missing.to_str().unwrap(), "--category", "client"],
            "There is no file",
        ),
        (
            vec!["import", wrong_kind.to_str().unwrap(), "--category", "client"],
            "not a kind of file",
        ),
        (
            vec!["import", sheet, "--category", "client", "--map", "Shoe=phone"],
            "no column headed",
        ),
        (vec!["import", sheet, "--category", "alien"], "not a category"),
        (vec!["import", sheet], "Choose the category"),
        (
            vec!["import", sheet, "--category", "client", "--mapping", "nope"],
            "no saved mapping",
        ),
        (
            vec!["import", sheet, "--category", "client", "--map", "Name=none"],
            "No column gives the name",
        ),
    ] {
        let out = cli_as(&dir, Role::DataProtectionLead, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
}

#[test]
fn each_role_brings_in_only_the_people_it_may_file() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    drop(store);
    let sheet = write(tmp.path(), "clients.csv", "Name,Tel\nEdna Testperson,01295 111222\n");
    let matrix = AccessMatrix::new(&dutydesk::profile::parse(profile()).unwrap());
    let mut refused = 0;
    for role in Role::ALL {
        let out = cli_as(
            &dir,
            *role,
            &[
                "import",
                sheet.to_str().unwrap(),
                "--category",
                "client",
                "--dry-run",
                "--json",
            ],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let may = AccessMatrix::answers_rights(*role) || matrix.can_see(*role, &[Category::Client], FieldGroup::Name);
        let status = json["rows"][0]["status"].as_str().unwrap_or("");
        assert_eq!(status == "new", may, "{role:?}: {} {}", stdout(&out), stderr(&out));
        refused += usize::from(!may);
    }
    assert!(refused > 0, "some role may not file clients, and is refused");
}

#[test]
fn links_come_in_from_the_command_line_after_the_people() {
    let (tmp, dir, store) = new_case_file();
    drop(store);
    let people = write(
        tmp.path(),
        "people.csv",
        "Name,Tel,Type,Next of kin\n\
         Edna Testperson,01295 111222,Client,Mary Testdaughter\n\
         Mary Testdaughter,07700 900555,Relative,\n\
         Frank Synthetic,01295 333444,Client,Nobody Known\n",
    );
    let people = people.to_str().unwrap();
    let out = cli_as(
        &dir,
        Role::DataProtectionLead,
        &["import", people, "--category", "client", "--map", "Next of kin=none"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let links_as = |kind: &str, extra: &[&str]| {
        let mut a = vec![
            "import-links",
            people,
            "--person-column",
            "Name",
            "--other-column",
            "Next of kin",
            "--kind",
            kind,
        ];
        a.extend_from_slice(extra);
        cli_as(&dir, Role::DataProtectionLead, &a)
    };
    let links = |extra: &[&str]| links_as("next_of_kin", extra);
    let out = links(&["--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "Nobody Known is not on file: {}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("Row 4: problem: No one you may see on file has the name"));
    let out = links(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["new"], 1, "{json}");
    assert_eq!(json["rows"][0]["status"], "new");
    let out = links_as("cousin", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("next_of_kin"), "{}", stderr(&out));
}

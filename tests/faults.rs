//! The case file under faults: every write path interrupted at every step, an earlier
//! version's half-written audit entry, admin commands racing each other, damaged bytes, stale
//! and planted files. After each fault: every user can still open the file, `check` passes or
//! names the fault, every write acknowledged before the fault is there, and the interrupted
//! change is all there or not there at all.
//!
//! Faults are injected with the store's per-thread step counter (`store::faults`), never by
//! timing. The full-disk and closed-pipe cases, which need the real binary, are in
//! `tests/faults_cli.rs`.

mod common;

use common::*;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::{Category, ContactKind, Role};
use dutydesk::store::{faults, DataDir, KdfParams, Store, StoreError};
use std::path::Path;

/// Copies a closed data folder's case file and key slots into a fresh temporary folder.
fn copy_folder(from: &DataDir) -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path().join("data"));
    std::fs::create_dir_all(dir.root()).unwrap();
    for name in ["casefile.db", "keyslots.json"] {
        std::fs::copy(from.root().join(name), dir.root().join(name)).unwrap();
    }
    (tmp, dir)
}

/// What every template holds: the lead and one user per role, and one person whose record was
/// written (acknowledged) before any fault.
struct Template {
    _tmp: tempfile::TempDir,
    dir: DataDir,
    person: i64,
}

fn template() -> Template {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let person = add(
        &mut store,
        &full_record(
            "Acknowledged",
            "Person",
            "07700 900123",
            "",
            "OX17 2RF",
            &[Category::Volunteer],
        ),
    );
    store.checkpoint().unwrap();
    drop(store);
    // The trustee may record both health notes and DBS checks for a volunteer.
    let mut store = unlock_as(&dir, Role::Trustee);
    store.add_health_note(person, "Uses a walking frame").unwrap();
    store
        .add_dbs_check(
            person,
            "Driver",
            "001234567890",
            today() - chrono::Duration::days(30),
            today() + chrono::Duration::days(1000),
        )
        .unwrap();
    store.checkpoint().unwrap();
    drop(store);
    Template { _tmp: tmp, dir, person }
}

/// Every active user can open the file with one of the passphrases `passes` gives for them,
/// `check` finds nothing wrong, and the acknowledged person is there.
fn assert_sound(dir: &DataDir, person: i64, passes: &dyn Fn(&str) -> Vec<String>, context: &str) {
    let report = Store::check_folder(dir, LEAD, &passes(LEAD)[0], clock())
        .or_else(|_| Store::check_folder(dir, LEAD, passes(LEAD).last().unwrap(), clock()))
        .unwrap_or_else(|e| panic!("{context}: check could not run: {e}"));
    assert!(report.problems.is_empty(), "{context}: {:?}", report.problems);
    // Nothing had to be repaired: an entry committed without its chain head would be.
    assert!(report.notes.is_empty(), "{context}: {:?}", report.notes);
    let users = {
        let lead = open_with_any(dir, LEAD, &passes(LEAD), context);
        assert!(
            lead.person(person).is_ok(),
            "{context}: the acknowledged person is gone"
        );
        lead.users().unwrap()
    };
    for u in users {
        drop(open_with_any(dir, &u.login, &passes(&u.login), context));
    }
}

fn open_with_any(dir: &DataDir, login: &str, passes: &[String], context: &str) -> Store {
    let mut last = None;
    for p in passes {
        match Store::unlock(dir, login, p, clock()) {
            Ok(s) => return s,
            Err(e) => last = Some(e),
        }
    }
    panic!("{context}: {login} cannot open the case file: {}", last.unwrap());
}

fn usual_passes(login: &str) -> Vec<String> {
    if login == LEAD {
        vec![LEAD_PASS.to_string()]
    } else {
        vec![format!("{login} test passphrase")]
    }
}

/// Runs `op` on a fresh copy of the template with its Nth step failing, for N = 1, 2, ...
/// until it runs without reaching step N; after each, the file must be sound and `after` must
/// hold (it is told whether the operation reported success). Returns how many steps there were.
fn interrupt_every_step(
    name: &str,
    who: Role,
    op: &dyn Fn(&mut Store, &Template) -> Result<(), StoreError>,
    passes: &dyn Fn(&str) -> Vec<String>,
    after: &dyn Fn(&DataDir, &Template, bool),
) -> u32 {
    let base = template();
    for n in 1..200 {
        let (_tmp, dir) = copy_folder(&base.dir);
        let mut store = Store::unlock(&dir, &login_for(who), &pass_for(who), clock()).unwrap();
        faults::fail_at_step(n);
        let result = op(&mut store, &base);
        let taken = faults::disarm();
        drop(store);
        let context = format!("{name}, fault at step {n}");
        if taken < n {
            assert!(result.is_ok(), "{name} failed without a fault: {result:?}");
        }
        assert_sound(&dir, base.person, passes, &context);
        after(&dir, &base, result.is_ok());
        if taken < n {
            return n - 1;
        }
    }
    panic!("{name}: more than 200 steps");
}

#[test]
fn an_unlock_interrupted_at_any_step_leaves_a_file_everyone_opens() {
    let base = template();
    let mut steps = 0;
    for n in 1..50 {
        let (_tmp, dir) = copy_folder(&base.dir);
        faults::fail_at_step(n);
        let result = Store::unlock(&dir, "duty-officer", "duty-officer test passphrase", clock());
        let taken = faults::disarm();
        drop(result);
        assert_sound(&dir, base.person, &usual_passes, &format!("unlock, fault at step {n}"));
        if taken < n {
            steps = n - 1;
            break;
        }
    }
    assert!(
        steps >= 3,
        "an unlock's audit entry is at least three steps, saw {steps}"
    );
}

#[test]
fn creating_a_person_is_all_or_nothing_at_every_step() {
    let steps = interrupt_every_step(
        "create person",
        Role::DataProtectionLead,
        &|s, _| {
            s.create_person(
                &record("Interrupted", "Newcomer", &[Category::Client]),
                &Obtained::Directly,
                today(),
            )
            .map(|_| ())
        },
        &usual_passes,
        &|dir, _, ok| {
            let s = unlock_as(dir, Role::DataProtectionLead);
            let found = s.search("Newcomer", 10).unwrap().len();
            assert_eq!(
                found,
                usize::from(ok),
                "the new person is there only if the save was acknowledged"
            );
        },
    );
    assert!(steps >= 3, "{steps}");
}

#[test]
fn logging_a_contact_is_all_or_nothing_at_every_step() {
    interrupt_every_step(
        "log contact",
        Role::DataProtectionLead,
        &|s, t| {
            s.log_contact(t.person, ContactKind::Call, "Rang about Tuesday")
                .map(|_| ())
        },
        &usual_passes,
        &|dir, t, ok| {
            let s = unlock_as(dir, Role::DataProtectionLead);
            let contacts = s.person(t.person).unwrap().contacts.unwrap_or_default();
            assert_eq!(contacts.len(), usize::from(ok));
        },
    );
}

#[test]
fn views_of_sensitive_data_are_audited_whole_at_every_step() {
    interrupt_every_step(
        "reveal health",
        Role::Trustee,
        &|s, t| s.reveal_health(t.person, "arranging a lift").map(|_| ()),
        &usual_passes,
        &|_, _, _| {},
    );
    interrupt_every_step(
        "view DBS checks",
        Role::Trustee,
        &|s, t| s.person(t.person).map(|_| ()),
        &usual_passes,
        &|_, _, _| {},
    );
}

#[test]
fn an_export_is_audited_whole_at_every_step() {
    let out = tempfile::tempdir().unwrap();
    let out_path = out.path().to_path_buf();
    interrupt_every_step(
        "write a notice",
        Role::DataProtectionLead,
        &|s, t| {
            let _ = std::fs::remove_dir_all(&out_path);
            dutydesk::export::notice::write_notice(s, t.person, &out_path).map(|_| ())
        },
        &usual_passes,
        &|dir, t, ok| {
            // The files are there if and only if the export's audit entry is.
            let files = std::fs::read_dir(&out_path).map(|d| d.count()).unwrap_or(0);
            let s = unlock_as(dir, Role::DataProtectionLead);
            let audited = s
                .raw_connection_for_tests()
                .query_row(
                    "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_id = ?1",
                    [t.person],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap();
            assert_eq!((files, audited), if ok { (2, 1) } else { (0, 0) });
        },
    );
}

#[test]
fn adding_a_user_is_all_or_nothing_at_every_step() {
    interrupt_every_step(
        "add user",
        Role::DataProtectionLead,
        &|s, _| {
            s.add_user(
                "newbie",
                Role::DutyOfficer,
                "newbie test passphrase",
                KdfParams::FAST_INSECURE,
            )
        },
        &usual_passes,
        &|dir, _, ok| {
            let opened = Store::unlock(dir, "newbie", "newbie test passphrase", clock());
            assert_eq!(opened.is_ok(), ok, "{:?}", opened.err());
            // A failed add can always be tried again.
            if !ok {
                let mut lead = unlock_as(dir, Role::DataProtectionLead);
                lead.add_user(
                    "newbie",
                    Role::DutyOfficer,
                    "newbie test passphrase",
                    KdfParams::FAST_INSECURE,
                )
                .unwrap();
            }
        },
    );
}

#[test]
fn removing_a_user_never_locks_anyone_else_out_and_can_be_finished() {
    let steps = interrupt_every_step(
        "remove user",
        Role::DataProtectionLead,
        &|s, _| s.remove_user("trustee"),
        &usual_passes,
        &|dir, _, ok| {
            let mut lead = unlock_as(dir, Role::DataProtectionLead);
            let listed = lead.users().unwrap().iter().any(|u| u.login == "trustee");
            assert!(!(ok && listed));
            // However far it got, the trustee can no longer open the file.
            assert!(Store::unlock(dir, "trustee", "trustee test passphrase", clock()).is_err());
            let slot_left = || {
                dutydesk::store::KeyFile::load(&dir.key_file())
                    .unwrap()
                    .users()
                    .any(|u| u == "trustee")
            };
            assert!(!(ok && slot_left()));
            if !ok && (listed || slot_left()) {
                // An interrupted removal is finished by running it again (an open may
                // already have finished it, by putting the pending key slots in place).
                lead.remove_user("trustee").unwrap();
            }
            assert!(!slot_left());
            assert!(!lead.users().unwrap().iter().any(|u| u.login == "trustee"));
        },
    );
    assert!(steps >= 8, "the re-key path has its own steps, saw {steps}");
}

#[test]
fn passphrase_changes_leave_the_old_or_the_new_one_working_at_every_step() {
    let either = |login: &str| {
        let mut p = usual_passes(login);
        if login == "duty-officer" {
            p.push("a brand new duty passphrase".into());
        }
        if login == LEAD {
            p.push("a brand new lead passphrase".into());
        }
        p
    };
    interrupt_every_step(
        "reset passphrase",
        Role::DataProtectionLead,
        &|s, _| s.reset_passphrase("duty-officer", "a brand new duty passphrase", KdfParams::FAST_INSECURE),
        &either,
        &|dir, _, ok| {
            // Exactly one of the two works, and it is the new one if and only if the change
            // was acknowledged (with its audit entry).
            let new = Store::unlock(dir, "duty-officer", "a brand new duty passphrase", clock()).is_ok();
            let old = Store::unlock(dir, "duty-officer", "duty-officer test passphrase", clock()).is_ok();
            assert_eq!((new, old), (ok, !ok));
        },
    );
    interrupt_every_step(
        "change own passphrase",
        Role::DataProtectionLead,
        &|s, _| s.change_own_passphrase(LEAD_PASS, "a brand new lead passphrase", KdfParams::FAST_INSECURE),
        &either,
        &|dir, _, ok| {
            let new = Store::unlock(dir, LEAD, "a brand new lead passphrase", clock()).is_ok();
            let old = Store::unlock(dir, LEAD, LEAD_PASS, clock()).is_ok();
            assert_eq!((new, old), (ok, !ok));
        },
    );
}

#[test]
fn a_new_profile_version_is_all_or_nothing_at_every_step() {
    let base = profile_version();
    let newer = profile_at_version(base + 1);
    assert_ne!(newer, profile());
    interrupt_every_step(
        "set profile",
        Role::DataProtectionLead,
        &|s, _| s.set_profile(&newer),
        &usual_passes,
        &|dir, _, ok| {
            let s = unlock_as(dir, Role::DataProtectionLead);
            assert_eq!(s.profile().version(), if ok { base + 1 } else { base });
        },
    );
}

#[test]
fn an_interrupted_init_can_be_run_again_or_is_finished() {
    for n in 1..200 {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("data"));
        let opts = dutydesk::store::InitOptions {
            profile_toml: profile(),
            organisation: "Test Good Neighbours",
            first_user: LEAD,
            passphrase: LEAD_PASS,
            kdf: KdfParams::FAST_INSECURE,
        };
        faults::fail_at_step(n);
        let result = Store::init(&dir, &opts, clock());
        let taken = faults::disarm();
        let ok = result.is_ok();
        drop(result);
        // Either the case file opens (it was finished) or init may simply run again.
        match Store::unlock(&dir, LEAD, LEAD_PASS, clock()) {
            Ok(s) => assert!(s.check().unwrap().is_empty()),
            Err(e) => {
                assert!(!ok, "init said it succeeded but the file does not open: {e}");
                Store::init(&dir, &opts, clock()).unwrap_or_else(|e| panic!("step {n}: init again: {e}"));
            }
        }
        if taken < n {
            assert!(ok);
            return;
        }
    }
    panic!("init has more than 200 steps");
}

/// Writes one export audit entry, as writing a notice does.
fn export_entry(s: &Store, person: i64) {
    s.begin_export(&[dutydesk::store::exports::ExportEntry {
        entity: "article14_notice",
        id: Some(person),
        fields: &["name"],
    }])
    .unwrap()
    .finish()
    .unwrap();
}

/// Versions before this one wrote the audit entry and its chain head as two commits; a kill
/// between them left every later open failing with "UNIQUE constraint failed: audit_log.id".
#[test]
fn a_file_left_with_the_chain_head_behind_is_repaired_on_open_and_check_says_so() {
    let base = template();
    let (_tmp, dir) = copy_folder(&base.dir);
    {
        let s = unlock_as(&dir, Role::DataProtectionLead);
        let c = s.raw_connection_for_tests();
        // The state the old two-commit append left: the entry written, the head not moved.
        let head: String = c
            .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| r.get(0))
            .unwrap();
        export_entry(&s, base.person);
        c.execute("UPDATE meta SET value = ?1 WHERE key = 'audit_head'", [&head])
            .unwrap();
    }
    for role in Role::ALL {
        drop(unlock_as(&dir, *role));
    }
    let report = Store::check_folder(&dir, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(report.notes[0].contains("was moved from entry"), "{}", report.notes[0]);
}

#[test]
fn a_chain_head_behind_a_tampered_entry_is_not_papered_over() {
    let base = template();
    let (_tmp, dir) = copy_folder(&base.dir);
    {
        let s = unlock_as(&dir, Role::DataProtectionLead);
        let c = s.raw_connection_for_tests();
        let head: String = c
            .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| r.get(0))
            .unwrap();
        export_entry(&s, base.person);
        c.execute("UPDATE meta SET value = ?1 WHERE key = 'audit_head'", [&head])
            .unwrap();
        c.execute(
            "UPDATE audit_log SET fields = 'forged' WHERE id = (SELECT max(id) FROM audit_log)",
            [],
        )
        .unwrap();
    }
    // The forged entry is not taken into the chain. Everyone can still open the file (new
    // entries go after it), and check names the break rather than papering over it.
    for role in Role::ALL {
        drop(unlock_as(&dir, *role));
    }
    let report = Store::check_folder(&dir, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("has been changed") || p.contains("does not follow")),
        "{:?}",
        report.problems
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

/// Two processes are modelled as two threads with their own stores: the folder lock is an
/// advisory lock on an open file, which two opens in one process contend for just as two
/// processes do.
#[test]
fn key_slot_changes_serialise_and_none_is_lost() {
    for round in 0..4 {
        let base = template();
        let (_tmp, dir) = copy_folder(&base.dir);
        let d1 = dir.clone();
        let d2 = dir.clone();
        let passwd = std::thread::spawn(move || {
            let mut s = Store::unlock(&d1, "duty-officer", "duty-officer test passphrase", clock())?;
            s.change_own_passphrase(
                "duty-officer test passphrase",
                "duty officer's new phrase",
                KdfParams::FAST_INSECURE,
            )
        });
        let remove = std::thread::spawn(move || {
            let mut s = Store::unlock(&d2, LEAD, LEAD_PASS, clock())?;
            s.remove_user("trustee")?;
            s.add_user(
                "second",
                Role::DutyOfficer,
                "second test passphrase",
                KdfParams::FAST_INSECURE,
            )
        });
        let passwd = passwd.join().unwrap();
        let remove = remove.join().unwrap();
        for r in [&passwd, &remove] {
            if let Err(e) = r {
                assert!(matches!(e, StoreError::InUse(_)), "round {round}: {e}");
            }
        }
        let duty_pass = if passwd.is_ok() {
            "duty officer's new phrase"
        } else {
            "duty-officer test passphrase"
        };
        Store::unlock(&dir, "duty-officer", duty_pass, clock())
            .unwrap_or_else(|e| panic!("round {round}: the duty officer is locked out: {e}"));
        if remove.is_ok() {
            Store::unlock(&dir, "second", "second test passphrase", clock()).unwrap();
            assert!(Store::unlock(&dir, "trustee", "trustee test passphrase", clock()).is_err());
        }
        let lead = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
        assert!(lead.check().unwrap().is_empty());
    }
}

/// Flips one byte in every page (and every byte of the first page's salt): no open panics or
/// runs out of memory, `check` names the damage, and no other command writes to the file
/// after check has found it.
#[test]
fn damaged_bytes_are_named_by_check_and_block_other_commands() {
    let base = template();
    let original = std::fs::read(base.dir.case_file()).unwrap();
    let pages = original.len() / 4096;
    let mut offsets: Vec<usize> = (0..16).collect();
    offsets.extend((0..pages).map(|p| p * 4096 + 100 + (p * 37) % 3900));
    for offset in offsets {
        let (_tmp, dir) = copy_folder(&base.dir);
        let mut bytes = original.clone();
        bytes[offset] ^= 0x5a;
        std::fs::write(dir.case_file(), &bytes).unwrap();
        let context = format!("byte {offset}");
        // Opening either works or says the file is damaged; never a panic.
        if let Err(e) = Store::unlock(&dir, LEAD, LEAD_PASS, clock()) {
            assert!(matches!(e, StoreError::Damaged(_)), "{context}: {e}");
        }
        let report = Store::check_folder(&dir, LEAD, LEAD_PASS, clock())
            .unwrap_or_else(|e| panic!("{context}: check could not run: {e}"));
        assert!(!report.problems.is_empty(), "{context}: check found nothing");
        assert!(
            report.problems.iter().all(|p| !p.contains("out of memory")),
            "{context}: {:?}",
            report.problems
        );
        let after = Store::unlock(&dir, "duty-officer", "duty-officer test passphrase", clock());
        assert!(matches!(after, Err(StoreError::KnownDamaged)), "{context}: {after:?}");
        // Putting the good file back (without the damaged file's WAL) and checking again
        // clears the mark.
        std::fs::write(dir.case_file(), &original).unwrap();
        for stale in ["casefile.db-wal", "casefile.db-shm"] {
            let _ = std::fs::remove_file(dir.root().join(stale));
        }
        let report = Store::check_folder(&dir, LEAD, LEAD_PASS, clock()).unwrap();
        assert!(report.problems.is_empty(), "{context}: {:?}", report.problems);
        drop(unlock_as(&dir, Role::DutyOfficer));
    }
}

#[test]
fn each_environment_problem_has_its_own_message() {
    let base = template();

    // The key file missing: not "run init", and init refuses the folder.
    let (_tmp, dir) = copy_folder(&base.dir);
    std::fs::remove_file(dir.key_file()).unwrap();
    let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(e, StoreError::KeyFileMissing(_)), "{e}");
    assert!(!e.to_string().contains("to create one"), "{e}");

    // A key file from another case file.
    let other = template();
    let (_tmp, dir) = copy_folder(&base.dir);
    std::fs::copy(other.dir.key_file(), dir.key_file()).unwrap();
    let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(e, StoreError::ForeignKeyFile(_)), "{e}");
    assert!(!e.to_string().contains("backup of the case file"), "{e}");

    // The salt damaged: the key file is right, the file is damaged.
    let (_tmp, dir) = copy_folder(&base.dir);
    let mut bytes = std::fs::read(dir.case_file()).unwrap();
    bytes[3] ^= 0x01;
    std::fs::write(dir.case_file(), &bytes).unwrap();
    let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(e, StoreError::Damaged(_)), "{e}");

    // A case file emptied, or cut to a few bytes, beside its key file: damage.
    for bytes in [Vec::new(), vec![0x8f; 100], vec![0x8f; 5000]] {
        let (_tmp, dir) = copy_folder(&base.dir);
        std::fs::write(dir.case_file(), &bytes).unwrap();
        let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
        assert!(matches!(e, StoreError::Damaged(_)), "{} bytes: {e}", bytes.len());
    }

    // A wrong passphrase.
    let (_tmp, dir) = copy_folder(&base.dir);
    let e = Store::unlock(&dir, LEAD, "not the passphrase", clock()).unwrap_err();
    assert!(matches!(e, StoreError::WrongPassphrase(_)), "{e}");

    // A KDF parameter far out of bounds is a damaged key file, refused before any work.
    let (_tmp, dir) = copy_folder(&base.dir);
    let text = std::fs::read_to_string(dir.key_file()).unwrap();
    let bad = text.replacen("\"m_kib\": 1024", "\"m_kib\": 4000000000", 1);
    assert_ne!(bad, text);
    std::fs::write(dir.key_file(), bad).unwrap();
    let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(e, StoreError::BadKeyFile(_)), "{e}");
}

#[cfg(unix)]
#[test]
fn planted_links_are_refused_and_never_followed() {
    use std::os::unix::fs::symlink;
    let base = template();
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();

    for name in ["casefile.db-wal", "dutydesk.lock", ".keyslots.json.tmp"] {
        let (_tmp, dir) = copy_folder(&base.dir);
        symlink(&victim, dir.root().join(name)).unwrap();
        let result = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).and_then(|mut s| {
            s.reset_passphrase("duty-officer", "a brand new duty passphrase", KdfParams::FAST_INSECURE)
        });
        if name == ".keyslots.json.tmp" {
            // A stale temporary link is removed, never written through.
            result.unwrap();
        } else {
            let e = result.unwrap_err();
            assert!(matches!(e, StoreError::Symlink(_)), "{name}: {e}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn the_folder_and_every_file_written_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, dir, mut store) = new_case_file();
    let id = add(&mut store, &record("Private", "Person", &[Category::Client]));
    let out = _tmp.path().join("exports").join("notices");
    dutydesk::export::notice::write_notice(&store, id, &out).unwrap();
    store
        .add_user(
            "second",
            Role::DutyOfficer,
            "second test passphrase",
            KdfParams::FAST_INSECURE,
        )
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(dir.root()), 0o700);
    for entry in std::fs::read_dir(dir.root()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    assert_eq!(mode(&out), 0o700);
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_case_file_is_named_and_leaves_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let base = template();
    let (_tmp, dir) = copy_folder(&base.dir);
    std::fs::set_permissions(dir.case_file(), std::fs::Permissions::from_mode(0o400)).unwrap();
    let e = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(e, StoreError::NotWritable(_)), "{e}");
    assert!(
        !dir.root().join("casefile.db-shm").exists(),
        "no read-only -shm left behind"
    );
    std::fs::set_permissions(dir.case_file(), std::fs::Permissions::from_mode(0o600)).unwrap();
    drop(unlock_as(&dir, Role::DutyOfficer));
}

#[test]
fn profile_versions_only_go_up_and_never_orphan_data() {
    let (_tmp, _dir, mut store) = new_case_file();
    let id = add(
        &mut store,
        &full_record(
            "Profiled",
            "Person",
            "07700 900123",
            "",
            "OX17 2RF",
            &[Category::Client],
        ),
    );
    assert!(id > 0);
    // The same version with different words.
    let e = store
        .set_profile(&profile().replacen("Good Neighbours", "Good Neighbors", 1))
        .unwrap_err();
    assert!(e.to_string().contains("keeps its number"), "{e}");
    // A higher version installs; a lower one afterwards is refused.
    let base = profile_version();
    let v2 = profile_at_version(base + 1);
    store.set_profile(&v2).unwrap();
    let e = store.set_profile(profile()).unwrap_err();
    assert!(
        e.to_string().contains(&format!("older than version {}", base + 1)),
        "{e}"
    );
    // The same version and the same text is harmless.
    store.set_profile(&v2).unwrap();
    // No longer collecting phone numbers for clients, while a client has one, is refused...
    let client_fields = "fields = [\"name\", \"address\", \"phone\", \"email\", \"date_of_birth\", \"health\", \"services\", \"correspondence\"]";
    assert!(v2.contains(client_fields));
    let v3 = profile_at_version(base + 2).replacen(client_fields, &client_fields.replace("\"phone\", ", ""), 1);
    let e = store.set_profile(&v3).unwrap_err();
    assert!(e.to_string().contains("stops collecting \"phone\""), "{e}");
    // ...but dropping a group no client has any data in is allowed.
    let v3 = profile_at_version(base + 2).replacen(client_fields, &client_fields.replace("\"email\", ", ""), 1);
    store.set_profile(&v3).unwrap();
    assert_eq!(store.profile().version(), base + 2);
}

#[test]
fn an_import_is_all_rows_or_none_at_every_step() {
    use dutydesk::domain::import::Cell;
    use dutydesk::domain::import_plan::{DuplicatePolicy, Mapping, Sheet};
    use dutydesk::store::import::ImportSettings;
    let headers: Vec<String> = ["Name", "Phone"].iter().map(|s| s.to_string()).collect();
    let sheet = Sheet {
        name: "clients".into(),
        rows: ["Ann Testone", "Ben Testtwo", "Cat Testthree"]
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    i + 2,
                    vec![Cell::Text(n.to_string()), Cell::Text(format!("01295 11122{i}"))],
                )
            })
            .collect(),
        headers,
    };
    let settings = ImportSettings {
        mapping: Mapping::guessed(&sheet.headers),
        category: Some(Category::Client),
        obtained_from: Some("Banbury social services list".into()),
        policy: DuplicatePolicy::Skip,
    };
    interrupt_every_step(
        "import a sheet",
        Role::DataProtectionLead,
        &|s, _| s.import(&sheet, &settings, &mut |_, _| {}).map(|_| ()),
        &usual_passes,
        &|dir, _, ok| {
            let s = unlock_as(dir, Role::DataProtectionLead);
            let found = s.search_all("Testtwo").unwrap().len() + s.search_all("Testthree").unwrap().len();
            assert_eq!(found, if ok { 2 } else { 0 });
            assert_eq!(s.pending_notices().unwrap().len(), if ok { 3 } else { 0 });
        },
    );
}

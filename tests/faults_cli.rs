//! The real binary under faults: closed pipes, full disks (stdout and the data folder), kills
//! at each fsync of a read, admin commands run at the same moment, and honest inputs. The
//! store-level faults (every write path interrupted at every step) are in `tests/faults.rs`.
//!
//! Two tests need something from the machine: a size-limited file system (made with
//! `unshare -rm` and tmpfs) and `strace` (to kill at the Nth fsync). Where the machine cannot
//! provide it, the test says so on stderr and passes without checking: `.ci/run` installs
//! strace so CI always runs both.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const LEAD: &str = "dpl";
const LEAD_PASS: &str = "demo lead passphrase";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dutydesk")
}

fn dutydesk(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env("DUTYDESK_INSECURE_FAST_KDF", "1");
    for var in [
        "DUTYDESK_USER",
        "DUTYDESK_PASSPHRASE",
        "DUTYDESK_DATA_DIR",
        "DUTYDESK_IDLE_MINUTES",
        "DUTYDESK_NEW_PASSPHRASE",
        "RUST_BACKTRACE",
    ] {
        c.env_remove(var);
    }
    c
}

/// A demo case file (cheap key slots: the insecure switch works on demos) with `people` people.
fn demo(people: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    dutydesk(&dir)
        .args(["demo", "--people", &people.to_string(), "--no-open"])
        .assert()
        .success();
    (tmp, dir)
}

fn as_lead(dir: &Path) -> Command {
    let mut c = dutydesk(dir);
    c.args(["--user", LEAD]).env("DUTYDESK_PASSPHRASE", LEAD_PASS);
    c
}

fn assert_check_passes(dir: &Path) {
    as_lead(dir)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("The case file is sound"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_every_listing_quietly_with_exit_0() {
    use std::os::fd::FromRawFd;
    let (_tmp, dir) = demo(60);
    for args in [
        vec!["search", "a", "--limit", "500"],
        vec!["search", "a", "--json"],
        vec!["notices"],
        vec!["requests"],
        vec!["users", "list"],
        vec!["profile", "show"],
    ] {
        // A pipe whose reading end is already closed: the first write fails with EPIPE.
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        unsafe { libc::close(fds[0]) };
        let write_end = unsafe { std::fs::File::from_raw_fd(fds[1]) };
        let out = std::process::Command::new(bin())
            .arg("--data-dir")
            .arg(&dir)
            .args(["--user", LEAD])
            .args(&args)
            .env("DUTYDESK_PASSPHRASE", LEAD_PASS)
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::from(write_end))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn output_to_a_full_disk_is_one_sentence_and_exit_1() {
    let (_tmp, dir) = demo(60);
    for args in [vec!["search", "a", "--limit", "500"], vec!["profile", "show"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = std::process::Command::new(bin())
            .arg("--data-dir")
            .arg(&dir)
            .args(["--user", LEAD])
            .args(&args)
            .env("DUTYDESK_PASSPHRASE", LEAD_PASS)
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("the disk is full"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert_check_passes(&dir);
}

/// Runs a shell script in a new user and mount namespace, where it may mount a tmpfs.
/// `None` if this machine does not allow that.
fn in_namespace(script: &str) -> Option<std::process::Output> {
    let probe = std::process::Command::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || mount -t tmpfs -o size=1m tmpfs /tmp",
        ])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .output()
        .ok()
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_never_locks_anyone_out() {
    let (tmp, dir) = demo(40);
    let mnt = tmp.path().join("small-disk");
    std::fs::create_dir_all(&mnt).unwrap();
    // For each amount of free space from none to 96 KB: fill the disk to leave that much, run
    // a search (an unlock writes its audit entry) and a change, then free the space and check
    // that every user can open the file and that check passes.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=8m tmpfs "{mnt}" || exit 99
cp -a "{dir}" "{mnt}/data" || exit 98
export DUTYDESK_DATA_DIR="{mnt}/data" DUTYDESK_USER={lead} DUTYDESK_PASSPHRASE="{pass}"
for free in 0 4 12 20 28 36 44 52 60 72 96; do
  avail=$(df -k --output=avail "{mnt}" | tail -1)
  fill=$((avail - free))
  [ "$fill" -gt 0 ] && dd if=/dev/zero of="{mnt}/filler" bs=1k count="$fill" 2>/dev/null
  "{bin}" search a >/dev/null 2>"{errs}/err-$free"
  code=$?
  echo "free=$free search=$code $(head -c 300 "{errs}/err-$free")"
  rm -f "{mnt}/filler"
  for who in "dpl:demo lead passphrase" "duty:demo duty passphrase" "dbs:demo dbs passphrase"; do
    # Opening and searching works: exit 0, or 1 for "nobody found" (2 would be an error).
    DUTYDESK_USER="${{who%%:*}}" DUTYDESK_PASSPHRASE="${{who#*:}}" "{bin}" search zzzz >/dev/null 2>&1
    [ $? -le 1 ] || {{ echo "LOCKED OUT ${{who%%:*}} after free=$free"; "{bin}" search zzzz; }}
  done
  "{bin}" check >/dev/null 2>&1 || {{ echo "CHECK FAILED after free=$free"; "{bin}" check; }}
done
"#,
        mnt = mnt.display(),
        errs = tmp.path().display(),
        dir = dir.display(),
        lead = LEAD,
        pass = LEAD_PASS,
        bin = bin()
    );
    let Some(out) = in_namespace(&script) else {
        eprintln!("skipped: this machine cannot mount a size-limited file system (unshare -rm)");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(99) {
        eprintln!("skipped: tmpfs could not be mounted here: {stderr}");
        return;
    }
    assert!(!stdout.contains("LOCKED OUT"), "{stdout}\n{stderr}");
    assert!(!stdout.contains("CHECK FAILED"), "{stdout}\n{stderr}");
    assert!(!stdout.contains("panicked"), "{stdout}");
    // With no space at all, the search says so in one sentence.
    let first = stdout.lines().find(|l| l.starts_with("free=0 ")).unwrap_or_default();
    assert!(first.contains("search=2"), "{stdout}");
    assert!(first.contains("disk holding the case file is full"), "{stdout}");
    // With enough space, the search works.
    assert!(stdout.lines().any(|l| l.starts_with("free=96 search=0")), "{stdout}");
}

/// The original report: kill `dutydesk search` at its Nth fsync. Every later open, by every
/// user, must work, and check must pass.
#[cfg(target_os = "linux")]
#[test]
fn a_read_killed_at_any_fsync_leaves_a_file_everyone_opens() {
    let usable = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !usable {
        eprintln!("skipped: strace is not installed or may not trace here");
        return;
    }
    let (_tmp, base) = demo(30);
    let mut killed = 0;
    for n in 1..=8 {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(&base)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
        let out = std::process::Command::new("strace")
            .args(["-f", "-o", "/dev/null", "-e", "trace=fsync,fdatasync"])
            .arg("-e")
            .arg(format!("inject=fsync,fdatasync:signal=SIGKILL:when={n}"))
            .arg(bin())
            .arg("--data-dir")
            .arg(&dir)
            .args(["--user", LEAD, "search", "a"])
            .env("DUTYDESK_PASSPHRASE", LEAD_PASS)
            .output()
            .unwrap();
        {
            use std::os::unix::process::ExitStatusExt;
            if out.status.signal() == Some(9) {
                killed += 1;
            }
        }
        for (who, pass) in [(LEAD, LEAD_PASS), ("duty", "demo duty passphrase")] {
            dutydesk(&dir)
                .args(["--user", who, "search", "a"])
                .env("DUTYDESK_PASSPHRASE", pass)
                .assert()
                .success();
        }
        assert_check_passes(&dir);
    }
    // The search fsyncs at least twice (its audit entry commits), so the first kills land.
    assert!(
        killed >= 2,
        "only {killed} of 8 runs were killed: the injection did not work"
    );
}

#[test]
fn admin_commands_run_at_once_serialise_and_nobody_is_locked_out() {
    let (_tmp, dir) = demo(10);
    for round in 0..3 {
        let new_pass = format!("round {round} duty passphrase");
        let old_pass = if round == 0 {
            "demo duty passphrase".to_string()
        } else {
            format!("round {} duty passphrase", round - 1)
        };
        let spawn = |args: &[&str], user: &str, pass: &str, new: &str| {
            std::process::Command::new(bin())
                .arg("--data-dir")
                .arg(&dir)
                .args(["--user", user])
                .args(args)
                .env("DUTYDESK_INSECURE_FAST_KDF", "1")
                .env("DUTYDESK_PASSPHRASE", pass)
                .env("DUTYDESK_NEW_PASSPHRASE", new)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let extra = format!("extra{round}");
        let passwd = spawn(&["users", "passwd"], "duty", &old_pass, &new_pass);
        let add = spawn(
            &["users", "add", &extra, "--role", "duty_officer"],
            LEAD,
            LEAD_PASS,
            "an extra test passphrase",
        );
        let passwd = passwd.wait_with_output().unwrap();
        let add = add.wait_with_output().unwrap();
        for out in [&passwd, &add] {
            if !out.status.success() {
                let e = String::from_utf8_lossy(&out.stderr);
                assert!(e.contains("in use by another dutydesk"), "round {round}: {e}");
            }
        }
        let duty_pass = if passwd.status.success() { &new_pass } else { &old_pass };
        dutydesk(&dir)
            .args(["--user", "duty", "search", "a"])
            .env("DUTYDESK_PASSPHRASE", duty_pass)
            .assert()
            .success();
        if add.status.success() {
            dutydesk(&dir)
                .args(["--user", &extra, "search", "a"])
                .env("DUTYDESK_PASSPHRASE", "an extra test passphrase")
                .assert()
                .success();
        }
        // Keep the next round's old passphrase right whatever happened.
        if !passwd.status.success() {
            dutydesk(&dir)
                .args(["--user", "duty", "users", "passwd"])
                .env("DUTYDESK_PASSPHRASE", &old_pass)
                .env("DUTYDESK_NEW_PASSPHRASE", &new_pass)
                .assert()
                .success();
        }
    }
    // A removal (a re-key) racing a passphrase change.
    let passwd = std::process::Command::new(bin())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--user", "duty", "users", "passwd"])
        .env("DUTYDESK_INSECURE_FAST_KDF", "1")
        .env("DUTYDESK_PASSPHRASE", "round 2 duty passphrase")
        .env("DUTYDESK_NEW_PASSPHRASE", "final duty passphrase")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let remove = as_lead(&dir).args(["users", "remove", "trustee"]).output().unwrap();
    let passwd = passwd.wait_with_output().unwrap();
    let duty_pass = if passwd.status.success() {
        "final duty passphrase"
    } else {
        "round 2 duty passphrase"
    };
    dutydesk(&dir)
        .args(["--user", "duty", "search", "a"])
        .env("DUTYDESK_PASSPHRASE", duty_pass)
        .assert()
        .success();
    if remove.status.success() {
        dutydesk(&dir)
            .args(["--user", "trustee", "search", "a"])
            .env("DUTYDESK_PASSPHRASE", "demo trustee passphrase")
            .assert()
            .code(2);
    }
    assert_check_passes(&dir);
}

#[test]
fn the_insecure_kdf_switch_works_only_on_a_demo_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("real");
    dutydesk(&dir)
        .args(["init", "--user", "lead"])
        .args(common::ORGANISATION)
        .env("DUTYDESK_NEW_PASSPHRASE", "lead test passphrase")
        .assert()
        .success()
        .stderr(predicate::str::contains("DUTYDESK_INSECURE_FAST_KDF is ignored"));
    let slots = std::fs::read_to_string(dir.join("keyslots.json")).unwrap();
    assert!(slots.contains("\"m_kib\": 131072"), "{slots}");
    // init read DUTYDESK_NEW_PASSPHRASE, as the README says.
    dutydesk(&dir)
        .args(["--user", "lead", "users", "list"])
        .env("DUTYDESK_PASSPHRASE", "lead test passphrase")
        .assert()
        .success();
}

#[test]
fn a_missing_key_file_is_named_and_init_is_not_suggested() {
    let (_tmp, dir) = demo(5);
    std::fs::remove_file(dir.join("keyslots.json")).unwrap();
    as_lead(&dir).args(["search", "a"]).assert().code(2).stderr(
        predicate::str::contains("keyslots.json is missing")
            .and(predicate::str::contains("do not run `dutydesk init`")),
    );
}

#[test]
fn typed_control_characters_never_reach_the_terminal() {
    let (_tmp, dir) = demo(5);
    let out = as_lead(&dir).args(["search", "\u{1b}[2J\u{7}zz\r"]).output().unwrap();
    let all = [out.stdout, out.stderr].concat();
    assert!(
        !all.iter().any(|b| matches!(b, 0x1b | 0x07 | b'\r')),
        "{}",
        String::from_utf8_lossy(&all)
    );
    let out = dutydesk(&dir).args(["due", "\u{1b}[31m01/01/2026"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn years_outside_1900_to_2200_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    dutydesk(tmp.path())
        .args(["due", "9999-12-31"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("from 1900 to 2200"))
        .stdout(predicate::str::contains("+10000").not());
}

#[test]
fn an_interrupted_demo_is_replaced_by_the_next_one() {
    let home = tempfile::tempdir().unwrap();
    let demo_dir = home.path().join("data").join("dutydesk-demo");
    std::fs::create_dir_all(&demo_dir).unwrap();
    // What a demo killed half-way leaves: its marker (written first) and part of a case file.
    std::fs::write(demo_dir.join("DEMO-CASE-FILE.txt"), "demo").unwrap();
    std::fs::write(demo_dir.join("casefile.db"), vec![0u8; 8192]).unwrap();
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("DUTYDESK_INSECURE_FAST_KDF", "1")
        .env_remove("DUTYDESK_DATA_DIR")
        .env_remove("DUTYDESK_USER")
        .env_remove("DUTYDESK_PASSPHRASE")
        .args(["demo", "--people", "5", "--no-open"])
        .assert()
        .success();
}

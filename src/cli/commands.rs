//! The subcommands' bodies.

use super::args::{BackupCommand, Cli, Command, ProfileCommand, UsersCommand};
use super::output::{self, say};
use super::{auth, CliError};
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::{calendar::HolidayCalendar, deadline, validate, Region, Role};
use crate::store::{DataDir, InitOptions, KdfParams, Store};
use std::sync::Arc;

type Res = Result<(), CliError>;

pub(super) fn dispatch(cli: Cli) -> Res {
    let dir = data_dir(&cli)?;
    let user = cli.user.as_deref();
    match cli.command {
        None => crate::tui::run::run(dir, user.map(String::from), cli.idle_minutes, None, cli.color.theme())
            .map_err(CliError::new),
        Some(Command::Init {
            profile,
            organisation,
            address,
            phone,
            email,
        }) => {
            let details = OrgDetails {
                name: organisation,
                address,
                phone,
                email,
            };
            init(&dir, user, &profile, details)
        }
        Some(Command::Demo {
            profile,
            people,
            no_open,
        }) => demo(
            cli.data_dir.is_some(),
            dir,
            &profile,
            people,
            no_open,
            (cli.idle_minutes, cli.color),
        ),
        Some(Command::Users(cmd)) => users(&dir, user, cmd),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Handover { json }) => super::casework::handover(&dir, user, json),
        Some(Command::Person { id, json }) => super::casework::person(&dir, user, id, json),
        Some(Command::Referrals { all, json }) => super::casework::referrals(&dir, user, all, json),
        Some(Command::Sar { request, out }) => super::documents::sar(&dir, user, request, &out),
        Some(Command::Portability { request, out }) => super::documents::portability(&dir, user, request, &out),
        Some(Command::Letter { request, kind, out }) => super::documents::letter(&dir, user, request, &kind, &out),
        Some(Command::ComplaintLetter { complaint, kind, out }) => {
            super::documents::complaint_letter(&dir, user, complaint, &kind, &out)
        }
        Some(Command::BreachLetters { breach, out }) => super::documents::breach_letters(&dir, user, breach, &out),
        Some(Command::Enquiries { open, json }) => super::casework::enquiries(&dir, user, open, json),
        Some(Command::Groups { json }) => super::casework::groups(&dir, user, json),
        Some(Command::Donations { json }) => super::casework::donations(&dir, user, json),
        Some(Command::Log { person, kind, note }) => super::casework::log(&dir, user, person, &kind, &note),
        Some(Command::Callback { person, by, about }) => super::casework::callback(&dir, user, person, &by, &about),
        Some(Command::Import(a)) => super::import::import(&dir, user, a),
        Some(Command::ImportLinks(a)) => super::import::import_links(&dir, user, a),
        Some(Command::Man) => man(),
        Some(Command::Search { term, json, limit }) => search(&dir, user, &term, json, limit),
        Some(Command::Profile(cmd)) => profile(&dir, user, cmd),
        Some(Command::Due {
            date,
            extended,
            id_received,
            fee_received,
            region,
        }) => due(
            &date,
            extended,
            id_received.as_deref(),
            fee_received.as_deref(),
            &region,
        ),
        Some(Command::Notices { due, json }) => notices(&dir, user, due, json),
        Some(Command::Notice { person_id, out }) => notice(&dir, user, person_id, &out),
        Some(Command::Check) => check(&dir, user),
        Some(Command::Requests { due, json }) => requests(&dir, user, due, json),
        Some(Command::Holds { all, json }) => holds(&dir, user, all, json),
        Some(Command::Disclosures { json }) => disclosures(&dir, user, json),
        Some(Command::Breaches { json }) => breaches(&dir, user, json),
        Some(Command::Complaints { json }) => complaints(&dir, user, json),
        Some(Command::List { purpose, out, labels }) => list(&dir, user, &purpose, out.as_deref(), labels.as_deref()),
        Some(Command::Dbs { due, json }) => dbs(&dir, user, due, json),
        Some(Command::Backup {
            action: Some(BackupCommand::Verify { file }),
            ..
        }) => super::backup::verify(&file, user),
        Some(Command::Backup { action: None, to, keep }) => {
            super::backup::backup(&dir, user, to.as_deref(), keep.map(|k| k as usize))
        }
        Some(Command::Sync(cmd)) => super::sync::run(&dir, user, cmd),
        Some(Command::Restore { file, replace, yes }) => super::backup::restore(&dir, user, &file, replace, yes),
    }
}

fn data_dir(cli: &Cli) -> Result<DataDir, CliError> {
    match &cli.data_dir {
        Some(d) => Ok(DataDir::new(d)),
        None => DataDir::platform_default()
            .ok_or_else(|| CliError::new("This system has no data directory: pass --data-dir DIR.".into())),
    }
}

pub(super) fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// Unlocks as the user named on the command line (or asked for).
pub(crate) fn unlock(dir: &DataDir, user: Option<&str>) -> Result<Store, CliError> {
    Ok(unlock_keeping_passphrase(dir, user)?.0)
}

/// [`unlock`], keeping the passphrase for a second use (opening a bundle sealed to it).
pub(crate) fn unlock_keeping_passphrase(
    dir: &DataDir,
    user: Option<&str>,
) -> Result<(Store, zeroize::Zeroizing<String>), CliError> {
    if !dir.exists() {
        return Err(crate::store::StoreError::NoCaseFile(dir.root().to_path_buf()).into());
    }
    let login = auth::login(user)?;
    let pass = auth::passphrase(&format!("Passphrase for {login}: "), "DUTYDESK_PASSPHRASE")?;
    let store = Store::unlock(dir, &login, &pass, clock())?;
    Ok((store, pass))
}

/// The Argon2id parameters for a new key slot; the cheap test parameters only for a demo case
/// file (as the case file itself records), with a warning on stderr when they were asked for
/// anywhere else.
fn new_slot_kdf(is_demo: bool) -> KdfParams {
    let (kdf, warning) = KdfParams::for_new_slots(is_demo);
    if let Some(w) = warning {
        output::to_stderr(format_args!("dutydesk: {w}\n"));
    }
    kdf
}

fn load_profile_text(profile: &str) -> Result<String, CliError> {
    if let Some(text) = crate::profile::builtin(profile) {
        return Ok(text.to_string());
    }
    let path = std::path::Path::new(profile);
    if path.is_file() {
        return std::fs::read_to_string(path)
            .map_err(|e| CliError::new(format!("The profile file {} could not be read ({e}).", path.display())));
    }
    Err(CliError::new(format!(
        "There is no built-in profile \"{}\" and no such file: use one of {} or a path to a TOML file.",
        profile.chars().take(40).collect::<String>(),
        crate::profile::builtin_ids().join(", ")
    )))
}

/// The organisation's details as given on the command line, each optional.
struct OrgDetails {
    name: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The profile text ready to store: its placeholders filled from `details`, each checked as
/// the forms check it. A profile without placeholders is used as written.
fn filled_profile(text: &str, details: &OrgDetails) -> Result<String, CliError> {
    if crate::profile::placeholders_in(text).is_empty() {
        return Ok(text.to_string());
    }
    let given = [
        ("--organisation", &details.name),
        ("--address", &details.address),
        ("--phone", &details.phone),
        ("--email", &details.email),
    ];
    let missing: Vec<&str> = given
        .iter()
        .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
        .map(|(flag, _)| *flag)
        .collect();
    if !missing.is_empty() {
        return Err(CliError::new(format!(
            "This profile is written for any organisation: give its details with {} (they go on every notice and letter).",
            missing.join(", ")
        )));
    }
    let get = |v: &Option<String>| v.clone().unwrap_or_default();
    let org = crate::profile::Organisation::new(
        &get(&details.name),
        &get(&details.address),
        &get(&details.phone),
        &get(&details.email),
    )
    .map_err(|e| CliError::new(format!("--{}: {e}", e.field)))?;
    Ok(crate::profile::fill(text, &org))
}

fn init(dir: &DataDir, user: Option<&str>, profile: &str, details: OrgDetails) -> Res {
    if dir.exists() {
        return Err(crate::store::StoreError::AlreadyExists(dir.root().to_path_buf()).into());
    }
    let template = load_profile_text(profile)?;
    let filled = !crate::profile::placeholders_in(&template).is_empty();
    let text = filled_profile(&template, &details)?;
    let parsed = crate::profile::parse(&text).map_err(|e| CliError::new(format!("The profile is invalid: {e}")))?;
    let organisation = details.name.as_deref();
    let login = auth::login(user)?;
    crate::store::users::check_login(&login)?;
    // DUTYDESK_NEW_PASSPHRASE, as for every new passphrase; DUTYDESK_PASSPHRASE is still read
    // for scripts written before init read the new one.
    let var =
        if std::env::var_os("DUTYDESK_NEW_PASSPHRASE").is_none() && std::env::var_os("DUTYDESK_PASSPHRASE").is_some() {
            "DUTYDESK_PASSPHRASE"
        } else {
            "DUTYDESK_NEW_PASSPHRASE"
        };
    let pass = auth::new_passphrase(&login, var)?;
    // The name as the profile now holds it (tidied as the forms tidy it), when it was filled in.
    let org = match organisation {
        Some(name) if !filled => name.to_string(),
        _ => parsed.controller.name.clone(),
    };
    let opts = InitOptions {
        profile_toml: &text,
        organisation: &org,
        first_user: &login,
        passphrase: &pass,
        kdf: new_slot_kdf(false),
    };
    Store::init(dir, &opts, clock())?;
    say!("Created a case file in {}.", dir.root().display());
    say!("{login} is its data protection lead; add the other users with `dutydesk users add`.");
    say!("Back it up from the first day: `dutydesk backup --to FOLDER` (a USB stick), or B on the handover.");
    Ok(())
}

fn demo(
    dir_given: bool,
    dir: DataDir,
    profile: &str,
    people: usize,
    no_open: bool,
    (idle_minutes, color): (Option<u32>, super::args::ColorChoice),
) -> Res {
    let dir = if dir_given {
        dir
    } else {
        // The demo lives in its own folder, never over a real case file.
        DataDir::new(dir.root().with_file_name("dutydesk-demo"))
    };
    if dir.exists() {
        // The default demo folder holds only a demo made here: start it afresh. Anything else
        // (a folder given with --data-dir, a folder without the demo marker) is left alone.
        if !dir_given && crate::demo::is_demo_folder(&dir) {
            // Refused, saying by which process, if the demo is open somewhere.
            let lock = dir.lock()?;
            crate::demo::remove_demo_folder(&dir)?;
            drop(lock);
        } else {
            return Err(CliError::new(format!(
                "There is already a case file in {}: remove that folder first, or pass --data-dir to choose another.",
                dir.root().display()
            )));
        }
    }
    let users = crate::demo::create(&dir, profile, people, clock(), |done, total| {
        output::to_stderr(format_args!("\rGenerating people: {done}/{total}"));
        if done == total {
            output::to_stderr(format_args!("\n"));
        }
    })?;
    say!("Demo case file created in {}", dir.root().display());
    for u in &users {
        say!("user {}  role {}  passphrase {}", u.login, u.role.key(), u.passphrase);
    }
    if no_open {
        say!("Open it with: dutydesk --data-dir {}", dir.root().display());
        return Ok(());
    }
    let hint = users
        .iter()
        .map(|u| format!("{}: \"{}\"", u.login, u.passphrase))
        .collect::<Vec<_>>()
        .join("   ");
    crate::tui::run::run(
        dir,
        Some("duty".into()),
        idle_minutes,
        Some(format!("Demo passphrases   {hint}")),
        color.theme(),
    )
    .map_err(CliError::new)
}

fn users(dir: &DataDir, user: Option<&str>, cmd: UsersCommand) -> Res {
    match cmd {
        UsersCommand::List => {
            let store = unlock(dir, user)?;
            for u in store.users()? {
                say!(
                    "{:<20} {:<22} {}",
                    u.login,
                    u.role.key(),
                    store.profile().role_label(u.role)
                );
            }
        }
        UsersCommand::Add { login, role } => {
            let role = Role::parse(&role)?;
            let mut store = unlock(dir, user)?;
            store.require_role(&[Role::DataProtectionLead], "add users")?;
            crate::store::users::check_login(&login)?;
            let pass = auth::new_passphrase(&login, "DUTYDESK_NEW_PASSPHRASE")?;
            let kdf = new_slot_kdf(store.is_demo()?);
            store.add_user(&login, role, &pass, kdf)?;
            say!("Added {login} as {}.", store.profile().role_label(role));
        }
        UsersCommand::Remove { login } => {
            let mut store = unlock(dir, user)?;
            store.remove_user(&login)?;
            say!("Removed {login}; the case file has a new key and their passphrase opens nothing.");
            say!(
                "Backups made before now still open with {login}'s passphrase of the time: delete them, or let `dutydesk backup --keep N` retire them."
            );
        }
        UsersCommand::Passwd { login: None } => {
            let login = auth::login(user)?;
            let old = auth::passphrase(&format!("Current passphrase for {login}: "), "DUTYDESK_PASSPHRASE")?;
            let new = auth::new_passphrase(&login, "DUTYDESK_NEW_PASSPHRASE")?;
            // The store holds the folder's lock until the new slot is saved, so no other
            // command's change to the key slots can slip in between and be lost.
            let mut store = Store::unlock(dir, &login, &old, clock())?;
            let kdf = new_slot_kdf(store.is_demo()?);
            store.change_own_passphrase(&old, &new, kdf)?;
            say!("Changed the passphrase for {login}.");
        }
        UsersCommand::Passwd { login: Some(target) } => {
            let mut store = unlock(dir, user)?;
            let pass = auth::new_passphrase(&target, "DUTYDESK_NEW_PASSPHRASE")?;
            let kdf = new_slot_kdf(store.is_demo()?);
            store.reset_passphrase(&target, &pass, kdf)?;
            say!("Reset the passphrase for {target}.");
        }
    }
    Ok(())
}

/// Prints the completion script for `shell`, generated from the command-line grammar.
fn completions(shell: clap_complete::Shell) -> Res {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dutydesk", &mut out);
    output::text(&String::from_utf8_lossy(&out))
}

/// Prints the manual page (roff), generated from the command-line grammar.
fn man() -> Res {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| CliError::new(format!("The manual page could not be made ({e}).")))?;
    output::text(&String::from_utf8_lossy(&out))
}

fn search(dir: &DataDir, user: Option<&str>, term: &str, json: bool, limit: usize) -> Res {
    let store = unlock(dir, user)?;
    if limit == 0 {
        return Err(CliError::new("--limit must be 1 or more.".into()));
    }
    // Every match is counted, so the limit is the only thing that shortens the list, and the
    // list says so.
    let mut hits = store.search_all(term)?;
    let more = hits.len().saturating_sub(limit);
    hits.truncate(limit);
    let nobody = hits.is_empty();
    if json {
        output::json_rows(&hits, |h| {
            serde_json::json!({
                "id": h.id,
                "name": h.name,
                "categories": h.categories.iter().map(|c| c.key()).collect::<Vec<_>>(),
                "postcode": h.postcode,
                "phone_last_digits": h.phone_tail,
                "restricted": h.restricted,
                "open_requests": h.open_requests,
            })
        })?;
        return search_ending(term, nobody, more, limit);
    }
    if nobody {
        return search_ending(term, nobody, more, limit);
    }
    say!(
        "{:>6}  {:<30} {:<28} {:<9} {:<6} flags",
        "id",
        "name",
        "categories",
        "postcode",
        "phone"
    );
    for h in hits {
        let cats = h
            .categories
            .iter()
            .map(|c| store.profile().category_label(*c).to_lowercase())
            .collect::<Vec<_>>()
            .join(", ");
        let mut flags = Vec::new();
        if h.restricted {
            flags.push("RESTRICTED".to_string());
        }
        if h.open_requests > 0 {
            flags.push(format!("{} open request(s)", h.open_requests));
        }
        say!(
            "{:>6}  {:<30} {:<28} {:<9} {:<6} {}",
            h.id,
            truncate(&h.name, 30),
            truncate(&cats, 28),
            h.postcode.unwrap_or_default(),
            h.phone_tail.map(|t| format!("…{t}")).unwrap_or_default(),
            flags.join(" ")
        );
    }
    search_ending(term, nobody, more, limit)
}

/// How a search ends, as grep does: exit 1 when nobody was found; otherwise, when the limit
/// left some out, how many more matched (on stderr, so the output stays the list).
fn search_ending(term: &str, nobody: bool, more: usize, limit: usize) -> Res {
    if nobody {
        return Err(CliError::negative(format!(
            "Nobody found for \"{}\".",
            output::clean(&term.chars().take(40).collect::<String>())
        )));
    }
    if more > 0 {
        output::to_stderr(format_args!(
            "dutydesk: {more} more matched beyond the first {limit}: narrow the search, or raise --limit.\n"
        ));
    }
    Ok(())
}

pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn profile(dir: &DataDir, user: Option<&str>, cmd: ProfileCommand) -> Res {
    match cmd {
        ProfileCommand::List => {
            for id in crate::profile::builtin_ids() {
                say!("{id}");
            }
        }
        ProfileCommand::Show => {
            let store = unlock(dir, user)?;
            output::text(&store.profile_toml()?)?;
        }
        ProfileCommand::Set { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::new(format!("The profile file {} could not be read ({e}).", file.display())))?;
            crate::profile::parse(&text).map_err(|e| CliError::new(format!("{}: {e}", file.display())))?;
            let mut store = unlock(dir, user)?;
            store.set_profile(&text)?;
            say!("Installed profile version {}.", store.profile().version());
        }
    }
    Ok(())
}

fn due(date: &str, extended: bool, id_received: Option<&str>, fee_received: Option<&str>, region: &str) -> Res {
    let received = validate::date(date)?;
    let id_received = id_received.map(validate::date).transpose()?;
    let fee_received = fee_received.map(validate::date).transpose()?;
    let region = Region::parse(region)?;
    let cal = HolidayCalendar::new(region);
    let clock = deadline::RequestClock {
        received,
        id_received,
        fee_received,
        pauses: Vec::new(),
    };
    let d = deadline::compute(&clock, &cal, extended)?;
    match d.due {
        Some(due) => say!("{}", due.format("%Y-%m-%d")),
        None => {
            return Err(CliError::new(
                "The clock is paused, so there is no due date yet.".into(),
            ))
        }
    }
    for line in d.explain() {
        say!("{line}");
    }
    Ok(())
}

fn check(dir: &DataDir, user: Option<&str>) -> Res {
    if !dir.exists() {
        return Err(crate::store::StoreError::NoCaseFile(dir.root().to_path_buf()).into());
    }
    let login = auth::login(user)?;
    let pass = auth::passphrase(&format!("Passphrase for {login}: "), "DUTYDESK_PASSPHRASE")?;
    let report = Store::check_folder(dir, &login, &pass, clock())?;
    for note in &report.notes {
        say!("repaired: {note}");
    }
    if report.problems.is_empty() {
        say!("The case file is sound: pages authentic, integrity ok, foreign keys ok, audit chain intact.");
        Ok(())
    } else {
        for p in &report.problems {
            say!("problem: {p}");
        }
        Err(CliError::negative(if report.damaged {
            format!(
                "{} problem(s) found: the case file is damaged, and until `dutydesk check` passes again no other command will open it. Restore it from a backup, or ask for help.",
                report.problems.len()
            )
        } else {
            format!(
                "{} problem(s) found in the audit log: it may have been tampered with. The case file can still be used; tell your data protection lead, who should find out how.",
                report.problems.len()
            )
        }))
    }
}

/// How far ahead `dutydesk notices --due` looks.
const NOTICES_DUE_WITHIN_DAYS: i64 = 7;

fn notices(dir: &DataDir, user: Option<&str>, due_only: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let list: Vec<_> = store
        .pending_notices()?
        .into_iter()
        .filter(|n| !due_only || n.days_left <= NOTICES_DUE_WITHIN_DAYS)
        .collect();
    if json {
        output::json_rows(&list, |n| {
            serde_json::json!({
                "id": n.id,
                "person_id": n.person_id,
                "name": n.person_name,
                "due_on": n.due_on.format("%Y-%m-%d").to_string(),
                "days_left": n.days_left,
                "due_reason": n.due_reason.map(|t| t.key()),
                "obtained_on": n.obtained_on.format("%Y-%m-%d").to_string(),
                "referral_id": n.referral.as_ref().map(|r| r.id),
            })
        })?;
        return Ok(());
    }
    if list.is_empty() {
        say!(
            "{}",
            if due_only {
                "No Article 14 notice is overdue or due within 7 days."
            } else {
                "No Article 14 notice is waiting to be given."
            }
        );
        return Ok(());
    }
    say!(
        "{:>6}  {:>6}  {:<30} {:<10} {:<12} why",
        "notice",
        "person",
        "name",
        "due",
        "days left"
    );
    for n in list {
        let left = match n.days_left {
            d if d < 0 => format!("{} overdue", -d),
            0 => "today".to_string(),
            d => d.to_string(),
        };
        say!(
            "{:>6}  {:>6}  {:<30} {:<10} {:<12} {}",
            n.id,
            n.person_id,
            truncate(&n.person_name, 30),
            n.due_on.format("%Y-%m-%d"),
            left,
            n.due_reason.map(|t| t.describe()).unwrap_or("")
        );
    }
    Ok(())
}

fn notice(dir: &DataDir, user: Option<&str>, person_id: i64, out: &std::path::Path) -> Res {
    let store = unlock(dir, user)?;
    let (html, text) = crate::export::notice::write_notice(&store, person_id, out)?;
    say!("{}", html.display());
    say!("{}", text.display());
    Ok(())
}

fn dbs(dir: &DataDir, user: Option<&str>, due: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.dbs_register(due.then_some(60))?;
    if json {
        output::json(&rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        say!(
            "No DBS checks{}.",
            if due {
                " due for renewal in the next 60 days"
            } else {
                ""
            }
        );
        return Ok(());
    }
    say!(
        "{:<28} {:<24} {:<10} {:<10} outcome",
        "volunteer",
        "roles",
        "issued",
        "renewal"
    );
    for r in &rows {
        say!(
            "{:<28} {:<24} {:<10} {:<10} {}{}",
            r.person_name.chars().take(28).collect::<String>(),
            r.roles.chars().take(24).collect::<String>(),
            r.issue_date.format("%d/%m/%Y"),
            r.renewal_due.format("%d/%m/%Y"),
            r.outcome.map(|o| o.label()).unwrap_or("-"),
            if r.update_service { ", update service" } else { "" }
        );
    }
    Ok(())
}

fn holds(dir: &DataDir, user: Option<&str>, all: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let holds = store.holds(all)?;
    if json {
        output::json(&holds)?;
        return Ok(());
    }
    if holds.is_empty() {
        say!("No legal holds{}.", if all { "" } else { " stand" });
        return Ok(());
    }
    say!("{:>5}  {:<10} {:<10} {:<28} reason", "id", "placed", "review", "person");
    for h in &holds {
        let review = match (h.lifted_on, h.review_on) {
            (Some(l), _) => format!("lifted {}", l.format("%d/%m/%Y")),
            (None, Some(r)) => r.format("%d/%m/%Y").to_string(),
            (None, None) => "-".into(),
        };
        say!(
            "{:>5}  {:<10} {:<10} {:<28} {}",
            h.id,
            h.placed_on.format("%d/%m/%Y"),
            review,
            h.person_name.chars().take(28).collect::<String>(),
            h.reason
        );
    }
    Ok(())
}

fn list(
    dir: &DataDir,
    user: Option<&str>,
    purpose: &str,
    out: Option<&std::path::Path>,
    labels: Option<&std::path::Path>,
) -> Res {
    if out.is_none() && labels.is_none() {
        return Err(CliError::new(
            "Say where to write the list: --out FILE for CSV, --labels FILE for printable address labels, or both."
                .into(),
        ));
    }
    let store = unlock(dir, user)?;
    if let Some(path) = out {
        let n = crate::export::mailing::write_mailing_list(&store, purpose, path)?;
        say!("{n} people on the {purpose} list, written to {}.", path.display());
    }
    if let Some(path) = labels {
        let n = crate::export::mailing::write_address_labels(&store, purpose, path)?;
        say!("{n} address labels for {purpose}, written to {}.", path.display());
    }
    say!("These files hold personal data: delete them once used (the case file keeps everything).");
    Ok(())
}

fn complaints(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.complaints()?;
    if json {
        output::json(&rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        say!("No complaint has been recorded.");
        return Ok(());
    }
    for c in &rows {
        let state = match (c.acknowledged_on, c.outcome_on) {
            (None, _) => format!("acknowledge by {}", c.acknowledge_by.format("%d/%m/%Y")),
            (Some(a), None) => format!("acknowledged {}; answer still to send", a.format("%d/%m/%Y")),
            (_, Some(o)) => format!("answered {}", o.format("%d/%m/%Y")),
        };
        say!(
            "{:>4}  {}  {:<24} {}",
            c.id,
            c.received_on.format("%d/%m/%Y"),
            c.who.chars().take(24).collect::<String>(),
            state
        );
    }
    Ok(())
}

fn breaches(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.breaches()?;
    if json {
        output::json(&rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        say!("No breach has been recorded.");
        return Ok(());
    }
    let now = store.clock().now();
    for b in &rows {
        let state = match (b.risk, b.next_step()) {
            (_, Some(step)) => {
                let left = crate::domain::breach::hours_left(b.aware_at, now);
                if left < 0 {
                    format!("{step}: {} hours late", -left)
                } else {
                    format!("{step}: {left} hours left")
                }
            }
            (Some(r), None) => match &b.ico_reference {
                Some(reference) => format!("reported to the ICO ({reference})"),
                None => format!("decided: {}", r.key()),
            },
            (None, None) => String::new(),
        };
        say!(
            "{:>4}  aware {}  {}  {}",
            b.id,
            b.aware_at.format("%d/%m/%Y %H:%M"),
            b.what.chars().take(40).collect::<String>(),
            state
        );
    }
    Ok(())
}

fn disclosures(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.disclosures(None)?;
    if json {
        output::json(&rows)?;
        return Ok(());
    }
    if rows.is_empty() {
        say!("No disclosure has been recorded.");
        return Ok(());
    }
    say!("{} disclosure(s), newest first:", rows.len());
    for d in &rows {
        say!("{:>5}  {}", d.id, d.summary(true));
    }
    Ok(())
}

fn requests(dir: &DataDir, user: Option<&str>, due: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let filter = crate::store::requests::RequestFilter {
        due_within_days: due.then_some(7),
        ..Default::default()
    };
    let rows = store.requests(&filter)?;
    if json {
        output::json_rows(&rows, |r| {
            serde_json::json!({
                "id": r.id,
                "kinds": r.kinds.iter().map(|k| k.key()).collect::<Vec<_>>(),
                "status": r.status.key(),
                "received_on": r.received_on,
                "due": r.due,
                "days_left": r.days_left,
                "subject": r.subject,
            })
        })?;
        return Ok(());
    }
    if rows.is_empty() {
        say!(
            "No open rights requests{}.",
            if due { " due in the next 7 days" } else { "" }
        );
        return Ok(());
    }
    say!(
        "{:>5}  {:<10} {:<10} {:>9}  {:<26} {:<30} status",
        "id",
        "received",
        "due",
        "days left",
        "kinds",
        "subject"
    );
    for r in rows {
        let days = match r.days_left {
            Some(d) if d < 0 => format!("{} over", -d),
            Some(d) => d.to_string(),
            None => "-".into(),
        };
        say!(
            "{:>5}  {:<10} {:<10} {:>9}  {:<26} {:<30} {}",
            r.id,
            r.received_on.to_string(),
            r.due.map(|d| d.to_string()).unwrap_or_else(|| "stopped".into()),
            days,
            truncate(&r.kinds_text(), 26),
            truncate(&r.subject, 30),
            r.status.label().to_lowercase()
        );
    }
    Ok(())
}

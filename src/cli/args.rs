//! The command-line grammar, as clap derive types. `dutydesk --help` and every subcommand's
//! `--help` are generated from the doc comments here.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// dutydesk: the duty officer's case manager for small UK volunteer charities.
#[derive(Debug, Parser)]
#[command(name = "dutydesk", version, about, long_about = None)]
pub struct Cli {
    /// The data folder holding the case file (default: the platform data directory).
    #[arg(long, global = true, value_name = "DIR", env = "DUTYDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// The user to act as (otherwise asked for, or taken from DUTYDESK_USER).
    #[arg(long, global = true, value_name = "LOGIN", env = "DUTYDESK_USER")]
    pub user: Option<String>,

    /// Lock the screen after this many minutes without a key (default 10).
    #[arg(long, global = true, value_name = "MINUTES", env = "DUTYDESK_IDLE_MINUTES")]
    pub idle_minutes: Option<u32>,

    /// Colours in the terminal interface: auto (unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// With no command, dutydesk opens the terminal interface on the data folder.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Whether the terminal interface uses colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour, unless the NO_COLOR environment variable is set (to anything but "").
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// The interface's theme for this choice.
    pub fn theme(self) -> crate::tui::terminal::Theme {
        use crate::tui::terminal::{colors_enabled, Theme};
        match self {
            ColorChoice::Auto => Theme::for_colors(colors_enabled()),
            ColorChoice::Always => Theme::for_colors(true),
            ColorChoice::Never => Theme::plain(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted case file with its first data protection lead.
    ///
    /// The built-in profiles are written for any scheme of their kind: they need the
    /// organisation's name, postal address, phone number and email address, which every
    /// notice and letter then carries.
    ///
    /// Example:
    ///   DUTYDESK_NEW_PASSPHRASE='...' dutydesk init --user sam \
    ///     --organisation "Kings Sutton Good Neighbours" --address "1 High Street, Kings Sutton, OX17 3RQ" \
    ///     --phone "01295 000000" --email "help@ksgn.org.uk"
    #[command(verbatim_doc_comment)]
    Init {
        /// A built-in profile (good-neighbours, perinatal-peer-support) or a TOML file.
        #[arg(long, default_value = "good-neighbours")]
        profile: String,
        /// The organisation's name, as its notices and letters will give it.
        #[arg(long)]
        organisation: Option<String>,
        /// The organisation's postal address, on one line.
        #[arg(long)]
        address: Option<String>,
        /// The organisation's phone number.
        #[arg(long)]
        phone: Option<String>,
        /// The organisation's email address for data protection questions.
        #[arg(long)]
        email: Option<String>,
    },
    /// Create a demo case file full of synthetic people, then open it.
    #[command(after_help = "Example: dutydesk demo --profile perinatal-peer-support --people 500")]
    Demo {
        /// The built-in profile the demo charity runs under: good-neighbours (a Good
        /// Neighbours scheme) or perinatal-peer-support (a perinatal peer-support charity).
        #[arg(long, default_value = "good-neighbours")]
        profile: String,
        /// How many people to generate.
        #[arg(long, default_value_t = 300)]
        people: usize,
        /// Only create the file; do not open the terminal interface.
        #[arg(long)]
        no_open: bool,
    },
    /// Manage who can unlock the case file.
    #[command(subcommand)]
    #[command(after_help = "Example: dutydesk users add jsmith --role duty_officer")]
    Users(UsersCommand),
    /// Find people by name, alias, phone, postcode or email.
    #[command(after_help = "Example: dutydesk search smith --limit 50 --json")]
    Search {
        /// What to look for: a few letters of a name, a phone fragment, a postcode...
        term: String,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// At most this many results (every match is counted: how many more matched is said
        /// on stderr).
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show or change the organisation profile (the privacy notice in machine form).
    #[command(subcommand)]
    #[command(after_help = "Example: dutydesk profile show > notice.toml")]
    Profile(ProfileCommand),
    /// Print the response deadline for a rights request received on DATE.
    #[command(after_help = "Example: dutydesk due 05/03/2026 --id-received 10/03/2026")]
    Due {
        /// The date the request arrived (YYYY-MM-DD or DD/MM/YYYY).
        date: String,
        /// The deadline after an extension (three months from the start).
        #[arg(long)]
        extended: bool,
        /// The date proof of identity arrived, if it was asked for.
        #[arg(long, value_name = "DATE")]
        id_received: Option<String>,
        /// The date a fee arrived, if one was asked for.
        #[arg(long, value_name = "DATE")]
        fee_received: Option<String>,
        /// Bank-holiday region: england-and-wales, scotland or northern-ireland.
        #[arg(long, default_value = "england-and-wales")]
        region: String,
    },
    /// List the Article 14 notices still to be given, soonest first, with days left.
    #[command(after_help = "Example: dutydesk notices --due")]
    Notices {
        /// Only notices that are overdue, due today or due within the next 7 days.
        #[arg(long)]
        due: bool,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write a person's Article 14 notice as a printable HTML file and a plain-text file.
    #[command(after_help = "Example: dutydesk notice 42 --out ~/exports/notices")]
    Notice {
        /// The person's id (as `dutydesk search` shows it).
        person_id: i64,
        /// The folder to write the two files into (created if it does not exist).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Check the case file: SQLite integrity, foreign keys and the audit chain.
    #[command(after_help = "Example: dutydesk check && echo sound")]
    Check,
    /// Everything due, most urgent first, as your role's handover lists it.
    ///
    /// Example: dutydesk handover --json | jq '.[] | select(.days_left < 0)'
    #[command(verbatim_doc_comment)]
    Handover {
        /// Print a JSON array (queue, kind, id, person_id, person, what, due, due_at,
        /// days_left).
        #[arg(long)]
        json: bool,
    },
    /// One person, as your role may see them.
    ///
    /// Example: dutydesk person 42 --json
    #[command(verbatim_doc_comment)]
    Person {
        /// The person's id (as `dutydesk search` shows it).
        id: i64,
        /// Print the whole record as JSON (what your role may see; sections it may not are
        /// null).
        #[arg(long)]
        json: bool,
    },
    /// Referrals: open ones (new, contacted), oldest first.
    ///
    /// Example: dutydesk referrals --all --json
    #[command(verbatim_doc_comment)]
    Referrals {
        /// Every referral, decided ones too.
        #[arg(long)]
        all: bool,
        /// Print a JSON array (id, status, urgency, received_on, days_waiting, person_id,
        /// person, referrer_kind, referrer_id, referrer, referrer_organisation, services).
        #[arg(long)]
        json: bool,
    },
    /// Enquiries, newest first: who asked, how, about what, and the answer (the ones your role
    /// receives).
    ///
    /// Example: dutydesk enquiries --open
    #[command(verbatim_doc_comment)]
    Enquiries {
        /// Only those not answered yet.
        #[arg(long)]
        open: bool,
        /// Print a JSON array (id, person_id, person, received_on, channel, about,
        /// answered_on, answer).
        #[arg(long)]
        json: bool,
    },
    /// The support groups, open ones first, with how many belong to each now.
    ///
    /// Example: dutydesk groups --json
    #[command(verbatim_doc_comment)]
    Groups {
        /// Print a JSON array (id, name, format, meets, started_on, closed_on, members).
        #[arg(long)]
        json: bool,
    },
    /// Donations, newest first, from the donors whose correspondence your role receives,
    /// with the total and how much of it carries Gift Aid.
    ///
    /// Example: dutydesk donations --json
    #[command(verbatim_doc_comment)]
    Donations {
        /// Print a JSON array (id, person_id, person, received_on, amount_pence, platform,
        /// shared_with_consent_on, gift_aid).
        #[arg(long)]
        json: bool,
    },
    /// Log a call, email, letter or visit with someone (it becomes their last contact).
    ///
    /// Example: dutydesk log 42 --kind call --note "Confirmed Tuesday's lift"
    #[command(verbatim_doc_comment)]
    Log {
        /// The person's id.
        person: i64,
        /// call, email, letter or visit.
        #[arg(long)]
        kind: String,
        /// What was said, briefly (no health details: record those in the terminal).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Bring people in from a spreadsheet (CSV, XLSX, XLSM, XLSB, XLS or ODS): check every
    /// row with --dry-run first, put right what the report says, then import.
    ///
    /// Columns are matched to fields by their headers (Name, First name, Surname, Tel,
    /// Mobile, Email, Address, Town, Postcode, DOB, Type, Referred by...), or by the
    /// mapping saved for the same headers; fix any with --map. Fields: title, given_name,
    /// family_name, full_name, aliases, address, postcode, phone, email, date_of_birth,
    /// organisation, notes, category, source. Dates are read day first (25/12/1940) or
    /// as the spreadsheet's own dates; month-first dates are refused, never swapped.
    /// People whose details came from someone else (--from, or a "Referred by" column) get
    /// a privacy notice due. The rows that can come in go in as one change, all or none;
    /// rows with problems are left out and named.
    ///
    /// Example: dutydesk import clients.xlsx --category client --from "Age UK referrals" --dry-run --report check.csv
    #[command(verbatim_doc_comment)]
    Import(ImportArgs),
    /// Bring links between people already on file in from a spreadsheet: next of kin,
    /// relatives, emergency contacts, referees, workers, or which volunteer is assigned to
    /// which client (the rota).
    ///
    /// Each row names two people, in two columns of the sheet (the people's own sheet or
    /// another), by dutydesk id (#42), email, phone number or name; a name two people on
    /// file share is refused with their ids, to write instead. Import the people first.
    /// Kinds: relative, next_of_kin, emergency_contact, referee, assigned_volunteer,
    /// professional (the second column is the relative, volunteer...). All links or none.
    ///
    /// Example: dutydesk import-links rota.xlsx --person-column Client --other-column Volunteer --kind assigned_volunteer --services Befriending --dry-run
    #[command(verbatim_doc_comment)]
    ImportLinks(LinkArgs),
    /// Promise to call someone back: it waits on the handover until done.
    ///
    /// Example: dutydesk callback 42 --by "tomorrow 10:00" --about "lift to the surgery"
    #[command(verbatim_doc_comment)]
    Callback {
        /// The person's id.
        person: i64,
        /// When by: "today 15:00", "tomorrow", "fri 10:30" or "25/12/2026 09:00".
        #[arg(long)]
        by: String,
        /// What it is about, in a few words.
        #[arg(long)]
        about: String,
    },
    /// Write the subject access pack for an access request (data protection lead): index.html,
    /// data.json and redaction_review.txt, into a new folder.
    ///
    /// Example: dutydesk sar 12 --out ~/exports/request-12
    #[command(verbatim_doc_comment)]
    Sar {
        /// The request's number.
        request: i64,
        /// The folder to write into (refused if it already holds a pack).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the portability files for a portability request (data protection lead): what
    /// the person gave, as JSON and CSV.
    ///
    /// Example: dutydesk portability 12 --out ~/exports/request-12
    #[command(verbatim_doc_comment)]
    Portability {
        /// The request's number.
        request: i64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write a letter about a rights request, as HTML (to print) and plain text (to email).
    ///
    /// Example: dutydesk letter 12 acknowledgement --out ~/exports/request-12
    #[command(verbatim_doc_comment)]
    Letter {
        /// The request's number.
        request: i64,
        /// acknowledgement, id_request, clarification_request, fee_request, extension_notice,
        /// refusal, completion, partial_compliance, objection_decision or restriction_lifted.
        kind: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write a complaint's letter again (data protection lead), as HTML and plain text: the
    /// acknowledgement once it is acknowledged, the outcome once it is answered.
    ///
    /// Example: dutydesk complaint-letter 3 outcome --out ~/exports/complaint-3
    #[command(verbatim_doc_comment)]
    ComplaintLetter {
        /// The complaint's number (see `dutydesk complaints`).
        complaint: i64,
        /// acknowledgement or outcome.
        kind: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the letters to the people a breach affects (data protection lead), once its
    /// risk to them is judged high (Article 34): one per person named, or one for everyone.
    ///
    /// Example: dutydesk breach-letters 2 --out ~/exports/breach-2
    #[command(verbatim_doc_comment)]
    BreachLetters {
        /// The breach's number (see `dutydesk breaches`).
        breach: i64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print a shell completion script for bash, zsh or fish.
    ///
    /// Example (bash): dutydesk completions bash > ~/.local/share/bash-completion/completions/dutydesk
    #[command(verbatim_doc_comment)]
    Completions {
        /// bash, zsh or fish (also elvish, powershell).
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from the same definitions as --help.
    ///
    /// Example: dutydesk man > ~/.local/share/man/man1/dutydesk.1
    #[command(verbatim_doc_comment)]
    Man,
    /// Back the case file up into one encrypted file that every user opens with their own
    /// passphrase (`backup verify FILE` checks one without restoring it).
    #[command(args_conflicts_with_subcommands = true)]
    #[command(after_help = "Example: dutydesk backup --to /media/usb/dutydesk --keep 10")]
    Backup {
        #[command(subcommand)]
        action: Option<BackupCommand>,
        /// The folder to write it into, a USB stick for instance (default: `backups` in the
        /// data folder).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// Keep only the newest N backups (1 or more) in that folder, removing older ones.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
    },
    /// Two or three laptops, one case file: make a laptop from the hub, carry bundles of
    /// changes between them, and resolve the conflicts a merge finds.
    #[command(subcommand)]
    #[command(
        after_help = "Example: dutydesk sync export --to /media/usb  (then, on the other laptop: dutydesk sync import FILE)"
    )]
    Sync(SyncCommand),
    /// Restore a backup into the data folder, erasing again everyone erased since it was made.
    #[command(after_help = "Example: dutydesk restore /media/usb/dutydesk/dutydesk-backup-20261201-093000.ddbak")]
    Restore {
        /// The backup file (`dutydesk-backup-....ddbak`).
        file: PathBuf,
        /// Replace the case file already in the data folder (it is kept beside it).
        #[arg(long)]
        replace: bool,
        /// Do not ask before replacing (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// The DBS register (roles given criminal offence data): each volunteer's latest check,
    /// soonest renewal first. The view is audited.
    #[command(after_help = "Example: dutydesk dbs --due")]
    Dbs {
        /// Only checks due for renewal within 60 days, and overdue ones.
        #[arg(long)]
        due: bool,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Write the mailing list for a purpose the profile makes lists for (events, administrative
    /// messages...): as CSV (--out) and/or printable address labels (--labels, HTML). Leaves out
    /// restricted records, everyone who objected, people referred but not yet clients, and
    /// (for a purpose resting on consent) anyone without it in force. Audited; the files are
    /// private (0600).
    #[command(after_help = "Example: dutydesk list events --out events.csv --labels labels.html")]
    List {
        /// The purpose's key in the profile (`dutydesk profile show` lists them; a wrong one is
        /// answered with the purposes that make lists).
        purpose: String,
        /// Write the list as CSV (name, email, address, postcode) to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write printable address labels (HTML, 21 to an A4 sheet) to this file.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
    /// Complaints (data protection lead): open ones first, with the day each must be
    /// acknowledged by, then answered ones.
    #[command(after_help = "Example: dutydesk complaints --json")]
    Complaints {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// The breach log (data protection lead): every personal data breach recorded, newest
    /// first, with its 72-hour clock, the decision and the report to the ICO.
    #[command(after_help = "Example: dutydesk breaches")]
    Breaches {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// List disclosures (the roles the profile lets disclose): every time someone's details
    /// were passed on, newest first, with why it was allowed.
    #[command(after_help = "Example: dutydesk disclosures --json")]
    Disclosures {
        /// Print a JSON array (id, person_id, person_name, recipient, what, disclosed_on,
        /// lawful_basis, ground, permission_how, permission_on, decision_maker, informed,
        /// informed_note, by).
        #[arg(long)]
        json: bool,
    },
    /// List legal holds (data protection lead): standing ones, soonest review first.
    #[command(after_help = "Example: dutydesk holds --all")]
    Holds {
        /// Lifted holds too.
        #[arg(long)]
        all: bool,
        /// Print a JSON array (id, person_id, person, kind, reference, reason, placed_on,
        /// review_on, lifted_on, lift_note).
        #[arg(long)]
        json: bool,
    },
    /// List open rights requests: overdue first, then soonest due.
    #[command(after_help = "Example: dutydesk requests --due --json")]
    Requests {
        /// Only requests due within the next 7 days, and overdue ones.
        #[arg(long)]
        due: bool,
        /// Print a JSON array (id, kinds, status, received_on, due, days_left, subject).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user with their own passphrase (data protection lead only).
    #[command(after_help = "Example: dutydesk users add jsmith --role section_leader")]
    Add {
        /// The new user's login, a short handle such as "jsmith".
        login: String,
        /// duty_officer, section_leader, trustee, membership_secretary, dbs_officer or data_protection_lead.
        #[arg(long)]
        role: String,
    },
    /// List the users who can unlock the case file.
    #[command(after_help = "Example: dutydesk users list")]
    List,
    /// Remove a user and re-key the case file (data protection lead only).
    #[command(after_help = "Example: dutydesk users remove jsmith")]
    Remove { login: String },
    /// Change your own passphrase, or (data protection lead) reset another user's.
    #[command(after_help = "Example: dutydesk users passwd jsmith")]
    Passwd {
        /// Whose passphrase to reset (default: your own).
        login: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Open a backup with your passphrase and check it (integrity, audit chain), restoring
    /// nothing: what it holds, when it was made, by whom.
    #[command(
        after_help = "Example: dutydesk backup verify /media/usb/dutydesk/dutydesk-backup-20261201-093000.ddbak"
    )]
    Verify { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Which laptop this is, the laptops it exchanges bundles with, and the conflicts waiting.
    #[command(after_help = "Example: dutydesk sync status")]
    Status {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make another laptop from this one (the hub; data protection lead): a data folder in DIR
    /// to copy onto the new laptop as its data folder.
    #[command(after_help = "Example: dutydesk sync add-laptop \"Rota laptop\" --to /media/usb")]
    AddLaptop {
        /// A short name for the laptop, such as "Rota laptop".
        name: String,
        /// Where to write the new laptop's data folder (a USB stick, say).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Retire a laptop (the hub; data protection lead): its bundles are refused from now on.
    #[command(after_help = "Example: dutydesk sync retire-laptop 2")]
    RetireLaptop {
        /// The laptop's number (see `sync status`).
        device: i64,
    },
    /// Write a bundle of this laptop's changes for each laptop it exchanges with (on the hub:
    /// every laptop; elsewhere: the hub), encrypted to the users' passphrases.
    #[command(after_help = "Example: dutydesk sync export --to /media/usb")]
    Export {
        /// The folder to write the bundles into.
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Merge a bundle another laptop wrote for this one. Exits 1 if conflicts wait for a
    /// person afterwards.
    #[command(
        after_help = "Example: dutydesk sync import /media/usb/dutydesk-laptop1-to-laptop0-20261201-1730-3.ddsync"
    )]
    Import {
        /// The bundle (`dutydesk-laptopN-to-laptopM-....ddsync`).
        file: PathBuf,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// The conflicts waiting for a person that your role may see.
    #[command(after_help = "Example: dutydesk sync conflicts")]
    Conflicts {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Resolve a conflict: keep this laptop's value, take the other laptop's, or give the
    /// right one.
    #[command(after_help = "Example: dutydesk sync resolve 3 --theirs")]
    #[command(group(clap::ArgGroup::new("how").required(true).args(["mine", "theirs", "value"])))]
    Resolve {
        /// The conflict's number (see `sync conflicts`).
        id: i64,
        /// Keep this laptop's value.
        #[arg(long)]
        mine: bool,
        /// Take the other laptop's value (for a record the other laptop removed: remove it).
        #[arg(long)]
        theirs: bool,
        /// The right value, checked as the form checks it.
        #[arg(long, value_name = "TEXT")]
        value: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Print the profile in force as TOML.
    #[command(after_help = "Example: dutydesk profile show")]
    Show,
    /// Install a new version of the profile from a TOML file (data protection lead only).
    #[command(after_help = "Example: dutydesk profile set my-notice.toml")]
    Set { file: PathBuf },
    /// List the built-in profiles.
    #[command(after_help = "Example: dutydesk profile list")]
    List,
}

/// What every spreadsheet import reads, and how it reports.
#[derive(Debug, clap::Args)]
pub struct SheetArgs {
    /// The spreadsheet file.
    pub file: PathBuf,
    /// The sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Check every row and report; change nothing. Exits 1 if any row has a problem, or
    /// if no row would add or change anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Write every row's status to this CSV file (row, status, person_id, message).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Print the report as JSON (sheet, dry_run, imported, counts, rows).
    #[arg(long)]
    pub json: bool,
}

/// `dutydesk import`: people from a spreadsheet.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub run: SheetArgs,
    /// The category of rows with no category column or cell (client, volunteer...).
    #[arg(long)]
    pub category: Option<String>,
    /// Who gave the charity these details, when not the people themselves: each new
    /// person gets a privacy notice due (Article 14).
    #[arg(long, value_name = "WHO")]
    pub from: Option<String>,
    /// Rows matching someone on file (same name and postcode, phone or email): skip,
    /// fill (their empty fields only), update, or create (a new person anyway).
    #[arg(long, value_name = "POLICY", default_value = "skip")]
    pub duplicates: String,
    /// Map a column to a field, or to none to leave it out ("Tel. No.=phone").
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// Use the mapping saved under this name.
    #[arg(long, value_name = "NAME")]
    pub mapping: Option<String>,
    /// Save the mapping used under this name, for the next sheet like it.
    #[arg(long, value_name = "NAME")]
    pub save_mapping: Option<String>,
}

/// `dutydesk import-links`: links between people on file, from a spreadsheet.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    #[command(flatten)]
    pub run: SheetArgs,
    /// The column naming the first person (the client; the person whose next of kin).
    #[arg(long, value_name = "HEADER")]
    pub person_column: String,
    /// The column naming the second person (the volunteer; the next of kin).
    #[arg(long, value_name = "HEADER")]
    pub other_column: String,
    /// How they are linked.
    #[arg(long)]
    pub kind: String,
    /// What assigned volunteers are assigned for, from the profile's services
    /// (several separated by commas), for rows with no services column.
    #[arg(long)]
    pub services: Option<String>,
    /// A column giving each assignment's services.
    #[arg(long, value_name = "HEADER")]
    pub services_column: Option<String>,
    /// A column saying how the two are related ("daughter", "husband"), from the
    /// profile's relationship types.
    #[arg(long, value_name = "HEADER")]
    pub relation_column: Option<String>,
    /// Who told the charity of these links, when not the people themselves: each
    /// second person gets a privacy notice due (Article 14).
    #[arg(long, value_name = "WHO")]
    pub from: Option<String>,
}

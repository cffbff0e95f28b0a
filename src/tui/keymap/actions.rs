//! What the user can ask for: every [`Action`], with its `keys.toml` name, its footer word and
//! its help sentence, all in one table.

use std::fmt;

macro_rules! actions {
    ($($(#[$vmeta:meta])* $variant:ident => $name:literal, $short:literal, $description:literal;)+) => {
        /// Something the user asks the program to do. Keys map to actions; screens handle
        /// actions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$vmeta])* $variant,)+
        }

        impl Action {
            /// Every action, in the order help lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            /// The stable snake_case name used in `keys.toml`.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)+ }
            }

            /// A word or two for the footer.
            pub fn short(self) -> &'static str {
                match self { $(Action::$variant => $short,)+ }
            }

            /// A sentence for the help popup.
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $description,)+ }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit", "Quit dutydesk (asks first if anything is unsaved)";
    Back => "back", "back", "Go back / close / cancel";
    Help => "help", "help", "Show the keys for this screen";
    OpenSearch => "open_search", "search", "Search for a person";
    Up => "up", "up", "Move up";
    Down => "down", "down", "Move down";
    Left => "left", "left", "Move left / previous button";
    Right => "right", "right", "Move right / next button";
    PageUp => "page_up", "page up", "Move up a page";
    PageDown => "page_down", "page down", "Move down a page";
    Top => "top", "top", "Go to the first item";
    Bottom => "bottom", "bottom", "Go to the last item";
    Open => "open", "open", "Open the selected item / press the selected button";
    NextField => "next_field", "next field", "Move to the next field";
    PrevField => "prev_field", "prev field", "Move to the previous field";
    Save => "save", "save", "Save the form";
    Lock => "lock", "lock", "Lock dutydesk now (the passphrase is needed to unlock)";
    Refresh => "refresh", "refresh", "Reload what is on the screen";
    NextScreen => "next_screen", "next screen", "Go to the next screen";
    PrevScreen => "prev_screen", "prev screen", "Go to the previous screen";
    Screen1 => "screen_1", "screen 1", "Go to screen 1";
    Screen2 => "screen_2", "screen 2", "Go to screen 2";
    Screen3 => "screen_3", "screen 3", "Go to screen 3";
    Screen4 => "screen_4", "screen 4", "Go to screen 4";
    Screen5 => "screen_5", "screen 5", "Go to screen 5";
    NewPerson => "new_person", "new person", "Add a new person";
    Edit => "edit", "edit", "Edit this person's details";
    /// The first of two keys: the next key picks the kind of contact (see
    /// [`Context::LogContact`]).
    LogContact => "log_contact", "log contact", "Log a contact: then c call, e email, l letter, v visit";
    LogCall => "log_call", "call", "Log a phone call";
    LogEmail => "log_email", "email", "Log an email";
    LogLetter => "log_letter", "letter", "Log a letter";
    LogVisit => "log_visit", "visit", "Log a visit";
    AddCallback => "add_callback", "callback", "Add a callback (a promise to ring back)";
    CallbackDone => "callback_done", "done", "Act on the selected item: a callback or task done, a review decided (asks first)";
    Link => "link", "link", "Link to another person (a relationship)";
    Unlink => "unlink", "unlink", "Remove the selected relationship (asks first)";
    RevealHealth => "reveal_health", "health", "Show the health notes (asks for a reason; the view is recorded)";
    TakeReferral => "take_referral", "referral", "Take a referral, in the order a call goes";
    AdvanceReferral => "advance_referral", "next step", "Move the referral on: contacted, accepted, declined, withdrawn";
    Filter => "filter", "filter", "Show another group: the next queue, status or kind";
    ShowAll => "show_all", "all", "Show every queue again";
    FilterStatus => "filter_status", "status", "Show requests in another status (open, awaiting ID, ..., closed)";
    GiveConsent => "give_consent", "consent", "Record consent given (shows the exact wording to read out)";
    WithdrawConsent => "withdraw_consent", "withdraw", "Record a consent withdrawn (asks first)";
    NewRequest => "new_request", "rights request", "Record a rights request (access, erasure, ...)";
    RecordPublication => "record_publication", "published", "Record that a photo or story was published (needs consent in force)";
    RecordDisclosure => "record_disclosure", "disclosure", "Record what went to whom (a disclosure), when and on what basis";
    MarkGiven => "mark_given", "given", "Mark the notice given (letter, email, phone, in person)";
    Exemption => "exemption", "exemption", "Record why the notice need not be given";
    WriteFiles => "write_files", "write", "Write the document to a folder (HTML and plain text)";
    Actions => "actions", "actions", "Choose the next step for this request";
    AddHealthNote => "add_health_note", "health note", "Record a health note (only the roles given health data see it)";
    RecordEnquiry => "record_enquiry", "enquiry", "Record an enquiry: who asked, how, what about, any answer";
    Groups => "groups", "groups", "The support groups: who belongs to each; start or close one";
    NewGroup => "new_group", "new group", "Start a support group, face to face or online";
    CloseGroup => "close_group", "close group", "Close the group (everyone in it leaves it today)";
    JoinGroup => "join_group", "join group", "Add this person to a support group";
    RecordDonation => "record_donation", "donation", "Record a donation: amount, day, platform it came through";
    RecordComplaint => "record_complaint", "complaint", "Record a complaint about how we use someone's data (acknowledged within 30 days)";
    RecordBreach => "record_breach", "breach", "Record a personal data breach now (a lost laptop, a letter to the wrong address): the 72 hours start when we knew";
    MailingList => "mailing_list", "lists", "Mailing lists and address labels, without objectors";
    Disclosures => "disclosures", "disclosures", "The disclosure register: every time someone's details were passed on, newest first";
    RecordService => "record_service", "service", "Record a service: asked for, arranged, done or cancelled, and who gives it";
    ApplyDbs => "apply_dbs", "DBS application", "Record a DBS application sent (comes back on the handover after 30 days)";
    RecordDbs => "record_dbs", "DBS check", "Record a DBS check: level, roles covered, outcome, renewal (DBS officers)";
    PlaceHold => "place_hold", "legal hold", "Place a legal hold: keep the record past retention and refuse its erasure (data protection lead)";
    ImportSheet => "import_sheet", "import", "Bring people in from a spreadsheet, checking every row first";
    CheckImport => "check_import", "check", "Check every row of the spreadsheet against the forms' rules and the case file (changes nothing)";
    RunImport => "run_import", "import", "Import the rows that can come in, as one change";
    WriteReport => "write_report", "report", "Write every row's status beside the spreadsheet (row, status, message)";
    Backup => "backup", "backup", "Back the case file up now, to a folder or a USB stick (encrypted)";
    Laptops => "laptops", "laptops", "Other laptops: bundles in and out, and merge conflicts";
    ExportBundles => "export_bundles", "export", "Write this laptop's changes for the other laptops (encrypted)";
    ImportBundle => "import_bundle", "take in", "Merge a bundle another laptop wrote for this one";
    AddLaptop => "add_laptop", "add laptop", "Make another laptop from this one (hub, data protection lead)";
    KeepMine => "keep_mine", "keep mine", "Resolve the conflict: this laptop's value stands";
    TakeTheirs => "take_theirs", "take theirs", "Resolve the conflict: take the other laptop's value";
    TypeValue => "type_value", "type value", "Resolve the conflict with the right value, typed";
    Undo => "undo", "undo", "Undo your last edit to a person's record (shows what goes back first)";
    Confirm => "confirm", "yes", "Yes: go ahead";
    CreateAnyway => "create_anyway", "create anyway", "Save the new person anyway: they are none of the people listed";
    Cancel => "cancel", "no", "No: leave things as they are";
}

impl Action {
    /// Whether the action removes or closes something the user may want back.
    pub fn destructive(self) -> bool {
        matches!(self, Action::CallbackDone | Action::Unlink | Action::WithdrawConsent)
    }

    /// Whether the program asks "are you sure?" before doing the action.
    pub fn confirms(self) -> bool {
        matches!(self, Action::CallbackDone | Action::Unlink | Action::WithdrawConsent)
    }

    /// Parses a snake_case name (case-insensitive, `-` reads as `_`).
    pub fn parse(name: &str) -> Option<Action> {
        let norm = name.trim().to_ascii_lowercase().replace('-', "_");
        Action::ALL.iter().copied().find(|a| a.name() == norm)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

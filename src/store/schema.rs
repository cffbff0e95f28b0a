//! The case file's schema and its versioned migrations.
//!
//! `PRAGMA user_version` holds the schema version. Each migration is applied in a transaction;
//! a file newer than this binary is refused rather than guessed at. Settings that must precede
//! the first table (auto_vacuum) are applied by [`prepare_new`].

use super::error::{Result, StoreError};
use rusqlite::Connection;

/// Migrations in order; index + 1 is the version each one brings the file to.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8];

/// The schema version this binary writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Settings for an empty file, before any table exists.
pub fn prepare_new(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA auto_vacuum = FULL;")?;
    Ok(())
}

/// Brings the file up to [`latest`]; returns the version it found.
pub fn migrate(conn: &mut Connection) -> Result<i64> {
    migrate_to(conn, latest())
}

/// Brings the file up to `target` (tests use this to build every earlier version); returns
/// the version it found.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > latest() {
        return Err(StoreError::NewerSchema { found, known: latest() });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target.max(0) as usize)
        .skip(found as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == 4 {
            // The search index was made again without `contentless_delete`: fill it from the
            // people rows, in the same transaction as the rest of the version.
            super::search::index_everyone(&tx)?;
        }
        if i + 1 == 8 {
            // Each table's id mark and the trigger that keeps it (see `store::ids`).
            super::ids::install_marks(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(found)
}

/// Version 1: the whole mission's schema.
const V1: &str = r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every version of the organisation profile ever installed; the newest is in force.
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    profile_id TEXT NOT NULL,
    profile_version INTEGER NOT NULL,
    toml TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    installed_by INTEGER REFERENCES users(id)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    referrer_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    referrer_kind TEXT,
    referrer_org TEXT,
    services TEXT NOT NULL DEFAULT '',
    person_knows INTEGER NOT NULL DEFAULT 0,
    person_agrees INTEGER NOT NULL DEFAULT 0,
    urgency TEXT NOT NULL DEFAULT 'routine' CHECK (urgency IN ('routine', 'soon', 'urgent')),
    notes TEXT,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'accepted', 'declined', 'withdrawn')),
    received_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX referrals_person ON referrals(person_id);
CREATE INDEX referrals_status ON referrals(status);

CREATE TABLE referral_events (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT,
    by_user INTEGER REFERENCES users(id)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    title TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    address TEXT,
    postcode TEXT,
    email TEXT,
    date_of_birth TEXT,
    organisation TEXT,
    notes TEXT,
    restricted INTEGER NOT NULL DEFAULT 0,
    restricted_on TEXT,
    obtained_how TEXT NOT NULL CHECK (obtained_how IN ('direct', 'indirect')),
    obtained_on TEXT NOT NULL,
    obtained_from_person INTEGER REFERENCES people(id) ON DELETE SET NULL,
    obtained_from_text TEXT,
    obtained_referral INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
    last_contact TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_family ON people(family_name, given_name);
CREATE INDEX people_last_contact ON people(coalesce(last_contact, obtained_on));

CREATE TABLE person_aliases (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    alias TEXT NOT NULL
);
CREATE INDEX person_aliases_person ON person_aliases(person_id);

CREATE TABLE person_phones (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    label TEXT
);
CREATE INDEX person_phones_person ON person_phones(person_id);

CREATE TABLE person_categories (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (person_id, category)
) WITHOUT ROWID;

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('relative', 'next_of_kin', 'emergency_contact', 'referee',
                                       'assigned_volunteer', 'professional')),
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, person_id, other_id),
    CHECK (person_id <> other_id)
);
CREATE INDEX relationships_other ON relationships(other_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'letter', 'visit')),
    at TEXT NOT NULL,
    note TEXT,
    by_user INTEGER REFERENCES users(id)
);
CREATE INDEX contacts_person ON contacts(person_id, at);

CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    about TEXT NOT NULL,
    due_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    done_at TEXT,
    done_by INTEGER REFERENCES users(id)
);
CREATE INDEX callbacks_open ON callbacks(done_at, due_at);

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    volunteer_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    service TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    note TEXT,
    by_user INTEGER REFERENCES users(id)
);
CREATE INDEX services_person ON services(person_id);

-- Special category data (Article 9).
CREATE TABLE health_notes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id)
);
CREATE INDEX health_notes_person ON health_notes(person_id);

-- Criminal offence data (Article 10): the fact of a check, never the certificate's content.
CREATE TABLE dbs_checks (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    service_role TEXT NOT NULL,
    certificate_number TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    seen_by INTEGER REFERENCES users(id),
    renewal_due TEXT NOT NULL,
    recorded_on TEXT NOT NULL
);
CREATE INDEX dbs_checks_person ON dbs_checks(person_id);
CREATE INDEX dbs_checks_renewal ON dbs_checks(renewal_due);

CREATE TABLE article14_notices (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL UNIQUE REFERENCES people(id) ON DELETE CASCADE,
    obtained_on TEXT NOT NULL,
    source_person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    source_text TEXT,
    referral_id INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
    due_on TEXT NOT NULL,
    due_reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'given', 'exempt')),
    given_on TEXT,
    given_how TEXT,
    exemption TEXT,
    exemption_reason TEXT,
    decided_by INTEGER REFERENCES users(id),
    decided_on TEXT,
    review_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX article14_pending ON article14_notices(status, due_on);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('given', 'withdrawn')),
    wording_version INTEGER NOT NULL,
    wording TEXT NOT NULL,
    how TEXT NOT NULL,
    on_date TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    evidence TEXT
);
CREATE INDEX consents_person ON consents(person_id, purpose);

-- Follow-up work: consent withdrawals, Article 19 notifications, ...
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    request_id INTEGER REFERENCES rights_requests(id) ON DELETE CASCADE,
    about TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT,
    done_by INTEGER REFERENCES users(id),
    outcome TEXT,
    reason TEXT
);
CREATE INDEX tasks_open ON tasks(done_on, due_on);

CREATE TABLE rights_requests (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    agent_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    agent_authority TEXT,
    kinds TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'letter', 'in_person')),
    received_on TEXT NOT NULL,
    words TEXT,
    id_status TEXT NOT NULL DEFAULT 'not_needed'
        CHECK (id_status IN ('not_needed', 'requested', 'received')),
    id_requested_on TEXT,
    id_received_on TEXT,
    id_seen TEXT,
    fee_requested_on TEXT,
    fee_received_on TEXT,
    extended INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    extension_told_on TEXT,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'awaiting_id', 'awaiting_clarification', 'awaiting_fee',
                          'closed')),
    refusal_reason TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('complied', 'partly', 'refused')),
    closed_on TEXT,
    closed_by INTEGER REFERENCES users(id),
    change_record TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX rights_requests_person ON rights_requests(person_id);
CREATE INDEX rights_requests_status ON rights_requests(status);

CREATE TABLE request_pauses (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    asked_on TEXT NOT NULL,
    received_on TEXT
);

CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    what TEXT NOT NULL,
    disclosed_on TEXT NOT NULL,
    lawful_basis TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id)
);
CREATE INDEX disclosures_person ON disclosures(person_id);

CREATE TABLE objections (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    request_id INTEGER REFERENCES rights_requests(id) ON DELETE SET NULL,
    purpose TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('stop', 'continue')),
    reasons TEXT,
    decided_by INTEGER REFERENCES users(id),
    decided_on TEXT NOT NULL
);

CREATE TABLE legal_holds (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    placed_on TEXT NOT NULL,
    placed_by INTEGER REFERENCES users(id),
    lifted_on TEXT,
    lifted_by INTEGER REFERENCES users(id)
);

-- Ids and field names only, never personal values, so erasure never touches it.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    fields TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- What remains of an erased person: the id, the date and the request, nothing else.
CREATE TABLE tombstones (
    person_id INTEGER PRIMARY KEY,
    erased_on TEXT NOT NULL,
    request_id INTEGER
);

CREATE TABLE erasure_ledger (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL,
    request_id INTEGER,
    erased_on TEXT NOT NULL,
    by_user INTEGER,
    rows_removed TEXT NOT NULL
);

-- Quick lookup: contentless (no copy of the values), deletable by rowid, secure-delete on so
-- removed terms do not linger in the index's pages.
CREATE VIRTUAL TABLE people_search USING fts5(
    name, phone, email, postcode, address,
    content = '',
    contentless_delete = 1,
    prefix = '1 2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO people_search(people_search, rank) VALUES ('secure-delete', 1);
"#;

/// Version 2: what referrals, Article 14 exemptions and consent need beyond version 1.
///
/// * `publications`: each time something that needs consent (a photo, a story) was published,
///   so a withdrawal's follow-up task can say what to take down. Recording one is refused
///   while the person's consent for that purpose is not active.
/// * `notice_exemption_reviews`: every later review of an Article 14 exemption (upheld with
///   the next review date, or lifted so the notice is owed again).
/// * `tasks.purpose`: the consent purpose a follow-up task is about.
const V2: &str = r#"
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    consent_id INTEGER REFERENCES consents(id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    published_on TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX publications_person ON publications(person_id, purpose);

CREATE TABLE notice_exemption_reviews (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES article14_notices(id) ON DELETE CASCADE,
    exemption TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('upheld', 'lifted')),
    note TEXT,
    reviewed_on TEXT NOT NULL,
    next_review_on TEXT,
    by_user INTEGER REFERENCES users(id)
);
CREATE INDEX notice_exemption_reviews_notice ON notice_exemption_reviews(notice_id);

ALTER TABLE tasks ADD COLUMN purpose TEXT;
"#;

/// Version 3: rights requests. Why a fee was asked for (only for a manifestly unfounded or
/// excessive request), the lifting of a restriction (date and the lead's note, which the
/// "restriction lifted" letter reports), and a lookup for the Article 19 task queue.
const V3: &str = r#"
ALTER TABLE rights_requests ADD COLUMN fee_reason TEXT;
ALTER TABLE rights_requests ADD COLUMN restriction_lifted_on TEXT;
ALTER TABLE rights_requests ADD COLUMN restriction_lift_note TEXT;
CREATE INDEX tasks_kind ON tasks(kind, done_on);
CREATE INDEX objections_person ON objections(person_id, purpose);
"#;

/// Version 4:
///
/// * `people_names`: a narrow copy of each person's name and restriction, so the handover
///   can name thousands of items by reading a few hundred dense index pages instead of the
///   scattered, much wider people rows (each page of which is decrypted and authenticated).
/// * The search index again, without `contentless_delete`. With it, deleting a row only marks
///   it deleted and leaves its terms in the index's pages until a merge (so an erasure had to
///   merge the whole index, about a second on 100,000 people, and a corrected phone number
///   stayed in the index until then). Without it, a row is taken out with FTS5's `delete`
///   command and the values it was written with, which with `secure-delete` removes every term
///   there and then. [`migrate_to`] fills the new index from the people rows in the same
///   transaction.
const V4: &str = r#"
CREATE INDEX people_names ON people(id, restricted, title, given_name, family_name);
DROP TABLE people_search;
CREATE VIRTUAL TABLE people_search USING fts5(
    name, phone, email, postcode, address,
    content = '',
    prefix = '1 2 3',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO people_search(people_search, rank) VALUES ('secure-delete', 1);
"#;

/// Version 5: legal holds as the data protection lead places them: why (a legal claim, an
/// insurance claim, a legal obligation, a regulator), a reference, when to review the hold,
/// and the note it was lifted with (holds from earlier versions keep their reason text); and
/// the case file's own random id, which its backups and erasure register carry, so a restore
/// applies only erasures of this case file (a shared USB stick may hold another's); and the
/// removals of health notes (when, by whom, why; never the note); and "last contact" kept by
/// triggers to the latest of any contact, worked out once for everyone already on file.
const V5: &str = r#"
ALTER TABLE legal_holds ADD COLUMN kind TEXT;
ALTER TABLE legal_holds ADD COLUMN reference TEXT;
ALTER TABLE legal_holds ADD COLUMN review_on TEXT;
ALTER TABLE legal_holds ADD COLUMN lift_note TEXT;
CREATE INDEX legal_holds_person ON legal_holds(person_id, lifted_on);
-- Holds placed before review dates existed come up for review at once.
UPDATE legal_holds SET review_on = date('now') WHERE review_on IS NULL AND lifted_on IS NULL;
INSERT OR IGNORE INTO meta (key, value) VALUES ('case_file_id', lower(hex(randomblob(16))));

-- A health note removed: when, by whom and why (never what it said).
CREATE TABLE health_note_removals (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    removed_on TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    reason TEXT NOT NULL
);
CREATE INDEX health_note_removals_person ON health_note_removals(person_id);

-- DBS checks as the DBS officer records them: the level, what the certificate showed (clear,
-- or information disclosed and the decision made on it, and by whom), and whether the
-- volunteer subscribes to the update service. Never the certificate's content.
ALTER TABLE dbs_checks ADD COLUMN level TEXT;
ALTER TABLE dbs_checks ADD COLUMN outcome TEXT;
ALTER TABLE dbs_checks ADD COLUMN decision TEXT;
ALTER TABLE dbs_checks ADD COLUMN decided_by INTEGER REFERENCES users(id);
ALTER TABLE dbs_checks ADD COLUMN update_service INTEGER NOT NULL DEFAULT 0;

-- DBS applications sent and waiting for the certificate (closed when a check is recorded).
CREATE TABLE dbs_applications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    roles TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    closed_on TEXT
);
CREATE INDEX dbs_applications_open ON dbs_applications(closed_on, applied_on);

-- The data protection lead's decisions to keep a record past its retention review: why, and
-- when to look again (an erasure at review leaves a tombstone and a ledger entry instead).
CREATE TABLE retention_keeps (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    decided_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    next_review TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id)
);
CREATE INDEX retention_keeps_person ON retention_keeps(person_id, next_review);

-- Last contact is the latest of any contact (crate::domain::retention::ContactSource): one
-- trigger per source moves it forward in the same transaction as the event; then every
-- person's is worked out once from what the file already holds.
CREATE TRIGGER last_contact_contact_log AFTER INSERT ON contacts BEGIN
    UPDATE people SET last_contact = substr(NEW.at, 1, 10)
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < substr(NEW.at, 1, 10));
END;
CREATE TRIGGER last_contact_service AFTER INSERT ON services BEGIN
    UPDATE people SET last_contact = NEW.delivered_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.delivered_on);
END;
CREATE TRIGGER last_contact_referral AFTER INSERT ON referrals BEGIN
    UPDATE people SET last_contact = NEW.received_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.received_on);
END;
CREATE TRIGGER last_contact_referral_step AFTER INSERT ON referral_events BEGIN
    UPDATE people SET last_contact = NEW.on_date
    WHERE id = (SELECT person_id FROM referrals WHERE id = NEW.referral_id)
      AND (last_contact IS NULL OR last_contact < NEW.on_date);
END;
CREATE TRIGGER last_contact_rights_request AFTER INSERT ON rights_requests WHEN NEW.person_id IS NOT NULL BEGIN
    UPDATE people SET last_contact = NEW.received_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.received_on);
END;
CREATE TRIGGER last_contact_consent AFTER INSERT ON consents BEGIN
    UPDATE people SET last_contact = NEW.on_date
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.on_date);
END;
CREATE TRIGGER last_contact_notice_given AFTER UPDATE OF given_on ON article14_notices
WHEN NEW.given_on IS NOT NULL BEGIN
    UPDATE people SET last_contact = NEW.given_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.given_on);
END;
UPDATE people SET last_contact = (
    SELECT max(d) FROM (
        SELECT people.last_contact AS d
        UNION ALL SELECT max(substr(at, 1, 10)) FROM contacts WHERE person_id = people.id
        UNION ALL SELECT max(delivered_on) FROM services WHERE person_id = people.id
        UNION ALL SELECT max(received_on) FROM referrals WHERE person_id = people.id
        UNION ALL SELECT max(e.on_date) FROM referral_events e JOIN referrals r ON r.id = e.referral_id
                  WHERE r.person_id = people.id
        UNION ALL SELECT max(received_on) FROM rights_requests WHERE person_id = people.id
        UNION ALL SELECT max(on_date) FROM consents WHERE person_id = people.id
        UNION ALL SELECT max(given_on) FROM article14_notices WHERE person_id = people.id
    )
);
"#;

/// Version 6: what a volunteer is assigned for (the services, as the profile names them);
/// services with a status (requested, arranged, done, cancelled) and the day each was
/// recorded. A service counts as contact for the client on the day it was recorded or
/// delivered, whichever is earlier (a lift booked today for next week is contact today), and
/// for the volunteer once it is done. How a relative or contact is related ("daughter"), from
/// the profile's `relationship_types`. A person referred is in the client category (what the
/// notice covers) but not yet a client until the referral is accepted: their client row names
/// the referral still pending. Disclosures say why they were allowed.
const V6: &str = r#"
ALTER TABLE relationships ADD COLUMN services TEXT;
ALTER TABLE relationships ADD COLUMN relation TEXT;
ALTER TABLE person_categories ADD COLUMN pending_referral INTEGER REFERENCES referrals(id) ON DELETE SET NULL;
-- Why each disclosure was allowed: permission (how, when), or an exceptional circumstance with
-- who decided and whether the person was supported to share it, told, or not told (and why).
ALTER TABLE disclosures ADD COLUMN ground TEXT;
ALTER TABLE disclosures ADD COLUMN permission_how TEXT;
ALTER TABLE disclosures ADD COLUMN permission_on TEXT;
ALTER TABLE disclosures ADD COLUMN decision_maker TEXT;
ALTER TABLE disclosures ADD COLUMN person_informed TEXT;
ALTER TABLE disclosures ADD COLUMN informed_note TEXT;
CREATE INDEX disclosures_on ON disclosures(disclosed_on);
-- A publication is live until taken down; a takedown task names the publication (by id only:
-- after an erasure the publication itself is gone).
ALTER TABLE publications ADD COLUMN taken_down_on TEXT;
ALTER TABLE tasks ADD COLUMN publication_id INTEGER;

-- Personal data breaches (Article 33(5): every one documented, reported or not): what
-- happened, when, when the charity became aware (the 72 hours run from then), the people
-- affected (by id, or everyone on the case file), the kinds of data, likely consequences and
-- measures taken; then the lead's judgement of the risk, the reasons, and the report to the
-- ICO with its reference.
CREATE TABLE breaches (
    id INTEGER PRIMARY KEY,
    what TEXT NOT NULL,
    happened_at TEXT,
    aware_at TEXT NOT NULL,
    everyone INTEGER NOT NULL DEFAULT 0,
    data_groups TEXT NOT NULL,
    consequences TEXT NOT NULL,
    measures TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    risk TEXT CHECK (risk IN ('unlikely', 'risk', 'high')),
    decision_reasons TEXT,
    decided_by INTEGER REFERENCES users(id),
    decided_at TEXT,
    reported_at TEXT,
    ico_reference TEXT
);
CREATE TABLE breach_people (
    breach_id INTEGER NOT NULL REFERENCES breaches(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (breach_id, person_id)
) WITHOUT ROWID;
CREATE INDEX breach_people_person ON breach_people(person_id);

-- Complaints about how the charity uses personal data (DPA 2018 s.164A): who, how, what
-- about, the person and request they concern where there is one; acknowledged within 30 days;
-- investigated; the outcome reported.
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    request_id INTEGER REFERENCES rights_requests(id) ON DELETE SET NULL,
    complainant TEXT,
    channel TEXT NOT NULL,
    received_on TEXT NOT NULL,
    about TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    acknowledged_on TEXT,
    acknowledged_how TEXT,
    investigation TEXT,
    outcome TEXT,
    outcome_on TEXT,
    outcome_how TEXT,
    closed_by INTEGER REFERENCES users(id)
);
CREATE INDEX complaints_open ON complaints(outcome_on, received_on);

-- Every refusal names its ground (RefusalGround); a partial compliance says what was provided
-- and what was withheld, on which ground and why.
ALTER TABLE rights_requests ADD COLUMN refusal_ground TEXT;
ALTER TABLE rights_requests ADD COLUMN partly_provided TEXT;
ALTER TABLE rights_requests ADD COLUMN partly_withheld TEXT;
-- Someone acting for the person who is not on file: their name (the letters go to them).
ALTER TABLE rights_requests ADD COLUMN agent_name TEXT;
-- The request a restriction came from, and the day its lifting is planned for: the person is
-- told before it is lifted (Article 18(3)), so a lift waits for that day.
ALTER TABLE rights_requests ADD COLUMN restricted_on TEXT;
ALTER TABLE rights_requests ADD COLUMN restriction_lift_planned TEXT;

-- The letters each decision owes the person (a refusal, an extension notice...): due when the
-- decision is made, then when and how each was sent. Unsent ones wait on the lead's handover.
CREATE TABLE request_letters (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES rights_requests(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sent_on TEXT,
    sent_how TEXT,
    sent_by INTEGER REFERENCES users(id),
    UNIQUE (request_id, kind)
);
CREATE INDEX request_letters_unsent ON request_letters(sent_on, due_on);
ALTER TABLE services ADD COLUMN status TEXT NOT NULL DEFAULT 'done'
    CHECK (status IN ('requested', 'arranged', 'done', 'cancelled'));
ALTER TABLE services ADD COLUMN recorded_on TEXT;
CREATE INDEX services_volunteer ON services(volunteer_id);
DROP TRIGGER last_contact_service;
CREATE TRIGGER last_contact_service AFTER INSERT ON services BEGIN
    UPDATE people SET last_contact = min(NEW.delivered_on, coalesce(NEW.recorded_on, NEW.delivered_on))
    WHERE id = NEW.person_id
      AND (last_contact IS NULL OR last_contact < min(NEW.delivered_on, coalesce(NEW.recorded_on, NEW.delivered_on)));
    UPDATE people SET last_contact = NEW.delivered_on
    WHERE NEW.status = 'done' AND id = NEW.volunteer_id
      AND (last_contact IS NULL OR last_contact < NEW.delivered_on);
END;
CREATE TRIGGER last_contact_service_done AFTER UPDATE OF status, delivered_on ON services
WHEN NEW.status = 'done' BEGIN
    UPDATE people SET last_contact = NEW.delivered_on
    WHERE id IN (NEW.person_id, NEW.volunteer_id)
      AND (last_contact IS NULL OR last_contact < NEW.delivered_on);
END;
"#;

const V7: &str = r#"
-- Enquiries: someone asks about the charity's work or support (by phone, email, social media,
-- letter or in person), answered or not yet. The enquirer is a person on file (so they can be
-- answered, told of their data and erased); the answer, when and by whom.
CREATE TABLE enquiries (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'social_media', 'letter', 'in_person')),
    about TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    answered_on TEXT,
    answer TEXT,
    answered_by INTEGER REFERENCES users(id)
);
CREATE INDEX enquiries_person ON enquiries(person_id);
CREATE INDEX enquiries_open ON enquiries(answered_on, received_on);
CREATE TRIGGER last_contact_enquiry AFTER INSERT ON enquiries BEGIN
    UPDATE people SET last_contact = NEW.received_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.received_on);
END;
CREATE TRIGGER last_contact_enquiry_answered AFTER UPDATE OF answered_on ON enquiries
WHEN NEW.answered_on IS NOT NULL BEGIN
    UPDATE people SET last_contact = NEW.answered_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.answered_on);
END;

-- Support groups, face to face or online, and who belongs to them when: joining and leaving
-- are contact with the person.
CREATE TABLE support_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL CHECK (format IN ('face_to_face', 'online')),
    meets TEXT NOT NULL DEFAULT '',
    started_on TEXT NOT NULL,
    closed_on TEXT
);
CREATE TABLE group_members (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES support_groups(id),
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    joined_on TEXT NOT NULL,
    left_on TEXT
);
CREATE INDEX group_members_person ON group_members(person_id);
CREATE INDEX group_members_group ON group_members(group_id, left_on);
CREATE TRIGGER last_contact_group_joined AFTER INSERT ON group_members BEGIN
    UPDATE people SET last_contact = NEW.joined_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.joined_on);
END;
CREATE TRIGGER last_contact_group_left AFTER UPDATE OF left_on ON group_members WHEN NEW.left_on IS NOT NULL BEGIN
    UPDATE people SET last_contact = NEW.left_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.left_on);
END;

-- Donations: the amount, the day, and where it came through. A donation through a platform
-- (JustGiving, PayPal) brings the donor's details from that platform: it is their source,
-- and the donor's consent on the platform to share them with the charity is recorded.
CREATE TABLE donations (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    received_on TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence > 0),
    platform TEXT,
    shared_with_consent_on TEXT,
    gift_aid INTEGER NOT NULL DEFAULT 0,
    recorded_by INTEGER REFERENCES users(id),
    CHECK (platform IS NULL OR shared_with_consent_on IS NOT NULL)
);
CREATE INDEX donations_person ON donations(person_id);
CREATE TRIGGER last_contact_donation AFTER INSERT ON donations BEGIN
    UPDATE people SET last_contact = NEW.received_on
    WHERE id = NEW.person_id AND (last_contact IS NULL OR last_contact < NEW.received_on);
END;
"#;

/// Version 8: two or three laptops, one case file (see `store::sync`).
///
/// * `this_device`: which laptop this file is (0, the hub, for every file made before) and the
///   range its new ids come from (`store::ids`). Rows already on file are device 0's, so no id
///   changes and no audit entry stops verifying.
/// * `sync_peers`: the laptops this one exchanges bundles with (the hub knows each of the
///   others; another laptop knows only the hub): how many exchanges they have agreed on (the
///   generation of the shared base copy), the last bundle made for them and the last taken
///   from them, and, on the hub, whether the laptop was retired; the generation of the base
///   kept from before the last bundle taken from them (a later bundle of theirs made on it is
///   still taken), and whether a base copy replaced by such a bundle is still to be put in
///   place.
/// * `sync_pending`: bundles made for a peer and not yet answered, each with the base copy
///   that becomes the shared one when the peer's answer says it was taken.
/// * `sync_conflicts`: the same field changed differently on two laptops, kept with the value
///   both started from and both new values until a person decides.
/// * `id_marks` and its triggers (made by `store::ids::install_marks` with this version): the
///   highest id of a row removed on this laptop, per table, so that no id is given twice.
const V8: &str = r#"
CREATE TABLE this_device (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    device INTEGER NOT NULL CHECK (device BETWEEN 0 AND 9000),
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL
);
INSERT INTO this_device (only, device, lo, hi) VALUES (1, 0, 0, 999999999);

CREATE TABLE sync_peers (
    device INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,
    sent_seq INTEGER NOT NULL DEFAULT 0,
    taken_seq INTEGER NOT NULL DEFAULT 0,
    added_on TEXT NOT NULL,
    last_met TEXT,
    retired_on TEXT,
    prev_generation INTEGER,
    swap_pending INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_pending (
    peer INTEGER NOT NULL REFERENCES sync_peers(device),
    seq INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    made_at TEXT NOT NULL,
    PRIMARY KEY (peer, seq)
);

CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    peer INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    col TEXT,
    person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
    base,
    mine,
    theirs,
    found_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users(id),
    resolution TEXT CHECK (resolution IN ('mine', 'theirs', 'edited', 'restriction'))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, person_id);
"#;

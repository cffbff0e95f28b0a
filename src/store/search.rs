//! Quick lookup: the FTS5 index over names, aliases, phone numbers, email, postcode and
//! address, and the role-aware search on top of it.
//!
//! The index is contentless (it keeps no copy of the values) and has `secure-delete` on, so an
//! erased person's terms do not linger in it. Phone numbers are indexed as their digits and
//! every suffix of three or more digits, so "07700 900123", "+44 7700 900123" and a fragment
//! such as "900123" all find the same person; postcodes are indexed with and without the space.
//!
//! A search gathers a capped candidate set from the index (exact name matches first), then
//! checks each candidate against the acting user's role: restricted people appear only for the
//! data protection lead, and a person is never found through a field the role may not see.

use super::error::Result;
use super::Store;
use crate::domain::person::PersonRecord;
use crate::domain::validate::{phone_digits, postcode_key};
use crate::domain::{Category, FieldGroup};
use crate::profile::AccessMatrix;
use rusqlite::{params, Connection};

/// How many candidates the index yields before role checks and ranking.
const CANDIDATES: i64 = 150;

/// One line of search results.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub name: String,
    pub categories: Vec<Category>,
    /// Shown only when the role may see the address.
    pub postcode: Option<String>,
    /// The last four digits of the first phone number, when the role may see phones.
    pub phone_tail: Option<String>,
    pub restricted: bool,
    pub open_requests: i64,
}

/// Writes a person's row in the index from their stored record (a new person, or one whose
/// old row [`unindex_person`] has just taken out).
pub(crate) fn index_person(conn: &Connection, id: i64) -> Result<()> {
    let [name, phone, email, postcode, address] = index_values(&super::person_rows::load_record(conn, id)?);
    conn.prepare_cached(
        "INSERT INTO people_search (rowid, name, phone, email, postcode, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, name, phone, email, postcode, address])?;
    Ok(())
}

/// How many people a generated load brings in before the index is merged into one segment.
pub(crate) const BULK: usize = 1_000;

/// Merges the index into one segment, as a long-lived file's index is kept by FTS5's own
/// merging. After a generated load of thousands (a demo, the benchmarks' file) the index is
/// left in many small segments, and every later change to someone's indexed fields must take
/// their terms out of each (`secure-delete`), which made a merge of 1,000 renamed people twice
/// as slow. About a second on 100,000 people. (Not after a spreadsheet import: it would double
/// the import's time for a gain only a bulk merge soon after would see.)
pub(crate) fn optimize_index(conn: &Connection) -> Result<()> {
    conn.execute_batch("INSERT INTO people_search (people_search) VALUES ('optimize');")?;
    Ok(())
}

/// The values a person's index row holds now, to tell whether a change touched them.
pub(crate) fn indexed_values(conn: &Connection, id: i64) -> Result<[String; 5]> {
    Ok(index_values(&super::person_rows::load_record(conn, id)?))
}

/// Fills the (empty) index with everyone in the people table: the upgrade to schema version 4.
pub(crate) fn index_everyone(conn: &Connection) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM people ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        index_person(conn, id)?;
    }
    Ok(())
}

/// Takes a person's row out of the index, before their record changes or goes. The index is
/// contentless: a plain `DELETE` would only mark the row deleted and leave its terms in the
/// index's pages until a merge. FTS5's `delete` command, given the values the row was written
/// with (computed again from the stored record, exactly as [`index_person`] did), removes
/// every term at once, and with `secure-delete` on, no trace of them stays in the pages.
pub(crate) fn unindex_person(conn: &Connection, id: i64) -> Result<()> {
    unindex_values(conn, id, &index_values(&super::person_rows::load_record(conn, id)?))
}

/// [`unindex_person`] with the values the row was written with, read before they changed.
pub(crate) fn unindex_values(conn: &Connection, id: i64, values: &[String; 5]) -> Result<()> {
    let [name, phone, email, postcode, address] = values;
    conn.prepare_cached(
        "INSERT INTO people_search (people_search, rowid, name, phone, email, postcode, address)
         VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, name, phone, email, postcode, address])?;
    Ok(())
}

/// The five columns of a person's index row: names and aliases, every tail of every phone
/// number (so "0987" finds "07700 900987"), email, postcode with its spaceless key, address.
fn index_values(rec: &crate::domain::person::PersonRecord) -> [String; 5] {
    let mut names = vec![rec.given_name.clone(), rec.family_name.clone()];
    names.extend(rec.aliases.iter().cloned());
    let mut phone_tokens = Vec::new();
    for p in &rec.phones {
        let d = phone_digits(p);
        for i in 0..d.len().saturating_sub(2) {
            phone_tokens.push(d[i..].to_string());
        }
    }
    let postcode = rec
        .postcode
        .as_deref()
        .map(|p| format!("{p} {}", postcode_key(p)))
        .unwrap_or_default();
    [
        names.join(" "),
        phone_tokens.join(" "),
        rec.email.clone().unwrap_or_default(),
        postcode,
        rec.address.clone().unwrap_or_default(),
    ]
}

/// A parsed query: either a phone number (digits) or words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Query {
    Phone(String),
    /// A postcode or its start ("OX17", "OX17 2", "ox172r"), as the spaceless key.
    Postcode(String),
    Words(Vec<String>),
}

/// Whether the input is the start of a UK postcode: an outward code ("OX17", "SW1A"),
/// optionally followed by the start of the inward code ("2", "2R", "2RF").
fn postcode_prefix(t: &str) -> Option<String> {
    let key: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !key.is_ascii() || key.len() < 2 || key.len() > 7 {
        return None;
    }
    let b = key.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=2).contains(&letters) || b.len() <= letters || !b[letters].is_ascii_digit() {
        return None;
    }
    // Outward code: letters, a digit, then an optional digit or letter; the rest must read
    // as the start of an inward code (a digit, then up to two letters).
    let rest = &key[letters + 1..];
    let plausible = |outward_extra: usize| {
        let inward = &rest[outward_extra..];
        let ib = inward.as_bytes();
        ib.is_empty() || (ib[0].is_ascii_digit() && ib.len() <= 3 && ib[1..].iter().all(|c| c.is_ascii_alphabetic()))
    };
    let ok = plausible(0) || (!rest.is_empty() && rest.as_bytes()[0].is_ascii_alphanumeric() && plausible(1));
    ok.then_some(key)
}

fn parse(input: &str) -> Option<Query> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    let phoneish = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if phoneish {
        let d = phone_digits(t);
        return (!d.is_empty()).then_some(Query::Phone(d));
    }
    if let Some(key) = postcode_prefix(t) {
        return Some(Query::Postcode(key));
    }
    let words: Vec<String> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .take(8)
        .collect();
    (!words.is_empty()).then_some(Query::Words(words))
}

/// The field group a query searches: a postcode or a phone number matches only that column,
/// so only people whose postcode (or phone) the role sees can be found by it, and the cap
/// counts only those (a duty officer sees volunteers' phones, not their addresses). Words
/// match names, and whatever else the role sees is checked afterwards.
fn searched_group(q: &Query) -> FieldGroup {
    match q {
        Query::Postcode(_) => FieldGroup::Address,
        Query::Phone(_) => FieldGroup::Phone,
        Query::Words(_) => FieldGroup::Name,
    }
}

fn fts_prefix(q: &Query) -> String {
    match q {
        Query::Phone(d) => format!("phone : \"{d}\"*"),
        Query::Postcode(k) => format!("postcode : \"{}\"*", k.to_lowercase()),
        Query::Words(ws) => ws.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" AND "),
    }
}

fn fts_exact_name(q: &Query) -> String {
    match q {
        // A never-matching query keeps the SQL the same shape.
        Query::Phone(_) | Query::Postcode(_) => "name : \"\u{1}\"".to_string(),
        Query::Words(ws) => ws
            .iter()
            .map(|w| format!("name : \"{w}\""))
            .collect::<Vec<_>>()
            .join(" AND "),
    }
}

/// Folds common Latin diacritics so "zoe" matches "Zoë" as the index does.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ý' | 'ÿ' => 'y',
            'ś' | 'š' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ł' => 'l',
            other => other,
        })
        .collect()
}

fn has_word_prefix(field: &str, token: &str) -> bool {
    fold(field)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(token))
}

/// The start of a candidate query: index matches (the MATCH expression follows).
const FILTERED: &str = "SELECT rowid AS pid FROM people_search WHERE people_search MATCH";
/// The rest of a candidate query: only people of the categories in `?5` (a JSON array), not
/// restricted unless `?4` (the data protection lead), at most `?3`.
const FILTER_TAIL: &str = "AND EXISTS (SELECT 1 FROM person_categories c WHERE c.person_id = people_search.rowid
                           AND c.category IN (SELECT value FROM json_each(?5)))
     AND (?4 OR NOT EXISTS (SELECT 1 FROM people r WHERE r.id = people_search.rowid AND r.restricted = 1))
     LIMIT ?3";

const CANDIDATE_SELECT: &str =
    "SELECT p.id, p.title, p.given_name, p.family_name, p.postcode, p.email, p.address, p.restricted,
        (SELECT group_concat(category) FROM person_categories c WHERE c.person_id = p.id),
        (SELECT group_concat(phone, '|') FROM person_phones f WHERE f.person_id = p.id),
        (SELECT group_concat(alias, '|') FROM person_aliases a WHERE a.person_id = p.id),
        (SELECT count(*) FROM rights_requests r WHERE r.person_id = p.id AND r.status <> 'closed')
     FROM people p";

fn candidate_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Candidate> {
    let cats: Option<String> = r.get(8)?;
    let phones: Option<String> = r.get(9)?;
    let aliases: Option<String> = r.get(10)?;
    Ok(Candidate {
        id: r.get(0)?,
        title: r.get(1)?,
        given: r.get(2)?,
        family: r.get(3)?,
        postcode: r.get(4)?,
        email: r.get(5)?,
        address: r.get(6)?,
        restricted: r.get(7)?,
        categories: cats
            .unwrap_or_default()
            .split(',')
            .filter_map(|c| Category::parse(c).ok())
            .collect(),
        phones: phones
            .map(|p| p.split('|').map(String::from).collect())
            .unwrap_or_default(),
        aliases: aliases
            .map(|p| p.split('|').map(String::from).collect())
            .unwrap_or_default(),
        open_requests: r.get(11)?,
    })
}

struct Candidate {
    id: i64,
    title: Option<String>,
    given: String,
    family: String,
    postcode: Option<String>,
    email: Option<String>,
    address: Option<String>,
    restricted: bool,
    categories: Vec<Category>,
    phones: Vec<String>,
    aliases: Vec<String>,
    open_requests: i64,
}

impl Store {
    /// Searches people as the acting user; at most `limit` hits, exact name matches first.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.search_among(input, limit, CANDIDATES)
    }

    /// Everyone the acting user may find for `input`, best first, with no cap on how many the
    /// index yields: slower than [`Store::search`] on a common prefix, but exact, for the
    /// command line to say how many matched beyond its limit.
    pub fn search_all(&self, input: &str) -> Result<Vec<SearchHit>> {
        self.search_among(input, usize::MAX, i64::MAX)
    }

    /// The search, drawing at most `candidates` from each of the index's two queries.
    fn search_among(&self, input: &str, limit: usize, candidates: i64) -> Result<Vec<SearchHit>> {
        let Some(query) = parse(input) else {
            return Ok(Vec::new());
        };
        let is_lead = self.access().sees_restricted(self.actor().role);
        // The role's own categories and the restriction are applied inside the candidate
        // queries, so the cap counts only people the user may find.
        let sql = format!(
            "{CANDIDATE_SELECT}
             WHERE p.id IN (SELECT pid FROM ({FILTERED} ?1 {FILTER_TAIL})
                            UNION
                            SELECT pid FROM ({FILTERED} ?2 {FILTER_TAIL}))"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(
            params![
                fts_exact_name(&query),
                fts_prefix(&query),
                candidates,
                is_lead,
                self.findable_categories(searched_group(&query))
            ],
            candidate_from_row,
        )?;
        let mut scored = Vec::new();
        for c in rows {
            let c = c?;
            if let Some(score) = self.score_visible(&query, input, &c) {
                scored.push((score, c));
            }
        }
        // Fold each name once, not on every comparison.
        scored.sort_by_cached_key(|(score, c)| (*score, fold(&c.family), fold(&c.given), c.id));
        Ok(scored.into_iter().take(limit).map(|(_, c)| self.hit_from(c)).collect())
    }

    /// The categories whose people the acting user may find through `group` (sees it, and
    /// their name), as JSON.
    fn findable_categories(&self, group: FieldGroup) -> String {
        let role = self.actor().role;
        let keys: Vec<&str> = Category::ALL
            .iter()
            .filter(|c| {
                (self.access().can_see(role, &[**c], FieldGroup::Name) && self.access().can_see(role, &[**c], group))
                    || (group != FieldGroup::Name && AccessMatrix::answers_rights(role))
            })
            .map(|c| c.key())
            .collect();
        serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into())
    }

    fn hit_from(&self, c: Candidate) -> SearchHit {
        let role = self.actor().role;
        let sees = |g| self.access().can_see_in_record(role, &c.categories, g);
        let mut categories = c.categories.clone();
        categories.sort();
        SearchHit {
            id: c.id,
            name: crate::domain::person::display_name(c.title.as_deref(), &c.given, &c.family),
            postcode: c.postcode.clone().filter(|_| sees(FieldGroup::Address)),
            phone_tail: c.phones.first().filter(|_| sees(FieldGroup::Phone)).map(|p| {
                let d = phone_digits(p);
                d[d.len().saturating_sub(4)..].to_string()
            }),
            restricted: c.restricted,
            open_requests: c.open_requests,
            categories,
        }
    }

    /// People who are probably the same as `rec`: the same name and postcode, the same phone
    /// number or the same email address. Only people the acting user may see are returned.
    pub fn likely_duplicates(&self, rec: &PersonRecord, except: Option<i64>) -> Result<Vec<SearchHit>> {
        let is_lead = self.access().sees_restricted(self.actor().role);
        let phones = serde_json::to_string(&rec.phones).unwrap_or_else(|_| "[]".into());
        let sql = format!(
            "{CANDIDATE_SELECT}
             WHERE p.id IN (
                SELECT id FROM people WHERE lower(given_name) = lower(?1) AND lower(family_name) = lower(?2)
                                        AND postcode IS NOT NULL AND postcode = ?3
                UNION SELECT person_id FROM person_phones WHERE phone IN (SELECT value FROM json_each(?4))
                UNION SELECT id FROM people WHERE email IS NOT NULL AND lower(email) = lower(?5))
             AND (p.restricted = 0 OR ?6) AND p.id IS NOT ?7
             LIMIT 20"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(
            params![
                rec.given_name,
                rec.family_name,
                rec.postcode,
                phones,
                rec.email,
                is_lead,
                except
            ],
            candidate_from_row,
        )?;
        let mut out = Vec::new();
        for c in rows {
            let c = c?;
            if is_lead
                || self
                    .access()
                    .can_see(self.actor().role, &c.categories, FieldGroup::Name)
            {
                out.push(self.hit_from(c));
            }
        }
        Ok(out)
    }

    /// Whether a restricted record (Article 18) that the acting user would otherwise find
    /// matches `input`. Says nothing of who: the search box shows only that one matches, so the
    /// duty officer asks the data protection lead instead of taking the person on afresh.
    pub fn restricted_match(&self, input: &str) -> Result<bool> {
        if self.access().sees_restricted(self.actor().role) {
            return Ok(false);
        }
        let Some(query) = parse(input) else {
            return Ok(false);
        };
        let found: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM people_search WHERE people_search MATCH ?1
                AND EXISTS (SELECT 1 FROM people r WHERE r.id = people_search.rowid AND r.restricted = 1)
                AND EXISTS (SELECT 1 FROM person_categories c WHERE c.person_id = people_search.rowid
                            AND c.category IN (SELECT value FROM json_each(?2))))",
            )?
            .query_row(
                params![fts_prefix(&query), self.findable_categories(searched_group(&query))],
                |r| r.get(0),
            )?;
        Ok(found)
    }

    /// Whether a restricted record the acting user may not see has the same name and postcode,
    /// phone number or email as `rec`: filing `rec` would start processing that person's data
    /// again outside the restriction.
    pub fn restricted_duplicate(&self, rec: &PersonRecord) -> Result<bool> {
        if self.access().sees_restricted(self.actor().role) {
            return Ok(false);
        }
        let phones = serde_json::to_string(&rec.phones).unwrap_or_else(|_| "[]".into());
        let found: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM people p WHERE p.restricted = 1 AND p.id IN (
                SELECT id FROM people WHERE lower(given_name) = lower(?1) AND lower(family_name) = lower(?2)
                                        AND postcode IS NOT NULL AND postcode = ?3
                UNION SELECT person_id FROM person_phones WHERE phone IN (SELECT value FROM json_each(?4))
                UNION SELECT id FROM people WHERE email IS NOT NULL AND lower(email) = lower(?5)))",
            )?
            .query_row(
                params![rec.given_name, rec.family_name, rec.postcode, phones, rec.email],
                |r| r.get(0),
            )?;
        Ok(found)
    }

    /// The candidate's rank (lower is better), or `None` if the role may not find them this way.
    fn score_visible(&self, q: &Query, input: &str, c: &Candidate) -> Option<u8> {
        let role = self.actor().role;
        let sees = |g| self.access().can_see_in_record(role, &c.categories, g);
        if !sees(FieldGroup::Name) {
            return None;
        }
        match q {
            Query::Phone(d) => {
                let found = sees(FieldGroup::Phone) && c.phones.iter().any(|p| phone_digits(p).contains(d.as_str()));
                found.then_some(2)
            }
            Query::Postcode(k) => {
                let found = sees(FieldGroup::Address)
                    && c.postcode
                        .as_deref()
                        .is_some_and(|p| postcode_key(p).starts_with(k.as_str()));
                found.then_some(2)
            }
            Query::Words(words) => {
                let mut name_words: Vec<String> = vec![fold(&c.given), fold(&c.family)];
                name_words.extend(c.aliases.iter().map(|a| fold(a)));
                let name_text = name_words.join(" ");
                let mut exact = true;
                let mut all_in_name = true;
                for w in words {
                    let w = fold(w);
                    let in_name = has_word_prefix(&name_text, &w);
                    if in_name {
                        exact &= name_text.split(|ch: char| !ch.is_alphanumeric()).any(|n| n == w);
                        continue;
                    }
                    exact = false;
                    all_in_name = false;
                    let visible_field =
                        |g: FieldGroup, v: Option<&str>| sees(g) && v.is_some_and(|v| has_word_prefix(v, &w));
                    let found = visible_field(FieldGroup::Email, c.email.as_deref())
                        || visible_field(FieldGroup::Address, c.address.as_deref())
                        || (sees(FieldGroup::Address)
                            && c.postcode
                                .as_deref()
                                .is_some_and(|p| has_word_prefix(p, &w) || fold(&postcode_key(p)).starts_with(&w)));
                    if !found {
                        return None;
                    }
                }
                let full = fold(&format!("{} {}", c.given, c.family));
                // Exact full name, then every word a whole name word, then every word the
                // start of a name word ("aisha chap": Aisha Chapman), then the rest (a word
                // found in an address or email: Aisha Anderson of Chapel Lane).
                Some(if fold(input.trim()) == full {
                    0
                } else if exact {
                    1
                } else if all_in_name {
                    2
                } else {
                    3
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_as_phone_or_words() {
        assert_eq!(parse("07700 900123"), Some(Query::Phone("07700900123".into())));
        assert_eq!(parse("+44 7700 900123"), Some(Query::Phone("07700900123".into())));
        assert_eq!(parse("OX17 2RF"), Some(Query::Postcode("OX172RF".into())));
        assert_eq!(parse("ox17 2"), Some(Query::Postcode("OX172".into())));
        assert_eq!(parse("SW1A"), Some(Query::Postcode("SW1A".into())));
        assert_eq!(
            parse("Smith OX17"),
            Some(Query::Words(vec!["smith".into(), "ox17".into()]))
        );
        assert_eq!(parse("o'brien"), Some(Query::Words(vec!["o".into(), "brien".into()])));
        assert_eq!(parse("   "), None);
        assert_eq!(parse("\"*"), None);
    }

    #[test]
    fn postcode_prefixes_are_recognised_and_names_are_not() {
        for yes in [
            "OX17", "ox17 2", "OX17 2R", "OX172RF", "SW1A 1AA", "M1", "B33 8TH", "CR2 6XH", "W1A",
        ] {
            assert!(postcode_prefix(yes).is_some(), "{yes}");
        }
        for no in ["O", "Smith", "OX", "17", "OX17 2RFX", "OX17 22", "ann", "é1"] {
            assert!(postcode_prefix(no).is_none(), "{no}");
        }
    }

    #[test]
    fn fts_queries_quote_every_term() {
        let q = parse("jo smi").unwrap();
        assert_eq!(fts_prefix(&q), "\"jo\"* AND \"smi\"*");
        assert_eq!(fts_exact_name(&q), "name : \"jo\" AND name : \"smi\"");
    }

    #[test]
    fn folding_matches_the_index() {
        assert!(has_word_prefix("Zoë Brontë", "zoe"));
        assert!(has_word_prefix("O'Brien", "brien"));
    }
}

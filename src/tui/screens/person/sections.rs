//! Drawing the person screen: one function per section, in the order they are shown.

use crate::domain::deadline::days_left;
use crate::domain::FieldGroup;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::DrawContext;
use crate::tui::screens::fit;
use crate::tui::terminal::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::{PersonScreen, Target};

/// One line of the screen and what selecting it targets.
type Row = (Line<'static>, Option<Target>);

/// A label and its value, as the record's fields are shown.
fn field_row(theme: &Theme, width: usize, label: &str, value: String) -> Row {
    (
        Line::from(vec![
            Span::styled(format!("  {label:<18}"), theme.dim),
            Span::raw(fit(&value, width.saturating_sub(20))),
        ]),
        None,
    )
}

/// The lines of the screen being built, section by section.
struct Section<'a> {
    theme: &'a Theme,
    width: usize,
    /// The keys named in hints (under an empty list, beside hidden notes).
    keys: &'a HintKeys,
    out: Vec<(Line<'static>, Option<Target>)>,
}

/// The keys the screen's hints name, as the keymap binds them.
pub(super) struct HintKeys {
    reveal: String,
    callback: String,
    hold: String,
    service: String,
    disclosure: String,
    health: String,
    enquiry: String,
    join: String,
    donation: String,
}

impl HintKeys {
    fn from(ctx: &DrawContext<'_>) -> HintKeys {
        let key = |a| ctx.key(Context::Person, a);
        HintKeys {
            reveal: key(Action::RevealHealth),
            callback: key(Action::AddCallback),
            hold: key(Action::PlaceHold),
            service: key(Action::RecordService),
            disclosure: key(Action::RecordDisclosure),
            health: key(Action::AddHealthNote),
            enquiry: key(Action::RecordEnquiry),
            join: key(Action::JoinGroup),
            donation: key(Action::RecordDonation),
        }
    }
}

impl PersonScreen {
    /// The screen's lines, each with the target it selects (if any): one function per
    /// section, in the order they are shown; sections the role may not see add nothing.
    fn lines(&self, theme: &Theme, width: usize, keys: &HintKeys) -> Vec<(Line<'static>, Option<Target>)> {
        let mut s = Section {
            theme,
            width,
            keys,
            out: Vec::new(),
        };
        self.section_header(&mut s);
        self.section_contact(&mut s);
        self.section_relationships(&mut s);
        self.section_requests(&mut s);
        self.section_notice(&mut s);
        self.section_consents(&mut s);
        self.section_publications(&mut s);
        self.section_objections(&mut s);
        self.section_callbacks(&mut s);
        self.section_holds(&mut s);
        self.section_health(&mut s);
        self.section_dbs(&mut s);
        self.section_contact_log(&mut s);
        self.section_services(&mut s);
        self.section_enquiries(&mut s);
        self.section_groups(&mut s);
        self.section_donations(&mut s);
        self.section_disclosures(&mut s);
        s.out
    }

    /// The name, categories and aliases, under the restriction banner if there is one.
    fn section_header(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let r = &v.record;
        let theme = s.theme;
        let width = s.width;
        let field = |label: &str, value: String| -> Row { field_row(theme, width, label, value) };
        let out = &mut s.out;
        if v.restricted {
            out.push((
                Line::styled(
                    " RESTRICTED RECORD (Article 18): read-only; hidden from everyone but the data protection lead ",
                    theme.banner,
                ),
                None,
            ));
        }
        let cats = r
            .categories
            .iter()
            .zip(&self.category_labels)
            .map(|(c, label)| match (c, v.pending_status) {
                (crate::domain::Category::Client, Some(s)) if s.is_open() => {
                    "Referred (a client once the referral is accepted)".to_string()
                }
                (crate::domain::Category::Client, Some(s)) => {
                    format!("Referred (referral {})", s.label().to_lowercase())
                }
                _ => label.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push((
            Line::from(vec![
                Span::styled(v.name(), theme.title),
                Span::styled(format!("   {cats}"), theme.dim),
            ]),
            None,
        ));
        if !r.aliases.is_empty() {
            out.push(field("Also known as", r.aliases.join(", ")));
        }
        out.push((Line::raw(""), None));
    }

    /// Contact details, where the details came from, last contact and the retention review.
    fn section_contact(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let r = &v.record;
        let theme = s.theme;
        let width = s.width;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let field = |label: &str, value: String| -> Row { field_row(theme, width, label, value) };
        let out = &mut s.out;
        out.push(heading("Contact"));
        if v.sees(FieldGroup::Address) {
            out.push(field(
                "Address",
                r.address.clone().unwrap_or_else(|| "—".into()).replace('\n', ", "),
            ));
            out.push(field("Postcode", r.postcode.clone().unwrap_or_else(|| "—".into())));
        }
        if v.sees(FieldGroup::Phone) {
            out.push(field(
                "Phone",
                if r.phones.is_empty() {
                    "—".into()
                } else {
                    r.phones.join(", ")
                },
            ));
        }
        if v.sees(FieldGroup::Email) {
            out.push(field("Email", r.email.clone().unwrap_or_else(|| "—".into())));
        }
        if v.sees(FieldGroup::DateOfBirth) {
            out.push(field(
                "Date of birth",
                r.date_of_birth
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|| "—".into()),
            ));
        }
        if v.sees(FieldGroup::Organisation) {
            out.push(field(
                "Organisation",
                r.organisation.clone().unwrap_or_else(|| "—".into()),
            ));
        }
        if v.sees(FieldGroup::Correspondence) {
            if let Some(n) = &r.notes {
                out.push(field("Notes", n.replace('\n', " / ")));
            }
        }
        let source = if v.obtained_indirectly {
            let from = v
                .obtained_from
                .as_ref()
                .map(|(_, n)| n.clone())
                .or(v.obtained_from_text.clone())
                .unwrap_or_else(|| "someone else".into());
            let referral = v
                .obtained_referral
                .map(|r| format!(" (referral {r})"))
                .unwrap_or_default();
            format!("from {from}{referral}, on {}", v.obtained_on.format("%d/%m/%Y"))
        } else {
            format!("directly from them, on {}", v.obtained_on.format("%d/%m/%Y"))
        };
        out.push(field("Details came", source));
        out.push(field(
            "Last contact",
            v.last_contact
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "none logged".into()),
        ));
        out.push(field(
            "Retention review",
            match (v.legal_hold, v.retention_review) {
                (true, _) => "suspended: a legal hold stands".into(),
                (false, Some(d)) => d.format("%d/%m/%Y").to_string(),
                (false, None) => "—".into(),
            },
        ));
    }

    /// Relationships; each selects the related person.
    fn section_relationships(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let width = s.width;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        out.push((Line::raw(""), None));
        out.push(heading("Relationships"));
        if v.relationships.is_empty() {
            out.push((Line::styled("  none (r links someone)", theme.dim), None));
        }
        for rel in &v.relationships {
            let t = Target::Relation {
                id: rel.id,
                other: rel.other_id,
            };
            let label = match rel.kind {
                crate::domain::RelationKind::Professional if !rel.inverse => self.professional_label.as_str(),
                _ => rel.label(),
            };
            let mut text = format!("  {label:<27} {}", rel.other_name);
            // How they are related is said from the person's side ("daughter").
            if let Some(relation) = rel.relation.as_ref().filter(|_| !rel.inverse) {
                text.push_str(&format!(" ({relation})"));
            }
            if let Some(phone) = &rel.other_phone {
                text.push_str(&format!("  {phone}"));
            }
            if let Some(services) = &rel.services {
                text.push_str(&format!("  ({services})"));
            }
            out.push((Line::raw(fit(&text, width)), Some(t)));
        }
    }

    /// Open rights requests with their deadlines.
    fn section_requests(&self, s: &mut Section<'_>) {
        let theme = s.theme;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if !self.requests.is_empty() {
            out.push((Line::raw(""), None));
            out.push(heading("Open rights requests"));
            for q in &self.requests {
                let (left, style) = match q.due {
                    Some(d) => {
                        let n = days_left(d, self.today);
                        (
                            format!("due {} ({n} days)", d.format("%d/%m/%Y")),
                            if n < 0 {
                                theme.overdue
                            } else if n <= 5 {
                                theme.due_soon
                            } else {
                                theme.normal
                            },
                        )
                    }
                    None => (q.status.clone(), theme.dim),
                };
                out.push((
                    Line::from(vec![
                        Span::raw(format!(
                            "  #{} {} received {}  ",
                            q.id,
                            q.kinds,
                            q.received.format("%d/%m/%Y")
                        )),
                        Span::styled(left, style),
                    ]),
                    None,
                ));
            }
        }
    }

    /// The Article 14 notice.
    fn section_notice(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if let Some(n) = &v.notice {
            out.push((Line::raw(""), None));
            out.push(heading("Article 14 notice"));
            let text = match n.status.as_str() {
                "pending" => format!(
                    "  pending: tell them we hold their data by {}",
                    n.due_on.format("%d/%m/%Y")
                ),
                other => format!("  {other}"),
            };
            let style = if n.status == "pending" && n.due_on <= self.today {
                theme.overdue
            } else {
                theme.normal
            };
            out.push((Line::styled(text, style), None));
        }
    }

    /// Consents given and withdrawn.
    fn section_consents(&self, s: &mut Section<'_>) {
        let theme = s.theme;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if !self.consents.is_empty() {
            out.push((Line::raw(""), None));
            out.push(heading("Consents"));
            for c in &self.consents {
                out.push((
                    Line::raw(format!(
                        "  {} {} on {} ({}, wording v{})",
                        c.purpose,
                        if c.given { "given" } else { "withdrawn" },
                        c.on.format("%d/%m/%Y"),
                        c.how,
                        c.wording_version
                    )),
                    None,
                ));
            }
        }
    }

    /// Photos and stories published about them: live ones first to the eye, taken-down ones dim.
    fn section_publications(&self, s: &mut Section<'_>) {
        if self.publications.is_empty() {
            return;
        }
        let theme = s.theme;
        let width = s.width;
        let out = &mut s.out;
        out.push((Line::raw(""), None));
        out.push((Line::styled("Published".to_string(), theme.title), None));
        for p in &self.publications {
            let (state, style) = match p.taken_down_on {
                Some(d) => (format!("taken down {}", d.format("%d/%m/%Y")), theme.dim),
                None => ("live".to_string(), theme.normal),
            };
            let text = format!(
                "  {}  {}  {} ({})",
                p.published_on.format("%d/%m/%Y"),
                state,
                p.what,
                p.purpose
            );
            out.push((Line::styled(fit(&text, width), style), None));
        }
    }

    /// Objections (Article 21) and what was decided on each.
    fn section_objections(&self, s: &mut Section<'_>) {
        if self.objections.is_empty() {
            return;
        }
        let (theme, width) = (s.theme, s.width);
        let out = &mut s.out;
        out.push((Line::raw(""), None));
        out.push((Line::styled("Objections".to_string(), theme.title), None));
        for o in &self.objections {
            let text = format!("  {}", crate::tui::screens::objection_line(o));
            out.push((Line::raw(fit(&text, width)), None));
        }
    }

    /// Legal holds (the data protection lead's only); each standing one selects the hold.
    fn section_holds(&self, s: &mut Section<'_>) {
        let Some(holds) = &self.holds else {
            return;
        };
        let theme = s.theme;
        let width = s.width;
        let place = &s.keys.hold;
        let out = &mut s.out;
        out.push((Line::raw(""), None));
        out.push((Line::styled("Legal holds".to_string(), theme.title), None));
        if holds.is_empty() {
            out.push((Line::styled(format!("  none ({place} places one)"), theme.dim), None));
        }
        for h in holds {
            let (text, style, target) = match (&h.lifted_on, h.review_on) {
                (Some(lifted), _) => (
                    format!(
                        "  {}  placed {}, lifted {}: {}",
                        h.reason,
                        h.placed_on.format("%d/%m/%Y"),
                        lifted.format("%d/%m/%Y"),
                        h.lift_note.as_deref().unwrap_or("")
                    ),
                    theme.dim,
                    None,
                ),
                (None, review) => (
                    format!(
                        "  {}  placed {}, review {}",
                        h.reason,
                        h.placed_on.format("%d/%m/%Y"),
                        review
                            .map(|d| d.format("%d/%m/%Y").to_string())
                            .unwrap_or_else(|| "—".into())
                    ),
                    if review.is_some_and(|d| d <= self.today) {
                        theme.due_soon
                    } else {
                        theme.normal
                    },
                    Some(Target::Hold(h.id)),
                ),
            };
            out.push((Line::styled(fit(&text, width), style), target));
        }
    }

    /// Callbacks (correspondence); each selects the callback.
    fn section_callbacks(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let width = s.width;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let add = &s.keys.callback;
        let out = &mut s.out;
        if v.sees(FieldGroup::Correspondence) {
            out.push((Line::raw(""), None));
            out.push(heading("Callbacks"));
            if v.callbacks.is_empty() {
                out.push((Line::styled(format!("  none open ({add} adds one)"), theme.dim), None));
            }
            for c in &v.callbacks {
                let style = if c.due_at.date() < self.today {
                    theme.overdue
                } else {
                    theme.normal
                };
                out.push((
                    Line::styled(
                        fit(
                            &format!("  by {}  {}", c.due_at.format("%a %d %b %H:%M"), c.about),
                            width,
                        ),
                        style,
                    ),
                    Some(Target::Callback(c.id)),
                ));
            }
        }
    }

    /// Health, masked until revealed with a reason.
    fn section_health(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let width = s.width;
        let reveal_key = &s.keys.reveal;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if let Some(count) = v.health_notes {
            out.push((Line::raw(""), None));
            out.push(heading(&self.health_label));
            match &self.health {
                None if count == 0 => out.push((
                    Line::styled(format!("  none recorded ({} adds one)", s.keys.health), theme.dim),
                    None,
                )),
                None => out.push((
                    Line::styled(
                        format!("  {count} note(s) hidden: {reveal_key} shows them (asks for a reason; the view is recorded)"),
                        theme.masked,
                    ),
                    None,
                )),
                Some(notes) if notes.is_empty() => out.push((Line::styled("  none recorded", theme.dim), None)),
                Some(notes) => {
                    for n in notes {
                        out.push((
                            Line::raw(fit(
                                &format!("  {}  {}", n.recorded_on.format("%d/%m/%Y"), n.note),
                                width,
                            )),
                            Some(Target::Health(n.id)),
                        ));
                    }
                }
            }
        }
    }

    /// DBS checks, for the roles given criminal offence data.
    fn section_dbs(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if let Some(checks) = &v.dbs_checks {
            out.push((Line::raw(""), None));
            out.push(heading(&self.dbs_label));
            if checks.is_empty() {
                out.push((Line::styled("  none recorded", theme.dim), None));
            }
            for c in checks {
                // Two lines, so nothing is cut at 80 columns: what it covers and showed, then
                // the certificate and its dates.
                let mut first = format!(
                    "  {}{}",
                    c.service_role,
                    c.level
                        .map(|l| format!(" ({})", l.label().to_lowercase()))
                        .unwrap_or_default()
                );
                match (c.outcome, &c.decision) {
                    (Some(o), Some(d)) if o != crate::domain::DbsOutcome::Clear => {
                        first.push_str(&format!(": {}; {d}", o.label().to_lowercase()))
                    }
                    (Some(o), _) => first.push_str(&format!(": {}", o.label().to_lowercase())),
                    (None, _) => {}
                }
                out.push((Line::raw(fit(&first, s.width)), None));
                let second = format!(
                    "    certificate {}  issued {}  renewal due {}{}",
                    c.certificate_number,
                    c.issue_date.format("%d/%m/%Y"),
                    c.renewal_due.format("%d/%m/%Y"),
                    if c.update_service { "  update service" } else { "" }
                );
                out.push((Line::raw(fit(&second, s.width)), None));
            }
        }
    }

    /// The contact log.
    fn section_contact_log(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let width = s.width;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if let Some(contacts) = &v.contacts {
            out.push((Line::raw(""), None));
            out.push(heading("Contact log"));
            if contacts.is_empty() {
                out.push((
                    Line::styled("  nothing logged (l logs a call, email, letter or visit)", theme.dim),
                    None,
                ));
            }
            for c in contacts {
                let text = format!(
                    "  {}  {:<6} {}{}",
                    c.at.format("%d/%m/%Y %H:%M"),
                    c.kind.label(),
                    c.note.clone().unwrap_or_default(),
                    c.by.as_ref().map(|b| format!("  ({b})")).unwrap_or_default()
                );
                out.push((Line::raw(fit(&text, width)), None));
            }
        }
    }

    /// What was passed on about them, for the roles that may see disclosures.
    fn section_disclosures(&self, s: &mut Section<'_>) {
        let Some(list) = &self.disclosures else { return };
        let theme = s.theme;
        let width = s.width;
        let out = &mut s.out;
        out.push((Line::raw(""), None));
        out.push((Line::styled("Disclosures (passed on)".to_string(), theme.title), None));
        if list.is_empty() {
            out.push((
                Line::styled(
                    format!("  none recorded ({} records one)", s.keys.disclosure),
                    theme.dim,
                ),
                None,
            ));
        }
        // Two lines each, so nothing is cut at 80 columns: what went where, then why.
        for d in list {
            out.push((Line::raw(fit(&format!("  {}", d.headline(false)), width)), None));
            out.push((Line::styled(fit(&format!("    {}", d.why()), width), theme.dim), None));
        }
    }

    /// Services received or given.
    fn section_services(&self, s: &mut Section<'_>) {
        let v = &self.view;
        let theme = s.theme;
        let width = s.width;
        let heading = |t: &str| -> Row { (Line::styled(t.to_string(), theme.title), None) };
        let out = &mut s.out;
        if let Some(services) = &v.services {
            out.push((Line::raw(""), None));
            out.push(heading(&self.services_label));
            if services.is_empty() {
                out.push((
                    Line::styled(format!("  none recorded ({} records one)", s.keys.service), theme.dim),
                    None,
                ));
            }
            for s in services {
                let other = match (s.given, &s.volunteer, &s.client) {
                    (true, _, Some(c)) => format!(" for {c}"),
                    (true, _, None) => " for a client".to_string(),
                    (false, Some(v), _) => format!(" with {v}"),
                    (false, None, _) => String::new(),
                };
                let text = format!(
                    "  {}  {:<9} {}{}{}",
                    s.delivered_on.format("%d/%m/%Y"),
                    s.status.label(),
                    s.service,
                    other,
                    s.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
                );
                let style = match s.status {
                    crate::domain::ServiceStatus::Cancelled => theme.dim,
                    _ => theme.normal,
                };
                out.push((Line::styled(fit(&text, width), style), Some(Target::Service(s.id))));
            }
        }
    }

    /// A section of one line per entry: its heading, a hint naming `key` when there is none,
    /// each entry's line with the row it selects (`None` for rows that select nothing).
    fn section_lines(s: &mut Section<'_>, heading: &str, empty: String, lines: Vec<(String, bool, Option<Target>)>) {
        let theme = s.theme;
        let width = s.width;
        s.out.push((Line::raw(""), None));
        s.out.push((Line::styled(heading.to_string(), theme.title), None));
        if lines.is_empty() {
            s.out.push((Line::styled(empty, theme.dim), None));
        }
        for (text, dim, target) in lines {
            let style = if dim { theme.dim } else { theme.normal };
            s.out
                .push((Line::styled(fit(&format!("  {text}"), width), style), target));
        }
    }

    /// Their enquiries, newest first; an unanswered one is selectable, to answer it.
    fn section_enquiries(&self, s: &mut Section<'_>) {
        let Some(enquiries) = &self.enquiries else { return };
        if enquiries.is_empty() && !self.view.record.categories.contains(&crate::domain::Category::Enquirer) {
            return;
        }
        let lines = enquiries
            .iter()
            .map(|e| (e.summary(), e.answered_on.is_some(), Some(Target::Enquiry(e.id))))
            .collect();
        let empty = format!("  none ({} records one)", s.keys.enquiry);
        Self::section_lines(s, "Enquiries", empty, lines);
    }

    /// Their support groups, current first; a current one is selectable, to record leaving.
    fn section_groups(&self, s: &mut Section<'_>) {
        let Some(memberships) = &self.memberships else { return };
        // Only where the charity runs groups.
        if memberships.is_empty() && !self.any_groups {
            return;
        }
        let lines = memberships
            .iter()
            .map(|m| (m.summary(), m.left_on.is_some(), Some(Target::Membership(m.id))))
            .collect();
        let empty = format!("  in no group ({} adds them to one)", s.keys.join);
        Self::section_lines(s, "Support groups", empty, lines);
    }

    /// Their donations, newest first, with the platform each came through.
    fn section_donations(&self, s: &mut Section<'_>) {
        let Some(donations) = &self.donations else { return };
        if donations.is_empty() {
            // A line for every client saying they gave nothing would be noise: only donors,
            // and people who gave, show the section.
            if !self.view.record.categories.contains(&crate::domain::Category::Friend) {
                return;
            }
        }
        let lines = donations.iter().map(|d| (d.summary(), false, None)).collect();
        let empty = format!("  none recorded ({} records one)", s.keys.donation);
        Self::section_lines(s, "Donations", empty, lines);
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let keys = HintKeys::from(ctx);
        // The name stays in the border, so it is there however far the screen is scrolled.
        let mut block = Block::bordered().title(Span::styled(format!(" {} ", self.name()), theme.title));
        let inner = block.inner(area);
        if inner.height == 0 || inner.width == 0 {
            block.render(area, buf);
            return;
        }
        let lines = self.lines(theme, inner.width as usize, &keys);
        let rows = inner.height as usize;
        let selected_target = self.targets.get(self.selected).copied();
        if let Some(t) = selected_target.filter(|_| self.follow) {
            if let Some(row) = lines.iter().position(|(_, tt)| *tt == Some(t)) {
                self.scroll = crate::tui::screens::scroll_for(row, rows, self.scroll);
            }
        }
        self.scroll = self.scroll.min(lines.len().saturating_sub(rows));
        // Where the reader is, when the record is longer than the screen.
        if lines.len() > rows {
            let last = (self.scroll + rows).min(lines.len());
            block = block.title_bottom(
                Line::styled(
                    format!(" lines {}-{last} of {} ", self.scroll + 1, lines.len()),
                    theme.dim,
                )
                .right_aligned(),
            );
        }
        block.render(area, buf);
        for (i, (line, target)) in lines.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            if target.is_some() && *target == selected_target {
                buf.set_style(
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                    theme.selected,
                );
            } else {
                buf.set_style(
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                    Style::default(),
                );
            }
            buf.set_line(inner.x, y, line, inner.width);
        }
    }
}

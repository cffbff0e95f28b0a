//! Search from anywhere: `/` opens a box; results update as you type over name, alias, phone,
//! postcode and email; arrows (or ctrl-n / ctrl-p) move, Enter picks, Esc closes. The same box
//! picks a person for a callback, a relationship or the source of someone's data.

use super::fit;
use crate::domain::RelationKind;
use crate::store::search::SearchHit;
use crate::store::{Result, Store};
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{typed_or_listed, Command, DrawContext, Handled, Input, Note, Screen};
use crate::tui::screens::prompts::CallbackPopup;
use crate::tui::terminal::Theme;
use crate::tui::widgets::popup::centered_percent;
use crate::tui::widgets::text_input::TextInput;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// What picking a person does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Open their screen.
    Open,
    /// Ask what to call them back about.
    Callback,
    /// Link them to `anchor`: as the second person when `anchor_first`, else as the first.
    Link {
        anchor: i64,
        kind: RelationKind,
        anchor_first: bool,
    },
    /// Put them in a slot of the form below (the source of the data, the caller...).
    Pick(PickSlot),
    /// Record a rights request by them.
    NewRequest,
}

/// Which slot of the form below a picked person fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickSlot {
    /// Who gave us a new person's details.
    Source,
    /// The caller on a referral.
    Caller,
    /// The person being referred.
    Referred,
    /// A relative or contact given on a referral call.
    Contact,
}

/// How many results a search shows.
pub const RESULTS: usize = 50;

pub struct SearchPopup {
    pub input: TextInput,
    pub purpose: Purpose,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
    last_query: Option<String>,
    /// How many times the store was queried (each batch of keys queries at most once).
    pub queries: u64,
    /// A restricted record the user may not see matches what is typed (no more is said).
    pub restricted_match: bool,
    /// Each hit's categories in the profile's words ("mum, donor"), filled with the hits.
    category_words: Vec<String>,
}

impl SearchPopup {
    pub fn new(purpose: Purpose) -> SearchPopup {
        SearchPopup {
            input: TextInput::new().max_chars(80),
            purpose,
            hits: Vec::new(),
            selected: 0,
            last_query: None,
            queries: 0,
            restricted_match: false,
            category_words: Vec::new(),
        }
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        match keymap.lookup(Context::Search, key) {
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1));
                Cmd::None
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Cmd::None
            }
            Some(Action::PageDown) => {
                self.selected = (self.selected + 10).min(self.hits.len().saturating_sub(1));
                Cmd::None
            }
            Some(Action::PageUp) => {
                self.selected = self.selected.saturating_sub(10);
                Cmd::None
            }
            Some(Action::Back) => Cmd::ClosePopup,
            Some(Action::Open) => self.pick(store),
            _ => {
                self.input.handle_key(key);
                Cmd::None
            }
        }
    }

    fn pick(&self, store: &mut Store) -> Cmd {
        let Some(hit) = self.hits.get(self.selected) else {
            return Cmd::Error(
                "Nobody is selected: type a few letters of a name, a phone number or a postcode.".into(),
            );
        };
        match self.purpose {
            Purpose::Open => Cmd::OpenPerson(hit.id),
            Purpose::Callback => Cmd::Many(vec![
                Cmd::ClosePopup,
                Cmd::popup(CallbackPopup::new(hit.id, hit.name.clone())),
            ]),
            Purpose::Link {
                anchor,
                kind,
                anchor_first,
            } => {
                let (a, b) = if anchor_first {
                    (anchor, hit.id)
                } else {
                    (hit.id, anchor)
                };
                if kind == crate::domain::RelationKind::AssignedVolunteer {
                    // What the volunteer is assigned for, before the link is made.
                    return Cmd::Many(vec![Cmd::ClosePopup, {
                        let name = if anchor_first {
                            hit.name.clone()
                        } else {
                            store.name_if_visible(b).ok().flatten().unwrap_or_default()
                        };
                        crate::tui::screens::services::assign_popup(store, a, b, &name)
                    }]);
                }
                // How we learnt of the link, before it is made (Article 14).
                Cmd::Many(vec![
                    Cmd::ClosePopup,
                    crate::tui::screens::link::source_popup(store, a, kind, b),
                ])
            }
            Purpose::Pick(slot) => Cmd::Many(vec![
                Cmd::ClosePopup,
                Cmd::Notify(Note::Picked {
                    slot,
                    id: hit.id,
                    name: hit.name.clone(),
                }),
            ]),
            Purpose::NewRequest => Cmd::Many(vec![
                Cmd::ClosePopup,
                crate::tui::screens::requests::intake_popup(store, hit.id),
            ]),
        }
    }

    /// Queries the store if the input changed since the last query.
    pub fn refresh(&mut self, store: &Store) -> Result<()> {
        let q = self.input.value().to_string();
        if self.last_query.as_deref() == Some(q.as_str()) {
            return Ok(());
        }
        if q.trim().is_empty() {
            self.hits.clear();
            self.category_words.clear();
            self.restricted_match = false;
        } else {
            self.hits = store.search(&q, RESULTS)?;
            self.category_words = self
                .hits
                .iter()
                .map(|h| {
                    h.categories
                        .iter()
                        .map(|c| store.profile().category_label(*c).to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            self.restricted_match = store.restricted_match(&q)?;
            self.queries += 1;
        }
        self.selected = 0;
        self.last_query = Some(q);
        Ok(())
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let rect = centered_percent(area, 90, 80);
        Clear.render(rect, buf);
        let title = match self.purpose {
            Purpose::Open => " Find a person ",
            Purpose::Callback => " Who needs a callback? ",
            Purpose::Link { .. } => " Who to link? ",
            Purpose::NewRequest => " Whose request is it? ",
            Purpose::Pick(PickSlot::Source) => " Who gave us this person's details? ",
            Purpose::Pick(PickSlot::Caller) => " Who is calling? ",
            Purpose::Pick(PickSlot::Referred) => " Who is being referred? ",
            Purpose::Pick(PickSlot::Contact) => " Which relative or contact? ",
        };
        let block = Block::bordered().title(Span::styled(title, theme.title));
        let inner = block.inner(rect);
        block.render(rect, buf);
        if inner.height < 2 {
            return None;
        }
        let prompt = Rect { height: 1, ..inner };
        buf.set_string(prompt.x, prompt.y, "/ ", theme.key);
        let input_area = Rect {
            x: prompt.x + 2,
            width: prompt.width.saturating_sub(2),
            ..prompt
        };
        let cursor = self.input.render(input_area, buf, theme.normal, true);
        let mut list = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        if self.restricted_match && !self.input.value().trim().is_empty() && list.height > 1 {
            // Above the results: who cannot be said, only that someone restricted matches.
            Paragraph::new(Line::styled(
                fit(
                    "A restricted record also matches: ask the data protection lead.",
                    list.width as usize,
                ),
                theme.due_soon,
            ))
            .render(Rect { height: 1, ..list }, buf);
            list = Rect {
                y: list.y + 1,
                height: list.height - 1,
                ..list
            };
        }
        if self.input.value().trim().is_empty() {
            Paragraph::new(Line::styled(
                "Type part of a name, alias, phone number, postcode or email.",
                theme.dim,
            ))
            .render(list, buf);
            return cursor;
        }
        if self.hits.is_empty() {
            Paragraph::new(Line::styled(
                "Nobody found. Check the spelling, or try a phone number or postcode.",
                theme.dim,
            ))
            .render(list, buf);
            return cursor;
        }
        let rows = list.height as usize;
        let start = self.selected.saturating_sub(rows.saturating_sub(1));
        let w = list.width as usize;
        let name_w = (w / 3).clamp(10, 32);
        let cat_w = (w / 4).clamp(8, 30);
        for (i, hit) in self.hits.iter().enumerate().skip(start).take(rows) {
            let y = list.y + (i - start) as u16;
            let cats = self.category_words.get(i).cloned().unwrap_or_default();
            let mut spans = vec![
                Span::raw(format!("{:<width$} ", fit(&hit.name, name_w), width = name_w)),
                Span::styled(format!("{:<width$} ", fit(&cats, cat_w), width = cat_w), theme.dim),
                Span::raw(format!("{:<9}", hit.postcode.clone().unwrap_or_default())),
                Span::raw(format!(
                    "{:<7}",
                    hit.phone_tail.as_ref().map(|t| format!("…{t}")).unwrap_or_default()
                )),
            ];
            if hit.restricted {
                spans.push(Span::styled(" RESTRICTED", theme.banner));
            }
            if hit.open_requests > 0 {
                spans.push(Span::styled(
                    format!(" {} request(s)", hit.open_requests),
                    theme.due_soon,
                ));
            }
            super::draw_row(
                buf,
                list.x,
                y,
                list.width,
                &Line::from(spans),
                i == self.selected,
                theme,
            );
        }
        cursor
    }
}

impl Screen for SearchPopup {
    fn context(&self) -> Context {
        Context::Search
    }

    fn commands(&self) -> Vec<Command> {
        let any = !self.hits.is_empty();
        vec![
            // Enter with nobody selected says how to find someone.
            Command::on(Action::Open),
            Command::on(Action::Back),
            Command::when(Action::Down, any),
            Command::when(Action::Up, any),
            Command::when(Action::PageDown, any),
            Command::when(Action::PageUp, any),
        ]
    }

    /// Keys are typed into the box, or are its commands.
    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        if !typed_or_listed(input, &self.commands()) {
            return Handled::Ignored;
        }
        Handled::Consumed(self.handle_key(input.keymap, input.key, store))
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme)
    }

    fn title(&self) -> String {
        "Search".into()
    }

    fn after_batch(&mut self, store: &Store) -> std::result::Result<(), String> {
        self.refresh(store).map_err(|e| e.to_string())
    }
}

//! `L` on the handover: the other laptops of the case file, and the merge conflicts waiting.
//!
//! The top says which laptop this is and, for each laptop it exchanges bundles with, when the
//! last bundle came in and whether an answer is awaited. `E` writes a bundle for each of them
//! into a folder (a USB stick's), `U` takes one in (the bundle is sealed to the users'
//! passphrases, so the form asks for yours), and on the hub the data protection lead makes a
//! new laptop with `A`. Below, the conflicts a merge left for the acting role, with the value
//! both laptops started from and each laptop's: `m` keeps this laptop's, `t` takes the other's,
//! `e` types the right one; Enter opens the person. A conflict on the handover opens here.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::Role;
use crate::store::sync::conflicts::{Conflict, Resolution};
use crate::store::sync::Peer;
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, moved, movement, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::slow::SlowWork;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

pub struct LaptopsScreen {
    device: i64,
    peers: Vec<Peer>,
    conflicts: Vec<Conflict>,
    lead: bool,
    selected: usize,
    scroll: usize,
}

impl LaptopsScreen {
    /// The screen, with the conflict `focus` selected if it is listed.
    pub fn load(store: &Store, focus: Option<i64>) -> Cmd {
        let mut s = LaptopsScreen {
            device: 0,
            peers: Vec::new(),
            conflicts: Vec::new(),
            lead: store.actor().role == Role::DataProtectionLead,
            selected: 0,
            scroll: 0,
        };
        if let Err(e) = s.fill(store) {
            return Cmd::Error(e);
        }
        if let Some(i) = focus.and_then(|id| s.conflicts.iter().position(|c| c.id == id)) {
            s.selected = i;
        }
        Cmd::push(s)
    }

    fn fill(&mut self, store: &Store) -> Result<(), String> {
        self.device = store.this_device().map_err(|e| e.to_string())?;
        self.peers = store.peers().map_err(|e| e.to_string())?;
        self.conflicts = store.conflicts().map_err(|e| e.to_string())?;
        self.selected = self.selected.min(self.conflicts.len().saturating_sub(1));
        Ok(())
    }

    fn selected_conflict(&self) -> Option<&Conflict> {
        self.conflicts.get(self.selected)
    }

    fn resolve(&self, how: Resolution) -> Cmd {
        let Some(c) = self.selected_conflict() else {
            return Cmd::None;
        };
        let id = c.id;
        let said = match &how {
            Resolution::Mine => "this laptop's value kept".to_string(),
            Resolution::Theirs => format!("laptop {}'s value taken", c.from_device),
            Resolution::Edited(_) => "the value typed stands".to_string(),
        };
        let what = format!(
            "{} of {}",
            c.what,
            c.person_name.as_deref().unwrap_or("(no one person)")
        );
        Cmd::Slow(SlowWork {
            doing: "Resolving the conflict".into(),
            progress: None,
            work: Box::new(move |store: &mut Store| {
                let result = store.resolve_conflict(id, how);
                Box::new(move || match result {
                    Ok(()) => Cmd::Many(vec![Cmd::Info(format!("{what}: {said}.")), Cmd::Refresh]),
                    Err(e) => Cmd::Error(e.to_string()),
                })
            }),
        })
    }

    fn peer_line(&self, p: &Peer) -> String {
        let who = if p.device == 0 {
            "The hub".to_string()
        } else {
            format!("Laptop {} ({})", p.device, p.name)
        };
        let met = p
            .last_met
            .map(|t| format!("last bundle in {}", t.format("%d/%m %H:%M")))
            .unwrap_or_else(|| "no bundle in yet".into());
        match p.retired_on {
            Some(d) => format!("{who}: retired {}", d.format("%d/%m/%Y")),
            None if p.unanswered > 0 => format!("{who}: {met}; answer awaited"),
            None => format!("{who}: {met}"),
        }
    }
}

/// "Write bundles" (`E`): the folder to write them into.
fn export_popup(store: &Store) -> Cmd {
    let folder = store
        .last_sync_folder()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let form = Form::new("Write bundles").with(Field::text("folder", "Folder", &folder).max_chars(500));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "A bundle for each laptop this one exchanges with: the changes since they last met, encrypted so that only a user's passphrase opens it. Give the folder of a USB stick (on Linux usually under /media).".into(),
        ],
        Box::new(|_: &mut Store, form: &Form| {
            if value(form, "folder").trim().is_empty() {
                return Err(field_error("folder", "Say which folder to write the bundles into."));
            }
            let folder = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
            Ok(Cmd::Slow(SlowWork {
                doing: "Writing bundles".into(),
                progress: None,
                work: Box::new(move |store: &mut Store| {
                    let result = store.sync_export(&folder);
                    Box::new(move || match result {
                        Ok(out) => {
                            let names: Vec<String> = out
                                .iter()
                                .map(|e| {
                                    let name = e.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                                    format!("{name} ({} {})", e.changes, if e.changes == 1 { "change" } else { "changes" })
                                })
                                .collect();
                            Cmd::Many(vec![
                                Cmd::Info(format!("Written: {}.", names.join(", "))),
                                Cmd::Refresh,
                            ])
                        }
                        Err(e) => Cmd::Error(format!("No bundle was written: {e}")),
                    })
                }),
            }))
        }),
    ))
}

/// "Take in" (`U`): the bundle and the acting user's passphrase, which it is sealed to.
fn import_popup(store: &Store) -> Cmd {
    let login = store.actor().login.clone();
    // The newest bundle for this laptop where bundles were last written (the stick).
    let offered = store
        .last_sync_folder()
        .and_then(|f| store.newest_bundle_in(&f))
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let form = Form::new("Take in a bundle")
        .with(Field::text("file", "Bundle file", &offered).max_chars(500))
        .with(Field::text("passphrase", "Your passphrase", "").masked());
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "The bundle another laptop wrote for this one (dutydesk-laptopN-to-laptopM-....ddsync). It is sealed to the users' passphrases: type {login}'s to open it."
        )],
        Box::new(|_: &mut Store, form: &Form| {
            let file = value(form, "file");
            if file.trim().is_empty() {
                return Err(field_error("file", "Say which bundle to take in."));
            }
            let file = crate::export::folder::expand(&file).map_err(|e| field_error("file", e))?;
            let pass = zeroize::Zeroizing::new(value(form, "passphrase"));
            if pass.is_empty() {
                return Err(field_error("passphrase", "Type your passphrase: the bundle is sealed to it."));
            }
            Ok(Cmd::Slow(SlowWork {
                doing: "Merging the bundle".into(),
                progress: None,
                work: Box::new(move |store: &mut Store| {
                    let result = store.sync_import(&file, &pass);
                    let waiting = store.conflicts().map(|c| c.len()).unwrap_or(0);
                    Box::new(move || match result {
                        Ok(done) => {
                            let from = crate::store::sync::laptop_words(done.from_device);
                            let mut msg = format!("Merged bundle {} from {from}. {}", done.seq, done.report.sentences().join(" "));
                            if done.report.conflicts > 0 || waiting > 0 {
                                msg.push_str(&format!(" Waiting for you: {waiting}."));
                            }
                            if let Some(why) = &done.users_problem {
                                msg.push_str(&format!(" The hub's users could not be taken ({why}); they come with its next bundle."));
                            }
                            if !done.bundle_removed {
                                msg.push_str(" Delete the bundle now that it is taken in.");
                            }
                            Cmd::Many(vec![Cmd::Info(msg), Cmd::Refresh])
                        }
                        Err(e) => Cmd::Error(e.to_string()),
                    })
                }),
            }))
        }),
    ))
}

/// "Add a laptop" (`A`, the hub's data protection lead): its name and where to write it.
fn add_popup() -> Cmd {
    let form = Form::new("Add a laptop")
        .with(Field::text("name", "Name", "").max_chars(40))
        .with(Field::text("folder", "Write it into", "").max_chars(500));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "A copy of the case file for another laptop, with its own number, the same users and passphrases. Copy the folder written onto that laptop as its data folder, then wipe the stick.".into(),
        ],
        Box::new(|store: &mut Store, form: &Form| {
            let folder = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
            let made = store.add_laptop(&value(form, "name"), &folder).map_err(|e| {
                let field = if e.to_string().contains("name") { "name" } else { "folder" };
                field_error(field, e)
            })?;
            Ok(Cmd::Many(vec![
                Cmd::Info(format!(
                    "Laptop {} made in {}: copy that folder onto the laptop as its data folder.",
                    made.device,
                    made.folder.display()
                )),
                Cmd::Refresh,
            ]))
        }),
    ))
}

/// "Type the right value" (`e`): starts from this laptop's value.
fn type_popup(c: &Conflict) -> Cmd {
    let id = c.id;
    let start = if c.mine == "(empty)" {
        String::new()
    } else {
        c.mine.clone()
    };
    let form = Form::new("The right value").with(Field::text("value", &c.what, &start).max_chars(2000));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "{} of {}: was {}; this laptop has {}; laptop {} has {}. Leave it empty to clear it.",
            c.what,
            c.person_name.as_deref().unwrap_or("(no one person)"),
            c.base,
            c.mine,
            c.from_device,
            c.theirs
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            store
                .resolve_conflict(id, Resolution::Edited(value(form, "value")))
                .map_err(|e| field_error("value", e))?;
            Ok(Cmd::Many(vec![
                Cmd::Info(format!("Conflict {id} resolved: the value typed stands.")),
                Cmd::Refresh,
            ]))
        }),
    ))
}

impl Screen for LaptopsScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let selected = self.selected_conflict();
        let has = selected.is_some();
        let typable = selected.is_some_and(|c| c.column.is_some());
        let active = self.peers.iter().any(|p| p.retired_on.is_none());
        let mut out = vec![
            Command::when(Action::KeepMine, has),
            Command::when(Action::TakeTheirs, has),
            Command::when(Action::TypeValue, typable),
            Command::when(Action::Open, selected.is_some_and(|c| c.person_id.is_some())),
            Command::when(Action::ExportBundles, active),
            Command::when(Action::ImportBundle, active),
        ];
        if self.lead && self.device == 0 {
            out.push(Command::on(Action::AddLaptop));
        }
        out.push(Command::on(Action::Back));
        out.extend(movement(self.conflicts.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        let action = listed_action(input, &self.commands());
        if let Some(to) = action.and_then(|a| moved(self.selected, self.conflicts.len(), a)) {
            self.selected = to;
            return Handled::Consumed(Cmd::None);
        }
        let cmd = match action {
            Some(Action::KeepMine) => self.resolve(Resolution::Mine),
            Some(Action::TakeTheirs) => self.resolve(Resolution::Theirs),
            Some(Action::TypeValue) => self.selected_conflict().map(type_popup).unwrap_or(Cmd::None),
            Some(Action::Open) => match self.selected_conflict().and_then(|c| c.person_id) {
                Some(p) => Cmd::OpenPerson(p),
                None => Cmd::None,
            },
            Some(Action::ExportBundles) => export_popup(store),
            Some(Action::ImportBundle) => import_popup(store),
            Some(Action::AddLaptop) => add_popup(),
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let mut top: Vec<Line<'static>> = vec![Line::raw(if self.device == 0 {
            "This is the hub (laptop 0): every other laptop exchanges bundles with it.".to_string()
        } else {
            format!("This is laptop {}: it exchanges bundles with the hub.", self.device)
        })];
        if self.peers.is_empty() {
            let how = if self.lead && self.device == 0 {
                format!("{} makes one.", ctx.key(Context::Home, Action::AddLaptop))
            } else {
                "The data protection lead makes one on the hub.".into()
            };
            top.push(Line::styled(format!("No other laptop yet: {how}"), theme.dim));
        }
        for p in &self.peers {
            top.push(Line::raw(super::fit(
                &self.peer_line(p),
                area.width.saturating_sub(2) as usize,
            )));
        }
        let top_height = (top.len() as u16 + 2).min(area.height / 3).max(3);
        let [head, list_area, detail] = Layout::vertical([
            Constraint::Length(top_height),
            Constraint::Min(3),
            Constraint::Length(5),
        ])
        .areas(area);
        let block = Block::bordered().title(Span::styled(" Laptops ", theme.title));
        Paragraph::new(top).block(block).render(head, buf);

        let lines: Vec<String> = self
            .conflicts
            .iter()
            .map(|c| {
                format!(
                    "{} · {} · laptop {} · {}",
                    c.person_name.as_deref().unwrap_or("(no one person)"),
                    c.what,
                    c.from_device,
                    c.found_at.format("%d/%m/%Y")
                )
            })
            .collect();
        let title = format!("Merge conflicts waiting: {}", self.conflicts.len());
        let empty = "None waiting for you.".to_string();
        super::draw_list(
            list_area,
            buf,
            ctx,
            &super::Listing {
                title: &title,
                lines: &lines,
                empty: &empty,
            },
            self.selected,
            &mut self.scroll,
        );

        let block = Block::bordered().title(Span::styled(" Values ", theme.title));
        let body: Vec<Line<'static>> = match self.selected_conflict() {
            None => vec![Line::styled("Nothing to decide.", theme.dim)],
            Some(c) if c.column.is_none() => vec![
                Line::raw(format!(
                    "Laptop {} removed this record; this laptop changed it.",
                    c.from_device
                )),
                Line::styled(
                    format!(
                        "{} keeps it, {} removes it here too.",
                        ctx.key(Context::Home, Action::KeepMine),
                        ctx.key(Context::Home, Action::TakeTheirs)
                    ),
                    theme.dim,
                ),
            ],
            Some(c) => vec![
                super::field_line("Was", &c.base, theme.dim, theme.dim),
                super::field_line("This laptop", &c.mine, theme.dim, theme.normal),
                super::field_line(&format!("Laptop {}", c.from_device), &c.theirs, theme.dim, theme.normal),
            ],
        };
        Paragraph::new(body)
            .block(block)
            .wrap(Wrap { trim: true })
            .render(detail, buf);
        None
    }

    fn title(&self) -> String {
        "Laptops".into()
    }

    fn reload(&mut self, store: &Store) {
        let _ = self.fill(store);
    }
}

//! Support groups from the terminal. `o` on the handover lists the groups (open ones first)
//! with how many belong to each now; `N` starts one, `X` closes the one selected, Enter lists
//! its members (the ones the acting user may see), where Enter opens a member. On a person,
//! `J` adds them to an open group, and Enter on one of their groups records that they left.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::validate;
use crate::domain::GroupFormat;
use crate::store::groups::{Membership, SupportGroup};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, moved, movement, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

/// One line for a group: "Tuesday mornings · Face to face · Tuesdays 10am, the library · 6 now".
fn group_line(g: &SupportGroup) -> String {
    let mut s = format!("{} · {}", g.name, g.format.label());
    if !g.meets.is_empty() {
        s.push_str(&format!(" · {}", g.meets));
    }
    match g.closed_on {
        Some(c) => s.push_str(&format!(" · closed {}", c.format("%d/%m/%Y"))),
        None => s.push_str(&format!(" · {} now", g.members)),
    }
    s
}

pub struct GroupsScreen {
    groups: Vec<SupportGroup>,
    selected: usize,
    scroll: usize,
}

impl GroupsScreen {
    pub fn load(store: &Store) -> Cmd {
        if !store.runs_groups() {
            return Cmd::Error(
                "Your role does not run support groups: the roles that receive people's services do, and the data protection lead."
                    .into(),
            );
        }
        match store.groups() {
            Ok(groups) => Cmd::push(GroupsScreen {
                groups,
                selected: 0,
                scroll: 0,
            }),
            Err(e) => Cmd::Error(e.to_string()),
        }
    }
}

impl Screen for GroupsScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let open = self.groups.get(self.selected).is_some_and(|g| g.closed_on.is_none());
        let mut out = vec![
            Command::when(Action::Open, !self.groups.is_empty()),
            Command::on(Action::NewGroup),
            Command::when(Action::CloseGroup, open),
            Command::on(Action::Back),
        ];
        out.extend(movement(self.groups.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        let action = listed_action(input, &self.commands());
        if let Some(to) = action.and_then(|a| moved(self.selected, self.groups.len(), a)) {
            self.selected = to;
            return Handled::Consumed(Cmd::None);
        }
        let cmd = match action {
            Some(Action::Open) => match self.groups.get(self.selected) {
                Some(g) => GroupScreen::load(store, g.id),
                None => Cmd::None,
            },
            Some(Action::NewGroup) => new_group_popup(),
            Some(Action::CloseGroup) => match self.groups.get(self.selected) {
                Some(g) => {
                    let id = g.id;
                    Cmd::confirm(
                        "Close the group?",
                        format!(
                            "Close \"{}\"? Its {} member(s) leave it today; the group stays listed, closed.",
                            g.name, g.members
                        ),
                        move |store: &mut Store| match store.close_group(id) {
                            Ok(()) => Cmd::Info("Group closed.".into()),
                            Err(e) => Cmd::Error(e.to_string()),
                        },
                    )
                }
                None => Cmd::None,
            },
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let lines: Vec<String> = self.groups.iter().map(group_line).collect();
        let title = format!("Support groups: {}", self.groups.len());
        let empty = format!("No group yet: {} starts one.", ctx.key(Context::Home, Action::NewGroup));
        let list = super::Listing {
            title: &title,
            lines: &lines,
            empty: &empty,
        };
        super::draw_list(area, buf, ctx, &list, self.selected, &mut self.scroll);
        None
    }

    fn title(&self) -> String {
        "Groups".into()
    }

    fn reload(&mut self, store: &Store) {
        if let Ok(groups) = store.groups() {
            self.selected = self.selected.min(groups.len().saturating_sub(1));
            self.groups = groups;
        }
    }
}

/// One group's current members.
pub struct GroupScreen {
    group: SupportGroup,
    members: Vec<Membership>,
    selected: usize,
    scroll: usize,
}

impl GroupScreen {
    pub fn load(store: &Store, id: i64) -> Cmd {
        match (store.group(id), store.group_members(id)) {
            (Ok(group), Ok(members)) => Cmd::push(GroupScreen {
                group,
                members,
                selected: 0,
                scroll: 0,
            }),
            (Err(e), _) | (_, Err(e)) => Cmd::Error(e.to_string()),
        }
    }
}

impl Screen for GroupScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, !self.members.is_empty()),
            Command::on(Action::Back),
        ];
        out.extend(movement(self.members.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        let action = listed_action(input, &self.commands());
        if let Some(to) = action.and_then(|a| moved(self.selected, self.members.len(), a)) {
            self.selected = to;
            return Handled::Consumed(Cmd::None);
        }
        let cmd = match action {
            Some(Action::Open) => match self.members.get(self.selected) {
                Some(m) => Cmd::OpenPerson(m.person_id),
                None => Cmd::None,
            },
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let lines: Vec<String> = self
            .members
            .iter()
            .map(|m| format!("{}  since {}", m.person, m.joined_on.format("%d/%m/%Y")))
            .collect();
        let title = format!("{}: {} member(s) you may see", self.group.name, self.members.len());
        let empty = format!(
            "Nobody you may see belongs to this group now. Add someone with {} on their screen.",
            ctx.key(Context::Person, Action::JoinGroup)
        );
        let list = super::Listing {
            title: &title,
            lines: &lines,
            empty: &empty,
        };
        super::draw_list(area, buf, ctx, &list, self.selected, &mut self.scroll);
        None
    }

    fn title(&self) -> String {
        "Group".into()
    }

    fn reload(&mut self, store: &Store) {
        if let Ok(members) = store.group_members(self.group.id) {
            self.selected = self.selected.min(members.len().saturating_sub(1));
            self.members = members;
        }
        if let Ok(g) = store.group(self.group.id) {
            self.group = g;
        }
    }
}

fn formats() -> Vec<&'static str> {
    GroupFormat::ALL.iter().map(|f| f.label()).collect()
}

/// `N`: start a group.
fn new_group_popup() -> Cmd {
    let form = Form::new("New support group")
        .with(Field::text("name", "Name", "").max_chars(validate::MAX_NAME))
        .with(Field::choice(
            "format",
            "Meets",
            &formats(),
            GroupFormat::FaceToFace.label(),
        ))
        .with(Field::text("meets", "When and where", "").max_chars(validate::MAX_LINE));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "A name people know it by (\"Tuesday mornings\"), face to face or online, and when and where it meets."
                .into(),
        ],
        Box::new(|store: &mut Store, form: &Form| {
            let format = GroupFormat::ALL
                .iter()
                .copied()
                .find(|f| f.label() == value(form, "format"))
                .unwrap_or(GroupFormat::FaceToFace);
            store
                .create_group(&value(form, "name"), format, &value(form, "meets"))
                .map_err(|e| field_error("name", e))?;
            Ok(Cmd::Info("Group started.".into()))
        }),
    ))
}

/// `J` on a person: add them to one of the open groups.
pub fn join_popup(store: &Store, person: i64, who: &str) -> Cmd {
    let groups: Vec<SupportGroup> = match store.groups() {
        Ok(g) => g.into_iter().filter(|g| g.closed_on.is_none()).collect(),
        Err(e) => return Cmd::Error(e.to_string()),
    };
    if groups.is_empty() {
        return Cmd::Error("There is no open group yet: start one on the groups screen (from the handover).".into());
    }
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let form = Form::new("Join a group")
        .with(Field::choice("group", "Group", &names, names[0]))
        .with(Field::text("on", "Joined on", &today).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!("Which group {who} joins, and when.")],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let group = groups
                .iter()
                .find(|g| g.name == value(form, "group"))
                .map(|g| g.id)
                .ok_or_else(|| field_error("group", "Choose one of the groups."))?;
            store
                .join_group(person, group, on)
                .map_err(|e| field_error("group", e))?;
            Ok(Cmd::Info("Added to the group.".into()))
        }),
    ))
}

/// Enter on a person's current group: record that they left it.
pub fn leave_popup(store: &Store, m: &Membership) -> Cmd {
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let form = Form::new("Left the group").with(Field::text("on", "Left on", &today).max_chars(10));
    let id = m.id;
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "The day they left \"{}\" (their membership stays on record).",
            m.group
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store.leave_group(id, on).map_err(|e| field_error("on", e))?;
            Ok(Cmd::Info("Recorded as left.".into()))
        }),
    ))
}

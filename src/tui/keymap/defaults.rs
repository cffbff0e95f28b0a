//! The bindings dutydesk starts with, per context, and the few actions the footer of the
//! screens outside the screen contract (first run, unlock, lock) shows.

use super::{Action, Binding, Context, Key, Keymap};
use ratatui::crossterm::event::KeyCode;

/// The actions the footer shows per context, most useful first.
pub(super) fn footer_actions(context: Context) -> &'static [Action] {
    use Action::*;
    match context {
        Context::Global => &[Help, Quit],
        Context::Home => &[OpenSearch, NewPerson, Open, Help, Quit],
        Context::Search => &[Open, Down, Up, Back, Help],
        Context::Person => &[Edit, LogContact, AddCallback, GiveConsent, NewRequest, Back, Help],
        Context::Form => &[Save, NextField, PrevField, Back, Help],
        Context::Popup => &[Confirm, Cancel, Back],
        Context::LogContact => &[LogCall, LogEmail, LogLetter, LogVisit, Back],
        Context::Referrals => &[Open, TakeReferral, AdvanceReferral, Filter, Help],
        Context::Notices => &[Open, MarkGiven, Exemption, WriteFiles, Help],
        Context::Requests => &[Open, NewRequest, Filter, FilterStatus, Help],
        Context::Request => &[Actions, WriteFiles, Back, Help],
    }
}

pub(super) fn default_bindings(context: Context) -> Vec<(Action, Vec<Key>)> {
    use Action::*;
    use KeyCode as K;
    let c = Key::char;
    let k = Key::code;
    let ctrl = Key::ctrl;
    match context {
        Context::Global => vec![
            (Quit, vec![c('q'), ctrl('c')]),
            (Back, vec![k(K::Esc)]),
            (Help, vec![c('?'), k(K::F(1))]),
            (OpenSearch, vec![c('/'), ctrl('f')]),
            (Up, vec![k(K::Up), c('k')]),
            (Down, vec![k(K::Down), c('j')]),
            (Left, vec![k(K::Left)]),
            (Right, vec![k(K::Right)]),
            (PageUp, vec![k(K::PageUp)]),
            (PageDown, vec![k(K::PageDown)]),
            (Top, vec![k(K::Home), c('g')]),
            (Bottom, vec![k(K::End), c('G')]),
            (Open, vec![k(K::Enter)]),
            (Lock, vec![ctrl('l')]),
            (Undo, vec![ctrl('z')]),
            (Refresh, vec![c('R'), k(K::F(5))]),
            (NextScreen, vec![c(']')]),
            (PrevScreen, vec![c('[')]),
            (Screen1, vec![c('1')]),
            (Screen2, vec![c('2')]),
            (Screen3, vec![c('3')]),
            (Screen4, vec![c('4')]),
            (Screen5, vec![c('5')]),
        ],
        Context::Home => vec![
            (NewPerson, vec![c('n')]),
            (AddCallback, vec![c('b')]),
            (CallbackDone, vec![c('x')]),
            (TakeReferral, vec![c('i')]),
            (AdvanceReferral, vec![c('a')]),
            (Filter, vec![c('f')]),
            (ShowAll, vec![c('F')]),
            (Backup, vec![c('B')]),
            (Disclosures, vec![c('S')]),
            (MailingList, vec![c('M')]),
            (RecordBreach, vec![c('!')]),
            (RecordComplaint, vec![c('C')]),
            (RecordEnquiry, vec![c('I')]),
            (Groups, vec![c('o')]),
            (NewGroup, vec![c('N')]),
            (CloseGroup, vec![c('X')]),
            (ImportSheet, vec![c('T')]),
            (CheckImport, vec![c('c')]),
            (RunImport, vec![c('W')]),
            (WriteReport, vec![c('w')]),
            (Laptops, vec![c('L')]),
            (ExportBundles, vec![c('E')]),
            (ImportBundle, vec![c('U')]),
            (AddLaptop, vec![c('A')]),
            (KeepMine, vec![c('m')]),
            (TakeTheirs, vec![c('t')]),
            (TypeValue, vec![c('e')]),
        ],
        Context::Search => vec![(Down, vec![ctrl('n')]), (Up, vec![ctrl('p')])],
        Context::Person => vec![
            (Edit, vec![c('e')]),
            (LogContact, vec![c('l')]),
            (AddCallback, vec![c('b')]),
            (CallbackDone, vec![c('x')]),
            (Link, vec![c('r')]),
            (Unlink, vec![c('U')]),
            (RevealHealth, vec![c('H')]),
            (GiveConsent, vec![c('c')]),
            (WithdrawConsent, vec![c('w')]),
            (NewRequest, vec![c('p')]),
            (RecordDisclosure, vec![c('S')]),
            (RecordPublication, vec![c('P')]),
            (PlaceHold, vec![c('L')]),
            (AddHealthNote, vec![c('h')]),
            (RecordDbs, vec![c('D')]),
            (ApplyDbs, vec![c('A')]),
            (RecordService, vec![c('v')]),
            (RecordEnquiry, vec![c('I')]),
            (JoinGroup, vec![c('J')]),
            (RecordDonation, vec![c('$')]),
        ],
        Context::Form => vec![
            (Save, vec![ctrl('s')]),
            (NextField, vec![k(K::Tab)]),
            (PrevField, vec![k(K::BackTab)]),
        ],
        Context::Popup => vec![
            (Confirm, vec![c('y')]),
            (Cancel, vec![c('n')]),
            (CreateAnyway, vec![c('c')]),
            (Back, vec![k(K::Esc), c('q')]),
            (Help, vec![c('?'), k(K::F(1))]),
            (Open, vec![k(K::Enter)]),
            (Up, vec![k(K::Up), c('k')]),
            (Down, vec![k(K::Down), c('j')]),
            (Left, vec![k(K::Left), c('h')]),
            (Right, vec![k(K::Right), c('l')]),
            (NextField, vec![k(K::Tab)]),
            (PrevField, vec![k(K::BackTab)]),
            (PageUp, vec![k(K::PageUp)]),
            (PageDown, vec![k(K::PageDown), c(' ')]),
            (Top, vec![k(K::Home), c('g')]),
            (Bottom, vec![k(K::End), c('G')]),
        ],
        Context::Referrals => vec![
            (TakeReferral, vec![c('i')]),
            (AdvanceReferral, vec![c('a')]),
            (Filter, vec![c('f')]),
        ],
        Context::Notices => vec![
            (MarkGiven, vec![c('m')]),
            (Exemption, vec![c('E')]),
            (WriteFiles, vec![c('W')]),
        ],
        Context::Requests => vec![
            (NewRequest, vec![c('n')]),
            (Filter, vec![c('f')]),
            (FilterStatus, vec![c('S')]),
        ],
        Context::Request => vec![(Actions, vec![c('a')]), (WriteFiles, vec![c('W')])],
        Context::LogContact => vec![
            (LogCall, vec![c('c')]),
            (LogEmail, vec![c('e')]),
            (LogLetter, vec![c('l')]),
            (LogVisit, vec![c('v')]),
            (Back, vec![k(K::Esc)]),
        ],
    }
}

impl Default for Keymap {
    fn default() -> Self {
        let contexts = Context::ALL
            .iter()
            .map(|&ctx| {
                default_bindings(ctx)
                    .into_iter()
                    .map(|(action, keys)| Binding { action, keys, line: 0 })
                    .collect()
            })
            .collect();
        Keymap { contexts }
    }
}

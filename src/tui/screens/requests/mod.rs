//! Rights requests: the queue (overdue first, then soonest due; days left coloured; filters by
//! kind and by status), one request with its clock explained and every next step in a menu (`a`), and the
//! intake form (from a person with `p`, or `n` on the queue).
//!
//! [`queue`] is the list, [`detail`] one request, [`steps`] the next-step menu and the forms
//! each step opens, [`intake`] recording a new request and the rectification form.
//!
//! Steps that decide (extend, refuse, fulfil, close) are for the data protection lead; the
//! store refuses them for other roles with a sentence that says so.

mod detail;
mod intake;
mod queue;
mod steps;

pub use detail::RequestScreen;
pub use intake::{intake_popup, rectify_view};
pub use queue::RequestsScreen;
pub use steps::letter_sent_popup;

use crate::domain::validate;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screens::form_popup::{field_error, value};
use crate::tui::widgets::form::{Field, Form};
use chrono::NaiveDate;

pub(super) fn date_field(id: &str, label: &str, store: &Store) -> Field {
    Field::text(id, label, &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10)
}

pub(super) fn date_of(form: &Form, id: &str) -> Result<NaiveDate, (String, String)> {
    validate::date(&value(form, id)).map_err(|e| field_error(id, e.message))
}

/// Opens one request.
pub fn open_request(store: &Store, id: i64) -> Cmd {
    match RequestScreen::load(store, id) {
        Ok(s) => Cmd::push(s),
        Err(e) => Cmd::Error(e),
    }
}

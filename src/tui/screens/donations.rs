//! Donations from the person screen: `$` records one, with the amount in pounds, the day, and
//! where it came through: given directly, or through one of the profile's giving platforms,
//! in which case the day the donor agreed there to share their details with us is asked for
//! (the platform is where their details came from).

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::money::pence;
use crate::domain::validate;
use crate::store::donations::DonationInput;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

const DIRECTLY: &str = "Given to us directly";
const YES: &str = "yes";
const NO: &str = "no";

/// `$` on a person: a donation from them.
pub fn record_popup(store: &Store, person: i64, who: &str) -> Cmd {
    let mut via: Vec<&str> = vec![DIRECTLY];
    via.extend(store.profile().donation_platforms.iter().map(String::as_str));
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let form = Form::new("Donation")
        .with(Field::text("amount", "Amount (£)", "").max_chars(20))
        .with(Field::text("on", "Received", &today).max_chars(10))
        .with(Field::choice("via", "Came through", &via, DIRECTLY))
        .with(Field::text("other", "Or another platform", "").max_chars(validate::MAX_NAME))
        .with(Field::text("shared", "Agreed there to share on", "").max_chars(10))
        .with(Field::choice("gift_aid", "Gift Aid declared", &[NO, YES], NO));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "A donation from {who}. Through a platform (JustGiving, PayPal), give the day they agreed there to share their details with us."
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let amount_pence = pence(&value(form, "amount")).map_err(|e| field_error("amount", e))?;
            let received_on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let other = value(form, "other");
            let platform = match (value(form, "via"), other.trim()) {
                (_, o) if !o.is_empty() => Some(o.to_string()),
                (v, _) if v == DIRECTLY => None,
                (v, _) => Some(v),
            };
            let shared = value(form, "shared");
            let shared_with_consent_on = match shared.trim() {
                "" => None,
                s => Some(validate::date(s).map_err(|e| field_error("shared", e.message))?),
            };
            store
                .record_donation(
                    person,
                    &DonationInput {
                        amount_pence,
                        received_on,
                        platform,
                        shared_with_consent_on,
                        gift_aid: value(form, "gift_aid") == YES,
                    },
                )
                .map_err(|e| field_error("shared", e))?;
            Ok(Cmd::Info("Donation recorded.".into()))
        }),
    ))
}

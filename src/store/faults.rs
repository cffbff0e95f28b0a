//! Fault injection for the fault-injection tests: make the Nth write step on this thread fail.
//!
//! Every write path passes through numbered *steps*: each audit entry (before the entry, and
//! between the entry and the chain head), every transaction's commit (through SQLite's commit
//! hook, so every transaction on the connection counts), and each file-system step of saving
//! the key slots or re-keying. A test asks for the Nth step to fail with
//! [`fail_at_step`], runs one operation, and checks the case file afterwards; it repeats with
//! N = 1, 2, ... until the operation finishes without reaching step N, so every step of every
//! write path is interrupted once. A failed step behaves as an interruption at that point does:
//! the error ends the operation, the open transaction rolls back, and what was already on disk
//! stays there.
//!
//! The plan is per thread, so tests running in parallel never see each other's faults, and
//! nothing outside a test can arm it (there is no environment variable or file that does).

use std::cell::Cell;

thread_local! {
    static FAIL_AT: Cell<Option<u32>> = const { Cell::new(None) };
    static TAKEN: Cell<u32> = const { Cell::new(0) };
}

/// Arms a fault: the `n`th step from now (1-based) on this thread fails. Resets the count.
#[doc(hidden)]
pub fn fail_at_step(n: u32) {
    TAKEN.with(|t| t.set(0));
    FAIL_AT.with(|f| f.set(Some(n)));
}

/// Disarms any fault and returns how many steps were taken since it was armed.
#[doc(hidden)]
pub fn disarm() -> u32 {
    FAIL_AT.with(|f| f.set(None));
    TAKEN.with(|t| t.replace(0))
}

/// Counts one step; true if this is the step that must fail.
pub(crate) fn should_fail() -> bool {
    FAIL_AT.with(|f| match f.get() {
        None => false,
        Some(n) => {
            let taken = TAKEN.with(|t| {
                let v = t.get() + 1;
                t.set(v);
                v
            });
            taken == n
        }
    })
}

/// Counts one step named `what`; fails it (as an I/O error) if it is the armed one.
pub(crate) fn step(what: &'static str) -> std::io::Result<()> {
    if should_fail() {
        Err(std::io::Error::other(format!("injected fault: {what}")))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_armed_step_fails_and_steps_are_counted() {
        assert!(step("a").is_ok(), "nothing is armed");
        fail_at_step(2);
        assert!(step("a").is_ok());
        assert!(step("b").is_err());
        assert!(step("c").is_ok());
        assert_eq!(disarm(), 3);
        assert!(step("d").is_ok());
    }
}

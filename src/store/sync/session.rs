//! The few calls of SQLite's session extension that merging uses, wrapped safely: the
//! changeset that turns one copy of some tables into another ([`diff`]), and reading a
//! changeset back ([`changes`]). Applying is dutydesk's own ([`super::merge`]): field by field
//! into the case file, exactly into the shared base copy.
//!
//! The extension is compiled into the bundled SQLCipher by `.cargo/config.toml`
//! (`SQLITE_ENABLE_SESSION`); the functions are in the bindings `libsqlite3-sys` ships, so no
//! libclang is needed. Changesets, never patchsets: a changeset carries each changed field's
//! old value, which is what tells a conflict from an update.

use super::super::error::{Result, StoreError};
use rusqlite::ffi;
use rusqlite::types::Value;
use rusqlite::Connection;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

/// What a change does to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

/// One row's change, with values by column position. In an update, a column that did not
/// change is `None` in both `old` and `new` (except the primary key, present in `old`).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub table: String,
    pub op: Op,
    pub old: Vec<Option<Value>>,
    pub new: Vec<Option<Value>>,
    /// Which columns make up the primary key.
    pub pk: Vec<bool>,
}

impl Change {
    /// The row's primary key value (its first key column), from whichever side has it.
    pub fn key(&self) -> Option<&Value> {
        let i = self.pk.iter().position(|&k| k)?;
        self.old
            .get(i)
            .and_then(Option::as_ref)
            .or_else(|| self.new.get(i).and_then(Option::as_ref))
    }
}

fn failed(what: &str, rc: c_int) -> StoreError {
    // SAFETY: sqlite3_errstr returns a static, NUL-terminated English string for any code.
    let text = unsafe { CStr::from_ptr(ffi::sqlite3_errstr(rc)) }
        .to_string_lossy()
        .into_owned();
    StoreError::invalid(format!("The merge could not {what} ({text})."))
}

/// A session object, deleted when dropped.
struct SessionHandle(*mut ffi::sqlite3_session);

impl Drop for SessionHandle {
    fn drop(&mut self) {
        // SAFETY: created by sqlite3session_create and deleted only here.
        unsafe { ffi::sqlite3session_delete(self.0) }
    }
}

/// The changeset that turns the tables in schema `from` (an attached copy) into those in
/// `main`, table by table in the order given. Both copies must have the same schema.
pub fn diff(conn: &Connection, from: &str, tables: &[&str]) -> Result<Vec<u8>> {
    let main = CString::new("main").map_err(|e| StoreError::invalid(e.to_string()))?;
    let from_c = CString::new(from).map_err(|e| StoreError::invalid(e.to_string()))?;
    let mut s: *mut ffi::sqlite3_session = ptr::null_mut();
    // SAFETY: the connection's handle is valid while `conn` is borrowed, and this function
    // neither keeps it nor lets the session outlive the borrow (the handle is dropped below).
    let rc = unsafe { ffi::sqlite3session_create(conn.handle(), main.as_ptr(), &mut s) };
    if rc != ffi::SQLITE_OK {
        return Err(failed("start recording changes", rc));
    }
    let session = SessionHandle(s);
    for table in tables {
        let t = CString::new(*table).map_err(|e| StoreError::invalid(e.to_string()))?;
        // SAFETY: `session.0` is a live session; `t` outlives both calls.
        let rc = unsafe { ffi::sqlite3session_attach(session.0, t.as_ptr()) };
        if rc != ffi::SQLITE_OK {
            return Err(failed("follow a table", rc));
        }
        let mut err: *mut c_char = ptr::null_mut();
        // SAFETY: as above; `err` is set to a message SQLite allocated, freed below.
        let rc = unsafe { ffi::sqlite3session_diff(session.0, from_c.as_ptr(), t.as_ptr(), &mut err) };
        if !err.is_null() {
            // SAFETY: allocated by SQLite for us to free.
            unsafe { ffi::sqlite3_free(err.cast()) };
        }
        if rc != ffi::SQLITE_OK {
            return Err(failed(&format!("compare the table {table}"), rc));
        }
    }
    let mut n: c_int = 0;
    let mut p: *mut c_void = ptr::null_mut();
    // SAFETY: the session is live; on success `p` holds `n` bytes SQLite allocated.
    let rc = unsafe { ffi::sqlite3session_changeset(session.0, &mut n, &mut p) };
    if rc != ffi::SQLITE_OK {
        return Err(failed("write the changes", rc));
    }
    let bytes = if p.is_null() || n <= 0 {
        Vec::new()
    } else {
        // SAFETY: `p` points to `n` bytes owned by SQLite until freed just after the copy.
        unsafe { std::slice::from_raw_parts(p.cast::<u8>(), n as usize) }.to_vec()
    };
    if !p.is_null() {
        // SAFETY: allocated by sqlite3session_changeset for the caller to free.
        unsafe { ffi::sqlite3_free(p) };
    }
    Ok(bytes)
}

/// Reads a value SQLite handed over (owned by the iterator, copied here).
///
/// SAFETY: `v` must be a valid `sqlite3_value` pointer (or null for "no value").
unsafe fn read_value(v: *mut ffi::sqlite3_value) -> Option<Value> {
    if v.is_null() {
        return None;
    }
    Some(match ffi::sqlite3_value_type(v) {
        ffi::SQLITE_INTEGER => Value::Integer(ffi::sqlite3_value_int64(v)),
        ffi::SQLITE_FLOAT => Value::Real(ffi::sqlite3_value_double(v)),
        ffi::SQLITE_TEXT => {
            let p = ffi::sqlite3_value_text(v);
            let n = ffi::sqlite3_value_bytes(v);
            if p.is_null() {
                Value::Text(String::new())
            } else {
                let bytes = std::slice::from_raw_parts(p, n.max(0) as usize);
                Value::Text(String::from_utf8_lossy(bytes).into_owned())
            }
        }
        ffi::SQLITE_BLOB => {
            let p = ffi::sqlite3_value_blob(v);
            let n = ffi::sqlite3_value_bytes(v);
            if p.is_null() {
                Value::Blob(Vec::new())
            } else {
                Value::Blob(std::slice::from_raw_parts(p.cast::<u8>(), n.max(0) as usize).to_vec())
            }
        }
        _ => Value::Null,
    })
}

/// An iterator over a changeset, finalised when dropped.
struct IterHandle(*mut ffi::sqlite3_changeset_iter);

impl Drop for IterHandle {
    fn drop(&mut self) {
        // SAFETY: created by sqlite3changeset_start and finalised only here.
        unsafe { ffi::sqlite3changeset_finalize(self.0) };
    }
}

/// Every change in a changeset, in its order. A changeset that is not one (or is cut short)
/// is an error, not a panic.
pub fn changes(changeset: &[u8]) -> Result<Vec<Change>> {
    if changeset.is_empty() {
        return Ok(Vec::new());
    }
    let len =
        c_int::try_from(changeset.len()).map_err(|_| StoreError::invalid("The changes are too large to read."))?;
    let mut it: *mut ffi::sqlite3_changeset_iter = ptr::null_mut();
    // SAFETY: SQLite only reads the buffer (the pointer is *mut in the C signature), which
    // outlives the iterator: both live until the end of this function.
    let rc = unsafe { ffi::sqlite3changeset_start(&mut it, len, changeset.as_ptr() as *mut c_void) };
    if rc != ffi::SQLITE_OK {
        return Err(failed("read the changes", rc));
    }
    let iter = IterHandle(it);
    let mut out = Vec::new();
    loop {
        // SAFETY: the iterator is live.
        let rc = unsafe { ffi::sqlite3changeset_next(iter.0) };
        if rc == ffi::SQLITE_DONE {
            break;
        }
        if rc != ffi::SQLITE_ROW {
            return Err(failed("read the changes", rc));
        }
        let mut tab: *const c_char = ptr::null();
        let mut ncol: c_int = 0;
        let mut op: c_int = 0;
        let mut indirect: c_int = 0;
        // SAFETY: the iterator points at a row; `tab` is valid until the next call to next.
        let rc = unsafe { ffi::sqlite3changeset_op(iter.0, &mut tab, &mut ncol, &mut op, &mut indirect) };
        if rc != ffi::SQLITE_OK || tab.is_null() {
            return Err(failed("read the changes", rc));
        }
        // SAFETY: NUL-terminated table name owned by the iterator, copied at once.
        let table = unsafe { CStr::from_ptr(tab) }.to_string_lossy().into_owned();
        let mut pk_ptr: *mut u8 = ptr::null_mut();
        let mut pk_n: c_int = 0;
        // SAFETY: as above; `pk_ptr` holds `pk_n` flags.
        let rc = unsafe { ffi::sqlite3changeset_pk(iter.0, &mut pk_ptr, &mut pk_n) };
        if rc != ffi::SQLITE_OK || pk_ptr.is_null() {
            return Err(failed("read the changes", rc));
        }
        // SAFETY: `pk_ptr` points to `pk_n` bytes owned by the iterator.
        let pk: Vec<bool> = unsafe { std::slice::from_raw_parts(pk_ptr, pk_n.max(0) as usize) }
            .iter()
            .map(|&b| b != 0)
            .collect();
        let op = match op {
            ffi::SQLITE_INSERT => Op::Insert,
            ffi::SQLITE_UPDATE => Op::Update,
            ffi::SQLITE_DELETE => Op::Delete,
            _ => {
                return Err(StoreError::invalid(
                    "The changes hold an operation dutydesk does not know.",
                ))
            }
        };
        let mut old = Vec::with_capacity(ncol as usize);
        let mut new = Vec::with_capacity(ncol as usize);
        for i in 0..ncol {
            let mut v: *mut ffi::sqlite3_value = ptr::null_mut();
            if op != Op::Insert {
                // SAFETY: valid for updates and deletes; `v` is owned by the iterator.
                let rc = unsafe { ffi::sqlite3changeset_old(iter.0, i, &mut v) };
                old.push(if rc == ffi::SQLITE_OK {
                    unsafe { read_value(v) }
                } else {
                    None
                });
            } else {
                old.push(None);
            }
            let mut v: *mut ffi::sqlite3_value = ptr::null_mut();
            if op != Op::Delete {
                // SAFETY: valid for inserts and updates; `v` is owned by the iterator.
                let rc = unsafe { ffi::sqlite3changeset_new(iter.0, i, &mut v) };
                new.push(if rc == ffi::SQLITE_OK {
                    unsafe { read_value(v) }
                } else {
                    None
                });
            } else {
                new.push(None);
            }
        }
        out.push(Change {
            table,
            op,
            old,
            new,
            pk,
        });
    }
    Ok(out)
}

/// Whether foreign keys deferred in the current transaction are still unresolved (a row
/// pointing at nothing): SQLite keeps the count, so this costs nothing, and only when it is
/// not zero does a merge look for the rows (a full `PRAGMA foreign_key_check`).
pub fn unresolved_foreign_keys(conn: &Connection) -> Result<bool> {
    let mut current: c_int = 0;
    let mut highest: c_int = 0;
    // SAFETY: the connection is live for the call; both outputs are locals.
    let rc = unsafe {
        ffi::sqlite3_db_status(
            conn.handle(),
            ffi::SQLITE_DBSTATUS_DEFERRED_FKS,
            &mut current,
            &mut highest,
            0,
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(failed("count the foreign keys left to resolve", rc));
    }
    Ok(current != 0)
}

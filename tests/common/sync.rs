//! Two laptops of one case file, for the merge tests: a hub with one client and a laptop made
//! from it, and the folder bundles travel in.

use super::*;
use dutydesk::store::datadir::DataDir;
use std::path::PathBuf;

/// A hub with one client, a laptop made from it, and the folder bundles travel in.
pub struct Pair {
    pub _tmp: tempfile::TempDir,
    pub hub_dir: DataDir,
    pub laptop_dir: DataDir,
    pub stick: PathBuf,
    pub hub: Store,
    pub laptop: Store,
    pub client: i64,
}

pub fn pair() -> Pair {
    let (tmp, hub_dir, mut hub) = new_case_file();
    add_role_users(&mut hub);
    let client = add(
        &mut hub,
        &full_record(
            "Ada",
            "Quill",
            "07700 900001",
            "ada@example.org",
            "NN1 1AA",
            &[Category::Client],
        ),
    );
    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    let made = hub.add_laptop("Rota laptop", &stick).unwrap();
    assert_eq!(made.device, 1);
    let laptop_dir = DataDir::new(&made.folder);
    let laptop = Store::unlock(
        &laptop_dir,
        &login_for(Role::DataProtectionLead),
        &pass_for(Role::DataProtectionLead),
        clock(),
    )
    .unwrap();
    Pair {
        _tmp: tmp,
        hub_dir,
        laptop_dir,
        stick,
        hub,
        laptop,
        client,
    }
}

pub fn lead_pass() -> String {
    pass_for(Role::DataProtectionLead)
}

/// The laptop's bundle to the hub, taken in there; then the hub's answer, taken in on the
/// laptop.
pub fn round_trip(p: &mut Pair) {
    let out = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&out[0].path, &lead_pass()).unwrap();
    let back = p.hub.sync_export(&p.stick).unwrap();
    p.laptop.sync_import(&back[0].path, &lead_pass()).unwrap();
}

/// The hub's bundle for the laptop, taken in there.
pub fn answer(p: &mut Pair) {
    let back = p.hub.sync_export(&p.stick).unwrap();
    p.laptop.sync_import(&back[0].path, &lead_pass()).unwrap();
}

/// Changes one person's record on one laptop, as the form would.
pub fn set<F: FnOnce(&mut dutydesk::domain::person::PersonRecord)>(store: &mut Store, id: i64, f: F) {
    let mut rec = store.person(id).unwrap().record;
    f(&mut rec);
    store.update_person(id, &rec).unwrap();
}

/// The client's email changed differently on both laptops, and the laptop's bundle taken in
/// on the hub: one conflict waits there.
pub fn email_conflict(p: &mut Pair) {
    let c = p.client;
    set(&mut p.laptop, c, |r| r.email = Some("laptop@example.org".into()));
    set(&mut p.hub, c, |r| r.email = Some("hub@example.org".into()));
    let out = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&out[0].path, &lead_pass()).unwrap();
}

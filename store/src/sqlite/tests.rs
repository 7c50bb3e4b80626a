//! What only the SQLite store has: its file, the WAL journal and full sync, reopening.
//! What both stores promise is tested on both in `crate::contract`.

#![allow(clippy::unwrap_used)]

use std::sync::Barrier;

use super::*;
use crate::contract::{draft, listed, team};

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(
        dir.path(),
        Options {
            readers: 2,
            ..Options::default()
        },
    )
    .unwrap();
    Fixture { _dir: dir, store }
}

#[test]
fn reopening_keeps_everything_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let open = || SqliteStore::open_dir(dir.path(), Options::default()).unwrap();
    let store = open();
    let c = store
        .create(
            &team(),
            &draft("kept", "c", "{\"k\":true}"),
            &Origin::Create,
        )
        .unwrap();
    store
        .save(
            &c.id,
            Version(1),
            &draft("kept 2", "c", "{\"k\":2}"),
            &Origin::Save,
        )
        .unwrap();
    drop(store);
    let store = open();
    let got = store.get(&c.id).unwrap();
    assert_eq!((got.version, got.body.as_str()), (Version(2), "{\"k\":2}"));
    assert_eq!(store.versions(&c.id).unwrap().len(), 2);
    let user_version: i64 = store
        .readers
        .get()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, migrations::STEPS.len() as i64);
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn the_file_uses_wal_and_full_sync() {
    let f = fixture();
    let w = f.store.writer.lock().unwrap();
    let mode: String = w
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = w.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), sync), ("wal", 2), "2 is FULL");
}

#[test]
fn drafts_write_the_scenario_in_full_and_read_back_the_same() {
    use lakeplan_models::scenario::Scenario;
    let json = r#"{"start_month": "2026-01",
        "lake": {"initial_pb": 2, "target_pb": 5, "target_month": "2028-01"},
        "change": {"value": 3}, "sites": [{"name": "A"}], "name": "Pilot",
        "customer": "Example"}"#;
    let s = Scenario::parse(json).unwrap();
    let d = Draft::of(&s, "ana@example.com".into()).unwrap();
    assert_eq!((d.name.as_str(), d.customer.as_str()), ("Pilot", "Example"));
    assert!(
        d.body.contains("\"window_hours\":24.0"),
        "defaults are written: {}",
        d.body
    );
    assert_eq!(Scenario::parse(&d.body).unwrap(), s);
}

#[test]
fn a_closed_store_leaves_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(
        dir.path(),
        Options {
            readers: 2,
            ..Options::default()
        },
    )
    .unwrap();
    let c = store
        .create(&team(), &draft("a", "", "{}"), &Origin::Create)
        .unwrap();
    // Both readers have read, so both hold the log open.
    let barrier = Barrier::new(2);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let conn = store.readers.get();
                barrier.wait();
                conn.query_row(
                    "SELECT count(*) FROM scenarios WHERE id = ?1",
                    [c.id],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap();
            });
        }
    });
    let wal = dir.path().join(format!("{FILE_NAME}-wal"));
    assert!(wal.exists(), "writes go to the log while open");
    drop(store);
    assert!(!wal.exists(), "closing checkpoints the log into the file");
    let store = SqliteStore::open_dir(dir.path(), Options::default()).unwrap();
    assert_eq!(store.list(&listed(false)).unwrap().len(), 1);
}

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Barrier};

use super::*;
use crate::{ManualClock, DAY_MS, RETENTION_DAYS};

/// 2026-05-01T00:00:00Z.
const T0: Timestamp = Timestamp(1_777_593_600_000);

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    clock: Arc<ManualClock>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::at(T0));
    let store = SqliteStore::open_dir(
        dir.path(),
        Options {
            readers: 2,
            clock: clock.clone(),
        },
    )
    .unwrap();
    Fixture {
        _dir: dir,
        store,
        clock,
    }
}

fn draft(name: &str, customer: &str, body: &str) -> Draft {
    Draft {
        name: name.into(),
        customer: customer.into(),
        price_book: "2026-11".into(),
        body: body.into(),
    }
}

#[test]
fn a_created_scenario_reads_back_as_version_one() {
    let f = fixture();
    let c = f
        .store
        .create(
            &draft("Pilot", "Example Retail", "{\"a\":1}"),
            &Origin::Create,
        )
        .unwrap();
    assert_eq!(c.version, Version(1));
    assert_eq!((c.created_at, c.updated_at), (T0, T0));
    let got = f.store.get(&c.id).unwrap();
    assert_eq!(got, c);
    assert_eq!(got.body, "{\"a\":1}");
    let versions = f.store.versions(&c.id).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].origin, Origin::Create);
    assert_eq!(versions[0].saved_at, T0);
}

#[test]
fn an_unknown_id_is_not_found_everywhere() {
    let f = fixture();
    let id = ScenarioId::random();
    let d = draft("x", "", "{}");
    assert!(matches!(f.store.get(&id), Err(StoreError::NotFound { .. })));
    assert!(matches!(
        f.store.save(&id, Version(1), &d, &Origin::Save),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        f.store.delete(&id, None),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        f.store.versions(&id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        f.store.undelete(&id),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn each_save_keeps_the_previous_one() {
    let f = fixture();
    let c = f
        .store
        .create(&draft("v1", "c", "{\"v\":1}"), &Origin::Create)
        .unwrap();
    f.clock.advance_ms(1000);
    let c2 = f
        .store
        .save(
            &c.id,
            Version(1),
            &draft("v2", "c", "{\"v\":2}"),
            &Origin::Save,
        )
        .unwrap();
    assert_eq!(c2.version, Version(2));
    assert_eq!(c2.created_at, T0);
    assert_eq!(c2.updated_at, T0.plus_ms(1000));
    f.clock.advance_ms(1000);
    let c3 = f
        .store
        .save(
            &c.id,
            Version(2),
            &draft("v1", "c", "{\"v\":1}"),
            &Origin::Restore {
                version: Version(1),
            },
        )
        .unwrap();
    assert_eq!(c3.version, Version(3));

    let history = f.store.versions(&c.id).unwrap();
    let numbers: Vec<u64> = history.iter().map(|v| v.version.0).collect();
    assert_eq!(numbers, [3, 2, 1], "newest first");
    assert_eq!(
        history[0].origin,
        Origin::Restore {
            version: Version(1)
        }
    );
    assert_eq!(history[1].name, "v2");
    for (v, body) in [(1, "{\"v\":1}"), (2, "{\"v\":2}"), (3, "{\"v\":1}")] {
        let r = f.store.version(&c.id, Version(v)).unwrap();
        assert_eq!(r.body, body);
        assert_eq!(r.info.version, Version(v));
    }
    match f.store.version(&c.id, Version(4)) {
        Err(StoreError::NoSuchVersion { latest, .. }) => assert_eq!(latest, Version(3)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stale_save_changes_nothing_and_names_the_current_version() {
    let f = fixture();
    let c = f
        .store
        .create(&draft("a", "", "{\"v\":1}"), &Origin::Create)
        .unwrap();
    f.store
        .save(
            &c.id,
            Version(1),
            &draft("b", "", "{\"v\":2}"),
            &Origin::Save,
        )
        .unwrap();
    match f.store.save(
        &c.id,
        Version(1),
        &draft("c", "", "{\"v\":3}"),
        &Origin::Save,
    ) {
        Err(StoreError::Conflict {
            expected, current, ..
        }) => assert_eq!((expected, current), (Version(1), Version(2))),
        other => panic!("{other:?}"),
    }
    let now = f.store.get(&c.id).unwrap();
    assert_eq!((now.version, now.name.as_str()), (Version(2), "b"));
    assert_eq!(f.store.versions(&c.id).unwrap().len(), 2);
    // A version from the future is as stale as one from the past.
    assert!(matches!(
        f.store
            .save(&c.id, Version(9), &draft("c", "", "{}"), &Origin::Save),
        Err(StoreError::Conflict { .. })
    ));
}

/// Many threads save the same version at once: exactly one wins.
#[test]
fn concurrent_saves_of_one_version_have_one_winner() {
    let f = fixture();
    let c = f
        .store
        .create(&draft("a", "", "{}"), &Origin::Create)
        .unwrap();
    let store = Arc::new(f.store);
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let body = format!("{{\"writer\":{i}}}");
                store.save(&c.id, Version(1), &draft("w", "", &body), &Origin::Save)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<&Current> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1);
    for r in &results {
        if let Err(e) = r {
            assert!(
                matches!(
                    e,
                    StoreError::Conflict {
                        current: Version(2),
                        ..
                    }
                ),
                "{e:?}"
            );
        }
    }
    let now = store.get(&c.id).unwrap();
    assert_eq!(now.version, Version(2));
    assert_eq!(now.body, winners[0].body);
}

#[test]
fn search_ignores_case_in_any_script() {
    let f = fixture();
    let d = |n: &str, c: &str| draft(n, c, "{}");
    let a = f
        .store
        .create(&d("Hybrid lakehouse", "Ünterwald Bank"), &Origin::Create)
        .unwrap();
    f.clock.advance_ms(1);
    let b = f
        .store
        .create(&d("Pilot", "Example Retail"), &Origin::Create)
        .unwrap();
    let ids = |q: Option<&str>| -> Vec<ScenarioId> {
        f.store
            .list(&ListQuery {
                text: q.map(String::from),
                deleted: false,
            })
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(ids(None), [b.id, a.id], "most recently saved first");
    assert_eq!(ids(Some("LAKEHOUSE")), [a.id]);
    assert_eq!(ids(Some("ünter")), [a.id]);
    assert_eq!(ids(Some("retail")), [b.id]);
    assert_eq!(ids(Some("%")), Vec::<ScenarioId>::new(), "no wildcards");
    assert_eq!(ids(Some("")), [b.id, a.id]);
    // A save moves a scenario to the top and renames it in the list.
    f.clock.advance_ms(1);
    f.store
        .save(
            &a.id,
            Version(1),
            &d("Renamed", "Ünterwald Bank"),
            &Origin::Save,
        )
        .unwrap();
    assert_eq!(ids(None), [a.id, b.id]);
    assert_eq!(ids(Some("lakehouse")), Vec::<ScenarioId>::new());
}

#[test]
fn a_deleted_scenario_is_hidden_restorable_and_purged_after_30_days() {
    let f = fixture();
    let c = f
        .store
        .create(&draft("gone", "", "{\"x\":1}"), &Origin::Create)
        .unwrap();
    let keep = f
        .store
        .create(&draft("kept", "", "{}"), &Origin::Create)
        .unwrap();
    // A delete that names a stale version is refused.
    assert!(matches!(
        f.store.delete(&c.id, Some(Version(2))),
        Err(StoreError::Conflict { .. })
    ));
    let del = f.store.delete(&c.id, Some(Version(1))).unwrap();
    assert_eq!(del.deleted_at, T0);
    assert_eq!(del.purge_after, T0.plus_ms(RETENTION_DAYS * DAY_MS));

    assert!(matches!(
        f.store.get(&c.id),
        Err(StoreError::Deleted { deleted_at: T0, .. })
    ));
    assert!(matches!(
        f.store
            .save(&c.id, Version(1), &draft("x", "", "{}"), &Origin::Save),
        Err(StoreError::Deleted { .. })
    ));
    assert!(matches!(
        f.store.delete(&c.id, None),
        Err(StoreError::Deleted { .. })
    ));
    let live = f.store.list(&ListQuery::default()).unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].id, keep.id);
    let bin = f
        .store
        .list(&ListQuery {
            text: None,
            deleted: true,
        })
        .unwrap();
    assert_eq!(bin.len(), 1);
    assert_eq!(bin[0].deleted_at, Some(T0));

    // Undelete brings it back as it was; a second undelete has nothing to do.
    let back = f.store.undelete(&c.id).unwrap();
    assert_eq!(
        (back.version, back.body.as_str()),
        (Version(1), "{\"x\":1}")
    );
    assert!(matches!(
        f.store.undelete(&c.id),
        Err(StoreError::NotDeleted { .. })
    ));

    // Deleted again; one millisecond short of 30 days it is still restorable.
    f.store.delete(&c.id, None).unwrap();
    f.clock.advance_ms(RETENTION_DAYS * DAY_MS - 1);
    assert_eq!(f.store.purge_expired().unwrap(), 0);
    assert!(matches!(
        f.store.get(&c.id),
        Err(StoreError::Deleted { .. })
    ));
    // At 30 days it is gone, even before the purge runs, and the purge removes it.
    f.clock.advance_ms(1);
    assert!(matches!(
        f.store.get(&c.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        f.store.undelete(&c.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(f
        .store
        .list(&ListQuery {
            text: None,
            deleted: true
        })
        .unwrap()
        .is_empty());
    assert_eq!(f.store.purge_expired().unwrap(), 1);
    assert_eq!(f.store.purge_expired().unwrap(), 0);
    let left: i64 = f
        .store
        .readers
        .get()
        .query_row(
            "SELECT count(*) FROM scenario_versions WHERE scenario_id = ?1",
            [c.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the versions went with it");
    assert_eq!(f.store.get(&keep.id).unwrap().name, "kept");
}

#[test]
fn reopening_keeps_everything_and_migrates_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let open = || SqliteStore::open_dir(dir.path(), Options::default()).unwrap();
    let store = open();
    let c = store
        .create(&draft("kept", "c", "{\"k\":true}"), &Origin::Create)
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
    let d = Draft::of(&s).unwrap();
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
        .create(&draft("a", "", "{}"), &Origin::Create)
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
    assert_eq!(store.list(&ListQuery::default()).unwrap().len(), 1);
}

//! What only the PostgreSQL store has: a schema shared by servers starting together, a
//! database newer than the program, and a database that goes away and comes back. What
//! both stores promise is tested on both in `crate::contract`.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use super::*;
use crate::testing::{self, Cluster};
use crate::{AccountStore, SystemClock};

fn options() -> Options {
    Options {
        readers: 2,
        clock: Arc::new(SystemClock),
    }
}

fn draft(name: &str) -> Draft {
    Draft {
        name: name.into(),
        customer: String::new(),
        price_book: "2026-11".into(),
        body: "{}".into(),
        saved_by: "ana@example.com".into(),
    }
}

#[test]
fn servers_starting_together_apply_each_step_once() {
    let url = testing::database();
    let opened: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| PostgresStore::open(&url, options())))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in &opened {
        assert!(store.is_ok(), "{:?}", store.as_ref().err());
    }
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let version: i64 = admin
        .query_one("SELECT version FROM lakeplan_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, migrations::STEPS.len() as i64);
    let teams: i64 = admin
        .query_one("SELECT count(*) FROM teams WHERE name = 'default'", &[])
        .unwrap()
        .get(0);
    assert_eq!(teams, 1, "step 2 ran once");
}

#[test]
fn a_database_newer_than_the_program_is_refused_and_left_alone() {
    let url = testing::database();
    drop(PostgresStore::open(&url, options()).unwrap());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute("UPDATE lakeplan_schema SET version = 99")
        .unwrap();
    match PostgresStore::open(&url, options()) {
        Err(StoreError::SchemaTooNew { found, known, path }) => {
            assert_eq!((found, known), (99, migrations::STEPS.len() as i64));
            assert!(path.starts_with("127.0.0.1:"), "{path}");
        }
        other => panic!("{other:?}"),
    }
    let version: i64 = admin
        .query_one("SELECT version FROM lakeplan_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99, "not altered");
}

#[test]
fn a_url_with_a_password_is_never_shown_with_it() {
    let e = PostgresStore::open(
        "postgres://lake:s3cret-pw@127.0.0.1:1/nothing?connect_timeout=1",
        options(),
    )
    .unwrap_err();
    assert!(matches!(e, StoreError::Unavailable(_)), "{e:?}");
    assert!(!e.to_string().contains("s3cret-pw"), "{e}");
    let bad =
        PostgresStore::open("postgres://lake:s3cret-pw@host:notaport/x", options()).unwrap_err();
    assert!(!bad.to_string().contains("s3cret-pw"), "{bad}");
}

#[test]
fn a_wrong_database_name_is_told_plainly() {
    let url = testing::database();
    let (base, _) = url.rsplit_once('/').unwrap();
    let e = PostgresStore::open(&format!("{base}/no_such_db?connect_timeout=2"), options())
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not exist") && e.contains("3D000"), "{e}");
}

/// The database stops: calls fail within a few seconds as unavailable (never hang), and
/// the same store works again once the database is back, without being reopened.
#[test]
fn a_lost_database_is_unavailable_quickly_and_the_store_recovers_by_itself() {
    let cluster = Cluster::start().unwrap();
    let url = cluster.database();
    let store = PostgresStore::open(&url, options()).unwrap();
    let c = store
        .create(&TeamName::default_team(), &draft("a"), &Origin::Create)
        .unwrap();
    store.ping().unwrap();

    cluster.stop();
    let started = Instant::now();
    let e = store.get(&c.id).unwrap_err();
    assert!(matches!(e, StoreError::Unavailable(_)), "{e:?}");
    assert!(
        started.elapsed() < CHECKOUT_TIMEOUT + Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(
        store.record(&crate::AuditEvent {
            actor: "cli".into(),
            address: String::new(),
            action: "x".into(),
            target: String::new(),
            outcome: "ok".into(),
        }),
        Err(StoreError::Unavailable(_))
    ));

    cluster.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    while store.ping().is_err() {
        assert!(Instant::now() < deadline, "the store did not reconnect");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(store.get(&c.id).unwrap().version, Version(1));
    assert_eq!(store.user_count().unwrap(), 0);
}

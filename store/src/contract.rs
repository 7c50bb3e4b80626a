//! The store's contract: every test here runs against both stores, the embedded SQLite
//! and PostgreSQL (a throw-away cluster from `testing`), so the two mean the same thing.
//! What only one store has (SQLite's file, WAL and reopening; PostgreSQL's pool and
//! outages) is tested beside it.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Barrier};

use crate::{
    Current, Draft, ListQuery, ManualClock, Options, Origin, PostgresStore, ScenarioId,
    SqliteStore, Store, StoreError, TeamName, Timestamp, Version, DAY_MS, RETENTION_DAYS,
};

/// 2026-05-01T00:00:00Z.
const T0: Timestamp = Timestamp(1_777_593_600_000);

/// A new empty store of one kind, on a clock the test moves.
pub(crate) struct Fixture {
    pub store: Arc<dyn Store>,
    pub clock: Arc<ManualClock>,
    backend: Backend,
}

enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Fixture {
    pub fn sqlite() -> Fixture {
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
            store: Arc::new(store),
            clock,
            backend: Backend::Sqlite(dir),
        }
    }

    pub fn postgres() -> Fixture {
        let url = crate::testing::database();
        let clock = Arc::new(ManualClock::at(T0));
        let store = PostgresStore::open(
            &url,
            Options {
                readers: 2,
                clock: clock.clone(),
            },
        )
        .unwrap();
        Fixture {
            store: Arc::new(store),
            clock,
            backend: Backend::Postgres(url),
        }
    }

    /// Runs SQL written in both dialects on a connection of its own, as someone with the
    /// database's password could: what the schema itself refuses.
    pub fn raw(&self, sql: &str) -> Result<(), String> {
        match &self.backend {
            Backend::Sqlite(dir) => {
                rusqlite::Connection::open(dir.path().join(crate::sqlite::FILE_NAME))
                    .and_then(|c| c.execute_batch(sql))
                    .map_err(|e| e.to_string())
            }
            Backend::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
                .and_then(|mut c| c.batch_execute(sql))
                .map_err(|e| match e.as_db_error() {
                    Some(db) => db.message().to_string(),
                    None => e.to_string(),
                }),
        }
    }

    /// The one number a `SELECT count(*) …` answers.
    pub fn count(&self, sql: &str) -> i64 {
        match &self.backend {
            Backend::Sqlite(dir) => {
                rusqlite::Connection::open(dir.path().join(crate::sqlite::FILE_NAME))
                    .unwrap()
                    .query_row(sql, [], |r| r.get(0))
                    .unwrap()
            }
            Backend::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
                .unwrap()
                .query_one(sql, &[])
                .unwrap()
                .get(0),
        }
    }
}

/// Makes, for each test function named, a test on SQLite and one on PostgreSQL.
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                super::$name(&$crate::contract::Fixture::sqlite())
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                super::$name(&$crate::contract::Fixture::postgres())
            })*
        }
    };
}

pub(crate) fn team() -> TeamName {
    TeamName::default_team()
}

/// The default team's live (or deleted) scenarios.
pub(crate) fn listed(deleted: bool) -> ListQuery {
    ListQuery {
        text: None,
        deleted,
        teams: vec![team()],
    }
}

pub(crate) fn draft(name: &str, customer: &str, body: &str) -> Draft {
    Draft {
        name: name.into(),
        customer: customer.into(),
        price_book: "2026-11".into(),
        body: body.into(),
        saved_by: "ana@example.com".into(),
    }
}

fn a_created_scenario_reads_back_as_version_one(f: &Fixture) {
    let c = f
        .store
        .create(
            &team(),
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
    assert_eq!(versions[0].saved_by, "ana@example.com");
    assert_eq!(
        f.store.version(&c.id, Version(1)).unwrap().info.saved_by,
        "ana@example.com"
    );
}

fn an_unknown_id_is_not_found_everywhere(f: &Fixture) {
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

fn each_save_keeps_the_previous_one(f: &Fixture) {
    let c = f
        .store
        .create(&team(), &draft("v1", "c", "{\"v\":1}"), &Origin::Create)
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

fn a_stale_save_changes_nothing_and_names_the_current_version(f: &Fixture) {
    let c = f
        .store
        .create(&team(), &draft("a", "", "{\"v\":1}"), &Origin::Create)
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
fn concurrent_saves_of_one_version_have_one_winner(f: &Fixture) {
    let c = f
        .store
        .create(&team(), &draft("a", "", "{}"), &Origin::Create)
        .unwrap();
    let store = f.store.clone();
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

fn search_ignores_case_in_any_script(f: &Fixture) {
    let d = |n: &str, c: &str| draft(n, c, "{}");
    let a = f
        .store
        .create(
            &team(),
            &d("Hybrid lakehouse", "Ünterwald Bank"),
            &Origin::Create,
        )
        .unwrap();
    f.clock.advance_ms(1);
    let b = f
        .store
        .create(&team(), &d("Pilot", "Example Retail"), &Origin::Create)
        .unwrap();
    let ids = |q: Option<&str>| -> Vec<ScenarioId> {
        f.store
            .list(&ListQuery {
                text: q.map(String::from),
                ..listed(false)
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

fn a_deleted_scenario_is_hidden_restorable_and_purged_after_30_days(f: &Fixture) {
    let c = f
        .store
        .create(&team(), &draft("gone", "", "{\"x\":1}"), &Origin::Create)
        .unwrap();
    let keep = f
        .store
        .create(&team(), &draft("kept", "", "{}"), &Origin::Create)
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
    let live = f.store.list(&listed(false)).unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].id, keep.id);
    let bin = f.store.list(&listed(true)).unwrap();
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
    assert!(f.store.list(&listed(true)).unwrap().is_empty());
    assert_eq!(f.store.purge_expired().unwrap(), 1);
    assert_eq!(f.store.purge_expired().unwrap(), 0);
    let left = f.count(&format!(
        "SELECT count(*) FROM scenario_versions WHERE scenario_id = '{}'",
        c.id
    ));
    assert_eq!(left, 0, "the versions went with it");
    assert_eq!(f.store.get(&keep.id).unwrap().name, "kept");
}

both_stores!(
    a_created_scenario_reads_back_as_version_one,
    an_unknown_id_is_not_found_everywhere,
    each_save_keeps_the_previous_one,
    a_stale_save_changes_nothing_and_names_the_current_version,
    concurrent_saves_of_one_version_have_one_winner,
    search_ignores_case_in_any_script,
    a_deleted_scenario_is_hidden_restorable_and_purged_after_30_days,
);

mod accounts {
    use super::*;
    use crate::{
        AuditEvent, AuditQuery, Email, MemberChange, Membership, NewShare, ProviderUser, Role,
        SecretHash,
    };

    fn email(s: &str) -> Email {
        s.parse().unwrap()
    }

    fn named(s: &str) -> TeamName {
        s.parse().unwrap()
    }

    fn member(f: &Fixture, who: &str, team: &str, role: Role, password: Option<&str>) -> User {
        f.store
            .put_member(&MemberChange {
                email: email(who),
                name: String::new(),
                team: named(team),
                role,
                password_hash: password.map(String::from),
            })
            .unwrap()
    }

    fn hash(s: &str) -> SecretHash {
        SecretHash(s.repeat(64 / s.len()))
    }

    use crate::User;

    fn users_add_makes_the_user_and_team_then_adds_teams_and_changes_roles(f: &Fixture) {
        assert_eq!(f.store.user_count().unwrap(), 0);
        let a = member(
            f,
            "Ana@Example.com",
            "emea",
            Role::Engineer,
            Some("$argon2id$x"),
        );
        assert_eq!(a.name, "Ana");
        assert!(a.has_password);
        assert_eq!(
            a.teams,
            [Membership {
                team: named("emea"),
                role: Role::Engineer
            }]
        );
        // Same address in another case: the same user, a second team.
        let again = member(f, "ana@example.com", "apac", Role::Viewer, None);
        assert_eq!(again.id, a.id);
        assert_eq!(again.teams.len(), 2);
        assert_eq!(again.role_in(&named("apac")), Some(Role::Viewer));
        assert_eq!(f.store.user_count().unwrap(), 1);
        let teams: Vec<String> = f
            .store
            .teams()
            .unwrap()
            .iter()
            .map(|t| t.name.to_string())
            .collect();
        assert_eq!(teams, ["apac", "default", "emea"]);
        let (found, pw) = f
            .store
            .user_by_email(&email("ANA@example.COM"))
            .unwrap()
            .unwrap();
        assert_eq!((found.id, pw.as_deref()), (a.id, Some("$argon2id$x")));
        assert!(f
            .store
            .user_by_email(&email("bob@example.com"))
            .unwrap()
            .is_none());
    }

    fn a_role_change_a_password_change_and_a_removal_end_sessions(f: &Fixture) {
        let a = member(f, "a@x", "t", Role::Engineer, None);
        let later = T0.plus_ms(DAY_MS);
        f.store.create_session(&hash("a"), &a.id, later).unwrap();
        assert_eq!(f.store.session(&hash("a")).unwrap().unwrap().user.id, a.id);
        // The same role again changes nothing.
        member(f, "a@x", "t", Role::Engineer, None);
        assert!(f.store.session(&hash("a")).unwrap().is_some());
        member(f, "a@x", "t", Role::Viewer, None);
        assert!(
            f.store.session(&hash("a")).unwrap().is_none(),
            "demoted: session ended"
        );
        f.store.create_session(&hash("b"), &a.id, later).unwrap();
        f.store.set_password(&a.id, "$argon2id$y").unwrap();
        assert!(
            f.store.session(&hash("b")).unwrap().is_none(),
            "new password: ended"
        );
        f.store.create_session(&hash("c"), &a.id, later).unwrap();
        f.store.remove_member(&a.id, &named("t")).unwrap().unwrap();
        assert!(f.store.session(&hash("c")).unwrap().is_none());
        f.store.create_session(&hash("d"), &a.id, later).unwrap();
        assert!(f.store.remove_user(&email("A@X")).unwrap().is_some());
        assert!(f.store.session(&hash("d")).unwrap().is_none());
        assert!(f.store.remove_user(&email("a@x")).unwrap().is_none());
    }

    fn sessions_expire_and_end(f: &Fixture) {
        let a = member(f, "a@x", "t", Role::Viewer, None);
        f.store
            .create_session(&hash("s"), &a.id, T0.plus_ms(1000))
            .unwrap();
        f.clock.advance_ms(999);
        assert!(f.store.session(&hash("s")).unwrap().is_some());
        f.clock.advance_ms(1);
        assert!(f.store.session(&hash("s")).unwrap().is_none(), "expired");
        f.store
            .create_session(&hash("t"), &a.id, T0.plus_ms(DAY_MS))
            .unwrap();
        assert!(f.store.end_session(&hash("t")).unwrap());
        assert!(!f.store.end_session(&hash("t")).unwrap());
        assert!(f.store.session(&hash("t")).unwrap().is_none());
    }

    fn tokens_work_until_revoked_or_expired_and_only_their_owner_revokes_them(f: &Fixture) {
        let a = member(f, "a@x", "t", Role::Engineer, None);
        let b = member(f, "b@x", "t", Role::Engineer, None);
        let t = f.store.create_token(&a.id, "ci", &hash("1"), None).unwrap();
        let e = f
            .store
            .create_token(&a.id, "short", &hash("2"), Some(T0.plus_ms(10)))
            .unwrap();
        assert_eq!(f.store.token_user(&hash("1")).unwrap().unwrap().0.id, a.id);
        assert!(f.store.token_user(&hash("2")).unwrap().is_some());
        f.clock.advance_ms(10);
        assert!(f.store.token_user(&hash("2")).unwrap().is_none(), "expired");
        assert!(
            f.store.revoke_token(&b.id, &t.id).unwrap().is_none(),
            "not b's token"
        );
        assert!(f.store.token_user(&hash("1")).unwrap().is_some());
        let revoked = f.store.revoke_token(&a.id, &t.id).unwrap().unwrap();
        assert!(revoked.revoked_at.is_some());
        assert!(f.store.token_user(&hash("1")).unwrap().is_none(), "revoked");
        let listed: Vec<_> = f
            .store
            .tokens(&a.id)
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(listed.len(), 2);
        assert!(listed.contains(&e.id));
        assert!(f.store.tokens(&b.id).unwrap().is_empty());
    }

    fn scenarios_are_listed_by_team_and_name_their_team(f: &Fixture) {
        let a = f
            .store
            .create(&named("emea"), &draft("a", "", "{}"), &Origin::Create)
            .unwrap();
        let b = f
            .store
            .create(&named("apac"), &draft("b", "", "{}"), &Origin::Create)
            .unwrap();
        assert_eq!(a.team, named("emea"));
        assert_eq!(f.store.team_of(&b.id).unwrap(), named("apac"));
        let list = |teams: Vec<TeamName>| -> Vec<ScenarioId> {
            f.store
                .list(&ListQuery {
                    teams,
                    ..listed(false)
                })
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        assert_eq!(list(vec![named("emea")]), [a.id]);
        assert_eq!(list(vec![named("apac"), named("emea")]).len(), 2);
        assert!(list(vec![]).is_empty(), "no team, nothing listed");
        f.store.delete(&a.id, None).unwrap();
        assert_eq!(
            f.store.team_of(&a.id).unwrap(),
            named("emea"),
            "deleted: still known"
        );
    }

    fn a_share_shows_the_version_it_was_made_at_until_revoked(f: &Fixture) {
        let c = f
            .store
            .create(&team(), &draft("a", "", "{\"v\":1}"), &Origin::Create)
            .unwrap();
        let share = |token: &str, expires_at| NewShare {
            token: token.into(),
            scenario: c.id,
            created_by: "a@x".into(),
            expires_at,
        };
        let s = f.store.create_share(&share("tok1", None)).unwrap();
        assert_eq!((s.version, s.team.clone()), (Version(1), team()));
        f.store
            .save(
                &c.id,
                Version(1),
                &draft("a", "", "{\"v\":2}"),
                &Origin::Save,
            )
            .unwrap();
        assert_eq!(f.store.share("tok1").unwrap().unwrap().version, Version(1));
        f.store
            .create_share(&share("tok2", Some(T0.plus_ms(5))))
            .unwrap();
        assert_eq!(f.store.shares(&c.id).unwrap().len(), 2);
        assert!(f.store.revoke_share(&c.id, "tok1").unwrap().is_some());
        assert!(
            f.store.revoke_share(&c.id, "tok1").unwrap().is_none(),
            "once"
        );
        assert!(f.store.share("tok1").unwrap().unwrap().revoked_at.is_some());
        // A deleted scenario's links answer nothing; restored, they come back.
        f.store.delete(&c.id, None).unwrap();
        assert!(f.store.share("tok2").unwrap().is_none());
        f.store.undelete(&c.id).unwrap();
        assert!(f.store.share("tok2").unwrap().is_some());
        assert!(f.store.share("nope").unwrap().is_none());
        // Purged with its scenario.
        f.store.delete(&c.id, None).unwrap();
        f.clock.advance_ms(RETENTION_DAYS * DAY_MS);
        f.store.purge_expired().unwrap();
        assert!(f.store.shares(&c.id).unwrap().is_empty());
    }

    fn one_time_links_and_pending_sign_ins_are_used_once_and_expire(f: &Fixture) {
        let a = member(f, "a@x", "t", Role::Admin, None);
        f.store
            .create_sign_in_link(&hash("l"), &a.id, T0.plus_ms(100))
            .unwrap();
        assert_eq!(
            f.store.use_sign_in_link(&hash("l")).unwrap().unwrap().id,
            a.id
        );
        assert!(
            f.store.use_sign_in_link(&hash("l")).unwrap().is_none(),
            "used"
        );
        f.store
            .create_sign_in_link(&hash("m"), &a.id, T0.plus_ms(100))
            .unwrap();
        f.clock.advance_ms(100);
        assert!(
            f.store.use_sign_in_link(&hash("m")).unwrap().is_none(),
            "expired"
        );
        f.store
            .put_pending_sign_in(&hash("p"), "{\"n\":1}", T0.plus_ms(200))
            .unwrap();
        assert_eq!(
            f.store.take_pending_sign_in(&hash("p")).unwrap().as_deref(),
            Some("{\"n\":1}")
        );
        assert!(f.store.take_pending_sign_in(&hash("p")).unwrap().is_none());
    }

    fn the_audit_log_reads_newest_first_filtered_and_paged(f: &Fixture) {
        let ev = |actor: &str, action: &str| AuditEvent {
            actor: actor.into(),
            address: "127.0.0.1".into(),
            action: action.into(),
            target: String::new(),
            outcome: "ok".into(),
        };
        for i in 0..5 {
            f.clock.advance_ms(1);
            f.store
                .record(&ev(
                    if i % 2 == 0 { "user:Ana@x" } else { "cli" },
                    "sign_in",
                ))
                .unwrap();
        }
        f.store.record(&ev("cli", "scenario.create")).unwrap();
        let q = |q: AuditQuery| -> Vec<i64> {
            f.store
                .audit_log(&q)
                .unwrap()
                .into_iter()
                .map(|e| e.seq)
                .collect()
        };
        let all = q(AuditQuery {
            limit: 100,
            ..Default::default()
        });
        assert_eq!(all, [6, 5, 4, 3, 2, 1]);
        assert_eq!(
            q(AuditQuery {
                actor: Some("ana".into()),
                limit: 100,
                ..Default::default()
            }),
            [5, 3, 1]
        );
        assert_eq!(
            q(AuditQuery {
                action: Some("scenario.create".into()),
                limit: 100,
                ..Default::default()
            }),
            [6]
        );
        assert_eq!(
            q(AuditQuery {
                limit: 2,
                before: Some(5),
                ..Default::default()
            }),
            [4, 3]
        );
        assert_eq!(
            q(AuditQuery {
                since: Some(T0.plus_ms(4)),
                limit: 100,
                ..Default::default()
            }),
            [6, 5, 4]
        );
    }

    fn failures_are_counted_per_key_cleared_and_swept(f: &Fixture) {
        let keys = ["account:a@x".to_string(), "address:1.2.3.4".to_string()];
        for _ in 0..3 {
            f.store.note_failure(&keys).unwrap();
            f.clock.advance_ms(10);
        }
        assert_eq!(
            f.store
                .failures_since("account:a@x", T0.plus_ms(-1))
                .unwrap(),
            (3, Some(T0))
        );
        assert_eq!(f.store.failures_since("address:1.2.3.4", T0).unwrap().0, 2);
        f.store.clear_failures("account:a@x").unwrap();
        assert_eq!(
            f.store
                .failures_since("account:a@x", Timestamp(0))
                .unwrap()
                .0,
            0
        );
        f.store.sweep_expired(15).unwrap();
        assert_eq!(
            f.store
                .failures_since("address:1.2.3.4", Timestamp(0))
                .unwrap()
                .0,
            1
        );
    }

    fn provider_user(subject: &str, address: &str, verified: bool) -> ProviderUser {
        ProviderUser {
            issuer: "https://idp".into(),
            subject: subject.into(),
            email: email(address),
            email_verified: verified,
            name: "Ana".into(),
        }
    }

    fn the_audit_log_cannot_be_changed_or_emptied_by_hand(f: &Fixture) {
        f.store
            .record(&AuditEvent {
                actor: "cli".into(),
                address: String::new(),
                action: "users.add".into(),
                target: "a@x".into(),
                outcome: "ok".into(),
            })
            .unwrap();
        for sql in ["UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"] {
            let e = f.raw(sql).unwrap_err();
            assert!(e.contains("append-only"), "{sql}: {e}");
        }
        assert_eq!(f.count("SELECT count(*) FROM audit_log"), 1);
    }

    fn a_provider_user_is_bound_to_its_subject_and_takes_its_groups_memberships(f: &Fixture) {
        let pre = member(f, "ana@x", "old", Role::Admin, None);
        let ms = [
            Membership {
                team: named("emea"),
                role: Role::Viewer,
            },
            Membership {
                team: named("emea"),
                role: Role::Pricing,
            },
        ];
        // An unverified address does not take over the account made beforehand.
        assert!(matches!(
            f.store
                .sign_in_external(&provider_user("sub-1", "Ana@x", false), &ms),
            Err(StoreError::Exists(_))
        ));
        let later = T0.plus_ms(DAY_MS);
        f.store.create_session(&hash("p"), &pre.id, later).unwrap();
        let u = f
            .store
            .sign_in_external(&provider_user("sub-1", "Ana@x", true), &ms)
            .unwrap();
        assert_eq!(u.id, pre.id, "the account made beforehand is taken over");
        assert_eq!(
            u.teams,
            [Membership {
                team: named("emea"),
                role: Role::Pricing
            }]
        );
        assert!(
            f.store.session(&hash("p")).unwrap().is_none(),
            "new memberships end the sessions made under the old ones"
        );
        // The same memberships again keep the sessions.
        f.store.create_session(&hash("q"), &pre.id, later).unwrap();
        f.store
            .sign_in_external(&provider_user("sub-1", "ana@x", true), &ms)
            .unwrap();
        assert!(f.store.session(&hash("q")).unwrap().is_some());
        // The subject keeps the account even when the email changes (verified or not).
        let moved = f
            .store
            .sign_in_external(&provider_user("sub-1", "ana@new", false), &[])
            .unwrap();
        assert_eq!((moved.id, moved.email.as_str()), (pre.id, "ana@new"));
        assert!(moved.teams.is_empty());
        // Another subject cannot take an account bound to the first.
        assert!(matches!(
            f.store
                .sign_in_external(&provider_user("sub-2", "ana@new", true), &[]),
            Err(StoreError::Exists(_))
        ));
        // A new address makes a new user, verified or not.
        let other = f
            .store
            .sign_in_external(&provider_user("sub-3", "bo@x", false), &[])
            .unwrap();
        assert_ne!(other.id, pre.id);
    }

    both_stores!(
        users_add_makes_the_user_and_team_then_adds_teams_and_changes_roles,
        a_role_change_a_password_change_and_a_removal_end_sessions,
        sessions_expire_and_end,
        tokens_work_until_revoked_or_expired_and_only_their_owner_revokes_them,
        scenarios_are_listed_by_team_and_name_their_team,
        a_share_shows_the_version_it_was_made_at_until_revoked,
        one_time_links_and_pending_sign_ins_are_used_once_and_expire,
        the_audit_log_reads_newest_first_filtered_and_paged,
        failures_are_counted_per_key_cleared_and_swept,
        the_audit_log_cannot_be_changed_or_emptied_by_hand,
        a_provider_user_is_bound_to_its_subject_and_takes_its_groups_memberships,
    );
}

mod books {
    use super::*;
    use crate::{BookKind, BookStatus, NewBook};

    fn upload(name: &str) -> NewBook {
        NewBook {
            kind: BookKind::Price,
            name: name.into(),
            effective_from: "2027-01-01".into(),
            note: "Q1 rates".into(),
            made_by: "user:pricing@example.com".into(),
            rows: 2,
            csv: "id,value\na,1\nb,2\n".into(),
        }
    }

    fn an_uploaded_book_is_a_draft_that_reads_back_as_stored(f: &Fixture) {
        let made = f.store.create_book(&upload("Q1 2027")).unwrap();
        assert_eq!(made.status, BookStatus::Draft);
        assert!(made.id.as_str().starts_with("pb-"));
        assert_eq!(
            (
                made.name.as_str(),
                made.effective_from.as_str(),
                made.rows,
                made.made_at
            ),
            ("Q1 2027", "2027-01-01", 2, T0)
        );
        let (info, csv) = f.store.book(&made.id).unwrap();
        assert_eq!(info, made);
        assert_eq!(csv, "id,value\na,1\nb,2\n");
        f.clock.advance_ms(1000);
        let second = f.store.create_book(&upload("Q2 2027")).unwrap();
        let listed: Vec<_> = f
            .store
            .books(BookKind::Price)
            .unwrap()
            .into_iter()
            .map(|b| b.id)
            .collect();
        assert_eq!(listed, vec![second.id, made.id], "newest first");
        assert!(f.store.books(BookKind::Hardware).unwrap().is_empty());
        let unknown = crate::BookId::random(BookKind::Price);
        assert!(matches!(
            f.store.book(&unknown),
            Err(StoreError::NoBook { .. })
        ));
    }

    fn a_book_is_published_then_retired_once_each_and_never_back(f: &Fixture) {
        let b = f.store.create_book(&upload("Q1")).unwrap();
        f.clock.advance_ms(5);
        let p = f.store.advance_book(&b.id, BookStatus::Draft).unwrap();
        assert_eq!(
            (p.status, p.published_at),
            (BookStatus::Published, Some(T0.plus_ms(5)))
        );
        // A second publish (someone else's, from the same page) changes nothing.
        match f.store.advance_book(&b.id, BookStatus::Draft) {
            Err(StoreError::BookStatus { status, wanted, .. }) => {
                assert_eq!((status, wanted), (BookStatus::Published, BookStatus::Draft));
            }
            other => panic!("{other:?}"),
        }
        let r = f.store.advance_book(&b.id, BookStatus::Published).unwrap();
        assert_eq!(r.status, BookStatus::Retired);
        assert_eq!(r.published_at, p.published_at);
        assert!(f.store.advance_book(&b.id, BookStatus::Retired).is_err());
        assert_eq!(f.store.book(&b.id).unwrap().0.status, BookStatus::Retired);
    }

    fn a_stored_books_text_cannot_be_changed_even_by_hand(f: &Fixture) {
        let b = f.store.create_book(&upload("Q1")).unwrap();
        let e = f.raw(&format!("UPDATE books SET csv = 'x' WHERE id = '{}'", b.id));
        assert!(e.unwrap_err().contains("immutable"));
        assert_eq!(f.store.book(&b.id).unwrap().1, "id,value\na,1\nb,2\n");
    }

    fn currents_lists_every_teams_live_scenarios_with_their_bodies(f: &Fixture) {
        let other: TeamName = "apac".parse().unwrap();
        f.store.create_team(&other).unwrap();
        let a = f
            .store
            .create(&team(), &draft("A", "c", "{\"a\":1}"), &Origin::Create)
            .unwrap();
        f.clock.advance_ms(10);
        let b = f
            .store
            .create(&other, &draft("B", "c", "{\"b\":1}"), &Origin::Create)
            .unwrap();
        f.clock.advance_ms(10);
        let gone = f
            .store
            .create(&team(), &draft("C", "c", "{}"), &Origin::Create)
            .unwrap();
        f.store.delete(&gone.id, None).unwrap();
        let all = f.store.currents().unwrap();
        let seen: Vec<_> = all
            .iter()
            .map(|c| (c.id, c.team.as_str(), c.body.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![(b.id, "apac", "{\"b\":1}"), (a.id, "default", "{\"a\":1}")]
        );
    }

    both_stores!(
        an_uploaded_book_is_a_draft_that_reads_back_as_stored,
        a_book_is_published_then_retired_once_each_and_never_back,
        a_stored_books_text_cannot_be_changed_even_by_hand,
        currents_lists_every_teams_live_scenarios_with_their_bodies,
    );
}

/// Backups move everything kept between the stores, both ways, and load only into an empty
/// store, whole or not at all.
mod backups {
    use super::*;
    use crate::backup::{BackupStore, Row, Table, Value};
    use crate::{
        AuditEvent, BookKind, BookStatus, MemberChange, NewBook, NewShare, Role, SecretHash,
    };

    /// Some of everything a backup keeps, and some of what it does not (a session).
    fn fill(f: &Fixture) {
        let s = &f.store;
        let ana = s
            .put_member(&MemberChange {
                email: "ana@example.com".parse().unwrap(),
                name: "Ana".into(),
                team: "emea".parse().unwrap(),
                role: Role::Pricing,
                password_hash: Some("$argon2id$v=19$x".into()),
            })
            .unwrap();
        s.create_session(&SecretHash("a".repeat(64)), &ana.id, T0.plus_ms(DAY_MS))
            .unwrap();
        s.create_token(&ana.id, "ci", &SecretHash("b".repeat(64)), None)
            .unwrap();
        let emea: TeamName = "emea".parse().unwrap();
        let kept = s
            .create(
                &emea,
                &draft("Kept", "Ünïcode Kunde", "{\"v\":1}"),
                &Origin::Create,
            )
            .unwrap();
        f.clock.advance_ms(1000);
        s.save(
            &kept.id,
            Version(1),
            &draft("Kept", "c", "{\"v\":2}"),
            &Origin::Save,
        )
        .unwrap();
        s.create_share(&NewShare {
            token: "share-token".into(),
            scenario: kept.id,
            created_by: "ana@example.com".into(),
            expires_at: None,
        })
        .unwrap();
        let gone = s
            .create(&team(), &draft("Gone", "", "{}"), &Origin::Create)
            .unwrap();
        s.delete(&gone.id, None).unwrap();
        let book = s
            .create_book(&NewBook {
                kind: BookKind::Price,
                name: "Q1".into(),
                effective_from: "2027-01-01".into(),
                note: String::new(),
                made_by: "user:ana@example.com".into(),
                rows: 1,
                csv: "id,value\na,1\n".into(),
            })
            .unwrap();
        s.advance_book(&book.id, BookStatus::Draft).unwrap();
        for action in ["users.add", "scenario.create"] {
            s.record(&AuditEvent {
                actor: "cli".into(),
                address: "cli".into(),
                action: action.into(),
                target: "x".into(),
                outcome: "ok".into(),
            })
            .unwrap();
        }
    }

    fn export(store: &dyn BackupStore) -> Vec<(&'static str, Row)> {
        let mut rows = Vec::new();
        store
            .export(&mut |_| Ok(()), &mut |table: &'static Table, row| {
                rows.push((table.name, row));
                Ok(())
            })
            .unwrap();
        rows
    }

    fn import(
        store: &dyn BackupStore,
        rows: &[(&'static str, Row)],
    ) -> Result<crate::backup::Loaded, StoreError> {
        let mut items = rows
            .iter()
            .map(|(t, r)| Ok((Table::named(t).unwrap(), r.clone())));
        store.import(&mut items)
    }

    fn round_trip(from: Fixture, to: Fixture) {
        fill(&from);
        let rows = export(from.store.as_ref());
        let loaded = import(to.store.as_ref(), &rows).unwrap();
        let counted: Vec<_> = loaded.iter().map(|(t, n)| (*t, *n)).collect();
        assert_eq!(
            counted,
            [
                ("teams", 2),
                ("users", 1),
                ("memberships", 1),
                ("scenarios", 2),
                ("scenario_versions", 3),
                ("shares", 1),
                ("api_tokens", 1),
                ("books", 1),
                ("audit_log", 2),
            ]
        );
        assert_eq!(export(to.store.as_ref()), rows, "the same rows read back");
        // And through the interface: the same scenarios, versions, users and books.
        let emea: TeamName = "emea".parse().unwrap();
        let q = ListQuery {
            text: None,
            deleted: false,
            teams: vec![emea.clone(), team()],
        };
        assert_eq!(to.store.list(&q).unwrap(), from.store.list(&q).unwrap());
        let id = to.store.list(&q).unwrap()[0].id;
        assert_eq!(
            to.store.versions(&id).unwrap(),
            from.store.versions(&id).unwrap()
        );
        assert_eq!(to.store.get(&id).unwrap(), from.store.get(&id).unwrap());
        assert_eq!(to.store.users().unwrap(), from.store.users().unwrap());
        assert_eq!(
            to.store.books(BookKind::Price).unwrap(),
            from.store.books(BookKind::Price).unwrap()
        );
        // Tokens and share links go on working; sessions are not carried.
        assert!(to
            .store
            .token_user(&SecretHash("b".repeat(64)))
            .unwrap()
            .is_some());
        assert!(to.store.share("share-token").unwrap().is_some());
        assert!(to
            .store
            .session(&SecretHash("a".repeat(64)))
            .unwrap()
            .is_none());
        // The audit log goes on numbering after the restored entries.
        to.store
            .record(&AuditEvent {
                actor: "cli".into(),
                address: "cli".into(),
                action: "after".into(),
                target: String::new(),
                outcome: "ok".into(),
            })
            .unwrap();
        let seqs: Vec<i64> = to
            .store
            .audit_log(&crate::AuditQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [3, 2, 1]);
        assert_eq!(
            from.store.schema_version().unwrap(),
            to.store.schema_version().unwrap()
        );
    }

    #[test]
    fn sqlite_to_postgresql_and_back_keeps_every_row() {
        round_trip(Fixture::sqlite(), Fixture::postgres());
    }

    #[test]
    fn postgresql_to_sqlite_keeps_every_row() {
        round_trip(Fixture::postgres(), Fixture::sqlite());
    }

    fn a_store_that_holds_anything_is_refused(f: &Fixture) {
        let source = Fixture::sqlite();
        fill(&source);
        let rows = export(source.store.as_ref());
        f.store
            .record(&AuditEvent {
                actor: "cli".into(),
                address: "cli".into(),
                action: "x".into(),
                target: String::new(),
                outcome: "ok".into(),
            })
            .unwrap();
        match import(f.store.as_ref(), &rows) {
            Err(StoreError::NotEmpty { holds }) => assert_eq!(holds, 1),
            other => panic!("{other:?}"),
        }
        assert!(f.store.users().unwrap().is_empty(), "nothing loaded");
    }

    fn a_bad_row_part_way_loads_nothing(f: &Fixture) {
        let source = Fixture::sqlite();
        fill(&source);
        let mut rows = export(source.store.as_ref());
        let last = rows.len() - 1;
        rows[last].1[0] = Value::Text("not a number".into());
        let e = import(f.store.as_ref(), &rows).unwrap_err();
        assert!(e.to_string().contains("audit_log.seq"), "{e}");
        assert!(f.store.users().unwrap().is_empty());
        let everyone = ListQuery {
            text: None,
            deleted: false,
            teams: vec![team(), "emea".parse().unwrap()],
        };
        assert!(f.store.list(&everyone).unwrap().is_empty());
        // The empty store is still usable, and still restorable.
        let rows = export(source.store.as_ref());
        assert!(import(f.store.as_ref(), &rows).is_ok());
    }

    both_stores!(
        a_store_that_holds_anything_is_refused,
        a_bad_row_part_way_loads_nothing,
    );
}

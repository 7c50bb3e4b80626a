//! The store's own cost per call, without HTTP: reading a scenario (what
//! `GET /api/scenarios/{id}` does on a reader connection) and saving a version (one
//! `IMMEDIATE` transaction with `synchronous=FULL`, so one fsync of the log). The API aims
//! at over 5 000 reads a second on 2 cores; a read here should stay in the tens of
//! microseconds so HTTP, not storage, sets that figure. Saves are bounded by the disk's
//! fsync, which this measures on whatever disk holds the temporary directory.
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use lakeplan_models::presets;
use lakeplan_models::scenario::Scenario;
use lakeplan_store::{Draft, Options, Origin, ScenarioStore, SqliteStore};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path(), Options::default()).unwrap();
    let scenario: Scenario = presets::all()[0].scenario().unwrap();
    let draft = Draft::of(&scenario, "bench@example.com".into()).unwrap();
    // A store that is not empty: 200 scenarios of 5 versions each.
    let mut ids = Vec::new();
    for _ in 0..200 {
        let mut c = store
            .create(
                &lakeplan_store::TeamName::default_team(),
                &draft,
                &Origin::Create,
            )
            .unwrap();
        for _ in 0..4 {
            c = store.save(&c.id, c.version, &draft, &Origin::Save).unwrap();
        }
        ids.push(c.id);
    }
    let id = ids[100];
    c.bench_function("get a scenario (current version)", |b| {
        b.iter(|| store.get(black_box(&id)).unwrap())
    });
    c.bench_function("list 200 scenarios", |b| {
        b.iter(|| {
            store
                .list(black_box(&lakeplan_store::ListQuery {
                    teams: vec![lakeplan_store::TeamName::default_team()],
                    ..Default::default()
                }))
                .unwrap()
        })
    });
    let mut version = store.get(&id).unwrap().version;
    c.bench_function("save a version (fsync)", |b| {
        b.iter(|| {
            version = store
                .save(&id, version, black_box(&draft), &Origin::Save)
                .unwrap()
                .version;
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

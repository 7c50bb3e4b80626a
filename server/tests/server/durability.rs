//! A server killed with SIGKILL in the middle of a stream of saves loses no save it
//! acknowledged and leaves a sound database.
//!
//! The real `lakeplan serve` binary runs as a child process; two clients save as fast as
//! they can (one editing a scenario version after version, one creating scenarios) and
//! the child is killed without warning while they do, three times over on the same data
//! directory. Afterwards every save that was answered 2xx must read back exactly, and
//! SQLite's integrity check must pass.

use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lakeplan_store::{Options, ScenarioId, ScenarioStore, SqliteStore, Version};
use serde_json::{json, Value};

use crate::support::{member_token, scenario, serve, PILOT};

/// A save the server acknowledged: (scenario, version, the name it was saved with).
type Ack = (String, u64, String);

/// Starts `lakeplan serve` on the embedded store in `data`: the child and its base URL.
fn start(data: &std::path::Path, site: &std::path::Path) -> (Child, String) {
    serve(&["--data-dir".as_ref(), data.as_os_str()], site)
}

async fn saves(client: reqwest::Client, base: String, id: String, acks: Arc<Mutex<Vec<Ack>>>) {
    let url = format!("{base}/api/scenarios/{id}");
    let Ok(resp) = client.get(&url).send().await else {
        return;
    };
    let Ok(text) = resp.text().await else { return };
    let mut version = serde_json::from_str::<Value>(&text).expect("scenario")["version"]
        .as_u64()
        .expect("version");
    loop {
        let name = format!("edit {}", version + 1);
        let sent = client
            .put(&url)
            .header("content-type", "application/json")
            .header("if-match", format!("\"{version}\""))
            .body(scenario(PILOT, &name).to_string())
            .send()
            .await;
        let Ok(resp) = sent else { return };
        if resp.status() != 200 {
            return;
        }
        version += 1;
        acks.lock().expect("acks").push((id.clone(), version, name));
    }
}

async fn creates(client: reqwest::Client, base: String, acks: Arc<Mutex<Vec<Ack>>>, round: u32) {
    for n in 0.. {
        let name = format!("created {round}.{n}");
        let sent = client
            .post(format!("{base}/api/scenarios"))
            .header("content-type", "application/json")
            .body(scenario(PILOT, &name).to_string())
            .send()
            .await;
        let Ok(resp) = sent else { return };
        if resp.status() != 201 {
            return;
        }
        let Ok(text) = resp.text().await else { return };
        let id = serde_json::from_str::<Value>(&text).expect("created")["id"]
            .as_str()
            .expect("id")
            .to_string();
        acks.lock().expect("acks").push((id, 1, name));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_save() {
    let data = tempfile::tempdir().expect("data dir");
    let site = tempfile::tempdir().expect("site dir");
    let token = member_token(
        data.path(),
        "engineer@example.com",
        "default",
        lakeplan_store::Role::Engineer,
    );
    let mut auth = reqwest::header::HeaderMap::new();
    auth.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    let client = reqwest::Client::builder()
        .default_headers(auth)
        .build()
        .expect("client");
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::default();

    let (mut child, base) = start(data.path(), site.path());
    let first = client
        .post(format!("{base}/api/scenarios"))
        .header("content-type", "application/json")
        .body(scenario(PILOT, "edit 1").to_string())
        .send()
        .await
        .expect("create");
    assert_eq!(first.status(), 201);
    let id = serde_json::from_str::<Value>(&first.text().await.expect("body")).expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();
    acks.lock()
        .expect("acks")
        .push((id.clone(), 1, "edit 1".into()));

    let mut base = base;
    for (round, run_ms) in [(0u32, 700u64), (1, 450), (2, 900)] {
        if round > 0 {
            (child, base) = start(data.path(), site.path());
        }
        let a = tokio::spawn(saves(
            client.clone(),
            base.clone(),
            id.clone(),
            acks.clone(),
        ));
        let b = tokio::spawn(creates(client.clone(), base.clone(), acks.clone(), round));
        tokio::time::sleep(Duration::from_millis(run_ms)).await;
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        a.await.expect("saver");
        b.await.expect("creator");
    }

    let acks = acks.lock().expect("acks").clone();
    assert!(
        acks.len() > 10,
        "too few saves to mean anything: {}",
        acks.len()
    );
    let store = SqliteStore::open_dir(data.path(), Options::default()).expect("reopens");
    assert_eq!(store.integrity_check().expect("check"), ["ok"]);
    for (id, version, name) in &acks {
        let sid: ScenarioId = id.parse().expect("id");
        let record = store
            .version(&sid, Version(*version))
            .unwrap_or_else(|e| panic!("acknowledged save {id} v{version} is lost: {e}"));
        assert_eq!(&record.info.name, name);
        let body: Value = serde_json::from_str(&record.body).expect("stored JSON");
        assert_eq!(body["name"], json!(name));
    }
    let edits = acks.iter().filter(|(i, _, _)| *i == id).count() as u64;
    let current = store.get(&id.parse().expect("id")).expect("current");
    eprintln!(
        "{} saves acknowledged over three kills; the edited scenario is at version {} after {edits} acknowledged edits",
        acks.len(),
        current.version
    );
    // Every acknowledged edit is a version; at most the one in flight at each kill was
    // committed without its answer arriving.
    assert!(
        current.version.0 >= edits && current.version.0 <= edits + 3,
        "{current:?}, {edits} acks"
    );
}

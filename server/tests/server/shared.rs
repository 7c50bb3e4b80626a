//! Several servers on one PostgreSQL (spec DEPLOY.md): real `lakeplan serve` processes on a
//! throw-away cluster (`lakeplan_store::testing`) take racing writes, share sessions, and
//! ride out the database going away.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lakeplan_server::database::Database;
use lakeplan_server::settings::Settings;
use lakeplan_store::testing::{self, Cluster};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{scenario, serve, site_with_bundle, token_value, TestServer, PILOT};

const PASSWORD: &str = "correct horse battery staple";

/// A fresh database on the shared test cluster (blocking work, off the async workers).
async fn database() -> String {
    tokio::task::spawn_blocking(testing::database)
        .await
        .expect("database")
}

/// `lakeplan serve` on a free port on the database at `url`: the child and its base URL.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(url: &str, site: &std::path::Path) -> Server {
        Server::start_with(&["--database-url", url], site)
    }

    /// `lakeplan serve` with the store chosen by `store` (`--database-url …` or
    /// `--data-dir …`).
    fn start_with(store: &[&str], site: &std::path::Path) -> Server {
        let store: Vec<&std::ffi::OsStr> = store.iter().map(|a| a.as_ref()).collect();
        let (child, base) = serve(&store, site);
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_user(url: &str, email: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lakeplan"))
        .args([
            "users", "add", email, "--team", "default", "--role", "engineer",
        ])
        .arg("--password-stdin")
        .env("LAKEPLAN_DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("lakeplan users add");
    writeln!(child.stdin.take().expect("stdin"), "{PASSWORD}").expect("password");
    assert!(child.wait().expect("exit").success());
}

fn read(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Signs in on `base`; the session cookie's `name=value`.
async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let resp = client
        .post(format!("{base}/api/session"))
        .header("content-type", "application/json")
        .body(json!({"email": email, "password": PASSWORD}).to_string())
        .send()
        .await
        .expect("sign in");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let set = resp.headers()["set-cookie"].to_str().expect("cookie");
    set.split(';').next().expect("name=value").to_string()
}

/// A request with the session cookie and the server's own `Origin` (a cookie write needs it).
fn with_cookie(
    client: &reqwest::Client,
    method: reqwest::Method,
    base: &str,
    path: &str,
    cookie: &str,
) -> reqwest::RequestBuilder {
    client
        .request(method, format!("{base}{path}"))
        .header("cookie", cookie)
        .header("origin", base)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_on_one_postgresql_share_sessions_and_race_saves_with_one_winner_each() {
    let url = database().await;
    let site = site_with_bundle();
    add_user(&url, "ana@example.com");
    let a = Server::start(&url, site.path());
    let b = Server::start(&url, site.path());
    let client = reqwest::Client::new();

    // A session made on one server is valid on the other.
    let cookie = sign_in(&client, &a.base, "ana@example.com").await;
    let me = with_cookie(
        &client,
        reqwest::Method::GET,
        &b.base,
        "/api/session",
        &cookie,
    )
    .send()
    .await
    .expect("session on b");
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(
        read(&me.text().await.expect("json"))["email"],
        "ana@example.com"
    );

    let made = with_cookie(
        &client,
        reqwest::Method::POST,
        &a.base,
        "/api/scenarios",
        &cookie,
    )
    .header("content-type", "application/json")
    .body(scenario(PILOT, "race 0").to_string())
    .send()
    .await
    .expect("create");
    assert_eq!(made.status(), StatusCode::CREATED);
    let id = read(&made.text().await.expect("json"))["id"]
        .as_str()
        .expect("id")
        .to_string();
    let path = format!("/api/scenarios/{id}");

    // 25 rounds: both servers get a save carrying the same If-Match at once.
    let mut winners = Vec::new();
    for round in 1..=25u64 {
        let put = |base: &str, name: String| {
            with_cookie(&client, reqwest::Method::PUT, base, &path, &cookie)
                .header("if-match", format!("\"{round}\""))
                .header("content-type", "application/json")
                .body(scenario(PILOT, &name).to_string())
                .send()
        };
        let (ra, rb) = tokio::join!(
            put(&a.base, format!("round {round} a")),
            put(&b.base, format!("round {round} b"))
        );
        let (ra, rb) = (ra.expect("a answers"), rb.expect("b answers"));
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}: one winner, one 412");
        let (won, lost) = if ra.status() == StatusCode::OK {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let loser = read(&lost.text().await.expect("json"));
        assert_eq!(loser["error"], "version_conflict");
        assert_eq!(loser["current_version"], round + 1);
        let won = read(&won.text().await.expect("json"));
        assert_eq!(won["version"], round + 1);
        winners.push(won["name"].as_str().expect("name").to_string());
    }

    // Every version kept, each number once, with the winner's body, read from either server.
    let history = with_cookie(
        &client,
        reqwest::Method::GET,
        &b.base,
        &format!("{path}/versions"),
        &cookie,
    )
    .send()
    .await
    .expect("versions")
    .text()
    .await
    .map(|t| read(&t))
    .expect("json");
    let listed = history["versions"].as_array().expect("versions");
    let numbers: Vec<u64> = listed
        .iter()
        .map(|v| v["version"].as_u64().expect("n"))
        .collect();
    assert_eq!(numbers, (1..=26).rev().collect::<Vec<_>>());
    for (i, name) in winners.iter().enumerate() {
        let v = with_cookie(
            &client,
            reqwest::Method::GET,
            &a.base,
            &format!("{path}/versions/{}", i + 2),
            &cookie,
        )
        .send()
        .await
        .expect("version")
        .text()
        .await
        .map(|t| read(&t))
        .expect("json");
        assert_eq!(&v["name"], name.as_str(), "version {}", i + 2);
        assert_eq!(v["saved_by"], "ana@example.com", "signed in with a session");
    }

    // Signing out on one server ends the session on the other.
    let out = with_cookie(
        &client,
        reqwest::Method::DELETE,
        &b.base,
        "/api/session",
        &cookie,
    )
    .send()
    .await
    .expect("sign out");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = with_cookie(
        &client,
        reqwest::Method::GET,
        &a.base,
        "/api/session",
        &cookie,
    )
    .send()
    .await
    .expect("session on a");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_database_is_503_on_readyz_and_the_api_and_the_server_recovers_by_itself() {
    let cluster = tokio::task::spawn_blocking(|| Cluster::start().expect("cluster"))
        .await
        .expect("cluster");
    let cluster = std::sync::Arc::new(cluster);
    let c = cluster.clone();
    let url = tokio::task::spawn_blocking(move || c.database())
        .await
        .expect("database");
    let site = site_with_bundle();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let settings =
        Settings::new(addr, Some(site.path().into())).with_database(Database::Postgres(url));
    let server = TestServer::start(settings).await;
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", server.base)).send();

    let ready = get("/readyz").await.expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .expect("stop");
    let started = Instant::now();
    let down = get("/readyz").await.expect("readyz");
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = read(&down.text().await.expect("error shape"));
    assert_eq!(
        (body["status"].as_u64(), body["error"].as_str()),
        (Some(503), Some("unavailable"))
    );
    // A token must be looked up in the database: the answer says it is away, not 401.
    let api = client
        .get(format!("{}/api/scenarios", server.base))
        .bearer_auth(token_value("anything"))
        .send()
        .await
        .expect("api");
    assert_eq!(
        api.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "never a hang"
    );
    assert_eq!(api.headers()["retry-after"], "2");
    assert_eq!(
        read(&api.text().await.expect("json"))["error"],
        "unavailable"
    );
    assert!(
        get("/healthz")
            .await
            .expect("healthz")
            .status()
            .is_success(),
        "still alive"
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.restart())
        .await
        .expect("restart");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = get("/readyz").await.expect("readyz").status();
        if status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "not ready again: {status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.shutdown().await;
}

/// `lakeplan` with `args`, the store chosen by `env` (`LAKEPLAN_DATABASE_URL` or none).
fn lakeplan(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lakeplan"));
    command.args(args).env_remove("LAKEPLAN_DATABASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("lakeplan runs")
}

/// What a signed-in user reads of every scenario: the list, and each version's body.
async fn everything(client: &reqwest::Client, base: &str, cookie: &str) -> Vec<Value> {
    let get = |path: String| async move {
        let resp = with_cookie(client, reqwest::Method::GET, base, &path, cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        read(&resp.text().await.expect("body"))
    };
    let list = get("/api/scenarios".into()).await;
    let mut seen = vec![list.clone()];
    for s in list["scenarios"].as_array().expect("scenarios") {
        let id = s["id"].as_str().expect("id");
        let versions = get(format!("/api/scenarios/{id}/versions")).await;
        for v in versions["versions"].as_array().expect("versions") {
            let n = v["version"].as_u64().expect("n");
            seen.push(get(format!("/api/scenarios/{id}/versions/{n}")).await);
        }
        seen.push(versions);
    }
    seen
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_store_backed_up_while_serving_restores_into_postgresql_identically() {
    let data = tempfile::tempdir().expect("data dir");
    let dir = data.path().to_str().expect("utf-8 path");
    let site = site_with_bundle();
    let mut add = Command::new(env!("CARGO_BIN_EXE_lakeplan"))
        .args(["users", "add", "ana@example.com", "--team", "default"])
        .args(["--role", "engineer", "--password-stdin", "--data-dir", dir])
        .env_remove("LAKEPLAN_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("users add");
    writeln!(add.stdin.take().expect("stdin"), "{PASSWORD}").expect("password");
    assert!(add.wait().expect("exit").success());

    // The embedded store, served, with scenarios saved several times over.
    let laptop = Server::start_with(&["--data-dir", dir], site.path());
    let client = reqwest::Client::new();
    let cookie = sign_in(&client, &laptop.base, "ana@example.com").await;
    for i in 0..3 {
        let made = with_cookie(
            &client,
            reqwest::Method::POST,
            &laptop.base,
            "/api/scenarios",
            &cookie,
        )
        .header("content-type", "application/json")
        .body(scenario(PILOT, &format!("deal {i}")).to_string())
        .send()
        .await
        .expect("create");
        assert_eq!(made.status(), StatusCode::CREATED);
        let id = read(&made.text().await.expect("body"))["id"]
            .as_str()
            .expect("id")
            .to_string();
        for v in 1..=i {
            let saved = with_cookie(
                &client,
                reqwest::Method::PUT,
                &laptop.base,
                &format!("/api/scenarios/{id}"),
                &cookie,
            )
            .header("if-match", format!("\"{v}\""))
            .header("content-type", "application/json")
            .body(scenario(PILOT, &format!("deal {i} v{}", v + 1)).to_string())
            .send()
            .await
            .expect("save");
            assert_eq!(saved.status(), StatusCode::OK);
        }
    }
    let before = everything(&client, &laptop.base, &cookie).await;

    // Backed up while it serves; restored into an empty PostgreSQL database.
    let file = data.path().join("lake.backup");
    let file = file.to_str().expect("utf-8 path");
    let out = lakeplan(&["backup", file, "--data-dir", dir], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("3 scenarios, 6 versions, 1 users"), "{said}");
    // It holds password and token hashes: readable by its owner only.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file)
        .expect("backup")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let url = database().await;
    let env = [("LAKEPLAN_DATABASE_URL", url.as_str())];
    let out = lakeplan(&["restore", file], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A second restore into the now non-empty store is refused and changes nothing.
    let again = lakeplan(&["restore", file], &env);
    assert_eq!(again.status.code(), Some(1));
    let why = String::from_utf8_lossy(&again.stderr);
    assert!(why.contains("restore only into an empty store"), "{why}");

    // The same user signs in on a server on PostgreSQL and reads the very same answers.
    let team_server = Server::start(&url, site.path());
    let cookie = sign_in(&client, &team_server.base, "ana@example.com").await;
    let after = everything(&client, &team_server.base, &cookie).await;
    assert_eq!(after, before);
    drop(laptop);
}

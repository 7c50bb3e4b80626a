//! The real server on a free port with a temporary site (a stand-in bundle), data
//! directory and a clock the test moves, a small client that keeps status, headers and
//! body of each answer, and the scenarios the tests send.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lakeplan_server::settings::{OidcSettings, Settings};
use lakeplan_server::startup::Application;
use lakeplan_store::{ManualClock, Timestamp};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use tokio::sync::oneshot;

/// 2026-05-01T00:00:00Z.
pub const T0: Timestamp = Timestamp(1_777_593_600_000);

pub struct TestServer {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub async fn start(settings: Settings) -> TestServer {
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://{}", app.local_addr().expect("bound"));
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestServer {
            base,
            stop: Some(tx),
            handle,
        }
    }

    /// Stops the server the way Ctrl-C does and checks that it exits cleanly.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.handle
            .await
            .expect("server task")
            .expect("clean shutdown");
    }
}

/// One answer, read whole: its bytes, and as text (lossy UTF-8).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
            .to_str()
            .expect("text header")
    }

    /// Checks an error answer: its status, that the body is JSON with that status and
    /// code, and returns the body.
    #[track_caller]
    pub fn error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.header("content-type").starts_with("application/json"),
            "{:?}",
            self.headers
        );
        let body = self.json();
        assert_eq!(body["status"], status, "{body}");
        assert_eq!(body["error"], code, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        body
    }
}

/// A server with its own data directory and clock, and a client. Requests carry the API
/// token of `engineer@example.com`, engineer of team `default`, unless sent with
/// [`Api::send_with`].
pub struct Api {
    pub server: TestServer,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub site: tempfile::TempDir,
    pub data: tempfile::TempDir,
    pub bearer: Option<String>,
    /// What the test set beyond the defaults (kept for `restart`).
    config: Config,
}

/// What a test may set on its server beyond the defaults.
#[derive(Clone, Default)]
pub struct Config {
    /// `Settings::public_url`.
    pub public_url: Option<String>,
    /// The port to listen on (0: a free one).
    pub port: u16,
    /// `Settings::oidc`.
    pub oidc: Option<OidcSettings>,
}

/// The settings of a test server.
fn settings(site: &Path, data: &Path, clock: &Arc<ManualClock>, config: &Config) -> Settings {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], config.port));
    let mut settings = Settings::new(addr, Some(site.into())).with_data_dir(data);
    settings.clock = clock.clone();
    settings.public_url = config.public_url.clone();
    settings.oidc = config.oidc.clone();
    settings
}

/// A port no one listens on now (the OS's pick, released), for a server whose public URL
/// must be known before it starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The default test user.
pub const ENGINEER: &str = "engineer@example.com";

/// A made-up API token: `lpt_` and 43 URL-safe characters, as the server makes them.
pub fn token_value(seed: &str) -> String {
    let mut t = format!("lpt_{seed}");
    while t.len() < 47 {
        t.push('x');
    }
    t.truncate(47);
    t
}

/// A site root with a stand-in bundle, large enough to be served compressed.
pub fn site_with_bundle() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("site dir");
    std::fs::create_dir_all(dir.path().join("pkg")).expect("pkg dir");
    std::fs::write(
        dir.path().join("pkg/lakeplan.js"),
        "export default function(){}\n".repeat(200),
    )
    .expect("js");
    // The site root gets `public/` as `cargo xtask build` copies it.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../public/mc-worker.js"),
        dir.path().join("mc-worker.js"),
    )
    .expect("the worker script");
    dir
}

impl Api {
    pub async fn start() -> Api {
        Api::start_at(None).await
    }

    /// A server that users reach at `public_url` (`Settings::public_url`).
    pub async fn start_at(public_url: Option<&str>) -> Api {
        Api::start_with(Config {
            public_url: public_url.map(str::to_string),
            ..Config::default()
        })
        .await
    }

    /// A server with `config`.
    pub async fn start_with(config: Config) -> Api {
        let site = site_with_bundle();
        let data = tempfile::tempdir().expect("data dir");
        let clock = Arc::new(ManualClock::at(T0));
        let server = TestServer::start(settings(site.path(), data.path(), &clock, &config)).await;
        let mut api = Api {
            server,
            client: reqwest::Client::new(),
            clock,
            site,
            data,
            bearer: None,
            config,
        };
        api.bearer = Some(api.member_token(ENGINEER, "default", lakeplan_store::Role::Engineer));
        api
    }

    /// Makes (or changes) a member of `team` with `role`, with no password, and an API
    /// token for them, straight in the store (a second process on the same file, as
    /// `lakeplan users add` is): no password hashing, so tests stay fast.
    pub fn member_token(&self, email: &str, team: &str, role: lakeplan_store::Role) -> String {
        member_token(self.data.path(), email, team, role)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data.path().to_path_buf()
    }

    /// Stops the server the way Ctrl-C does and checks that it exits cleanly.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(mut self) -> Api {
        self.server.shutdown().await;
        self.server = TestServer::start(settings(
            self.site.path(),
            self.data.path(),
            &self.clock,
            &self.config,
        ))
        .await;
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.base, path)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Answer {
        self.send_with(self.bearer.as_deref(), method, path, headers, body)
            .await
    }

    /// A request with `bearer` as its API token, or none.
    pub async fn send_with(
        &self,
        bearer: Option<&str>,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Answer {
        let mut req = self.client.request(method, self.url(path));
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body").to_vec();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Answer {
            status,
            headers,
            bytes,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn post(&self, path: &str, json: &str) -> Answer {
        self.send(
            Method::POST,
            path,
            &[("content-type", "application/json")],
            Some(json.to_string()),
        )
        .await
    }

    pub async fn put(&self, path: &str, if_match: Option<&str>, json: &str) -> Answer {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(v) = if_match {
            headers.push(("if-match", v));
        }
        self.send(Method::PUT, path, &headers, Some(json.to_string()))
            .await
    }

    /// Saves a new scenario and returns (id, answer).
    pub async fn create(&self, json: &str) -> (String, Answer) {
        let a = self.post("/api/scenarios", json).await;
        assert_eq!(a.status, 201, "{}", a.text);
        let id = a.json()["id"].as_str().expect("id").to_string();
        (id, a)
    }
}

/// A member of `team` with `role` (no password) and an API token for them, written
/// straight into the store in `data` (see [`Api::member_token`]).
pub fn member_token(data: &Path, email: &str, team: &str, role: lakeplan_store::Role) -> String {
    use lakeplan_store::AccountStore;
    let store = lakeplan_store::SqliteStore::open_dir(data, lakeplan_store::Options::default())
        .expect("second handle on the store");
    let user = store
        .put_member(&lakeplan_store::MemberChange {
            email: email.parse().expect("email"),
            name: String::new(),
            team: team.parse().expect("team"),
            role,
            password_hash: None,
        })
        .expect("member");
    let token = token_value(&format!(
        "{}{}{}",
        role,
        team,
        email.replace(['@', '.'], "")
    ));
    store
        .create_token(
            &user.id,
            "tests",
            &lakeplan_server::auth::secret::hash(&token),
            None,
        )
        .expect("token");
    token
}

/// A preset's scenario file as JSON.
pub fn preset_json(preset: &str) -> Value {
    let p = lakeplan_models::presets::get(preset).expect("preset");
    serde_json::from_str(p.json).expect("preset JSON")
}

/// A preset's scenario file as JSON, renamed.
pub fn scenario(preset: &str, name: &str) -> Value {
    let mut v = preset_json(preset);
    v["name"] = Value::String(name.into());
    v
}

/// The small preset, fast to compute in debug builds.
pub const PILOT: &str = "two-cluster-pilot";

/// The small preset, renamed, with a given daily change.
pub fn pilot(name: &str, change_percent: f64) -> String {
    let mut v = scenario(PILOT, name);
    v["change"]["value"] = serde_json::json!(change_percent);
    v.to_string()
}

/// Starts the built `lakeplan serve` as a child process on a free port, with the store
/// chosen by `store` (`--data-dir DIR` or `--database-url URL`, never the environment's):
/// the child and the base URL it logs. The log is read on so the child never blocks.
pub fn serve(store: &[&std::ffi::OsStr], site: &Path) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_lakeplan"))
        .args(["serve", "--addr", "127.0.0.1:0", "--site-root"])
        .arg(site)
        .args(store)
        .env_remove("LAKEPLAN_DATABASE_URL")
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "lakeplan_server=info,lakeplan=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("lakeplan serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .expect("log line");
        if let Some(at) = line.find("http://") {
            break line[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '\u{1b}')
                .collect();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

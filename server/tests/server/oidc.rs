//! Sign-in with OpenID Connect against a real provider: `oidc-provider` (an OpenID
//! Certified implementation, in `scripts/oidc-provider/`) started by each test in Node.js
//! on a free port. A cookie-keeping HTTP client plays the browser through the provider's
//! login and consent pages up to the redirect to our callback. The protocol tests hand its
//! code and state to `Oidc::finish` (no server listens at the callback: the test reads the
//! redirect); the last tests follow it into the real server's `/auth/oidc/*` routes.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use lakeplan_server::oidc::{memberships, GroupMapping, Oidc, OidcConfig, OidcError, Pending};
use lakeplan_server::settings::OidcSettings;
use reqwest::redirect::Policy;
use reqwest::{StatusCode, Url};
use serde_json::json;

use crate::support::{self, Api, Config};

const CLIENT_ID: &str = "lakeplan-test";
const CLIENT_SECRET: &str = "test-client-secret-9f2c";
/// Never contacted: the test stops at the provider's redirect to it.
const PUBLIC_URL: &str = "https://lakeplan.invalid";
const SETUP_HINT: &str = "run `scripts/setup.sh --test` (it installs Node.js if missing and the \
                          test provider's packages: npm ci --prefix scripts/oidc-provider)";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/oidc-provider")
}

/// Where the provider puts the claims that scopes ask for.
#[derive(Clone, Copy)]
enum GroupsIn {
    IdToken,
    UserInfo,
}

/// The provider process, killed when dropped (and, should this process die first, ended by
/// its closed stdin).
struct Provider {
    issuer: String,
    /// The address of the Lakeplan server the provider sends browsers back to.
    public_url: String,
    child: Child,
    stderr: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Provider {
    fn start(groups_in: GroupsIn) -> Provider {
        Provider::start_for(groups_in, PUBLIC_URL)
    }

    /// A provider that sends browsers back to the Lakeplan server at `public_url`.
    fn start_for(groups_in: GroupsIn, public_url: &str) -> Provider {
        let dir = provider_dir();
        match Command::new("node").arg("--version").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!("`node --version` failed ({}): {SETUP_HINT}", out.status),
            Err(e) => panic!("Node.js (`node`) is needed for the OIDC tests ({e}): {SETUP_HINT}"),
        }
        assert!(
            dir.join("node_modules/oidc-provider/package.json")
                .is_file(),
            "the OIDC test provider's packages are not installed in {}: {SETUP_HINT}",
            dir.display()
        );

        let config_dir = tempfile::tempdir().expect("config dir");
        let config = json!({
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [format!("{public_url}/auth/oidc/callback")],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            "accounts": [
                {
                    "id": "alice",
                    "email": "alice@example.com",
                    "name": "Alice Example",
                    "groups": ["lakeplan:storage:engineer", "lakeplan:storage:viewer", "Finance"],
                },
                { "id": "bob", "email": "bob@example.com", "name": "Bob Example" },
                {
                    "id": "carol",
                    "email": "engineer@example.com",
                    "name": "Carol Example",
                    "groups": ["lakeplan:default:viewer"],
                },
            ],
            "groups_in": match groups_in {
                GroupsIn::IdToken => "id_token",
                GroupsIn::UserInfo => "userinfo",
            },
        });
        let config_path = config_dir.path().join("provider.json");
        std::fs::write(&config_path, config.to_string()).expect("write provider config");

        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .arg("--config")
            .arg(&config_path)
            .arg("--exit-on-stdin-close")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the OIDC test provider ({e}): {SETUP_HINT}"));

        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("stderr buffer")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if let Some(issuer) = line.strip_prefix("ready ") {
                    let _ = tx.send(issuer.trim().to_string());
                }
            }
        });

        let mut provider = Provider {
            issuer: String::new(),
            public_url: public_url.to_string(),
            child,
            stderr,
            _dir: config_dir,
        };
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(issuer) => provider.issuer = issuer,
            Err(_) => {
                let status = provider.child.try_wait().ok().flatten();
                panic!(
                    "the OIDC test provider did not print `ready` (exit: {status:?}); \
                     if its packages are missing, {SETUP_HINT}\nits stderr:\n{}",
                    provider.stderr()
                );
            }
        }
        provider
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr buffer").clone()
    }

    fn config(&self) -> OidcConfig {
        OidcConfig {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            public_url: self.public_url.clone(),
            groups_claim: "groups".into(),
        }
    }

    async fn discover(&self) -> Oidc {
        Oidc::discover(self.config())
            .await
            .unwrap_or_else(|e| panic!("discovery: {e}\nprovider stderr:\n{}", self.stderr()))
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the provider sent the browser back with.
#[derive(Debug)]
struct Callback {
    code: String,
    state: String,
    iss: Option<String>,
}

/// The `action` of the page's form and the value of its hidden `prompt` field.
fn form(html: &str) -> Option<(String, String)> {
    let attr = |name: &str| {
        let start = html.find(name)? + name.len();
        let len = html[start..].find('"')?;
        Some(html[start..start + len].replace("&amp;", "&"))
    };
    Some((attr("action=\"")?, attr("name=\"prompt\" value=\"")?))
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("browser")
}

/// Plays the browser from the authorization URL: follows the provider's redirects, signs
/// in as `account` on its login page (the login field is the account id), confirms its
/// consent page, and stops at the redirect to our callback.
async fn sign_in(auth_url: &str, account: &str) -> Callback {
    let callback = format!("{PUBLIC_URL}/auth/oidc/callback");
    let next = play(&browser(), auth_url, account, &callback).await;
    let query = |k: &str| {
        next.query_pairs()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.into_owned())
    };
    Callback {
        code: query("code").unwrap_or_else(|| panic!("no code in {next}")),
        state: query("state").unwrap_or_else(|| panic!("no state in {next}")),
        iss: query("iss"),
    }
}

/// [`sign_in`] in `browser`: the callback URL the provider redirects to.
async fn play(browser: &reqwest::Client, auth_url: &str, account: &str, callback: &str) -> Url {
    let mut url = Url::parse(auth_url).expect("authorization URL");
    let mut answer = browser.get(url.clone()).send().await.expect("GET");
    let mut pages = Vec::new();
    for _ in 0..20 {
        let status = answer.status();
        if status.is_redirection() {
            let location = answer.headers()["location"]
                .to_str()
                .expect("location")
                .to_string();
            let next = url.join(&location).expect("redirect URL");
            if next.as_str().starts_with(callback) {
                return next;
            }
            url = next;
            answer = browser.get(url.clone()).send().await.expect("GET");
            continue;
        }
        let body = answer.text().await.expect("page");
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        let (action, prompt) = form(&body).unwrap_or_else(|| panic!("no form at {url}: {body}"));
        pages.push(prompt.clone());
        let fields: Vec<(&str, &str)> = match prompt.as_str() {
            "login" => vec![("prompt", "login"), ("login", account), ("password", "any")],
            "consent" => vec![("prompt", "consent")],
            other => panic!("unexpected page {other:?} at {url}"),
        };
        url = url.join(&action).expect("form action");
        answer = browser
            .post(url.clone())
            .form(&fields)
            .send()
            .await
            .expect("POST");
    }
    panic!("no redirect to the callback after 20 steps (pages: {pages:?})");
}

/// A Pending with some fields from another, through its stored (serde) form, as a
/// database edit or a mix-up would make it.
fn spliced(base: &Pending, other: &Pending, fields: &[&str]) -> Pending {
    let mut value = serde_json::to_value(base).expect("serialize");
    let theirs = serde_json::to_value(other).expect("serialize");
    for field in fields {
        value[*field] = theirs[*field].clone();
    }
    serde_json::from_value(value).expect("deserialize")
}

#[track_caller]
fn assert_no_secrets(err: &OidcError, code: &str) {
    let text = format!("{err} {err:?}");
    assert!(!text.contains(code), "the code leaked: {text}");
    assert!(!text.contains(CLIENT_SECRET), "the secret leaked: {text}");
}

#[tokio::test]
async fn signing_in_gives_the_verified_identity_and_its_groups() {
    let t0 = Instant::now();
    let provider = Provider::start(GroupsIn::IdToken);
    let started = t0.elapsed();
    let oidc = provider.discover().await;
    let (auth_url, pending) = oidc.begin();

    let url = Url::parse(&auth_url).expect("URL");
    let param = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no {k} in {auth_url}"))
    };
    assert!(auth_url.starts_with(&format!("{}/auth?", provider.issuer)));
    assert_eq!(param("response_type"), "code");
    assert_eq!(param("client_id"), CLIENT_ID);
    assert_eq!(
        param("redirect_uri"),
        "https://lakeplan.invalid/auth/oidc/callback"
    );
    assert_eq!(param("code_challenge_method"), "S256");
    assert_eq!(param("state"), pending.state);
    let scopes = param("scope");
    let scopes: Vec<&str> = scopes.split(' ').collect();
    for s in ["openid", "email", "profile", "groups"] {
        assert!(scopes.contains(&s), "{scopes:?}");
    }
    assert!(!auth_url.contains(CLIENT_SECRET));

    let callback = sign_in(&auth_url, "alice").await;
    assert_eq!(callback.state, pending.state);
    assert_eq!(callback.iss.as_deref(), Some(provider.issuer.as_str()));
    let identity = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .unwrap_or_else(|e| panic!("finish: {e}\nprovider stderr:\n{}", provider.stderr()));
    assert_eq!(identity.issuer, provider.issuer);
    assert_eq!(identity.subject, "alice");
    assert_eq!(identity.email.as_deref(), Some("alice@example.com"));
    assert!(identity.email_verified);
    assert_eq!(identity.name.as_deref(), Some("Alice Example"));
    assert_eq!(
        identity.groups,
        [
            "lakeplan:storage:engineer",
            "lakeplan:storage:viewer",
            "Finance"
        ]
    );
    let mapping = GroupMapping::parse("[groups]\nFinance = \"compute:pricing\"\n").expect("map");
    assert_eq!(
        memberships(&identity.groups, &mapping),
        [
            ("compute".to_string(), "pricing".to_string()),
            ("storage".to_string(), "engineer".to_string())
        ]
    );
    eprintln!(
        "provider started in {started:?}; discovery, sign-in and finish in {:?}",
        t0.elapsed() - started
    );
}

#[tokio::test]
async fn claims_missing_from_the_id_token_come_from_userinfo() {
    let provider = Provider::start(GroupsIn::UserInfo);
    let oidc = provider.discover().await;

    let (auth_url, pending) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;
    let alice = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .unwrap_or_else(|e| panic!("finish: {e}\nprovider stderr:\n{}", provider.stderr()));
    assert_eq!(alice.subject, "alice");
    assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
    assert_eq!(alice.name.as_deref(), Some("Alice Example"));
    assert_eq!(
        alice.groups,
        [
            "lakeplan:storage:engineer",
            "lakeplan:storage:viewer",
            "Finance"
        ]
    );

    // No groups claim anywhere: no groups, and so no team.
    let (auth_url, pending) = oidc.begin();
    let callback = sign_in(&auth_url, "bob").await;
    let bob = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .expect("bob signs in");
    assert_eq!(bob.subject, "bob");
    assert_eq!(bob.email.as_deref(), Some("bob@example.com"));
    assert!(bob.groups.is_empty(), "{:?}", bob.groups);
    assert!(memberships(&bob.groups, &GroupMapping::default()).is_empty());
}

#[tokio::test]
async fn a_wrong_state_is_refused_before_the_code_is_spent() {
    let provider = Provider::start(GroupsIn::IdToken);
    let oidc = provider.discover().await;
    let (auth_url, pending) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;

    for wrong in [
        "",
        "x",
        &format!("{}x", callback.state),
        &callback.state[1..],
    ] {
        let err = oidc
            .finish(pending.clone(), wrong, &callback.code)
            .await
            .expect_err("wrong state");
        assert!(matches!(err, OidcError::StateMismatch), "{err}");
        assert_no_secrets(&err, &callback.code);
    }
    // The code was not sent to the provider, so the right state still signs in.
    let identity = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .expect("right state");
    assert_eq!(identity.subject, "alice");
}

#[tokio::test]
async fn a_code_is_used_once() {
    let provider = Provider::start(GroupsIn::IdToken);
    let oidc = provider.discover().await;
    let (auth_url, pending) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;

    oidc.finish(pending.clone(), &callback.state, &callback.code)
        .await
        .expect("first use");
    let err = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .expect_err("second use");
    assert!(
        matches!(&err, OidcError::TokenExchange(why) if why.contains("invalid_grant")),
        "{err}"
    );
    assert_no_secrets(&err, &callback.code);
}

#[tokio::test]
async fn another_sign_ins_pending_is_refused() {
    let provider = Provider::start(GroupsIn::IdToken);
    let oidc = provider.discover().await;
    let (auth_url, mine) = oidc.begin();
    let (_, other) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;

    // Another sign-in's record as a whole: its state differs.
    let err = oidc
        .finish(other.clone(), &callback.state, &callback.code)
        .await
        .expect_err("other pending");
    assert!(matches!(err, OidcError::StateMismatch), "{err}");

    // The right state with another nonce: the code is exchanged, the ID token refused.
    // (This spends the code, so each check below takes a fresh sign-in.)
    let err = oidc
        .finish(
            spliced(&mine, &other, &["nonce"]),
            &callback.state,
            &callback.code,
        )
        .await
        .expect_err("tampered nonce");
    assert!(
        matches!(&err, OidcError::IdToken(why) if why.contains("nonce")),
        "{err}"
    );
    assert_no_secrets(&err, &callback.code);

    // The right state and nonce with another PKCE verifier: the provider refuses the code.
    let (auth_url, mine) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;
    let err = oidc
        .finish(
            spliced(&mine, &other, &["pkce_verifier"]),
            &callback.state,
            &callback.code,
        )
        .await
        .expect_err("other verifier");
    assert!(
        matches!(&err, OidcError::TokenExchange(why) if why.contains("invalid_grant")),
        "{err}"
    );
    assert_no_secrets(&err, &callback.code);
}

#[tokio::test]
async fn discovery_refuses_an_issuer_the_provider_does_not_claim() {
    let provider = Provider::start(GroupsIn::IdToken);
    // Same server, other spelling: the document's issuer must match exactly.
    let mut config = provider.config();
    config.issuer = provider.issuer.replace("127.0.0.1", "localhost");
    let err = Oidc::discover(config).await.expect_err("issuer mismatch");
    assert!(matches!(err, OidcError::Discovery { .. }), "{err}");
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET), "{err}");

    // A wrong client secret: discovery cannot tell, the token endpoint refuses it.
    let mut config = provider.config();
    config.client_secret = "not-the-secret".into();
    let oidc = Oidc::discover(config).await.expect("discovery");
    let (auth_url, pending) = oidc.begin();
    let callback = sign_in(&auth_url, "alice").await;
    let err = oidc
        .finish(pending, &callback.state, &callback.code)
        .await
        .expect_err("bad secret");
    assert!(
        matches!(&err, OidcError::TokenExchange(why) if why.contains("invalid_client")),
        "{err}"
    );
    assert!(!err.to_string().contains("not-the-secret"), "{err}");
}

/// The value of the cookie `name` that an answer sets, with its attributes.
fn set_cookie(answer: &reqwest::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// A Lakeplan server at a known port whose public URL the provider redirects to.
async fn server_with(provider_groups: GroupsIn) -> (Provider, Api) {
    let port = support::free_port();
    let public_url = format!("http://127.0.0.1:{port}");
    let provider = Provider::start_for(provider_groups, &public_url);
    let groups = GroupMapping::parse("[groups]\nFinance = \"compute:pricing\"\n").expect("map");
    let api = Api::start_with(Config {
        public_url: Some(public_url),
        port,
        oidc: Some(OidcSettings {
            config: provider.config(),
            groups,
        }),
    })
    .await;
    (provider, api)
}

#[tokio::test]
async fn the_server_signs_a_browser_in_through_the_provider() {
    let (provider, api) = server_with(GroupsIn::UserInfo).await;
    let callback_prefix = api.url("/auth/oidc/callback");
    let alice = browser();

    let start = alice
        .get(api.url("/auth/oidc/login?next=/compare%3Fids%3Da"))
        .send()
        .await
        .expect("login");
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let auth_url = start.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(auth_url.starts_with(&provider.issuer), "{auth_url}");
    let binding = set_cookie(&start, "lakeplan_oidc").expect("the sign-in cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/auth/oidc", "Max-Age=600"] {
        assert!(binding.contains(attribute), "{binding}");
    }
    let callback = play(&alice, &auth_url, "alice", &callback_prefix).await;

    // Someone handed the callback URL (no sign-in cookie of theirs): nothing to finish,
    // and Alice's sign-in is not used up by it.
    let stranger = browser();
    let refused = stranger
        .get(callback.clone())
        .send()
        .await
        .expect("stranger");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(set_cookie(&refused, "lakeplan_session").is_none());
    let page = refused.text().await.expect("page");
    assert!(page.contains("expired"), "{page}");

    let done = alice.get(callback.clone()).send().await.expect("callback");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/compare?ids=a");
    let session = set_cookie(&done, "lakeplan_session").expect("a session");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(
        set_cookie(&done, "lakeplan_oidc").is_some_and(|c| c.contains("Max-Age=0")),
        "the sign-in cookie is removed"
    );
    let me: serde_json::Value = serde_json::from_str(
        &alice
            .get(api.url("/api/session"))
            .send()
            .await
            .expect("me")
            .text()
            .await
            .expect("text"),
    )
    .expect("json");
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["name"], "Alice Example");
    assert_eq!(me["via"], "session");
    assert_eq!(
        me["teams"],
        json!([
            {"team": "compute", "role": "pricing"},
            {"team": "storage", "role": "engineer"}
        ]),
        "groups from userinfo, mapped by name and by file, the highest role per team"
    );
    // The session is a real one: Alice lists her team's scenarios.
    let listed = alice
        .get(api.url("/api/scenarios"))
        .send()
        .await
        .expect("list");
    assert_eq!(listed.status(), StatusCode::OK);

    // The same callback again: used up.
    let again = alice.get(callback).send().await.expect("replay");
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // Bob's groups give no team: signed in at the provider, refused here, no session.
    let bob = browser();
    let start = bob
        .get(api.url("/auth/oidc/login"))
        .send()
        .await
        .expect("login");
    let auth_url = start.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let callback = play(&bob, &auth_url, "bob", &callback_prefix).await;
    let refused = bob.get(callback).send().await.expect("callback");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&refused, "lakeplan_session").is_none());
    assert!(refused
        .text()
        .await
        .expect("page")
        .contains("No Lakeplan team"));
    let me = bob.get(api.url("/api/session")).send().await.expect("me");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);

    // Carol's verified email is the engineer's account made beforehand: she takes it over
    // and her groups replace its memberships (engineer in default → viewer).
    let carol = browser();
    let start = carol
        .get(api.url("/auth/oidc/login"))
        .send()
        .await
        .expect("login");
    let auth_url = start.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let callback = play(&carol, &auth_url, "carol", &callback_prefix).await;
    let done = carol.get(callback).send().await.expect("callback");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/");
    let me: serde_json::Value = serde_json::from_str(
        &carol
            .get(api.url("/api/session"))
            .send()
            .await
            .expect("me")
            .text()
            .await
            .expect("text"),
    )
    .expect("json");
    assert_eq!(me["email"], support::ENGINEER);
    assert_eq!(me["teams"], json!([{"team": "default", "role": "viewer"}]));

    // The audit log names who signed in through the provider, and never a code.
    let admin = api.member_token("admin@example.com", "default", lakeplan_store::Role::Admin);
    let log = api
        .send_with(
            Some(&admin),
            reqwest::Method::GET,
            "/api/audit?action=sign_in",
            &[],
            None,
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let entries = log.json()["entries"].clone();
    let has = |actor: &str, outcome: &str| {
        entries
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["actor"] == actor && e["outcome"] == outcome)
    };
    assert!(has("user:alice@example.com", "ok"), "{entries}");
    assert!(has("user:bob@example.com", "denied"), "{entries}");
    assert!(has("anonymous", "failed"), "{entries}");
    assert!(!log.text.contains("code="), "{}", log.text);
    api.shutdown().await;
}

#[tokio::test]
async fn a_provider_refusal_and_a_server_without_oidc_answer_clearly() {
    let (_provider, api) = server_with(GroupsIn::IdToken).await;
    // The provider sent the browser back with an error (the user cancelled).
    let b = browser();
    b.get(api.url("/auth/oidc/login"))
        .send()
        .await
        .expect("login");
    let back = b
        .get(api.url("/auth/oidc/callback?error=access_denied&state=x"))
        .send()
        .await
        .expect("callback");
    assert_eq!(back.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&back, "lakeplan_session").is_none());
    // A server without OpenID Connect says so at both routes, as JSON.
    let plain = Api::start().await;
    for path in ["/auth/oidc/login", "/auth/oidc/callback?code=a&state=b"] {
        let answer = plain.get(path).await;
        answer.error(404, "not_found");
        assert!(
            answer.text.contains("LAKEPLAN_OIDC_ISSUER"),
            "{}",
            answer.text
        );
    }
    api.shutdown().await;
    plain.shutdown().await;
}

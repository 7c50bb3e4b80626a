//! Who may do what (spec/ACCESS.md), on the real server: signed-out callers read nothing
//! stored, teams are isolated (another team's scenario is 404), viewers cannot write,
//! tokens and share links work until revoked, a foreign Origin is refused, repeated
//! failures are throttled, and the audit log names the actors and holds no secret.

use lakeplan_store::{AccountStore, MemberChange, Options, Role, SqliteStore};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{pilot, token_value, Answer, Api, ENGINEER};

const PASSWORD: &str = "correct horse battery staple";

/// Gives `email` a password (and a membership), as `lakeplan users add --password-stdin`.
fn with_password(api: &Api, email: &str, team: &str, role: Role) {
    let hash = lakeplan_server::auth::password::Passwords::new()
        .expect("hasher")
        .hash(PASSWORD)
        .expect("hash");
    let store = SqliteStore::open_dir(&api.data_dir(), Options::default()).expect("store");
    store
        .put_member(&MemberChange {
            email: email.parse().expect("email"),
            name: String::new(),
            team: team.parse().expect("team"),
            role,
            password_hash: Some(hash),
        })
        .expect("member");
}

/// Signs in with the password; the session cookie's `name=value`.
async fn sign_in(api: &Api, email: &str) -> String {
    let a = api
        .send_with(
            None,
            Method::POST,
            "/api/session",
            &[("content-type", "application/json")],
            Some(json!({"email": email, "password": PASSWORD}).to_string()),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.text);
    let set = a.header("set-cookie").to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"),
        "{set}"
    );
    set.split(';').next().expect("cookie").to_string()
}

/// A request with a session cookie and the server's own Origin.
async fn with_cookie(
    api: &Api,
    cookie: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let origin = api.server.base.clone();
    let mut headers = vec![("cookie", cookie), ("origin", origin.as_str())];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    api.send_with(None, method, path, &headers, body.map(|b| b.to_string()))
        .await
}

#[tokio::test]
async fn signed_out_callers_read_and_write_nothing_stored() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Secret deal", 10.0)).await;
    let anon = |m: Method, p: String| {
        let api = &api;
        async move {
            api.send_with(None, m, &p, &[("content-type", "application/json")], None)
                .await
        }
    };
    for (m, p) in [
        (Method::GET, "/api/scenarios".to_string()),
        (Method::GET, format!("/api/scenarios/{id}")),
        (Method::GET, format!("/api/scenarios/{id}/versions")),
        (Method::GET, format!("/api/scenarios/{id}/versions/1")),
        (Method::GET, format!("/api/scenarios/{id}/export.csv")),
        (Method::GET, format!("/api/scenarios/{id}/export.pdf")),
        (Method::GET, format!("/api/scenarios/{id}/shares")),
        (Method::GET, format!("/api/compare?ids={id},{id}")),
        (Method::DELETE, format!("/api/scenarios/{id}")),
        (Method::GET, "/api/session".to_string()),
        (Method::GET, "/api/tokens".to_string()),
        (Method::GET, "/api/users".to_string()),
        (Method::GET, "/api/audit".to_string()),
    ] {
        let a = anon(m.clone(), p.clone()).await;
        let body = a.error(401, "unauthorized");
        assert!(!a.text.contains("Secret deal"), "{m} {p}: {body}");
        assert!(
            a.header("www-authenticate").starts_with("Bearer"),
            "{m} {p}"
        );
    }
    let a = api
        .send_with(
            None,
            Method::POST,
            "/api/scenarios",
            &[("content-type", "application/json")],
            Some(pilot("x", 1.0)),
        )
        .await;
    a.error(401, "unauthorized");
    // What runs without an account still does.
    let a = api
        .send_with(
            None,
            Method::POST,
            "/api/compute",
            &[("content-type", "application/json")],
            Some(pilot("x", 1.0)),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    // An unknown or malformed token is refused, not read as nobody.
    for bad in [token_value("nobody"), "not-a-token".to_string()] {
        api.send_with(Some(&bad), Method::GET, "/api/scenarios", &[], None)
            .await
            .error(401, "unauthorized");
    }
}

#[tokio::test]
async fn another_teams_scenarios_are_not_found_and_not_listed() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("EMEA deal", 10.0)).await;
    let other = api.member_token("apac@example.com", "apac", Role::Engineer);
    let as_other = |m: Method, p: String, body: Option<String>| {
        let (api, other) = (&api, other.clone());
        async move {
            api.send_with(
                Some(&other),
                m,
                &p,
                &[("content-type", "application/json"), ("if-match", "1")],
                body,
            )
            .await
        }
    };
    let list = as_other(Method::GET, "/api/scenarios".into(), None).await;
    assert_eq!(list.json()["scenarios"], json!([]), "{}", list.text);
    for (m, p, body) in [
        (Method::GET, format!("/api/scenarios/{id}"), None),
        (
            Method::PUT,
            format!("/api/scenarios/{id}"),
            Some(pilot("stolen", 1.0)),
        ),
        (Method::DELETE, format!("/api/scenarios/{id}"), None),
        (Method::GET, format!("/api/scenarios/{id}/versions"), None),
        (Method::GET, format!("/api/scenarios/{id}/versions/1"), None),
        (
            Method::POST,
            format!("/api/scenarios/{id}/versions/1/restore"),
            None,
        ),
        (Method::POST, format!("/api/scenarios/{id}/duplicate"), None),
        (Method::GET, format!("/api/scenarios/{id}/export.csv"), None),
        (Method::GET, format!("/api/scenarios/{id}/reprice"), None),
        (Method::POST, format!("/api/scenarios/{id}/shares"), None),
        (Method::GET, format!("/api/scenarios/{id}/shares"), None),
        (Method::GET, format!("/api/compare?ids={id},{id}"), None),
    ] {
        let a = as_other(m.clone(), p.clone(), body).await;
        a.error(404, "not_found");
        assert!(!a.text.contains("EMEA deal"), "{m} {p}");
    }
    // Deleted, it is still "not found" to the other team (not 410, which would tell).
    let del = api
        .send(Method::DELETE, &format!("/api/scenarios/{id}"), &[], None)
        .await;
    assert_eq!(del.status, 200, "{}", del.text);
    as_other(Method::GET, format!("/api/scenarios/{id}"), None)
        .await
        .error(404, "not_found");
    as_other(Method::POST, format!("/api/scenarios/{id}/undelete"), None)
        .await
        .error(404, "not_found");
    // Its own team sees it deleted.
    api.get(&format!("/api/scenarios/{id}"))
        .await
        .error(410, "deleted");
}

#[tokio::test]
async fn viewers_read_but_cannot_write_and_saving_needs_a_team() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Deal", 10.0)).await;
    let viewer = api.member_token("viewer@example.com", "default", Role::Viewer);
    let get = api
        .send_with(
            Some(&viewer),
            Method::GET,
            &format!("/api/scenarios/{id}"),
            &[],
            None,
        )
        .await;
    assert_eq!(get.status, 200, "{}", get.text);
    assert_eq!(get.json()["team"], "default");
    let h = [("content-type", "application/json"), ("if-match", "1")];
    for (m, p, body) in [
        (
            Method::PUT,
            format!("/api/scenarios/{id}"),
            Some(pilot("changed", 1.0)),
        ),
        (Method::DELETE, format!("/api/scenarios/{id}"), None),
        (
            Method::POST,
            format!("/api/scenarios/{id}/versions/1/restore"),
            None,
        ),
        (Method::POST, format!("/api/scenarios/{id}/duplicate"), None),
        (Method::POST, format!("/api/scenarios/{id}/reprice"), None),
        (Method::POST, format!("/api/scenarios/{id}/shares"), None),
    ] {
        api.send_with(Some(&viewer), m, &p, &h, body)
            .await
            .error(403, "forbidden");
    }
    api.send_with(
        Some(&viewer),
        Method::POST,
        "/api/scenarios",
        &h,
        Some(pilot("new", 1.0)),
    )
    .await
    .error(403, "forbidden");
    // An engineer of two teams must say which; a team not theirs is refused.
    let both = api.member_token("two@example.com", "emea", Role::Engineer);
    api.member_token("two@example.com", "apac", Role::Engineer);
    let a = api
        .send_with(
            Some(&both),
            Method::POST,
            "/api/scenarios",
            &h,
            Some(pilot("n", 1.0)),
        )
        .await;
    let body = a.error(422, "invalid_scenario");
    assert_eq!(body["fields"][0]["path"], "team", "{body}");
    let mut with_team: Value = serde_json::from_str(&pilot("n", 1.0)).expect("json");
    with_team["team"] = json!("apac");
    let a = api
        .send_with(
            Some(&both),
            Method::POST,
            "/api/scenarios",
            &h,
            Some(with_team.to_string()),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert_eq!(a.json()["team"], "apac");
    let a = api
        .send_with(
            Some(&both),
            Method::POST,
            "/api/scenarios?team=emea",
            &h,
            Some(pilot("m", 1.0)),
        )
        .await;
    assert_eq!(a.json()["team"], "emea", "{}", a.text);
    with_team["team"] = json!("default");
    let a = api
        .send_with(
            Some(&both),
            Method::POST,
            "/api/scenarios",
            &h,
            Some(with_team.to_string()),
        )
        .await;
    assert_eq!(
        a.error(422, "invalid_scenario")["fields"][0]["path"],
        "team"
    );
    // Admin routes need the admin role.
    for p in ["/api/users", "/api/teams", "/api/audit"] {
        api.get(p).await.error(403, "forbidden");
    }
}

#[tokio::test]
async fn a_session_makes_tokens_that_work_until_revoked_and_sign_out_ends_it() {
    let api = Api::start().await;
    with_password(&api, "ana@example.com", "default", Role::Engineer);
    let cookie = sign_in(&api, "Ana@Example.com").await;
    let me = with_cookie(&api, &cookie, Method::GET, "/api/session", None).await;
    assert_eq!(
        me.json()["teams"],
        json!([{"team": "default", "role": "engineer"}]),
        "{}",
        me.text
    );
    assert_eq!(me.json()["via"], "session");
    let made = with_cookie(
        &api,
        &cookie,
        Method::POST,
        "/api/tokens",
        Some(json!({"name": "ci", "expires_in_days": 30})),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let token = made.json()["token"].as_str().expect("token").to_string();
    let token_id = made.json()["id"].as_str().expect("id").to_string();
    assert!(token.starts_with("lpt_"));
    // The list never shows the value.
    let list = with_cookie(&api, &cookie, Method::GET, "/api/tokens", None).await;
    assert!(!list.text.contains(&token), "{}", list.text);
    assert_eq!(list.json()["tokens"][0]["name"], "ci");
    // The token works, cannot make tokens, and stops at revocation.
    let me = api
        .send_with(Some(&token), Method::GET, "/api/session", &[], None)
        .await;
    assert_eq!(me.json()["via"], "token");
    api.send_with(
        Some(&token),
        Method::POST,
        "/api/tokens",
        &[("content-type", "application/json")],
        Some(json!({"name": "x"}).to_string()),
    )
    .await
    .error(403, "forbidden");
    let gone = with_cookie(
        &api,
        &cookie,
        Method::DELETE,
        &format!("/api/tokens/{token_id}"),
        None,
    )
    .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    api.send_with(Some(&token), Method::GET, "/api/scenarios", &[], None)
        .await
        .error(401, "unauthorized");
    with_cookie(
        &api,
        &cookie,
        Method::DELETE,
        &format!("/api/tokens/{token_id}"),
        None,
    )
    .await
    .error(404, "not_found");
    // Bad token requests name the field.
    let bad = with_cookie(
        &api,
        &cookie,
        Method::POST,
        "/api/tokens",
        Some(json!({"name": "", "expires_in_days": 0})),
    )
    .await;
    assert_eq!(
        bad.error(422, "invalid_scenario")["fields"][0]["path"],
        "name"
    );
    // Signing out ends the session.
    let out = with_cookie(&api, &cookie, Method::DELETE, "/api/session", None).await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    with_cookie(&api, &cookie, Method::GET, "/api/session", None)
        .await
        .error(401, "unauthorized");
}

#[tokio::test]
async fn a_role_change_ends_the_session() {
    let api = Api::start().await;
    with_password(&api, "bo@example.com", "default", Role::Engineer);
    let cookie = sign_in(&api, "bo@example.com").await;
    assert_eq!(
        with_cookie(&api, &cookie, Method::GET, "/api/session", None)
            .await
            .status,
        200
    );
    api.member_token("bo@example.com", "default", Role::Viewer);
    with_cookie(&api, &cookie, Method::GET, "/api/session", None)
        .await
        .error(401, "unauthorized");
}

#[tokio::test]
async fn a_write_with_a_session_cookie_from_a_foreign_origin_is_refused() {
    let api = Api::start().await;
    with_password(&api, "cy@example.com", "default", Role::Engineer);
    let cookie = sign_in(&api, "cy@example.com").await;
    let body = Some(pilot("from elsewhere", 1.0));
    for origin in [Some("https://evil.example"), None] {
        let mut h = vec![
            ("cookie", cookie.as_str()),
            ("content-type", "application/json"),
        ];
        if let Some(o) = origin {
            h.push(("origin", o));
        }
        api.send_with(None, Method::POST, "/api/scenarios", &h, body.clone())
            .await
            .error(403, "forbidden");
    }
    // A sign-in posted from another site is refused too.
    api.send_with(
        None,
        Method::POST,
        "/api/session",
        &[
            ("content-type", "application/json"),
            ("origin", "https://evil.example"),
        ],
        Some(json!({"email": "cy@example.com", "password": PASSWORD}).to_string()),
    )
    .await
    .error(403, "forbidden");
    // From its own origin the same write is accepted.
    let ok = with_cookie(
        &api,
        &cookie,
        Method::POST,
        "/api/scenarios",
        Some(serde_json::from_str(&pilot("mine", 1.0)).expect("json")),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
}

#[tokio::test]
async fn wrong_passwords_are_throttled_with_retry_after_and_unknown_emails_look_the_same() {
    let api = Api::start().await;
    with_password(&api, "dee@example.com", "default", Role::Viewer);
    let attempt = |email: &'static str, password: &'static str| {
        let api = &api;
        async move {
            api.send_with(
                None,
                Method::POST,
                "/api/session",
                &[("content-type", "application/json")],
                Some(json!({"email": email, "password": password}).to_string()),
            )
            .await
        }
    };
    let wrong = attempt("dee@example.com", "not the password at all").await;
    let unknown = attempt("nobody@example.com", "not the password at all").await;
    assert_eq!(
        wrong.error(401, "unauthorized"),
        unknown.error(401, "unauthorized")
    );
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let a = attempt("dee@example.com", "still not the password").await;
        if a.status == 429 {
            let secs: i64 = a.header("retry-after").parse().expect("seconds");
            assert!((1..=900).contains(&secs), "{secs}");
            a.error(429, "too_many_requests");
        }
        statuses.push(a.status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        9,
        "{statuses:?}"
    );
    assert!(statuses[9..].iter().all(|s| *s == 429), "{statuses:?}");
    // Even the right password waits: the check is not made while throttled.
    assert_eq!(attempt("dee@example.com", PASSWORD).await.status, 429);
    // After the window it works, and a success clears the account's count.
    api.clock.advance_ms(15 * 60 * 1000);
    assert_eq!(attempt("dee@example.com", PASSWORD).await.status, 204);
}

#[tokio::test]
async fn share_links_open_read_only_expire_are_revoked_and_copy_into_a_team() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Shared deal", 10.0)).await;
    let made = api.post(&format!("/api/scenarios/{id}/shares"), "{}").await;
    assert_eq!(made.status, 201, "{}", made.text);
    let token = made.json()["token"].as_str().expect("token").to_string();
    assert_eq!(
        made.json()["url"],
        format!("{}/?share={token}", api.server.base)
    );
    // Saving again does not change what the link shows.
    api.put(
        &format!("/api/scenarios/{id}"),
        Some("1"),
        &pilot("Shared deal v2", 20.0),
    )
    .await;
    let open = api
        .send_with(
            None,
            Method::GET,
            &format!("/api/shares/{token}"),
            &[],
            None,
        )
        .await;
    assert_eq!(open.status, 200, "{}", open.text);
    assert_eq!(
        (open.json()["version"].clone(), open.json()["name"].clone()),
        (json!(1), json!("Shared deal"))
    );
    assert!(
        !open.text.contains(&id),
        "a share does not name the scenario's id"
    );
    // The PDF of the saved scenario carries the link.
    let pdf = api.get(&format!("/api/scenarios/{id}/export.pdf")).await;
    assert_eq!(pdf.status, 200);
    // Another team's engineer copies it into their own team.
    let other = api.member_token("apac@example.com", "apac", Role::Engineer);
    let copy = api
        .send_with(
            Some(&other),
            Method::POST,
            &format!("/api/shares/{token}/copy"),
            &[],
            None,
        )
        .await;
    assert_eq!(copy.status, 201, "{}", copy.text);
    assert_eq!(
        (copy.json()["team"].clone(), copy.json()["name"].clone()),
        (json!("apac"), json!("Shared deal"))
    );
    // Revoked: 404, for anyone.
    let rev = api
        .send(
            Method::DELETE,
            &format!("/api/scenarios/{id}/shares/{token}"),
            &[],
            None,
        )
        .await;
    assert_eq!(rev.status, 204, "{}", rev.text);
    api.send_with(
        None,
        Method::GET,
        &format!("/api/shares/{token}"),
        &[],
        None,
    )
    .await
    .error(404, "not_found");
    // Expiring: 410 after its days.
    let short = api
        .post(
            &format!("/api/scenarios/{id}/shares"),
            r#"{"expires_in_days": 1}"#,
        )
        .await;
    let short = short.json()["token"].as_str().expect("token").to_string();
    assert_eq!(
        api.send_with(
            None,
            Method::GET,
            &format!("/api/shares/{short}"),
            &[],
            None
        )
        .await
        .status,
        200
    );
    api.clock.advance_ms(lakeplan_store::DAY_MS);
    api.send_with(
        None,
        Method::GET,
        &format!("/api/shares/{short}"),
        &[],
        None,
    )
    .await
    .error(410, "expired");
    let list = api.get(&format!("/api/scenarios/{id}/shares")).await;
    assert_eq!(
        list.json()["shares"].as_array().map(Vec::len),
        Some(2),
        "{}",
        list.text
    );
}

#[tokio::test]
async fn the_owner_link_signs_in_once() {
    let api = Api::start().await;
    // The test server listens on loopback and started with no users: it made the owner.
    let store = SqliteStore::open_dir(&api.data_dir(), Options::default()).expect("store");
    let owner = store
        .user_by_email(&"owner@localhost".parse().expect("email"))
        .expect("read");
    assert!(owner.is_some_and(|(u, h)| h.is_none() && u.can_anywhere(Role::Admin)));
    let api = api.restart().await;
    // The link printed at start: read it from the greeting of a fresh build.
    let settings = lakeplan_server::settings::Settings::new(
        "127.0.0.1:0".parse().expect("addr"),
        Some(api.site.path().into()),
    )
    .with_data_dir(api.data_dir());
    let app = lakeplan_server::startup::Application::build(settings)
        .await
        .expect("builds");
    let lakeplan_server::auth::owner::Greeting::Link(url) = app.greeting() else {
        panic!("no link: {:?}", app.greeting());
    };
    let path = &url[url.find("/auth/").expect("path")..];
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let resp = no_redirects.get(api.url(path)).send().await.expect("link");
    let first = Answer {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        bytes: Vec::new(),
        text: String::new(),
    };
    assert_eq!(first.status, 303, "{}", first.text);
    assert_eq!(first.header("location"), "/");
    let cookie = first
        .header("set-cookie")
        .split(';')
        .next()
        .expect("cookie")
        .to_string();
    let me = with_cookie(&api, &cookie, Method::GET, "/api/session", None).await;
    assert_eq!(me.json()["email"], "owner@localhost");
    let again = api.send_with(None, Method::GET, path, &[], None).await;
    assert_eq!(again.status, 410);
}

#[tokio::test]
async fn admins_manage_users_and_teams_and_read_an_audit_log_without_secrets() {
    let api = Api::start().await;
    let admin = api.member_token("root@example.com", "default", Role::Admin);
    let h = [("content-type", "application/json")];
    let put = api
        .send_with(Some(&admin), Method::POST, "/api/users", &h,
            Some(json!({"email": "eve@example.com", "team": "emea", "role": "pricing", "password": PASSWORD}).to_string()))
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(
        put.json()["teams"],
        json!([{"team": "emea", "role": "pricing"}])
    );
    let bad = api
        .send_with(
            Some(&admin),
            Method::POST,
            "/api/users",
            &h,
            Some(
                json!({"email": "x", "team": "No Team", "role": "boss", "password": "short"})
                    .to_string(),
            ),
        )
        .await;
    let paths: Vec<Value> = bad.error(422, "invalid_scenario")["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["path"].clone())
        .collect();
    assert_eq!(
        paths,
        [
            json!("email"),
            json!("team"),
            json!("role"),
            json!("password")
        ]
    );
    let teams = api
        .send_with(Some(&admin), Method::GET, "/api/teams", &[], None)
        .await;
    assert!(teams.text.contains("\"emea\""), "{}", teams.text);
    let made = api
        .send_with(
            Some(&admin),
            Method::POST,
            "/api/teams",
            &h,
            Some(json!({"name": "apac"}).to_string()),
        )
        .await;
    assert_eq!(made.status, 201);
    api.send_with(
        Some(&admin),
        Method::POST,
        "/api/teams",
        &h,
        Some(json!({"name": "apac"}).to_string()),
    )
    .await
    .error(409, "conflict");
    // Eve signs in, fails once, makes a token; then is removed.
    let cookie = sign_in(&api, "eve@example.com").await;
    let token = with_cookie(
        &api,
        &cookie,
        Method::POST,
        "/api/tokens",
        Some(json!({"name": "laptop"})),
    )
    .await;
    let token = token.json()["token"].as_str().expect("token").to_string();
    api.send_with(
        None,
        Method::POST,
        "/api/session",
        &h,
        Some(json!({"email": "eve@example.com", "password": "wrong password here"}).to_string()),
    )
    .await;
    let (id, _) = api.create(&pilot("Audited", 5.0)).await;
    let share = api.post(&format!("/api/scenarios/{id}/shares"), "{}").await;
    let share = share.json()["token"].as_str().expect("share").to_string();
    let gone = api
        .send_with(
            Some(&admin),
            Method::DELETE,
            "/api/users/EVE@example.com",
            &[],
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    api.send_with(Some(&token), Method::GET, "/api/session", &[], None)
        .await
        .error(401, "unauthorized");

    let log = api
        .send_with(Some(&admin), Method::GET, "/api/audit?limit=500", &[], None)
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let entries = log.json()["entries"].as_array().expect("entries").clone();
    let has = |action: &str, actor: &str, outcome: &str| {
        entries.iter().any(|e| {
            e["action"] == action
                && e["actor"].as_str().is_some_and(|a| a.contains(actor))
                && e["outcome"] == outcome
        })
    };
    assert!(
        has("user.put", "token:tests (root@example.com)", "ok"),
        "{entries:?}"
    );
    assert!(has("sign_in", "user:eve@example.com", "ok"));
    assert!(has("sign_in", "anonymous", "failed"));
    assert!(has("token.create", "user:eve@example.com", "ok"));
    assert!(has("scenario.create", ENGINEER, "ok"));
    assert!(has("share.create", ENGINEER, "ok"));
    assert!(has("user.remove", "root@example.com", "ok"));
    for secret in [
        PASSWORD,
        &token,
        &share,
        cookie.split('=').nth(1).expect("value"),
        "wrong password here",
        "lpt_",
        "lps_",
        "$argon2",
    ] {
        assert!(
            !log.text.contains(secret),
            "the audit log holds a secret ({secret}): {}",
            log.text
        );
    }
    // Filtered and paged.
    let one = api
        .send_with(
            Some(&admin),
            Method::GET,
            "/api/audit?action=sign_in&actor=eve&limit=1",
            &[],
            None,
        )
        .await;
    let page = one.json();
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(1), "{page}");
    assert!(page["next_before"].is_i64(), "{page}");
    api.send_with(Some(&admin), Method::GET, "/api/audit?limit=0", &[], None)
        .await
        .error(400, "bad_request");
}

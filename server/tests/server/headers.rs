//! The security headers (ACCESS.md, "Headers on every page and answer") on the real server:
//! pages, API answers, errors and bundle files, the page's nonce, and HSTS with https.

use std::process::Command;

use crate::support::{Answer, Api};

const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The nonce a page's policy names, after checking the rest of the policy.
#[track_caller]
fn page_nonce(a: &Answer) -> String {
    let csp = a.header("content-security-policy");
    let (before, rest) = csp.split_once("'nonce-").expect("the policy names a nonce");
    let (nonce, after) = rest.split_once('\'').expect("quoted nonce");
    assert_eq!(
        format!("{before}'nonce-NONCE'{after}"),
        "default-src 'self'; script-src 'self' 'nonce-NONCE' 'wasm-unsafe-eval'; \
         style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    assert!(nonce.len() >= 22, "128 bits at least: {nonce}");
    nonce.to_string()
}

/// The headers every answer carries; no HSTS over plain http.
#[track_caller]
fn common_headers(a: &Answer, path: &str) {
    assert_eq!(a.header("x-content-type-options"), "nosniff", "{path}");
    assert_eq!(a.header("referrer-policy"), "same-origin", "{path}");
    assert!(
        a.headers.get("strict-transport-security").is_none(),
        "{path}: HSTS over http: {:?}",
        a.headers
    );
}

/// Every `<script` tag of a page carries `nonce`, and there is at least one (hydration);
/// no inline style, which the policy's `style-src 'self'` would block.
#[track_caller]
fn scripts_carry(html: &str, nonce: &str) {
    let tags: Vec<&str> = html
        .match_indices("<script")
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("tag ends")])
        .collect();
    assert!(!tags.is_empty(), "no script: {html}");
    for tag in tags {
        assert!(tag.contains(&format!(r#"nonce="{nonce}""#)), "{tag}");
    }
    assert!(
        !html.contains("<style") && !html.contains(" style="),
        "{html}"
    );
}

#[tokio::test]
async fn pages_carry_a_policy_whose_nonce_their_scripts_carry() {
    let api = Api::start().await;
    let mut nonces = Vec::new();
    for (path, status) in [
        ("/", 200),
        ("/", 200),
        ("/compare", 200),
        ("/no/such/page", 404),
    ] {
        let a = api.get(path).await;
        assert_eq!(a.status, status, "{path}");
        assert!(a.header("content-type").starts_with("text/html"), "{path}");
        common_headers(&a, path);
        let nonce = page_nonce(&a);
        scripts_carry(&a.text, &nonce);
        nonces.push(nonce);
    }
    // A new nonce each time, even for the same page.
    for (i, n) in nonces.iter().enumerate() {
        assert!(!nonces[..i].contains(n), "{nonces:?}");
    }
    api.shutdown().await;
}

#[tokio::test]
async fn api_answers_errors_and_files_carry_the_strict_policy() {
    let api = Api::start().await;
    for (path, status) in [
        ("/api/openapi.json", 200),
        ("/api/scenarios/no-such-id", 404),
        ("/api/no/such/route", 404),
        ("/healthz", 200),
        ("/pkg/lakeplan.js", 200),
    ] {
        let a = api.get(path).await;
        assert_eq!(a.status, status, "{path}: {}", a.text);
        assert_eq!(a.header("content-security-policy"), API_CSP, "{path}");
        common_headers(&a, path);
    }
    // A refusal made by a layer, not a handler.
    let a = api.post("/api/scenarios", "{not json").await;
    assert!(a.status >= 400, "{}", a.text);
    assert_eq!(a.header("content-security-policy"), API_CSP);
    common_headers(&a, "POST /api/scenarios");
    api.shutdown().await;
}

/// The Monte Carlo's worker runs under its script's policy: the bundle from this origin and
/// wasm compilation, nothing else; any other script file keeps the strict one.
#[tokio::test]
async fn the_worker_script_carries_the_workers_policy_and_only_it() {
    let api = Api::start().await;
    let a = api.get(lakeplan_app::MONTE_CARLO_WORKER).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.header("content-type").starts_with("text/javascript"));
    assert_eq!(
        a.header("content-security-policy"),
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'"
    );
    common_headers(&a, "the worker");
    for (path, status) in [
        ("/mc-worker.js?x=1", 200),
        ("/mc-worker.jsx", 404),
        ("/pkg/mc-worker.js", 404),
    ] {
        let a = api.get(path).await;
        assert_eq!(a.status, status, "{path}");
        if status == 200 {
            assert_eq!(
                a.header("content-security-policy"),
                lakeplan_server::headers::WORKER_CSP,
                "{path}"
            );
        } else {
            assert_ne!(
                a.header("content-security-policy"),
                lakeplan_server::headers::WORKER_CSP,
                "{path}"
            );
        }
    }
    api.shutdown().await;
}

#[tokio::test]
async fn https_public_url_adds_hsts_everywhere() {
    let api = Api::start_at(Some("https://lakeplan.example.com")).await;
    for path in [
        "/",
        "/compare",
        "/api/openapi.json",
        "/pkg/lakeplan.js",
        "/nope",
    ] {
        let a = api.get(path).await;
        assert_eq!(
            a.header("strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
        assert_eq!(a.header("x-content-type-options"), "nosniff", "{path}");
    }
    api.shutdown().await;

    let api = Api::start_at(Some("http://lakeplan.example.com")).await;
    let a = api.get("/").await;
    assert!(a.headers.get("strict-transport-security").is_none());
    api.shutdown().await;
}

#[test]
fn a_public_url_with_a_path_is_refused_naming_the_option() {
    for bad in [
        "https://example.com/planner",
        "ftp://example.com",
        "example.com",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_lakeplan"))
            .args(["serve", "--addr", "127.0.0.1:0", "--public-url", bad])
            .env_remove("LAKEPLAN_PUBLIC_URL")
            .output()
            .expect("the binary runs");
        assert!(!out.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--public-url"), "{bad}: {err}");
    }
}

//! The real server on a free port: the routes, the first render and the middleware.

use lakeplan_api::limits::BODY_LIMIT_BYTES;
use lakeplan_models::presets;
use reqwest::Method;

use crate::support::{preset_json, Api};

#[tokio::test]
async fn healthz_answers_ok() {
    let api = Api::start().await;
    let resp = api.get("/healthz").await;
    assert_eq!(resp.status, 200);
    let body = resp.text;
    assert!(body.contains(r#""status":"ok""#), "{body}");
    api.shutdown().await;
}

#[tokio::test]
async fn first_load_is_rendered_on_the_server_with_the_models_figure() {
    let api = Api::start().await;
    let resp = api.get("/").await;
    assert_eq!(resp.status, 200);
    let html = resp.text;
    // Controls are named by the scenario's JSON paths and carry the default values.
    assert!(
        html.contains(r#"name="lake.initial_pb""#) && html.contains(r#"value="450""#),
        "{html}"
    );
    assert!(
        html.contains(r#"name="change.value""#) && html.contains(r#"value="10""#),
        "{html}"
    );
    // 450 PB at 10 %/day = 4 166.667 Gbps (docs/model.md), computed by lakeplan-models.
    assert!(html.contains(r#"data-metric="sustained_gbps""#), "{html}");
    assert!(html.contains(r#"data-value="4166.666666666666""#), "{html}");
    assert!(html.contains(">4\u{2009}166.7<"), "{html}");
    // The verdict is rendered too: 50 × 100 G cannot carry it (docs/model.md).
    assert!(
        html.contains("Not feasible: cloud → Region 1 saturates in 2026-01"),
        "{html}"
    );
    // The hydration script points at the bundle.
    assert!(html.contains("/pkg/lakeplan"), "{html}");
    api.shutdown().await;
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let api = Api::start().await;
    let resp = api.get("/no/such/page").await;
    assert_eq!(resp.status, 404);
    assert!(resp.text.contains("Page not found"));
    api.shutdown().await;
}

#[tokio::test]
async fn the_compare_page_is_a_page() {
    let api = Api::start().await;
    let resp = api.get("/compare?ids=a,b").await;
    assert_eq!(resp.status, 200);
    assert!(resp.text.contains("Compare scenarios"));
    api.shutdown().await;
}

#[tokio::test]
async fn bundle_is_served_compressed_with_cache_headers() {
    let api = Api::start().await;
    let resp = api
        .send(
            Method::GET,
            "/pkg/lakeplan.js",
            &[("accept-encoding", "gzip")],
            None,
        )
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.headers["content-encoding"], "gzip");
    // The test binary has no hash.txt beside it, so names are unhashed and must be
    // revalidated; hashed names get a year (checked end to end on the release build).
    assert_eq!(resp.headers["cache-control"], "no-cache");
    // A page is rendered for its viewer: no shared cache may keep it.
    let page = api.get("/").await;
    assert_eq!(page.headers["cache-control"], "private, no-cache");
    api.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let api = Api::start().await;
    let length = (BODY_LIMIT_BYTES + 1).to_string();
    let resp = api
        .send(
            Method::POST,
            "/healthz",
            &[("content-length", &length)],
            Some("x".repeat(BODY_LIMIT_BYTES + 1)),
        )
        .await;
    assert_eq!(resp.status, 413);
    api.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// POST /api/sweep

#[tokio::test]
async fn sweep_answers_csv_or_json() {
    let api = Api::start().await;
    // Written as text: a JSON object built in Rust would sort its keys, and the body's
    // order is what is tested.
    let body = format!(
        r#"{{"scenario": {}, "vary": {{"links.cloud.ports": [40, 64], "change.value": "5..7"}}}}"#,
        preset_json(presets::REFERENCE)
    );
    let resp = api.post("/api/sweep", &body).await;
    assert_eq!(resp.status, 200);
    assert!(resp
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    let text = resp.text;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7);
    // The body's order: ports first, so they change slowest.
    assert!(
        lines[0].starts_with("links.cloud.ports,change.value,peak_gbps"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("40,5,") && lines[6].starts_with("64,7,"),
        "{text}"
    );
    let resp = api
        .send(
            Method::POST,
            "/api/sweep",
            &[("accept", "application/json")],
            Some(body),
        )
        .await;
    assert_eq!(resp.status, 200);
    let v = resp.json();
    assert_eq!(v["combinations"], 6);
    assert_eq!(v["rows"][0]["values"], serde_json::json!([40, 5]));
    api.shutdown().await;
}

#[tokio::test]
async fn sweep_errors_name_the_field() {
    let api = Api::start().await;
    let post = |body: String| {
        api.send(
            Method::POST,
            "/api/sweep",
            &[("accept", "application/json")],
            Some(body),
        )
    };
    // Too many combinations: 422 naming vary.
    let body = serde_json::json!({
        "scenario": preset_json(presets::REFERENCE),
        "vary": {"change.value": "0..100:0.01", "links.cloud.ports": "1..20"}
    });
    let resp = post(body.to_string()).await;
    assert_eq!(resp.status, 422);
    let v = resp.json();
    // The API's one error shape: status, code, and each field at fault.
    assert_eq!(v["status"], 422);
    assert_eq!(v["error"], "invalid_scenario");
    assert_eq!(v["fields"][0]["path"], "vary");
    assert!(v["fields"][0]["message"]
        .as_str()
        .expect("text")
        .contains("200020 combinations"));
    // A value out of range: 422 naming the field and the range.
    let body = serde_json::json!({
        "scenario": preset_json(presets::REFERENCE),
        "vary": {"change.value": [10, 150]}
    });
    let resp = post(body.to_string()).await;
    assert_eq!(resp.status, 422);
    let v = resp.json();
    assert_eq!(v["fields"][0]["path"], "change.value");
    assert_eq!(
        v["fields"][0]["message"],
        "must be between 0 and 100, got 150"
    );
    // A range that is not one.
    let body = serde_json::json!({"scenario": preset_json(presets::REFERENCE), "vary": {"change.value": "5..1"}});
    let resp = post(body.to_string()).await;
    assert_eq!(resp.status, 422);
    let v = resp.json();
    assert_eq!(v["fields"][0]["path"], "vary.change.value");
    // Not JSON at all: 400.
    let resp = post("{oops".into()).await;
    assert_eq!(resp.status, 400);
    let v = resp.json();
    assert_eq!(v["error"], "bad_request");
    assert_eq!(v["fields"][0]["path"], "body");
    api.shutdown().await;
}

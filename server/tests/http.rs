//! The real server on a free port: the routes, the first render and the middleware.

use std::path::Path;

use lakeplan_api::limits::BODY_LIMIT_BYTES;
use lakeplan_server::settings::Settings;
use lakeplan_server::startup::Application;
use tokio::sync::oneshot;

struct TestServer {
    base: String,
    _data: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    async fn start(site_root: &Path) -> Self {
        let data = tempfile::tempdir().expect("data dir");
        let settings = Settings::new(
            "127.0.0.1:0".parse().expect("addr"),
            Some(site_root.to_path_buf()),
        )
        .with_data_dir(data.path());
        let app = Application::build(settings).await.expect("server builds");
        let base = format!("http://{}", app.local_addr().expect("bound"));
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        Self {
            base,
            _data: data,
            stop: Some(tx),
            handle,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server the way Ctrl-C does and checks that it exits cleanly.
    async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.handle
            .await
            .expect("server task")
            .expect("clean shutdown");
    }
}

fn site_with_bundle() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("pkg")).expect("pkg dir");
    std::fs::write(
        dir.path().join("pkg/lakeplan.js"),
        "export default function(){}\n".repeat(200),
    )
    .expect("js");
    dir
}

#[tokio::test]
async fn healthz_answers_ok() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let resp = reqwest::get(server.url("/healthz")).await.expect("request");
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.expect("body");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    server.shutdown().await;
}

#[tokio::test]
async fn first_load_is_rendered_on_the_server_with_the_models_figure() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let resp = reqwest::get(server.url("/")).await.expect("request");
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.expect("body");
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
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let resp = reqwest::get(server.url("/no/such/page"))
        .await
        .expect("request");
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.expect("body").contains("Page not found"));
    server.shutdown().await;
}

#[tokio::test]
async fn the_compare_page_is_a_page() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let resp = reqwest::get(server.url("/compare?ids=a,b"))
        .await
        .expect("request");
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .expect("body")
        .contains("Compare scenarios"));
    server.shutdown().await;
}

#[tokio::test]
async fn bundle_is_served_compressed_with_cache_headers() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let client = reqwest::Client::new();
    let resp = client
        .get(server.url("/pkg/lakeplan.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    // The test binary has no hash.txt beside it, so names are unhashed and must be
    // revalidated; hashed names get a year (checked end to end on the release build).
    assert_eq!(resp.headers()["cache-control"], "no-cache");
    server.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let resp = reqwest::Client::new()
        .post(server.url("/healthz"))
        .header("content-length", (BODY_LIMIT_BYTES + 1).to_string())
        .body(vec![b'x'; BODY_LIMIT_BYTES + 1])
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 413);
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// POST /api/sweep

fn reference_json() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/presets/retail-hybrid-lakehouse.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("preset")).expect("JSON")
}

#[tokio::test]
async fn sweep_answers_csv_or_json() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let client = reqwest::Client::new();
    // Written as text: a JSON object built in Rust would sort its keys, and the body's
    // order is what is tested.
    let body = format!(
        r#"{{"scenario": {}, "vary": {{"links.cloud.ports": [40, 64], "change.value": "5..7"}}}}"#,
        reference_json()
    );
    let resp = client
        .post(server.url("/api/sweep"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 200);
    assert!(resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    let text = resp.text().await.expect("body");
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
    let resp = client
        .post(server.url("/api/sweep"))
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value =
        serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
    assert_eq!(v["combinations"], 6);
    assert_eq!(v["rows"][0]["values"], serde_json::json!([40, 5]));
    server.shutdown().await;
}

#[tokio::test]
async fn sweep_errors_name_the_field() {
    let site = site_with_bundle();
    let server = TestServer::start(site.path()).await;
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(server.url("/api/sweep"))
            .header("accept", "application/json")
            .body(body)
            .send()
    };
    // Too many combinations: 422 naming vary.
    let body = serde_json::json!({
        "scenario": reference_json(),
        "vary": {"change.value": "0..100:0.01", "links.cloud.ports": "1..20"}
    });
    let resp = post(body.to_string()).await.expect("request");
    assert_eq!(resp.status(), 422);
    let v: serde_json::Value =
        serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
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
        "scenario": reference_json(),
        "vary": {"change.value": [10, 150]}
    });
    let resp = post(body.to_string()).await.expect("request");
    assert_eq!(resp.status(), 422);
    let v: serde_json::Value =
        serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
    assert_eq!(v["fields"][0]["path"], "change.value");
    assert_eq!(
        v["fields"][0]["message"],
        "must be between 0 and 100, got 150"
    );
    // A range that is not one.
    let body = serde_json::json!({"scenario": reference_json(), "vary": {"change.value": "5..1"}});
    let resp = post(body.to_string()).await.expect("request");
    assert_eq!(resp.status(), 422);
    let v: serde_json::Value =
        serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
    assert_eq!(v["fields"][0]["path"], "vary.change.value");
    // Not JSON at all: 400.
    let resp = post("{oops".into()).await.expect("request");
    assert_eq!(resp.status(), 400);
    let v: serde_json::Value =
        serde_json::from_str(&resp.text().await.expect("body")).expect("JSON");
    assert_eq!(v["error"], "bad_request");
    assert_eq!(v["fields"][0]["path"], "body");
    server.shutdown().await;
}

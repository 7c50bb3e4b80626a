//! The JSON API on the real server: every route, every error status, restart and
//! concurrent saves.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use crate::support::{pilot, scenario, Api};
use lakeplan_api::limits::BODY_LIMIT_BYTES;
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_models::scenario::Scenario;
use lakeplan_server::api::routes;
use lakeplan_store::{DAY_MS, RETENTION_DAYS};
use reqwest::Method;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// OpenAPI

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_served() {
    let api = Api::start().await;
    let a = api.get("/api/openapi.json").await;
    assert_eq!(a.status, 200);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "delete", "patch", "head", "options"] {
            if item.get(method).is_some() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = routes()
        .into_iter()
        .map(|(m, p)| (m.as_str().to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, served);

    // Every $ref points at something that exists.
    let text = a.text.clone();
    for piece in text.split("\"$ref\": \"#/").skip(1) {
        let target = &piece[..piece.find('"').expect("end of ref")];
        let mut node = &doc;
        for part in target.split('/') {
            node = node
                .get(part)
                .unwrap_or_else(|| panic!("dangling $ref #/{target}"));
        }
    }

    // Walk the router: on every documented path, each method the document does not list
    // is refused (405), so no handler hides behind a documented path.
    let paths: BTreeSet<String> = routes().into_iter().map(|(_, p)| p).collect();
    for path in &paths {
        let concrete = path
            .replace("{id}", "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c")
            .replace("{v}", "1");
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if documented.contains(&(method.to_string(), path.clone())) {
                continue;
            }
            let m = Method::from_bytes(method.as_bytes()).expect("method");
            let a = api.send(m, &concrete, &[], None).await;
            assert_eq!(
                a.status, 405,
                "{method} {path} is answered but not documented"
            );
        }
    }

    // Each route in the table is answered by its handler, not the "no route" fallback.
    for (method, path) in routes() {
        let path = path
            .replace("{id}", "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c")
            .replace("{v}", "1");
        let m = Method::from_bytes(method.as_str().as_bytes()).expect("method");
        let a = api.send(m, &path, &[], None).await;
        let code = serde_json::from_str::<Value>(&a.text)
            .ok()
            .and_then(|v| v.get("error").cloned());
        assert!(
            a.status != 405 && code != Some(json!("no_route")),
            "{method:?} {path}: {} {}",
            a.status,
            a.text
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let api = Api::start().await;
    api.get("/api/nothing/here").await.error(404, "no_route");
    api.get("/api").await.error(404, "no_route");
    let a = api.send(Method::PATCH, "/api/scenarios", &[], None).await;
    let body = a.error(405, "method_not_allowed");
    let allow = a.header("allow");
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert!(body["message"].as_str().expect("message").contains("PATCH"));
    // The page's own 404 stays HTML.
    let page = api.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.header("content-type").starts_with("text/html"));
}

// ---------------------------------------------------------------------------------------
// Create, read, list

#[tokio::test]
async fn a_created_scenario_reads_back_with_its_version_as_etag() {
    let api = Api::start().await;
    let sent = scenario("two-cluster-pilot", "Pilot for review");
    let (id, created) = api.create(&sent.to_string()).await;
    assert_eq!(created.header("location"), format!("/api/scenarios/{id}"));
    assert_eq!(created.header("etag"), "\"1\"");
    let body = created.json();
    assert_eq!(body["version"], 1);
    assert_eq!(body["name"], "Pilot for review");
    assert_eq!(body["customer"], "Example Pilot");
    assert_eq!(body["price_book"], "2026-11");
    assert_eq!(body["created_at"], "2026-05-01T00:00:00.000Z");

    let got = api.get(&format!("/api/scenarios/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("etag"), "\"1\"");
    assert_eq!(got.json(), body);
    // What was saved is the scenario sent, read through the model (defaults written out),
    // pinned to the hardware catalog in force.
    let saved: Scenario =
        serde_json::from_value(got.json()["scenario"].clone()).expect("a scenario");
    let mut expected = Scenario::parse(&sent.to_string()).expect("valid");
    assert_eq!(expected.pricing.catalog, "", "the preset names no catalog");
    expected.pricing.catalog = "2026-11".into();
    assert_eq!(saved, expected);

    // Revalidation with the ETag.
    let same = api
        .send(
            Method::GET,
            &format!("/api/scenarios/{id}"),
            &[("if-none-match", "\"1\"")],
            None,
        )
        .await;
    assert_eq!(same.status, 304);
    assert_eq!(same.header("etag"), "\"1\"");
}

#[tokio::test]
async fn a_scenario_without_a_book_is_pinned_to_the_newest() {
    let api = Api::start().await;
    let mut v = scenario("two-cluster-pilot", "Unpinned");
    v["pricing"]["price_book"] = json!("");
    let (_, created) = api.create(&v.to_string()).await;
    let newest = lakeplan_models::reprice::newest_book();
    assert_eq!(created.json()["price_book"], newest);
    assert_eq!(created.json()["scenario"]["pricing"]["price_book"], newest);
    let books = api.get("/api/price-books").await.json();
    assert_eq!(books["newest"], newest);
    assert!(books["books"]
        .as_array()
        .expect("books")
        .iter()
        .any(|b| b["id"] == newest && b["built_in"] == true));
}

#[tokio::test]
async fn the_list_searches_name_and_customer_ignoring_case() {
    let api = Api::start().await;
    let (a, _) = api.create(&pilot("Lakehouse West", 3.0)).await;
    api.clock.advance_ms(1000);
    let mut other = scenario("two-cluster-pilot", "Archive tier");
    other["customer"] = json!("Zürich Insurance Example");
    let (b, _) = api.create(&other.to_string()).await;

    let ids = |v: Value| -> Vec<String> {
        v["scenarios"]
            .as_array()
            .expect("list")
            .iter()
            .map(|s| s["id"].as_str().expect("id").to_string())
            .collect()
    };
    let all = api.get("/api/scenarios").await;
    assert_eq!(all.status, 200);
    assert_eq!(ids(all.json()), [b.clone(), a.clone()], "newest first");
    let first = &all.json()["scenarios"][0];
    for field in [
        "id",
        "name",
        "customer",
        "version",
        "updated_at",
        "price_book",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(ids(api.get("/api/scenarios?q=LAKEHOUSE").await.json()), [a]);
    assert_eq!(
        ids(api.get("/api/scenarios?q=z%C3%9CRICH").await.json()),
        [b]
    );
    assert!(ids(api.get("/api/scenarios?q=nothing").await.json()).is_empty());
    let bad = api
        .get("/api/scenarios?deleted=maybe")
        .await
        .error(400, "bad_request");
    assert_eq!(bad["fields"][0]["path"], "deleted");
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404() {
    let api = Api::start().await;
    api.get("/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c")
        .await
        .error(404, "not_found");
    let body = api
        .get("/api/scenarios/not-an-id")
        .await
        .error(404, "not_found");
    assert_eq!(body["fields"][0]["path"], "id");
}

// ---------------------------------------------------------------------------------------
// Bad bodies

#[tokio::test]
async fn bad_bodies_get_the_status_that_fits_and_name_the_field() {
    let api = Api::start().await;
    // 400: not JSON, with where.
    let body = api
        .post("/api/scenarios", "{\"name\": ")
        .await
        .error(400, "malformed_json");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("line 1"),
        "{body}"
    );
    // 415: no or another content type.
    let no_type = api
        .send(Method::POST, "/api/scenarios", &[], Some(pilot("x", 3.0)))
        .await;
    no_type.error(415, "unsupported_media_type");
    api.send(
        Method::POST,
        "/api/scenarios",
        &[("content-type", "text/plain")],
        Some(pilot("x", 3.0)),
    )
    .await
    .error(415, "unsupported_media_type");
    // 422: every field at fault, by JSON path.
    let mut v = scenario("two-cluster-pilot", "bad");
    v["lake"]["initial_pb"] = json!(-5);
    v["sites"][1]["name"] = json!("");
    v["surprise"] = json!(true);
    let body = api
        .post("/api/scenarios", &v.to_string())
        .await
        .error(422, "invalid_scenario");
    let paths: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    for p in ["lake.initial_pb", "sites[1].name", "surprise"] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    assert!(body["fields"][0]["message"].as_str().is_some());
    // 422 too for a valid scenario the book cannot price.
    let mut v = scenario("two-cluster-pilot", "mars");
    v["source"]["region"] = json!("mars-1");
    let body = api
        .post("/api/scenarios", &v.to_string())
        .await
        .error(422, "invalid_scenario");
    assert_eq!(body["fields"][0]["path"], "source.region");
    // Nothing was saved by any of them.
    assert_eq!(
        api.get("/api/scenarios").await.json()["scenarios"],
        json!([])
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_json_with_or_without_a_length() {
    let api = Api::start().await;
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(BODY_LIMIT_BYTES));
    api.post("/api/scenarios", &big)
        .await
        .error(413, "body_too_large");

    // Chunked, so no Content-Length announces the size: refused while reading. A plain
    // socket on a blocking thread, as the HTTP client would announce no chunking.
    let addr = api.server.base.trim_start_matches("http://").to_string();
    let answer = tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(&addr).expect("connect");
        let limit = Some(std::time::Duration::from_secs(20));
        tcp.set_read_timeout(limit).expect("timeout");
        tcp.set_write_timeout(limit).expect("timeout");
        write!(
            tcp,
            "POST /api/compute HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        .expect("head");
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..(BODY_LIMIT_BYTES / chunk.len() + 2) {
            if write!(tcp, "{:x}\r\n", chunk.len()).is_err()
                || tcp.write_all(&chunk).is_err()
                || tcp.write_all(b"\r\n").is_err()
            {
                break; // the server may answer and close before the end
            }
        }
        let _ = tcp.write_all(b"0\r\n\r\n");
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("client thread");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"error\":\"body_too_large\""), "{answer}");
}

// ---------------------------------------------------------------------------------------
// Saving with If-Match

#[tokio::test]
async fn saves_need_the_current_version_and_lose_nothing_when_refused() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("v1", 3.0)).await;
    let url = format!("/api/scenarios/{id}");

    let body = api.put(&url, None, &pilot("lost?", 4.0)).await;
    body.error(428, "if_match_required");

    let saved = api.put(&url, Some("\"1\""), &pilot("v2", 4.0)).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.header("etag"), "\"2\"");
    assert_eq!(saved.json()["version"], 2);
    assert_eq!(saved.json()["scenario"]["change"]["value"], 4.0);

    // A bare number works as well as the quoted ETag.
    let saved = api.put(&url, Some("2"), &pilot("v3", 5.0)).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.json()["version"], 3);

    let stale = api
        .put(&url, Some("\"2\""), &pilot("stale", 6.0))
        .await
        .error(412, "version_conflict");
    assert_eq!(stale["current_version"], 3);

    let star = api
        .put(&url, Some("*"), &pilot("star", 6.0))
        .await
        .error(400, "bad_request");
    assert_eq!(star["fields"][0]["path"], "If-Match");
    api.put(&url, Some("\"abc\""), &pilot("junk", 6.0))
        .await
        .error(400, "bad_request");
    // An invalid scenario with a good If-Match is 422 and saves nothing.
    let mut v = scenario("two-cluster-pilot", "bad");
    v["horizon_months"] = json!(0);
    api.put(&url, Some("3"), &v.to_string())
        .await
        .error(422, "invalid_scenario");

    let now = api.get(&url).await.json();
    assert_eq!(now["version"], 3);
    assert_eq!(now["name"], "v3");
    assert_eq!(now["scenario"]["change"]["value"], 5.0);
    // Saving to an id that does not exist.
    api.put(
        "/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c",
        Some("1"),
        &pilot("x", 3.0),
    )
    .await
    .error(404, "not_found");
}

/// Many clients save the same version at once: exactly one wins, the others get 412 and
/// the current version, and the winner's scenario is what is saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_of_one_version_have_exactly_one_winner() {
    let api = std::sync::Arc::new(Api::start().await);
    let (id, _) = api.create(&pilot("start", 3.0)).await;
    let n = 16;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let api = api.clone();
            let url = format!("/api/scenarios/{id}");
            tokio::spawn(async move {
                let a = api
                    .put(&url, Some("\"1\""), &pilot(&format!("writer {i}"), 3.0))
                    .await;
                (i, a)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for t in tasks {
        let (i, a) = t.await.expect("task");
        match a.status {
            200 => winners.push(i),
            412 => assert_eq!(a.json()["current_version"], 2, "{}", a.text),
            other => panic!("status {other}: {}", a.text),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let now = api.get(&format!("/api/scenarios/{id}")).await.json();
    assert_eq!(now["version"], 2);
    assert_eq!(now["name"], format!("writer {}", winners[0]));
    let history = api
        .get(&format!("/api/scenarios/{id}/versions"))
        .await
        .json();
    assert_eq!(history["versions"].as_array().expect("versions").len(), 2);
    // Each version says who saved it: here through an API token.
    assert_eq!(
        history["versions"][0]["saved_by"],
        "engineer@example.com (token tests)"
    );
}

/// Clients that retry on 412 (reload, save again) all get their save in, one version
/// each: the final version is 1 + the number of successful saves and no body is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retrying_writers_each_save_once_and_nothing_is_lost() {
    let api = std::sync::Arc::new(Api::start().await);
    let (id, _) = api.create(&pilot("start", 3.0)).await;
    let n = 8;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let api = api.clone();
            let url = format!("/api/scenarios/{id}");
            tokio::spawn(async move {
                let mut conflicts = 0;
                loop {
                    let v = api.get(&url).await.json()["version"].to_string();
                    let a = api
                        .put(&url, Some(&v), &pilot(&format!("writer {i}"), 3.0))
                        .await;
                    match a.status {
                        200 => return conflicts,
                        412 => conflicts += 1,
                        other => panic!("status {other}: {}", a.text),
                    }
                    assert!(conflicts < 1000, "writer {i} never got through");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let history = api
        .get(&format!("/api/scenarios/{id}/versions"))
        .await
        .json();
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(history["current_version"], 1 + n);
    assert_eq!(versions.len(), 1 + n);
    let names: BTreeSet<String> = versions
        .iter()
        .map(|v| v["name"].as_str().expect("name").to_string())
        .collect();
    for i in 0..n {
        assert!(
            names.contains(&format!("writer {i}")),
            "writer {i}: {names:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Delete, undelete, purge

#[tokio::test]
async fn delete_hides_for_30_days_then_purges() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("to delete", 3.0)).await;
    let (kept, _) = api.create(&pilot("kept", 3.0)).await;
    let url = format!("/api/scenarios/{id}");

    let stale = api
        .send(Method::DELETE, &url, &[("if-match", "\"7\"")], None)
        .await
        .error(412, "version_conflict");
    assert_eq!(stale["current_version"], 1);

    let del = api.send(Method::DELETE, &url, &[], None).await;
    assert_eq!(del.status, 200, "{}", del.text);
    let del = del.json();
    assert_eq!(del["deleted_at"], "2026-05-01T00:00:00.000Z");
    assert_eq!(del["purge_after"], "2026-05-31T00:00:00.000Z");

    let gone = api.get(&url).await.error(410, "deleted");
    assert_eq!(gone["undelete"], format!("/api/scenarios/{id}/undelete"));
    assert_eq!(gone["purge_after"], "2026-05-31T00:00:00.000Z");
    api.put(&url, Some("1"), &pilot("x", 3.0))
        .await
        .error(410, "deleted");
    api.get(&format!("{url}/versions"))
        .await
        .error(410, "deleted");
    api.send(Method::DELETE, &url, &[], None)
        .await
        .error(410, "deleted");
    let list = api.get("/api/scenarios").await.json();
    assert_eq!(list["scenarios"].as_array().expect("list").len(), 1);
    assert_eq!(list["scenarios"][0]["id"], kept);
    let bin = api.get("/api/scenarios?deleted=true").await.json();
    assert_eq!(bin["scenarios"][0]["id"], id);
    assert_eq!(
        bin["scenarios"][0]["purge_after"],
        "2026-05-31T00:00:00.000Z"
    );

    let back = api.post(&format!("{url}/undelete"), "").await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(back.json()["name"], "to delete");
    api.post(&format!("{url}/undelete"), "")
        .await
        .error(409, "conflict");

    // Deleted again, and 30 days pass: gone for good.
    api.send(Method::DELETE, &url, &[("if-match", "1")], None)
        .await;
    api.clock.advance_ms(RETENTION_DAYS * DAY_MS - 1);
    api.get(&url).await.error(410, "deleted");
    api.clock.advance_ms(1);
    api.get(&url).await.error(404, "not_found");
    api.post(&format!("{url}/undelete"), "")
        .await
        .error(404, "not_found");
    // A restart purges it from the file as well; the other scenario stays.
    let api = api.restart().await;
    api.get(&url).await.error(404, "not_found");
    assert_eq!(api.get(&format!("/api/scenarios/{kept}")).await.status, 200);
}

// ---------------------------------------------------------------------------------------
// Duplicate, history, restore

#[tokio::test]
async fn duplicate_copies_the_current_version_into_a_new_scenario() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Original", 3.0)).await;
    api.put(
        &format!("/api/scenarios/{id}"),
        Some("1"),
        &pilot("Original", 4.0),
    )
    .await;
    let copy = api
        .post(&format!("/api/scenarios/{id}/duplicate"), "")
        .await;
    assert_eq!(copy.status, 201, "{}", copy.text);
    let body = copy.json();
    let new_id = body["id"].as_str().expect("id");
    assert_ne!(new_id, id);
    assert_eq!(copy.header("location"), format!("/api/scenarios/{new_id}"));
    assert_eq!(body["version"], 1);
    assert_eq!(body["name"], "Original (copy)");
    assert_eq!(body["scenario"]["name"], "Original (copy)");
    assert_eq!(body["scenario"]["change"]["value"], 4.0);
    let history = api
        .get(&format!("/api/scenarios/{new_id}/versions"))
        .await
        .json();
    assert_eq!(
        history["versions"][0]["origin"],
        json!({"kind": "duplicate", "scenario": id, "version": 2})
    );
    api.post(
        "/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c/duplicate",
        "",
    )
    .await
    .error(404, "not_found");
}

#[tokio::test]
async fn history_lists_every_save_and_restore_adds_a_version() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("one", 3.0)).await;
    let url = format!("/api/scenarios/{id}");
    api.clock.advance_ms(60_000);
    api.put(&url, Some("1"), &pilot("two", 4.0)).await;
    api.clock.advance_ms(60_000);
    api.put(&url, Some("2"), &pilot("three", 5.0)).await;

    let h = api.get(&format!("{url}/versions")).await;
    assert_eq!(h.status, 200);
    let h = h.json();
    assert_eq!(h["current_version"], 3);
    let versions = h["versions"].as_array().expect("versions");
    let summary: Vec<(u64, &str, &str)> = versions
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().expect("version"),
                v["name"].as_str().expect("name"),
                v["saved_at"].as_str().expect("saved_at"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (3, "three", "2026-05-01T00:02:00.000Z"),
            (2, "two", "2026-05-01T00:01:00.000Z"),
            (1, "one", "2026-05-01T00:00:00.000Z"),
        ]
    );
    assert_eq!(versions[0]["price_book"], "2026-11");
    assert_eq!(versions[0]["origin"]["kind"], "save");
    assert_eq!(versions[2]["origin"]["kind"], "create");

    let v1 = api.get(&format!("{url}/versions/1")).await;
    assert_eq!(v1.status, 200);
    let v1 = v1.json();
    assert_eq!(v1["scenario"]["change"]["value"], 3.0);
    assert_eq!(v1["name"], "one");
    let missing = api
        .get(&format!("{url}/versions/9"))
        .await
        .error(404, "not_found");
    assert_eq!(missing["latest_version"], 3);
    let bad = api
        .get(&format!("{url}/versions/zero"))
        .await
        .error(404, "not_found");
    assert_eq!(bad["fields"][0]["path"], "v");

    // Restore: needs If-Match, refuses a stale one, then adds version 4 = version 1.
    api.post(&format!("{url}/versions/1/restore"), "")
        .await
        .error(428, "if_match_required");
    api.send(
        Method::POST,
        &format!("{url}/versions/1/restore"),
        &[("if-match", "\"2\"")],
        None,
    )
    .await
    .error(412, "version_conflict");
    let restored = api
        .send(
            Method::POST,
            &format!("{url}/versions/1/restore"),
            &[("if-match", "\"3\"")],
            None,
        )
        .await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(restored.header("etag"), "\"4\"");
    let r = restored.json();
    assert_eq!(r["version"], 4);
    assert_eq!(r["scenario"], v1["scenario"]);
    let h = api.get(&format!("{url}/versions")).await.json();
    assert_eq!(
        h["versions"][0]["origin"],
        json!({"kind": "restore", "version": 1})
    );
    // Version 3 is still there as it was.
    assert_eq!(
        api.get(&format!("{url}/versions/3")).await.json()["scenario"]["change"]["value"],
        5.0
    );
}

// ---------------------------------------------------------------------------------------
// Exports and compute

#[tokio::test]
async fn the_csv_export_reads_back_to_the_computed_figures() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Pilot — export 2026", 3.0)).await;
    api.put(
        &format!("/api/scenarios/{id}"),
        Some("1"),
        &pilot("Pilot — export 2026", 4.0),
    )
    .await;
    let a = api.get(&format!("/api/scenarios/{id}/export.csv")).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        a.header("content-disposition"),
        "attachment; filename=\"pilot-export-2026-v2.csv\""
    );
    let expected =
        compute_priced(&Scenario::parse(&pilot("Pilot — export 2026", 4.0)).expect("valid"))
            .expect("priced");
    check_csv(&a.text, &expected);

    // An earlier version exports its own figures.
    let old = api
        .get(&format!("/api/scenarios/{id}/export.csv?version=1"))
        .await;
    assert_eq!(old.status, 200);
    assert!(old.header("content-disposition").contains("-v1.csv"));
    let expected =
        compute_priced(&Scenario::parse(&pilot("x", 3.0)).expect("valid")).expect("priced");
    check_csv(&old.text, &expected);
    let bad = api
        .get(&format!("/api/scenarios/{id}/export.csv?version=x"))
        .await
        .error(400, "bad_request");
    assert_eq!(bad["fields"][0]["path"], "version");
    api.get("/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c/export.csv")
        .await
        .error(404, "not_found");
}

fn check_csv(text: &str, report: &lakeplan_models::report::Report) {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rd.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("record")).collect();
    for (i, m) in report.months.iter().enumerate() {
        let row = &rows[i];
        assert_eq!(&row[col("month")], m.month.to_string());
        for (name, exact) in [
            ("sustained_gbps", m.sustained_gbps),
            ("peak_gbps", m.peak_gbps),
            ("lake_pb", m.lake_pb),
            ("egress_usd", m.egress_usd),
            ("cumulative_usd", m.cumulative_usd),
        ] {
            let got: f64 = row[col(name)].parse().expect("a number");
            assert_eq!(got, exact, "{name} in month {i}");
        }
    }
    let total = rows
        .iter()
        .find(|r| r.get(0) == Some("total_cost_usd"))
        .expect("total row");
    assert_eq!(
        total[1].parse::<f64>().expect("number"),
        report.summary.total_cost_usd
    );
}

/// The PDF's text as `pdftotext` (poppler-utils, installed by `scripts/setup.sh --test`)
/// reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.pdf");
    std::fs::write(&file, bytes).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed: scripts/setup.sh --test");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_pdf_export_is_the_proposal_of_the_saved_version() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("Pilot proposal", 3.0)).await;
    let a = api
        .get(&format!(
            "/api/scenarios/{id}/export.pdf?author=Sales%20engineer"
        ))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["content-type"], "application/pdf");
    assert_eq!(
        a.headers["content-disposition"],
        "attachment; filename=\"pilot-proposal-v1.pdf\""
    );
    assert!(a.bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&a.bytes);
    assert!(text.contains("Pilot proposal"), "{text}");
    assert!(text.contains("Sales engineer"), "{text}");
    // The link back to the scenario, as the client addressed the server.
    assert!(text.contains(&format!("/?saved={id}")), "{text}");
    api.get("/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c/export.pdf")
        .await
        .error(404, "not_found");
}

#[tokio::test]
async fn an_unsaved_scenario_exports_without_being_stored() {
    let api = Api::start().await;
    let body = pilot("On screen only", 3.0);
    let pdf = api.post("/api/export.pdf", &body).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(
        pdf.headers["content-disposition"],
        "attachment; filename=\"on-screen-only.pdf\""
    );
    let text = pdf_text(&pdf.bytes);
    assert!(text.contains("On screen only"), "{text}");
    let csv = api.post("/api/export.csv", &body).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let expected = compute_priced(&Scenario::parse(&body).expect("valid")).expect("priced");
    check_csv(&csv.text, &expected);
    // Nothing was saved.
    assert_eq!(
        api.get("/api/scenarios").await.json()["scenarios"],
        serde_json::json!([])
    );
    // A bad scenario is a 422 naming its field, as for a save.
    let bad = api
        .post("/api/export.pdf", r#"{"lake": {"initial_pb": -5}}"#)
        .await
        .error(422, "invalid_scenario");
    assert!(bad.to_string().contains("lake.initial_pb"), "{bad}");
}

#[tokio::test]
async fn compute_answers_the_report_and_stores_nothing() {
    let api = Api::start().await;
    let text = scenario(presets::REFERENCE, "reference").to_string();
    let a = api.post("/api/compute", &text).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.header("content-type").starts_with("application/json"));
    // Compared as text: serde_json reads floats back to within an ulp, not exactly.
    let expected = serde_json::to_string(
        &compute_priced(&Scenario::parse(&text).expect("valid")).expect("priced"),
    )
    .expect("json");
    assert!(
        a.text == expected,
        "the report differs from compute_priced's"
    );
    // 450 PB at 10 %/day: 4 166.7 Gbps (docs/model.md).
    assert!(a.text.contains("\"sustained_gbps\":4166.666666666666,"));
    assert_eq!(
        api.get("/api/scenarios").await.json()["scenarios"],
        json!([])
    );

    let mut v = scenario("two-cluster-pilot", "bad");
    v["change"]["value"] = json!(150);
    let e = api
        .post("/api/compute", &v.to_string())
        .await
        .error(422, "invalid_scenario");
    assert_eq!(e["fields"][0]["path"], "change.value");
    api.post("/api/compute", "[1,")
        .await
        .error(400, "malformed_json");
    api.send(Method::POST, "/api/compute", &[], Some(text))
        .await
        .error(415, "unsupported_media_type");
}

// ---------------------------------------------------------------------------------------
// Compare and re-price

#[tokio::test]
async fn compare_lists_differing_inputs_and_figure_deltas() {
    let api = Api::start().await;
    let (a, _) = api.create(&pilot("A", 3.0)).await;
    let mut b = scenario("two-cluster-pilot", "B");
    b["change"]["value"] = json!(6);
    b["sites"][1]["name"] = json!("Pilot C");
    let (b, _) = api.create(&b.to_string()).await;

    let c = api.get(&format!("/api/compare?ids={a},{b}")).await;
    assert_eq!(c.status, 200, "{}", c.text);
    let c = c.json();
    assert_eq!(c["scenarios"][0]["id"], a);
    assert_eq!(c["scenarios"][1]["name"], "B");
    let inputs = c["inputs"].as_array().expect("inputs");
    let find = |path: &str| {
        inputs
            .iter()
            .find(|d| d["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {inputs:?}"))
    };
    assert_eq!(find("change.value")["values"], json!([3.0, 6.0]));
    assert_eq!(
        find("sites[1].name")["values"],
        json!(["Pilot B", "Pilot C"])
    );
    assert_eq!(find("name")["values"], json!(["A", "B"]));
    assert_eq!(inputs.len(), 3, "{inputs:?}");
    let figures = c["figures"].as_array().expect("figures");
    let rate = figures
        .iter()
        .find(|f| f["key"] == "sustained_gbps.first")
        .expect("rate");
    let (x, y) = (
        rate["values"][0].as_f64().expect("x"),
        rate["values"][1].as_f64().expect("y"),
    );
    // Twice the change, twice the rate.
    assert!((y - 2.0 * x).abs() < 1e-9 * y, "{rate}");
    assert_eq!(rate["deltas"][0], 0.0);
    assert!((rate["deltas"][1].as_f64().expect("delta") - x).abs() < 1e-9 * y);
    for key in [
        "peak_gbps.last",
        "first_infeasible_month",
        "seed_days",
        "ports_needed[\"cloud → Pilot A\"]",
        "enclosures_end[\"Pilot C\"]",
        "total_cost_usd",
        "usd_per_effective_tb_month",
    ] {
        assert!(figures.iter().any(|f| f["key"] == key), "{key}");
    }

    // Two versions of one scenario.
    api.put(&format!("/api/scenarios/{a}"), Some("1"), &pilot("A", 4.0))
        .await;
    let c = api.get(&format!("/api/compare?ids={a}@1,{a}")).await.json();
    assert_eq!(c["scenarios"][0]["version"], 1);
    assert_eq!(c["scenarios"][1]["version"], 2);
    assert_eq!(
        c["inputs"],
        json!([{"path": "change.value", "values": [3.0, 4.0]}])
    );

    // Errors name the parameter.
    for (query, status, code) in [
        ("", 400, "bad_request"),
        ("?ids=", 400, "bad_request"),
        (&format!("?ids={a}") as &str, 400, "bad_request"),
        ("?ids=x,y", 400, "bad_request"),
        (&format!("?ids={a}@0,{b}"), 400, "bad_request"),
    ] {
        let e = api
            .get(&format!("/api/compare{query}"))
            .await
            .error(status, code);
        assert_eq!(e["fields"][0]["path"], "ids", "{query}");
    }
    api.get(&format!(
        "/api/compare?ids={a},0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c"
    ))
    .await
    .error(404, "not_found");
    api.send(Method::DELETE, &format!("/api/scenarios/{b}"), &[], None)
        .await;
    api.get(&format!("/api/compare?ids={a},{b}"))
        .await
        .error(410, "deleted");
}

#[tokio::test]
async fn repricing_a_scenario_on_the_newest_book_changes_nothing() {
    let api = Api::start().await;
    let mut on_newest: Value = serde_json::from_str(&pilot("priced", 3.0)).expect("JSON");
    on_newest["pricing"]["price_book"] = json!(lakeplan_models::reprice::newest_book());
    let (id, _) = api.create(&on_newest.to_string()).await;
    let url = format!("/api/scenarios/{id}/reprice");
    let p = api.get(&url).await;
    assert_eq!(p.status, 200, "{}", p.text);
    let p = p.json();
    let newest = lakeplan_models::reprice::newest_book();
    assert_eq!(p["from"], newest);
    assert_eq!(p["to"], newest);
    assert_eq!(p["up_to_date"], true);
    assert_eq!(p["figures"], json!([]));
    assert_eq!(p["rows"], json!([]));

    api.post(&url, "").await.error(428, "if_match_required");
    api.send(Method::POST, &url, &[("if-match", "\"5\"")], None)
        .await
        .error(412, "version_conflict");
    let same = api
        .send(Method::POST, &url, &[("if-match", "\"1\"")], None)
        .await;
    assert_eq!(same.status, 200, "{}", same.text);
    assert_eq!(
        same.json()["version"],
        1,
        "no new version when already newest"
    );
    api.get("/api/scenarios/0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c/reprice")
        .await
        .error(404, "not_found");
}

// ---------------------------------------------------------------------------------------
// Restart

#[tokio::test]
async fn saved_scenarios_survive_a_restart_byte_for_byte() {
    let api = Api::start().await;
    let (id, _) = api.create(&pilot("kept", 3.0)).await;
    api.put(
        &format!("/api/scenarios/{id}"),
        Some("1"),
        &pilot("kept", 4.5),
    )
    .await;
    let before = api.get(&format!("/api/scenarios/{id}")).await;
    let history_before = api.get(&format!("/api/scenarios/{id}/versions")).await;
    let list_before = api.get("/api/scenarios").await;

    let api = api.restart().await;
    let after = api.get(&format!("/api/scenarios/{id}")).await;
    assert_eq!(after.status, 200);
    assert_eq!(after.text, before.text);
    assert_eq!(after.header("etag"), "\"2\"");
    assert_eq!(
        api.get(&format!("/api/scenarios/{id}/versions")).await.text,
        history_before.text
    );
    assert_eq!(api.get("/api/scenarios").await.text, list_before.text);
    assert!(api.data_dir().join("lakeplan.db").is_file());
}

// ---------------------------------------------------------------------------------------
// Bounded work per request

/// The reference scenario with `sites` sites over `months` months.
fn wide(sites: usize, months: u32) -> String {
    let mut doc = scenario(presets::REFERENCE, "Wide");
    doc["horizon_months"] = json!(months);
    doc["sites"] = (0..sites)
        .map(|i| json!({"name": format!("Region {i:04} with a long name to fill the report")}))
        .collect();
    doc.to_string()
}

/// The issue's case: 41 KB asking for 1 000 sites over 600 months (a 561 MB answer before
/// the limits) is refused at once, naming the field and its limit, and nothing is stored.
#[tokio::test]
async fn a_small_body_asking_for_a_huge_answer_is_refused_naming_the_limit() {
    let api = Api::start().await;
    let body = wide(1_000, 600);
    assert!(body.len() < 100 * 1024, "{} bytes", body.len());
    for route in [
        "/api/compute",
        "/api/export.csv",
        "/api/export.pdf",
        "/api/scenarios",
    ] {
        let a = api.post(route, &body).await;
        let e = a.error(422, "invalid_scenario");
        let sites = e["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["path"] == "sites")
            .unwrap_or_else(|| panic!("{route}: no error names sites: {e}"));
        assert!(
            sites["message"].as_str().is_some_and(
                |m| m.contains(&lakeplan_models::inputs::limits::MAX_SITES.to_string())
            ),
            "{sites}"
        );
    }
    assert_eq!(
        api.get("/api/scenarios").await.json()["scenarios"],
        json!([])
    );
}

/// The worst case within the limits, as the API answers it: the report's JSON stays under
/// the stated bound (`MAX_REPORT_BYTES`, 16 MiB), the CSV under it too, and the proposal
/// PDF stays a bounded number of pages.
#[tokio::test]
async fn the_largest_answer_within_the_limits_is_bounded() {
    use lakeplan_models::inputs::limits::{MAX_HORIZON_MONTHS, MAX_REPORT_BYTES, MAX_SITE_MONTHS};
    let api = Api::start().await;
    let sites = (MAX_SITE_MONTHS / u64::from(MAX_HORIZON_MONTHS)) as usize;
    let body = wide(sites, MAX_HORIZON_MONTHS);
    let report = api.post("/api/compute", &body).await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert!(
        report.text.len() <= MAX_REPORT_BYTES,
        "{} bytes",
        report.text.len()
    );
    let csv = api.post("/api/export.csv", &body).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.text.len() <= MAX_REPORT_BYTES,
        "{} bytes",
        csv.text.len()
    );
    let pdf = api.post("/api/export.pdf", &body).await;
    assert_eq!(pdf.status, 200);
    let pdf = pdf.bytes;
    let pages = pdf_pages(&pdf);
    eprintln!(
        "worst case within the limits: report {} bytes, CSV {} bytes, PDF {} bytes, {pages} pages",
        report.text.len(),
        csv.text.len(),
        pdf.len()
    );
    assert!(pages <= MAX_PDF_PAGES, "{pages} pages");
}

/// The most pages the proposal of a scenario within the limits may take: the worst case
/// measured 127 pages (8 sites × 600 months; report 5.7 MB of JSON, CSV 0.8 MB, PDF
/// 0.5 MB), so the PDF's work is bounded by the scenario's own limits.
const MAX_PDF_PAGES: usize = 200;

/// The page count `pdfinfo` (poppler-utils) reads.
fn pdf_pages(bytes: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.pdf");
    std::fs::write(&file, bytes).expect("write the PDF");
    let out = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo (Debian poppler-utils) must be installed: scripts/setup.sh --test");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// The cloud placements are the same figures in the model, `POST /api/compute`, the CSV
/// and the PDF: the CSV to the last digit, the PDF as the page rounds them.
#[tokio::test]
async fn the_cloud_placements_agree_across_the_api_the_csv_and_the_pdf() {
    use lakeplan_models::display::{grouped, usd_whole};
    let api = Api::start().await;
    let body = crate::support::preset_json("lake-placement").to_string();
    let model = compute_priced(&Scenario::parse(&body).expect("valid")).expect("priced");
    let cloud = model.summary.cloud.as_ref().expect("cloud placements");

    let a = api.post("/api/compute", &body).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let served = a.json();
    assert_eq!(
        served["summary"]["cloud"],
        serde_json::to_value(cloud).expect("JSON")
    );
    assert_eq!(
        served["months"][0]["cloud_cluster"],
        serde_json::to_value(model.months[0].cloud_cluster).expect("JSON")
    );

    let csv = api.post("/api/export.csv", &body).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    check_csv(&csv.text, &model);
    let rate = cloud.alignment_rate_usd_per_tb_month.expect("a rate");
    assert!(
        csv.text
            .contains(&format!("\nalignment_rate_usd_per_tb_month,{rate}\n")),
        "{}",
        csv.text
    );
    let first = model.years[0].placements.expect("placements");
    assert!(csv.text.contains(&format!(
        "\n{},{},{},{},{},{},",
        model.years[0].year,
        first.object_store,
        first.on_prem,
        first.cloud_a,
        first.cloud_b,
        cloud.cheapest_by_year[0].placement.as_str()
    )));

    let pdf = api.post("/api/export.pdf", &body).await;
    assert_eq!(pdf.status, 200);
    let text = pdf_text(&pdf.bytes);
    // Thin spaces group the digits; pdftotext may give them as spaces.
    let flatten = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flatten(&text);
    assert!(flat.contains("Where the lake lives (USD)"), "{flat}");
    assert!(
        flat.contains(&format!(
            "A cloud rate of ${} per usable TB-month",
            grouped(rate, 2)
        )),
        "{flat}"
    );
    assert!(flat.contains(&flatten(&usd_whole(first.cloud_b))), "{flat}");
}

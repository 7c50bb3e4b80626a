//! Hardware catalogs live the life of price books (spec: PRICE-BOOKS.md, "the hardware
//! catalog follows the same life"), on the real server: a catalog that adds a 122 TB
//! enclosure and a book that prices it, from upload to retirement.

use lakeplan_models::library::{Builtin, Library};
use lakeplan_models::presets;
use lakeplan_models::price_book::Catalog;
use lakeplan_store::{Role, DAY_MS};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{scenario, Answer, Api};

const PRICING: &str = "pricing@example.com";
const OLD: &str = "enclosure.ceres-v2.61tb";
const NEW: &str = "enclosure.ceres-v2.122tb";

/// The built-in catalog with a 122.88 TB-drive enclosure added (a copy of the 61 TB one).
fn catalog_csv() -> String {
    let text = Catalog::builtin().expect("catalog").to_csv();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{OLD},")))
        .expect("the 61 TB enclosure");
    let added = line
        .replace(OLD, NEW)
        .replace("61.44 TB", "122.88 TB")
        .replace(",61.44,1351.68,", ",122.88,2703.36,");
    format!("{text}{added}\n")
}

/// The built-in book with a row that prices the new enclosure (twice the 61 TB one).
fn book_csv() -> String {
    let book = Builtin.book(Builtin.newest()).expect("book");
    let text = book.to_csv();
    let price = book.row(&format!("hardware.{OLD}")).expect("row").value;
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("hardware.{OLD},")))
        .expect("the 61 TB enclosure's price");
    let added =
        line.replace(OLD, NEW)
            .replacen(&format!(",{price},"), &format!(",{},", 2.0 * price), 1);
    format!("{text}{added}\n")
}

async fn send(
    api: &Api,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<(&str, String)>,
) -> Answer {
    let headers: Vec<(&str, &str)> = body.iter().map(|(t, _)| ("content-type", *t)).collect();
    api.send_with(token, method, path, &headers, body.map(|(_, b)| b))
        .await
}

async fn upload(api: &Api, token: Option<&str>, kind: &str, query: &str, csv: &str) -> Answer {
    let path = format!("/api/{kind}?{query}");
    send(
        api,
        token,
        Method::POST,
        &path,
        Some(("text/csv", csv.to_string())),
    )
    .await
}

async fn get(api: &Api, token: Option<&str>, path: &str) -> Answer {
    send(api, token, Method::GET, path, None).await
}

async fn post(api: &Api, token: Option<&str>, path: &str, json: &Value) -> Answer {
    let body = Some(("application/json", json.to_string()));
    send(api, token, Method::POST, path, body).await
}

fn listed(a: &Answer) -> Vec<String> {
    a.json()["books"]
        .as_array()
        .expect("books")
        .iter()
        .map(|b| b["id"].as_str().expect("id").to_string())
        .collect()
}

/// The reference scenario on 122 TB-drive enclosures, with this book and catalog.
fn on_new_enclosures(book: &str, catalog: &str) -> Value {
    let mut s = scenario(presets::REFERENCE, "On 122 TB drives");
    s["cluster"]["enclosure_raw_tb"] = json!(2703.36);
    s["pricing"]["price_book"] = json!(book);
    s["pricing"]["catalog"] = json!(catalog);
    s
}

fn made_id(a: &Answer) -> String {
    assert_eq!(a.status, 201, "{}", a.text);
    a.json()["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_catalog_is_checked_diffed_published_and_prices_the_hardware_it_adds() {
    let api = Api::start().await;
    let pricing = api.member_token(PRICING, "pricing", Role::Pricing);
    let engineer = api.bearer.clone();
    let engineer = engineer.as_deref();
    let csv = catalog_csv();
    let query = "name=Ceres%20122&effective_from=2027-01-01";

    // Only pricing (and above) may upload.
    upload(&api, engineer, "hardware-catalogs", query, &csv)
        .await
        .error(403, "forbidden");
    upload(&api, None, "hardware-catalogs", query, &csv)
        .await
        .error(401, "unauthorized");

    // A bad file: every problem at once, nothing stored. Line 3 repeats line 2's raw TB,
    // line 5 has a word for a number.
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[2] = lines[2].replace(",30.72,675.84,", ",15.36,337.92,");
    lines[4] = lines[4].replace(",500,700,", ",lots,700,");
    let bad = lines.join("\n") + "\n";
    let before = listed(&get(&api, Some(&pricing), "/api/hardware-catalogs").await);
    let refused = upload(&api, Some(&pricing), "hardware-catalogs", query, &bad).await;
    let body = refused.error(422, "invalid_book");
    let found: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["column"].as_str().expect("column"),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![(3, "raw_tb"), (5, "active_w")],
        "{}",
        refused.text
    );
    assert_eq!(
        listed(&get(&api, Some(&pricing), "/api/hardware-catalogs").await),
        before
    );
    assert_eq!(before, vec!["2026-11"]);

    // The draft: pricing sees it; an engineer neither sees nor uses it.
    let id = made_id(&upload(&api, Some(&pricing), "hardware-catalogs", query, &csv).await);
    assert!(id.starts_with("hw-"), "{id}");
    assert!(listed(&get(&api, Some(&pricing), "/api/hardware-catalogs").await).contains(&id));
    assert_eq!(
        listed(&get(&api, engineer, "/api/hardware-catalogs").await),
        vec!["2026-11"]
    );
    get(&api, engineer, &format!("/api/hardware-catalogs/{id}"))
        .await
        .error(404, "not_found");
    // A catalog's id is not a price book's.
    get(&api, Some(&pricing), &format!("/api/price-books/{id}"))
        .await
        .error(404, "not_found");

    // The diff lists exactly the added model.
    let diff = get(
        &api,
        Some(&pricing),
        &format!("/api/hardware-catalogs/diff?from=2026-11&to={id}"),
    )
    .await
    .json();
    assert_eq!(diff["changed"], json!([]));
    assert_eq!(diff["removed"], json!([]));
    let added = diff["added"].as_array().expect("added");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["id"], NEW);
    assert_eq!(added[0]["raw_tb"], "2703.36");

    // It exports back exactly as uploaded, and reads as rows.
    let export = get(
        &api,
        Some(&pricing),
        &format!("/api/hardware-catalogs/{id}/export.csv"),
    )
    .await;
    assert_eq!(export.status, 200);
    assert_eq!(export.text, csv);
    let rows = get(
        &api,
        Some(&pricing),
        &format!("/api/hardware-catalogs/{id}"),
    )
    .await;
    assert_eq!(rows.json()["rows"].as_array().map(Vec::len), Some(6));

    // The book that prices the new model, published.
    let book = made_id(
        &upload(
            &api,
            Some(&pricing),
            "price-books",
            "name=With%20122&effective_from=2027-01-01",
            &book_csv(),
        )
        .await,
    );
    let published = send(
        &api,
        Some(&pricing),
        Method::POST,
        &format!("/api/price-books/{book}/publish"),
        None,
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.text);

    // Pricing previews with the draft; an engineer cannot; the built-in catalog lacks the
    // enclosure, and says which field to change.
    let scenario = on_new_enclosures(&book, &id);
    let priced = post(&api, Some(&pricing), "/api/compute", &scenario).await;
    assert_eq!(priced.status, 200, "{}", priced.text);
    let e = post(&api, engineer, "/api/compute", &scenario).await;
    assert_eq!(
        e.error(422, "invalid_scenario")["fields"][0]["path"],
        "pricing.catalog"
    );
    let e = post(
        &api,
        Some(&pricing),
        "/api/compute",
        &on_new_enclosures(&book, "2026-11"),
    )
    .await;
    assert_eq!(
        e.error(422, "invalid_scenario")["fields"][0]["path"],
        "cluster.enclosure_raw_tb"
    );
    // A draft cannot be saved into a scenario.
    let e = post(&api, Some(&pricing), "/api/scenarios", &scenario).await;
    assert_eq!(
        e.error(422, "invalid_scenario")["fields"][0]["path"],
        "pricing.catalog"
    );

    // Published: an engineer prices with it; an engineer cannot publish or retire.
    send(
        &api,
        engineer,
        Method::POST,
        &format!("/api/hardware-catalogs/{id}/publish"),
        None,
    )
    .await
    .error(403, "forbidden");
    let published = send(
        &api,
        Some(&pricing),
        Method::POST,
        &format!("/api/hardware-catalogs/{id}/publish"),
        None,
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.json()["status"], "published");
    let c = post(&api, engineer, "/api/compute", &scenario).await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.json(), priced.json(), "the same figures for every caller");

    // In force from its day: a scenario naming none is matched in it, and a save pins it.
    let unpinned = on_new_enclosures(&book, "");
    let e = post(&api, engineer, "/api/compute", &unpinned).await;
    assert_eq!(
        e.error(422, "invalid_scenario")["fields"][0]["path"],
        "cluster.enclosure_raw_tb"
    );
    api.clock.advance_ms(250 * DAY_MS);
    assert_eq!(
        get(&api, engineer, "/api/hardware-catalogs").await.json()["newest"],
        id.as_str()
    );
    let c = post(&api, engineer, "/api/compute", &unpinned).await;
    assert_eq!(c.json(), priced.json());
    let (sid, created) = api.create(&unpinned.to_string()).await;
    assert_eq!(
        created.json()["scenario"]["pricing"]["catalog"],
        id.as_str()
    );

    // A share link carries the catalog, so a visitor without an account can price it.
    let share = api
        .post(&format!("/api/scenarios/{sid}/shares"), "{}")
        .await;
    assert_eq!(share.status, 201, "{}", share.text);
    let token = share.json()["token"].as_str().expect("token").to_string();
    let shared = get(&api, None, &format!("/api/shares/{token}"))
        .await
        .json();
    assert_eq!(shared["catalog"]["book"]["id"], id.as_str());
    assert_eq!(shared["catalog"]["rows"].as_array().map(Vec::len), Some(6));

    // Retired: the scenario pinned to it keeps saving with it; new ones cannot pick it.
    let retired = send(
        &api,
        Some(&pricing),
        Method::POST,
        &format!("/api/hardware-catalogs/{id}/retire"),
        None,
    )
    .await;
    assert_eq!(retired.json()["status"], "retired");
    let mut again = created.json()["scenario"].clone();
    again["name"] = json!("Renamed");
    let kept = api
        .put(
            &format!("/api/scenarios/{sid}"),
            Some("\"1\""),
            &again.to_string(),
        )
        .await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    let e = post(&api, engineer, "/api/scenarios", &scenario).await;
    let fields = e.error(422, "invalid_scenario")["fields"].clone();
    assert_eq!(fields[0]["path"], "pricing.catalog");
    assert!(
        fields[0]["message"]
            .as_str()
            .expect("message")
            .contains("retired"),
        "{fields}"
    );
    // A retired catalog is no longer the newest: new scenarios go back to the built-in one.
    assert_eq!(
        get(&api, engineer, "/api/hardware-catalogs").await.json()["newest"],
        "2026-11"
    );
    api.shutdown().await;
}

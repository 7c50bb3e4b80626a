//! Price books as the pricing team publishes them (spec: PRICE-BOOKS.md), on the real
//! server: uploads checked as a whole, drafts seen only by pricing and admin, the diff, the
//! impact on every team's saved scenarios, publishing, retiring, the newest book in force.

use lakeplan_models::library::{Builtin, Library};
use lakeplan_models::presets;
use lakeplan_models::price_book::{Category, PriceRow, Unit};
use lakeplan_store::{Role, DAY_MS};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{scenario, Answer, Api};

const PRICING: &str = "pricing@example.com";

/// The built-in book as CSV, each cell as `edit(row index, column, row)` says (`None`: as
/// it is).
fn book_csv(edit: impl Fn(usize, &str, &PriceRow) -> Option<String>) -> String {
    let book = Builtin.book(Builtin.newest()).expect("built-in book");
    let header = book.to_csv().lines().next().expect("header").to_string();
    let mut text = format!("{header}\n");
    for (i, r) in book.rows().iter().enumerate() {
        let cells: Vec<String> = r
            .cells()
            .iter()
            .map(|(column, v)| {
                let v = edit(i, column, r).unwrap_or_else(|| v.clone());
                if v.contains([',', '"']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v
                }
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

fn is_rate(r: &PriceRow) -> bool {
    r.category == Category::Licence
        && matches!(r.unit, Unit::UsdPerCoreYear | Unit::UsdPerUsableTbYear)
}

/// The built-in book as CSV with every licence rate (per core-year, per usable-TB-year)
/// doubled; the term discounts are percentages and stay. Also the ids of the rows changed.
fn doubled_licence_csv() -> (String, Vec<String>) {
    let text = book_csv(|_, column, r| {
        (is_rate(r) && column == "value").then(|| (r.value * 2.0).to_string())
    });
    let book = Builtin.book(Builtin.newest()).expect("built-in book");
    let changed = book
        .rows()
        .iter()
        .filter(|r| is_rate(r))
        .map(|r| r.id.clone())
        .collect();
    (text, changed)
}

async fn upload(api: &Api, token: Option<&str>, query: &str, csv: &str) -> Answer {
    api.send_with(
        token,
        Method::POST,
        &format!("/api/price-books?{query}"),
        &[("content-type", "text/csv")],
        Some(csv.to_string()),
    )
    .await
}

async fn get(api: &Api, token: Option<&str>, path: &str) -> Answer {
    api.send_with(token, Method::GET, path, &[], None).await
}

async fn post(api: &Api, token: Option<&str>, path: &str, body: &str) -> Answer {
    api.send_with(
        token,
        Method::POST,
        path,
        &[("content-type", "application/json")],
        Some(body.to_string()),
    )
    .await
}

fn listed(a: &Answer) -> Vec<String> {
    a.json()["books"]
        .as_array()
        .expect("books")
        .iter()
        .map(|b| b["id"].as_str().expect("id").to_string())
        .collect()
}

fn reference(book: &str) -> Value {
    let mut s = scenario(presets::REFERENCE, "Reference");
    s["pricing"]["price_book"] = json!(book);
    s
}

#[tokio::test]
async fn a_draft_is_the_pricing_teams_until_published_and_prices_exactly_what_it_says() {
    let api = Api::start().await;
    let pricing = api.member_token(PRICING, "pricing", Role::Pricing);
    let engineer = api.bearer.clone();
    let (csv, changed) = doubled_licence_csv();
    let query = "name=Doubled%20licence&effective_from=2027-01-01&note=what%20if";

    // Only pricing (and above) may upload.
    let refused = upload(&api, engineer.as_deref(), query, &csv).await;
    refused.error(403, "forbidden");
    upload(&api, None, query, &csv)
        .await
        .error(401, "unauthorized");
    let wrong_type = api
        .send_with(
            Some(&pricing),
            Method::POST,
            &format!("/api/price-books?{query}"),
            &[("content-type", "application/json")],
            Some(csv.clone()),
        )
        .await;
    wrong_type.error(415, "unsupported_media_type");

    let made = upload(&api, Some(&pricing), query, &csv).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.json()["id"].as_str().expect("id").to_string();
    assert_eq!(made.json()["status"], "draft");

    // The draft: pricing sees it, an engineer does not, nor can use it.
    assert!(listed(&get(&api, Some(&pricing), "/api/price-books").await).contains(&id));
    let seen_by_engineer = listed(&get(&api, engineer.as_deref(), "/api/price-books").await);
    assert!(!seen_by_engineer.contains(&id), "{seen_by_engineer:?}");
    assert_eq!(seen_by_engineer, vec!["2026-12", "2026-11"]);
    get(&api, engineer.as_deref(), &format!("/api/price-books/{id}"))
        .await
        .error(404, "not_found");
    let e = post(
        &api,
        engineer.as_deref(),
        "/api/compute",
        &reference(&id).to_string(),
    )
    .await;
    assert_eq!(
        e.error(422, "invalid_scenario")["fields"][0]["path"],
        "pricing.price_book"
    );
    get(&api, None, "/api/price-books/2026-11").await;

    // The diff lists exactly the doubled rates.
    let diff = get(
        &api,
        Some(&pricing),
        &format!("/api/price-books/diff?from={}&to={id}", Builtin.newest()),
    )
    .await
    .json();
    let ids: Vec<&str> = diff["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| {
            assert_eq!(c["column"], "value");
            c["id"].as_str().expect("id")
        })
        .collect();
    assert_eq!(ids, changed.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(diff["added"], json!([]));
    assert_eq!(diff["removed"], json!([]));

    // Priced with the draft, every year's licence doubles exactly and nothing else moves.
    let before = post(
        &api,
        Some(&pricing),
        "/api/compute",
        &reference("2026-11").to_string(),
    )
    .await;
    let after = post(
        &api,
        Some(&pricing),
        "/api/compute",
        &reference(&id).to_string(),
    )
    .await;
    assert_eq!(after.status, 200, "{}", after.text);
    let (before, after) = (before.json(), after.json());
    assert_eq!(after["price_book"], id.as_str());
    let years = |r: &Value| r["years"].as_array().expect("years").clone();
    let mut licence = 0.0;
    for (b, a) in years(&before).iter().zip(&years(&after)) {
        let (b, a) = (&b["cost_usd"], &a["cost_usd"]);
        let bl = b["licence"].as_f64().expect("licence");
        assert_eq!(a["licence"].as_f64(), Some(2.0 * bl));
        licence += bl;
        for line in [
            "egress", "requests", "ports", "hardware", "support", "power", "space",
        ] {
            assert_eq!(a[line], b[line], "{line}");
        }
    }
    assert!(licence > 0.0);
    assert_eq!(
        before["months"].as_array().map(Vec::len),
        after["months"].as_array().map(Vec::len)
    );

    // The stored book exports back with every row, exactly as uploaded.
    let export = get(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/export.csv"),
    )
    .await;
    assert_eq!(export.status, 200);
    assert!(export.header("content-type").starts_with("text/csv"));
    assert_eq!(export.text, csv);
    let rows = get(&api, Some(&pricing), &format!("/api/price-books/{id}"))
        .await
        .json();
    assert_eq!(
        rows["rows"].as_array().map(Vec::len),
        Some(Builtin.book(Builtin.newest()).expect("book").rows().len())
    );

    // A draft cannot be saved into a scenario (a team's engineers could not price it).
    let saved = post(
        &api,
        Some(&pricing),
        "/api/scenarios",
        &reference(&id).to_string(),
    )
    .await;
    assert_eq!(
        saved.error(422, "invalid_scenario")["fields"][0]["path"],
        "pricing.price_book"
    );

    // Published: everyone sees and uses it; an engineer cannot publish or retire.
    post(
        &api,
        engineer.as_deref(),
        &format!("/api/price-books/{id}/publish"),
        "",
    )
    .await
    .error(403, "forbidden");
    let published = post(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/publish"),
        "",
    )
    .await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.json()["status"], "published");
    post(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/publish"),
        "",
    )
    .await
    .error(409, "conflict");
    assert!(listed(&get(&api, engineer.as_deref(), "/api/price-books").await).contains(&id));
    let c = post(
        &api,
        engineer.as_deref(),
        "/api/compute",
        &reference(&id).to_string(),
    )
    .await;
    assert_eq!(c.status, 200, "{}", c.text);
    // Signed out, stored books stay private.
    assert_eq!(
        listed(&get(&api, None, "/api/price-books").await),
        vec!["2026-12", "2026-11"]
    );
    api.shutdown().await;
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_naming_each_line_column_and_value() {
    let api = Api::start().await;
    let pricing = api.member_token(PRICING, "pricing", Role::Pricing);
    let (csv, _) = doubled_licence_csv();
    // Line 5 (the header is line 1, so row index 3): a value that is not a number; line 8:
    // an unknown unit.
    let bad = book_csv(|i, column, _| match (i, column) {
        (3, "value") => Some("cheap".into()),
        (6, "unit") => Some("usd_per_parsec".into()),
        _ => None,
    });
    let before = listed(&get(&api, Some(&pricing), "/api/price-books").await);
    let a = upload(
        &api,
        Some(&pricing),
        "name=Bad&effective_from=2027-01-01",
        &bad,
    )
    .await;
    let body = a.error(422, "invalid_book");
    let errors = body["errors"].as_array().expect("errors");
    let found: Vec<(u64, &str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["column"].as_str().expect("column"),
                e["value"].as_str().expect("value"),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![(5, "value", "cheap"), (8, "unit", "usd_per_parsec")]
    );
    assert!(errors[0]["message"]
        .as_str()
        .expect("message")
        .contains("must be a number"));
    assert_eq!(
        listed(&get(&api, Some(&pricing), "/api/price-books").await),
        before
    );

    // A book lacking a row the model reads names the row.
    let short: String = csv
        .lines()
        .filter(|l| !l.starts_with("fx.usd-per-eur,"))
        .collect::<Vec<_>>()
        .join("\n");
    let a = upload(
        &api,
        Some(&pricing),
        "name=Short&effective_from=2027-01-01",
        &short,
    )
    .await;
    let e = &a.error(422, "invalid_book")["errors"][0];
    assert_eq!(
        (e["line"].clone(), e["value"].clone()),
        (Value::Null, json!("fx.usd-per-eur"))
    );

    // The fields describing the file are checked too.
    let a = upload(
        &api,
        Some(&pricing),
        "name=X&effective_from=2027-02-30",
        &csv,
    )
    .await;
    assert_eq!(
        a.error(422, "invalid_scenario")["fields"][0]["path"],
        "effective_from"
    );
    let a = upload(
        &api,
        Some(&pricing),
        "name=&effective_from=2027-01-01",
        &csv,
    )
    .await;
    assert_eq!(
        a.error(422, "invalid_scenario")["fields"][0]["path"],
        "name"
    );
    // A name is one line: it goes into the audit log and tab-separated CLI output.
    let a = upload(
        &api,
        Some(&pricing),
        "name=Q1%0Afake%20line&effective_from=2027-01-01",
        &csv,
    )
    .await;
    assert_eq!(
        a.error(422, "invalid_scenario")["fields"][0]["path"],
        "name"
    );
    let a = upload(&api, Some(&pricing), "effective_from=2027-01-01", &csv).await;
    assert_eq!(
        a.error(422, "invalid_scenario")["fields"][0]["path"],
        "name"
    );
    // Signed out or below pricing, the role is what is refused, whatever the query says.
    upload(&api, None, "", &csv)
        .await
        .error(401, "unauthorized");
    upload(&api, api.bearer.as_deref(), "", &csv)
        .await
        .error(403, "forbidden");
    assert_eq!(
        listed(&get(&api, Some(&pricing), "/api/price-books").await),
        before
    );
    api.shutdown().await;
}

#[tokio::test]
async fn the_impact_lists_every_teams_scenarios_and_the_newest_book_in_force_prices_new_ones() {
    let api = Api::start().await;
    let pricing = api.member_token(PRICING, "pricing", Role::Pricing);
    let other = api.member_token("apac@example.com", "apac", Role::Engineer);
    let (csv, _) = doubled_licence_csv();
    // An engineer of another team saved a proposal on the built-in book.
    let (sid, _) = {
        let a = post(
            &api,
            Some(&other),
            "/api/scenarios",
            &reference("2026-11").to_string(),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.text);
        (a.json()["id"].as_str().expect("id").to_string(), a)
    };
    let made = upload(
        &api,
        Some(&pricing),
        "name=Q1&effective_from=2027-01-01",
        &csv,
    )
    .await;
    let id = made.json()["id"].as_str().expect("id").to_string();

    get(
        &api,
        api.bearer.as_deref(),
        &format!("/api/price-books/{id}/impact"),
    )
    .await
    .error(403, "forbidden");
    let impact = get(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/impact"),
    )
    .await;
    assert_eq!(impact.status, 200, "{}", impact.text);
    let rows = impact.json()["scenarios"]
        .as_array()
        .expect("scenarios")
        .clone();
    let row = rows
        .iter()
        .find(|r| r["id"] == sid.as_str())
        .expect("the other team's scenario");
    assert_eq!(row["team"], "apac");
    assert_eq!(row["price_book"], "2026-11");
    let (old, new) = (
        row["old_total_usd"].as_f64().expect("old"),
        row["new_total_usd"].as_f64().expect("new"),
    );
    assert!(new > old, "{old} → {new}");
    assert_eq!(row["difference_usd"].as_f64(), Some(new - old));
    let moved: Vec<&str> = row["moved"]
        .as_array()
        .expect("moved")
        .iter()
        .map(|m| m["line"].as_str().expect("line"))
        .collect();
    assert_eq!(moved, vec!["licence"]);

    // Published, and its day come: it prices (and pins) new scenarios.
    post(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/publish"),
        "",
    )
    .await;
    let mut unpinned = reference("");
    unpinned["name"] = json!("Unpinned");
    let a = api.post("/api/compute", &unpinned.to_string()).await;
    assert_eq!(
        a.json()["price_book"],
        Builtin.newest(),
        "not in force before 2027-01-01"
    );
    api.clock.advance_ms(250 * DAY_MS);
    let a = api.post("/api/compute", &unpinned.to_string()).await;
    assert_eq!(a.json()["price_book"], id.as_str());
    assert_eq!(
        get(&api, None, "/api/price-books").await.json()["newest"],
        Builtin.newest()
    );

    // Retired: the scenarios pinned to it keep it; new ones cannot pick it.
    let (pinned, created) = api.create(&unpinned.to_string()).await;
    assert_eq!(created.json()["price_book"], id.as_str());

    // A share link of it carries the excerpt of the book that prices it, and no more: a
    // visitor without an account sees its figures, not the whole confidential book.
    let share = api
        .post(&format!("/api/scenarios/{pinned}/shares"), "{}")
        .await;
    assert_eq!(share.status, 201, "{}", share.text);
    let token = share.json()["token"].as_str().expect("token").to_string();
    let shared = get(&api, None, &format!("/api/shares/{token}"))
        .await
        .json();
    assert_eq!(shared["book"]["book"]["id"], id.as_str());
    let rows = shared["book"]["rows"].as_array().expect("rows");
    let all = Builtin.book(Builtin.newest()).expect("book").rows().len();
    assert!(
        !rows.is_empty() && rows.len() < all,
        "{} of {all}",
        rows.len()
    );
    for r in rows {
        let row = r["id"].as_str().expect("id");
        assert!(
            !row.starts_with("licence.capacity-only."),
            "{row}: another plan's rates"
        );
    }
    // A version on a built-in book carries none.
    let (builtin_id, _) = api.create(&reference("2026-11").to_string()).await;
    let share = api
        .post(&format!("/api/scenarios/{builtin_id}/shares"), "{}")
        .await;
    let token = share.json()["token"].as_str().expect("token").to_string();
    let shared = get(&api, None, &format!("/api/shares/{token}"))
        .await
        .json();
    assert!(shared.get("book").is_none(), "{shared}");
    let r = post(
        &api,
        Some(&pricing),
        &format!("/api/price-books/{id}/retire"),
        "",
    )
    .await;
    assert_eq!(r.json()["status"], "retired");
    let again = api
        .put(
            &format!("/api/scenarios/{pinned}"),
            Some("1"),
            &created.json()["scenario"].to_string(),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    let mut fresh = reference(&id);
    fresh["name"] = json!("Fresh");
    let refused = api.post("/api/scenarios", &fresh.to_string()).await;
    let e = refused.error(422, "invalid_scenario");
    assert!(e["fields"][0]["message"]
        .as_str()
        .expect("message")
        .contains("retired"));
    api.shutdown().await;
}

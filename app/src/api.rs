//! The browser's side of the JSON API: one typed call per route, every URL from
//! `lakeplan_api::paths::Url`, every answer read into the contract's types
//! (`lakeplan-api`, the types the server writes). A reply that does not parse is an error
//! that says so, never a silent default. Compiled into the wasm bundle only: the server
//! calls its store directly.

use lakeplan_api::accounts::{
    AuditPage, Me, ShareList, ShareMade, Shared, TeamList, TokenList, TokenMade, UserList,
};
use lakeplan_api::books::{BookDiff, BookMade, BookRows, BookSummary, Impact, PriceBooks};
use lakeplan_api::paths::{Sheet, Url};
use lakeplan_api::read::{from_text, FromJson};
use lakeplan_api::scenarios::{Deletion, History, RepricePreview, ScenarioEnvelope, ScenarioList};
use lakeplan_api::{ApiError, ErrorCode};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a call gave no answer the page can use.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer came (offline, server down): nothing was changed.
    Unreachable,
    /// The server refused, in the API's error shape.
    Refused(ApiError),
    /// The server answered something this page cannot read (a proxy's page, a newer
    /// server): shown as it is rather than read as zeros.
    Unreadable { status: u16, reason: String },
}

impl Failure {
    /// A sentence for the notice line.
    pub fn sentence(&self) -> String {
        match self {
            Failure::Unreachable => "The server cannot be reached: nothing was changed.".into(),
            Failure::Refused(e) => e.sentence(),
            Failure::Unreadable { status, reason } => {
                format!("the server's answer ({status}) could not be read: {reason}")
            }
        }
    }

    /// With a lost save race (412): the version saved meanwhile.
    pub fn lost_race(&self) -> Option<u64> {
        match self {
            Failure::Refused(e) if e.error == ErrorCode::VersionConflict => e.current_version,
            _ => None,
        }
    }
}

/// Sends one request and returns the response, or `Unreachable`.
async fn fetch(
    method: &str,
    url: &str,
    body: Option<&Value>,
    if_match: Option<u64>,
) -> Result<web_sys::Response, Failure> {
    let body = body.map(|b| ("application/json", b.to_string()));
    send(method, url, body, if_match).await
}

/// [`fetch`] with a body of any type: `(content type, text)`.
async fn send(
    method: &str,
    url: &str,
    body: Option<(&str, String)>,
    if_match: Option<u64>,
) -> Result<web_sys::Response, Failure> {
    let unreachable = |_| Failure::Unreachable;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(unreachable)?;
    headers
        .set("Accept", "application/json")
        .map_err(unreachable)?;
    if let Some(v) = if_match {
        headers
            .set("If-Match", &format!("\"{v}\""))
            .map_err(unreachable)?;
    }
    if let Some((content_type, text)) = body {
        headers
            .set("Content-Type", content_type)
            .map_err(unreachable)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(&text));
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(unreachable)?;
    JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .map_err(unreachable)?
        .dyn_into()
        .map_err(unreachable)
}

async fn text_of(response: &web_sys::Response) -> String {
    match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// A refusal read as the API's error shape.
async fn refusal(response: &web_sys::Response) -> Failure {
    let status = response.status();
    let text = text_of(response).await;
    match from_text::<ApiError>(&text) {
        Ok(e) => Failure::Refused(e),
        Err(e) => Failure::Unreadable {
            status,
            reason: e.to_string(),
        },
    }
}

/// The scenario envelope as the browser holds it: the scenario file as a JSON tree.
pub type Envelope = ScenarioEnvelope<Value>;

/// One call whose success is a JSON body of type `T`.
async fn call<T: FromJson>(
    method: &str,
    url: &str,
    body: Option<&Value>,
    if_match: Option<u64>,
) -> Result<T, Failure> {
    let response = fetch(method, url, body, if_match).await?;
    answer(response).await
}

/// A response read as `T`, or the refusal it is.
async fn answer<T: FromJson>(response: web_sys::Response) -> Result<T, Failure> {
    if !response.ok() {
        return Err(refusal(&response).await);
    }
    let status = response.status();
    let text = text_of(&response).await;
    from_text(&text).map_err(|e| Failure::Unreadable {
        status,
        reason: e.to_string(),
    })
}

/// The saved scenarios whose name or customer contains `query`.
pub async fn list(query: &str) -> Result<ScenarioList, Failure> {
    call("GET", &Url::scenario_list(query, false), None, None).await
}

pub async fn get(id: &str) -> Result<Envelope, Failure> {
    call("GET", &Url::scenario(id), None, None).await
}

/// Saves `scenario` as a new scenario.
pub async fn create(scenario: &Value) -> Result<Envelope, Failure> {
    call("POST", &Url::scenarios(), Some(scenario), None).await
}

/// Saves `scenario` as the next version of `id`, if it is still at `version`.
pub async fn save(id: &str, version: u64, scenario: &Value) -> Result<Envelope, Failure> {
    call("PUT", &Url::scenario(id), Some(scenario), Some(version)).await
}

pub async fn delete(id: &str) -> Result<Deletion, Failure> {
    call("DELETE", &Url::scenario(id), None, None).await
}

pub async fn undelete(id: &str) -> Result<Envelope, Failure> {
    call("POST", &Url::undelete(id), None, None).await
}

pub async fn duplicate(id: &str) -> Result<Envelope, Failure> {
    call("POST", &Url::duplicate(id), None, None).await
}

pub async fn history(id: &str) -> Result<History, Failure> {
    call("GET", &Url::versions(id), None, None).await
}

/// Saves version `v` again as the newest, if the scenario is still at `current`.
pub async fn restore(id: &str, v: u64, current: u64) -> Result<Envelope, Failure> {
    call("POST", &Url::restore(id, v), None, Some(current)).await
}

pub async fn reprice_preview(id: &str) -> Result<RepricePreview, Failure> {
    call("GET", &Url::reprice(id), None, None).await
}

/// Re-prices with the newest book, if the scenario is still at `current`.
pub async fn reprice(id: &str, current: u64) -> Result<Envelope, Failure> {
    call("POST", &Url::reprice(id), None, Some(current)).await
}

/// The proposal PDF of the scenario sent, as a file to offer; nothing is stored.
pub async fn export_pdf(scenario: &Value) -> Result<web_sys::Blob, Failure> {
    let response = fetch("POST", &Url::export_pdf(), Some(scenario), None).await?;
    if !response.ok() {
        return Err(refusal(&response).await);
    }
    let unreadable = |_| Failure::Unreadable {
        status: response.status(),
        reason: "the file did not arrive whole".into(),
    };
    let blob = JsFuture::from(response.blob().map_err(unreadable)?)
        .await
        .map_err(unreadable)?;
    blob.dyn_into().map_err(unreadable)
}

/// One call whose success has no body the page needs (204, or one it ignores).
async fn call_empty(method: &str, url: &str, body: Option<&Value>) -> Result<(), Failure> {
    let response = fetch(method, url, body, None).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(refusal(&response).await)
    }
}

/// Who is signed in: `None` when nobody is (401).
pub async fn me() -> Result<Option<Me>, Failure> {
    match call::<Me>("GET", &Url::session(), None, None).await {
        Ok(me) => Ok(Some(me)),
        Err(Failure::Refused(e)) if e.error == ErrorCode::Unauthorized => Ok(None),
        Err(f) => Err(f),
    }
}

/// Signs in with a local account; the server sets the session cookie.
pub async fn sign_in(email: &str, password: &str) -> Result<(), Failure> {
    let body = serde_json::json!({ "email": email, "password": password });
    call_empty("POST", &Url::session(), Some(&body)).await
}

pub async fn sign_out() -> Result<(), Failure> {
    call_empty("DELETE", &Url::session(), None).await
}

pub async fn tokens() -> Result<TokenList, Failure> {
    call("GET", &Url::tokens(), None, None).await
}

pub async fn make_token(name: &str, expires_in_days: Option<u32>) -> Result<TokenMade, Failure> {
    let mut body = serde_json::json!({ "name": name });
    if let Some(d) = expires_in_days {
        body["expires_in_days"] = d.into();
    }
    call("POST", &Url::tokens(), Some(&body), None).await
}

pub async fn revoke_token(id: &str) -> Result<(), Failure> {
    call_empty("DELETE", &Url::token(id), None).await
}

pub async fn shares(id: &str) -> Result<ShareList, Failure> {
    call("GET", &Url::shares(id), None, None).await
}

pub async fn make_share(id: &str, expires_in_days: Option<u32>) -> Result<ShareMade, Failure> {
    let mut body = serde_json::json!({});
    if let Some(d) = expires_in_days {
        body["expires_in_days"] = d.into();
    }
    call("POST", &Url::shares(id), Some(&body), None).await
}

pub async fn revoke_share(id: &str, token: &str) -> Result<(), Failure> {
    call_empty("DELETE", &Url::share_revoke(id, token), None).await
}

/// A share link's scenario, read-only; needs no account.
pub async fn shared(token: &str) -> Result<Shared<Value>, Failure> {
    call("GET", &Url::share(token), None, None).await
}

/// Copies a shared scenario into one of the caller's teams.
pub async fn copy_share(token: &str, team: Option<&str>) -> Result<Envelope, Failure> {
    let mut body = serde_json::json!({});
    if let Some(t) = team {
        body["team"] = t.into();
    }
    call("POST", &Url::share_copy(token), Some(&body), None).await
}

pub async fn users() -> Result<UserList, Failure> {
    call("GET", &Url::users(), None, None).await
}

/// Makes a user or changes their role in `team` (and their password when given).
pub async fn put_member(
    email: &str,
    name: &str,
    team: &str,
    role: &str,
    password: &str,
) -> Result<(), Failure> {
    let mut body = serde_json::json!({ "email": email, "team": team, "role": role });
    if !name.trim().is_empty() {
        body["name"] = name.trim().into();
    }
    if !password.is_empty() {
        body["password"] = password.into();
    }
    call_empty("POST", &Url::users(), Some(&body)).await
}

pub async fn remove_user(email: &str) -> Result<(), Failure> {
    call_empty("DELETE", &Url::user(email), None).await
}

pub async fn remove_member(email: &str, team: &str) -> Result<(), Failure> {
    call_empty("DELETE", &Url::membership(email, team), None).await
}

pub async fn teams() -> Result<TeamList, Failure> {
    call("GET", &Url::teams(), None, None).await
}

pub async fn create_team(name: &str) -> Result<(), Failure> {
    let body = serde_json::json!({ "name": name });
    call_empty("POST", &Url::teams(), Some(&body)).await
}

pub async fn audit(actor: &str, action: &str, before: Option<i64>) -> Result<AuditPage, Failure> {
    call("GET", &Url::audit(actor, action, before), None, None).await
}

/// Uploads a CSV file as a draft book or catalog.
pub async fn upload_sheet(
    sheet: Sheet,
    name: &str,
    effective_from: &str,
    note: &str,
    csv: &str,
) -> Result<BookMade, Failure> {
    let url = sheet.upload(name, effective_from, note);
    let response = send("POST", &url, Some(("text/csv", csv.to_string())), None).await?;
    answer(response).await
}

/// The books or catalogs the viewer may see and the one in force.
pub async fn sheets(sheet: Sheet) -> Result<PriceBooks, Failure> {
    call("GET", &sheet.list(), None, None).await
}

/// One book or catalog with its rows.
pub async fn sheet(sheet: Sheet, id: &str) -> Result<BookRows, Failure> {
    call("GET", &sheet.one(id), None, None).await
}

pub async fn publish_sheet(sheet: Sheet, id: &str) -> Result<BookSummary, Failure> {
    call("POST", &sheet.publish(id), None, None).await
}

pub async fn retire_sheet(sheet: Sheet, id: &str) -> Result<BookSummary, Failure> {
    call("POST", &sheet.retire(id), None, None).await
}

pub async fn sheet_diff(sheet: Sheet, from: &str, to: &str) -> Result<BookDiff, Failure> {
    call("GET", &sheet.diff(from, to), None, None).await
}

pub async fn book_impact(id: &str) -> Result<Impact, Failure> {
    call("GET", &Url::price_book_impact(id), None, None).await
}

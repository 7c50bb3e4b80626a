//! The browser's side of the JSON API (`/api/...`): one request function that every
//! save, open, history and compare action goes through, so status handling, the JSON error
//! shape and the `ETag`/`If-Match` dance live in one place. Compiled into the wasm bundle
//! only: the server calls its store directly.

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the server answered, success or not.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The `ETag` header without its quotes: a saved scenario's version.
    pub etag: Option<String>,
    pub body: Value,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A saved scenario's version: the body's `version`, else the `ETag`.
    pub fn version(&self) -> Option<u64> {
        self.body
            .get("version")
            .and_then(Value::as_u64)
            .or_else(|| self.etag.as_deref().and_then(|e| e.parse().ok()))
    }

    /// The server's error message (`{"status", "error", "message", "fields"}`, see
    /// `server/src/api/error.rs`), with the first field at fault, or the status.
    pub fn message(&self) -> String {
        let Some(message) = self.body.get("message").and_then(Value::as_str) else {
            return format!("the server answered {}", self.status);
        };
        let field = self.body.pointer("/fields/0").and_then(|f| {
            Some(format!(
                " ({}: {})",
                f.get("path")?.as_str()?,
                f.get("message")?.as_str()?
            ))
        });
        format!("{message}{}", field.unwrap_or_default())
    }

    /// With a 412: the version saved meanwhile.
    pub fn current_version(&self) -> Option<u64> {
        self.body.get("current_version").and_then(Value::as_u64)
    }
}

/// Sends one request; `Err` only when no answer came (offline, server down), with a
/// sentence for the user.
pub async fn call(
    method: &str,
    url: &str,
    body: Option<&Value>,
    if_match: Option<&str>,
) -> Result<Reply, String> {
    let unreachable = |_| "The server cannot be reached: nothing was changed.".to_string();
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
    if let Some(b) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(unreachable)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(&b.to_string()));
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(unreachable)?;
    let window = leptos::prelude::window();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(unreachable)?
        .dyn_into()
        .map_err(unreachable)?;
    let etag = response
        .headers()
        .get("ETag")
        .ok()
        .flatten()
        .map(|t| t.trim_start_matches("W/").trim_matches('"').to_string());
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(Reply {
        status: response.status(),
        etag,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    })
}

/// Sends a JSON body and takes the answer as a file (a PDF); `Err` carries the server's
/// message when it answered with an error.
pub async fn call_blob(method: &str, url: &str, body: &Value) -> Result<web_sys::Blob, String> {
    let failed = |_| "The server cannot be reached: nothing was exported.".to_string();
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(failed)?;
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(&body.to_string()));
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(failed)?;
    let response: web_sys::Response =
        JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
    if !response.ok() {
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        };
        let reply = Reply {
            status: response.status(),
            etag: None,
            body: text
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null),
        };
        return Err(format!("Not exported: {}", reply.message()));
    }
    let blob = JsFuture::from(response.blob().map_err(failed)?)
        .await
        .map_err(failed)?;
    blob.dyn_into().map_err(failed)
}

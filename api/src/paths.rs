//! Where each route lives: the templates the server routes and documents, and the one
//! URL builder the browser calls.
//!
//! Templates use OpenAPI's `{name}` segments, which are also axum's. The builder fills them
//! in with [`encode`]d values, so an id or a query typed by a user cannot change a path.

/// `GET` the OpenAPI document.
pub const OPENAPI: &str = "/api/openapi.json";
/// `GET` the price books the caller may see; `POST` upload one (CSV, `pricing`).
pub const PRICE_BOOKS: &str = "/api/price-books";
/// `GET` one book's rows.
pub const PRICE_BOOK: &str = "/api/price-books/{id}";
/// `GET` one book as its CSV file.
pub const PRICE_BOOK_CSV: &str = "/api/price-books/{id}/export.csv";
/// `POST` publish a draft / retire a published book (`pricing`).
pub const PRICE_BOOK_PUBLISH: &str = "/api/price-books/{id}/publish";
pub const PRICE_BOOK_RETIRE: &str = "/api/price-books/{id}/retire";
/// `GET ?from=&to=` what differs between two books.
pub const PRICE_BOOK_DIFF: &str = "/api/price-books/diff";
/// `GET` what a book does to every saved scenario (`pricing`).
pub const PRICE_BOOK_IMPACT: &str = "/api/price-books/{id}/impact";
/// The hardware catalogs: the same life and routes as the price books (no impact: a
/// catalog prices nothing by itself).
pub const CATALOGS: &str = "/api/hardware-catalogs";
pub const CATALOG: &str = "/api/hardware-catalogs/{id}";
pub const CATALOG_CSV: &str = "/api/hardware-catalogs/{id}/export.csv";
pub const CATALOG_PUBLISH: &str = "/api/hardware-catalogs/{id}/publish";
pub const CATALOG_RETIRE: &str = "/api/hardware-catalogs/{id}/retire";
pub const CATALOG_DIFF: &str = "/api/hardware-catalogs/diff";
/// `POST` a scenario, get its report; nothing stored.
pub const COMPUTE: &str = "/api/compute";
/// `GET ?ids=A,B` saved scenarios side by side.
pub const COMPARE: &str = "/api/compare";
/// `POST` a scenario and the fields to vary, get one row per combination.
pub const SWEEP: &str = "/api/sweep";
/// `POST` a scenario, get its CSV / PDF.
pub const EXPORT_CSV: &str = "/api/export.csv";
pub const EXPORT_PDF: &str = "/api/export.pdf";
/// `GET` (list, `?q=`, `?deleted=true`) and `POST` (create) saved scenarios.
pub const SCENARIOS: &str = "/api/scenarios";
/// `GET`, `PUT` (If-Match), `DELETE` one saved scenario.
pub const SCENARIO: &str = "/api/scenarios/{id}";
pub const UNDELETE: &str = "/api/scenarios/{id}/undelete";
pub const DUPLICATE: &str = "/api/scenarios/{id}/duplicate";
pub const VERSIONS: &str = "/api/scenarios/{id}/versions";
pub const VERSION: &str = "/api/scenarios/{id}/versions/{v}";
pub const RESTORE: &str = "/api/scenarios/{id}/versions/{v}/restore";
/// `GET` preview / `POST` apply re-pricing with the newest book.
pub const REPRICE: &str = "/api/scenarios/{id}/reprice";
pub const SCENARIO_CSV: &str = "/api/scenarios/{id}/export.csv";
pub const SCENARIO_PDF: &str = "/api/scenarios/{id}/export.pdf";
/// `POST` sign in (`{email, password}` → cookie), `GET` who am I, `DELETE` sign out.
pub const SESSION: &str = "/api/session";
/// `POST` make an API token (shown once), `GET` the caller's tokens.
pub const TOKENS: &str = "/api/tokens";
/// `DELETE` revoke one of the caller's tokens.
pub const TOKEN: &str = "/api/tokens/{id}";
/// `POST` make a share link of a saved scenario, `GET` its links.
pub const SHARES: &str = "/api/scenarios/{id}/shares";
/// `DELETE` revoke a share link.
pub const SHARE_REVOKE: &str = "/api/scenarios/{id}/shares/{token}";
/// `GET` a shared scenario, read-only, no account needed.
pub const SHARE: &str = "/api/shares/{token}";
/// `POST` copy a shared scenario into one of the caller's teams.
pub const SHARE_COPY: &str = "/api/shares/{token}/copy";
/// `GET` the users (admin), `POST` add a user or change their role.
pub const USERS: &str = "/api/users";
/// `DELETE` remove a user (admin).
pub const USER: &str = "/api/users/{email}";
/// `DELETE` take a user out of a team (admin).
pub const MEMBERSHIP: &str = "/api/users/{email}/teams/{team}";
/// `GET` the teams, `POST` make one (admin).
pub const TEAMS: &str = "/api/teams";
/// `GET ?since=&actor=&action=&before=&limit=` the audit log, newest first (admin).
pub const AUDIT: &str = "/api/audit";

/// The browser pages outside `/api` that sign in: a one-time link, and the provider's way
/// in and back.
pub const SIGN_IN_LINK: &str = "/auth/once/{token}";
pub const OIDC_LOGIN: &str = "/auth/oidc/login";
pub const OIDC_CALLBACK: &str = "/auth/oidc/callback";

/// What `If-Match` holds: one version, as its ETag (`"3"`) or bare (`3`). A version is a
/// whole number from 1 that fits 64 bits (at most 19 digits).
pub const IF_MATCH_PATTERN: &str = r#"^("[1-9][0-9]{0,18}"|[1-9][0-9]{0,18})$"#;

/// What `GET /api/compare?ids=` holds: 2 to 10 scenario ids, each optionally `@VERSION`.
pub const COMPARE_IDS_PATTERN: &str = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(@[1-9][0-9]{0,18})?(,[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(@[1-9][0-9]{0,18})?){1,9}$";

/// Fills a template's `{id}` and `{v}` segments.
fn fill(template: &str, id: &str, v: Option<u64>) -> String {
    let mut out = template.replace("{id}", &encode(id));
    if let Some(v) = v {
        out = out.replace("{v}", &v.to_string());
    }
    out
}

/// Every URL the browser asks for, built from the templates above.
pub struct Url;

impl Url {
    pub fn scenarios() -> String {
        SCENARIOS.to_string()
    }

    /// The list, filtered by name or customer (`q`), or the deleted ones still restorable.
    pub fn scenario_list(query: &str, deleted: bool) -> String {
        let mut url = SCENARIOS.to_string();
        let mut sep = '?';
        if !query.trim().is_empty() {
            url.push(sep);
            url.push_str("q=");
            url.push_str(&encode(query.trim()));
            sep = '&';
        }
        if deleted {
            url.push(sep);
            url.push_str("deleted=true");
        }
        url
    }

    pub fn scenario(id: &str) -> String {
        fill(SCENARIO, id, None)
    }

    pub fn undelete(id: &str) -> String {
        fill(UNDELETE, id, None)
    }

    pub fn duplicate(id: &str) -> String {
        fill(DUPLICATE, id, None)
    }

    pub fn versions(id: &str) -> String {
        fill(VERSIONS, id, None)
    }

    pub fn version(id: &str, v: u64) -> String {
        fill(VERSION, id, Some(v))
    }

    pub fn restore(id: &str, v: u64) -> String {
        fill(RESTORE, id, Some(v))
    }

    pub fn reprice(id: &str) -> String {
        fill(REPRICE, id, None)
    }

    /// A saved scenario's proposal PDF, optionally of an earlier version.
    pub fn scenario_pdf(id: &str, version: Option<u64>) -> String {
        let url = fill(SCENARIO_PDF, id, None);
        match version {
            Some(v) => format!("{url}?version={v}"),
            None => url,
        }
    }

    pub fn scenario_csv(id: &str, version: Option<u64>) -> String {
        let url = fill(SCENARIO_CSV, id, None);
        match version {
            Some(v) => format!("{url}?version={v}"),
            None => url,
        }
    }

    /// The comparison of saved scenarios, each an id or `id@version`.
    pub fn compare<S: AsRef<str>>(entries: &[S]) -> String {
        let ids: Vec<String> = entries.iter().map(|e| encode(e.as_ref())).collect();
        format!("{COMPARE}?ids={}", ids.join(","))
    }

    pub fn export_pdf() -> String {
        EXPORT_PDF.to_string()
    }

    pub fn session() -> String {
        SESSION.to_string()
    }

    pub fn tokens() -> String {
        TOKENS.to_string()
    }

    pub fn token(id: &str) -> String {
        fill(TOKEN, id, None)
    }

    pub fn shares(id: &str) -> String {
        fill(SHARES, id, None)
    }

    pub fn share_revoke(id: &str, token: &str) -> String {
        fill(SHARE_REVOKE, id, None).replace("{token}", &encode(token))
    }

    pub fn share(token: &str) -> String {
        SHARE.replace("{token}", &encode(token))
    }

    pub fn share_copy(token: &str) -> String {
        SHARE_COPY.replace("{token}", &encode(token))
    }

    /// The planner page opening a share link read-only: the URL a share link hands out.
    pub fn shared_planner(token: &str) -> String {
        format!("/?share={}", encode(token))
    }

    pub fn users() -> String {
        USERS.to_string()
    }

    pub fn user(email: &str) -> String {
        USER.replace("{email}", &encode(email))
    }

    pub fn membership(email: &str, team: &str) -> String {
        MEMBERSHIP
            .replace("{email}", &encode(email))
            .replace("{team}", &encode(team))
    }

    pub fn teams() -> String {
        TEAMS.to_string()
    }

    /// A page of the audit log; empty filters are left out.
    pub fn audit(actor: &str, action: &str, before: Option<i64>) -> String {
        let mut parts = Vec::new();
        if !actor.trim().is_empty() {
            parts.push(format!("actor={}", encode(actor.trim())));
        }
        if !action.trim().is_empty() {
            parts.push(format!("action={}", encode(action.trim())));
        }
        if let Some(b) = before {
            parts.push(format!("before={b}"));
        }
        if parts.is_empty() {
            AUDIT.to_string()
        } else {
            format!("{AUDIT}?{}", parts.join("&"))
        }
    }

    pub fn price_books() -> String {
        Sheet::PriceBook.list()
    }

    pub fn price_book(id: &str) -> String {
        Sheet::PriceBook.one(id)
    }

    pub fn price_book_impact(id: &str) -> String {
        fill(PRICE_BOOK_IMPACT, id, None)
    }
}

/// The two kinds of published sheet: price books and hardware catalogs. They live the same
/// life (draft → published → retired) under routes of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    PriceBook,
    Catalog,
}

impl Sheet {
    /// `[list, one, csv, publish, retire, diff]` templates.
    const fn templates(self) -> [&'static str; 6] {
        match self {
            Sheet::PriceBook => [
                PRICE_BOOKS,
                PRICE_BOOK,
                PRICE_BOOK_CSV,
                PRICE_BOOK_PUBLISH,
                PRICE_BOOK_RETIRE,
                PRICE_BOOK_DIFF,
            ],
            Sheet::Catalog => [
                CATALOGS,
                CATALOG,
                CATALOG_CSV,
                CATALOG_PUBLISH,
                CATALOG_RETIRE,
                CATALOG_DIFF,
            ],
        }
    }

    /// What a sentence calls one: "price book", "hardware catalog".
    pub const fn noun(self) -> &'static str {
        match self {
            Sheet::PriceBook => "price book",
            Sheet::Catalog => "hardware catalog",
        }
    }

    pub fn list(self) -> String {
        self.templates()[0].to_string()
    }

    pub fn one(self, id: &str) -> String {
        fill(self.templates()[1], id, None)
    }

    pub fn csv(self, id: &str) -> String {
        fill(self.templates()[2], id, None)
    }

    pub fn publish(self, id: &str) -> String {
        fill(self.templates()[3], id, None)
    }

    pub fn retire(self, id: &str) -> String {
        fill(self.templates()[4], id, None)
    }

    /// The upload of a CSV file under `name`, taking effect on `effective_from`.
    pub fn upload(self, name: &str, effective_from: &str, note: &str) -> String {
        format!(
            "{}?name={}&effective_from={}&note={}",
            self.templates()[0],
            encode(name),
            encode(effective_from),
            encode(note)
        )
    }

    pub fn diff(self, from: &str, to: &str) -> String {
        format!(
            "{}?from={}&to={}",
            self.templates()[5],
            encode(from),
            encode(to)
        )
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `@`, which
/// `compare` entries use between an id and a version), so a value is one path segment or
/// one query value whatever it holds.
pub fn encode(text: &str) -> String {
    encode_keeping(text, b"@")
}

/// Percent-encodes everything but RFC 3986's unreserved characters and the bytes `keep`
/// (punctuation a caller knows is safe where the text goes, kept for readable links).
pub fn encode_keeping(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || keep.contains(&b)
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_fill_the_templates() {
        let id = "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c";
        assert_eq!(Url::scenario(id), format!("/api/scenarios/{id}"));
        assert_eq!(
            Url::restore(id, 3),
            format!("/api/scenarios/{id}/versions/3/restore")
        );
        assert_eq!(
            Url::scenario_pdf(id, Some(2)),
            format!("/api/scenarios/{id}/export.pdf?version=2")
        );
        assert_eq!(
            Url::compare(&[id, "b@2"]),
            format!("/api/compare?ids={id},b@2")
        );
    }

    #[test]
    fn values_cannot_change_the_path_or_query() {
        assert_eq!(Url::scenario("../x"), "/api/scenarios/..%2Fx");
        assert_eq!(
            Url::scenario_list(" Acme & Co ", true),
            "/api/scenarios?q=Acme%20%26%20Co&deleted=true"
        );
        assert_eq!(Url::scenario_list("", false), "/api/scenarios");
        assert_eq!(encode("Zürich"), "Z%C3%BCrich");
    }
}

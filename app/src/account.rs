//! Accounts in the browser: who is signed in (the top bar), signing in and out, the
//! account page (`/account`: teams, API tokens) and the admin page (`/admin`: users, teams,
//! roles, the audit log). Everything goes through the JSON API; the planner itself needs
//! no account (spec ACCESS.md).
//!
//! The server renders every page for the browser's session ([`SignedInAs`]) and writes
//! the viewer into the page, where the browser reads it before hydrating, so both start
//! alike and a page asks nothing to know who is signed in. Long lists are HTML text (`crate::html`) with one click handler each, to keep
//! the bundle small.

use lakeplan_api::accounts::{AuditEntry, Me, TeamInfo, TokenInfo, TokenMade, UserInfo};
use leptos::either::Either;
use leptos::prelude::*;

use crate::html::{button, table, Cell, Field};

/// The roles, lowest first: each includes the ones before it.
const ROLES: [&str; 4] = ["viewer", "engineer", "pricing", "admin"];

fn rank(role: &str) -> usize {
    ROLES.iter().position(|r| *r == role).unwrap_or(0)
}

/// Who the server rendered the page for: provided as context on the server, written into
/// the page's head (`<meta name="lakeplan-viewer">`) and read from there by the browser,
/// so the first render and the hydration start from the same viewer.
#[derive(Debug, Clone, Default)]
pub struct SignedInAs(pub Option<Me>);

/// The page's viewer as the browser finds it in the head.
fn initial_viewer() -> Option<Me> {
    #[cfg(feature = "ssr")]
    {
        use_context::<SignedInAs>().and_then(|s| s.0)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let meta = document()
            .query_selector(r#"meta[name="lakeplan-viewer"]"#)
            .ok()
            .flatten()?;
        lakeplan_api::read::from_text::<Me>(&meta.get_attribute("content")?).ok()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

/// Who is signed in, as the page last learnt it.
#[derive(Clone, Copy)]
pub struct Viewer {
    pub me: RwSignal<Option<Me>>,
}

impl Viewer {
    pub fn new() -> Viewer {
        Viewer {
            me: RwSignal::new(initial_viewer()),
        }
    }

    /// The teams the viewer may save scenarios to (engineer or more), by name.
    pub fn save_teams(&self) -> Vec<String> {
        self.me.with(|me| {
            me.as_ref()
                .map(|m| {
                    m.teams
                        .iter()
                        .filter(|t| rank(&t.role) >= rank("engineer"))
                        .map(|t| t.team.clone())
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Pricing or admin in some team: who manages price books.
    pub fn may_price(&self) -> bool {
        self.me.with(|me| {
            me.as_ref()
                .is_some_and(|m| m.teams.iter().any(|t| rank(&t.role) >= rank("pricing")))
        })
    }

    fn is_admin(&self) -> bool {
        self.me.with(|me| {
            me.as_ref()
                .is_some_and(|m| m.teams.iter().any(|t| t.role == "admin"))
        })
    }
}

impl Default for Viewer {
    fn default() -> Self {
        Viewer::new()
    }
}

/// Whether the server signs people in through an OpenID Connect provider: the server
/// writes `<meta name="lakeplan-sign-in" content="oidc">` into the page's head when it does.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignInOptions {
    pub oidc: bool,
}

fn oidc_offered() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<SignInOptions>().is_some_and(|o| o.oidc)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .query_selector(r#"meta[name="lakeplan-sign-in"][content="oidc"]"#)
            .ok()
            .flatten()
            .is_some()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        false
    }
}

/// "emea (engineer), apac (viewer)".
pub fn teams_text(teams: &[lakeplan_api::accounts::TeamRole]) -> String {
    teams
        .iter()
        .map(|t| format!("{} ({})", t.team, t.role))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The top bar's corner: *Sign in*, or who is signed in with their pages and *Sign out*.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let open = RwSignal::new(false);
    view! {
        <div class="account-menu">
            {move || match viewer.me.get() {
                Some(me) => Either::Left({
                    let teams = teams_text(&me.teams);
                    view! {
                    <span class="who" data-metric="signed_in_as" title=teams>{me.email}</span>
                    <a href="/account">"Account"</a>
                    {viewer.may_price().then(|| view! { <a href="/books">"Price books"</a> })}
                    {viewer.is_admin().then(|| view! { <a href="/admin">"Admin"</a> })}
                    <button type="button" class="link-button" name="sign-out"
                        on:click=move |_| actions::sign_out(viewer)>"Sign out"</button>
                    }
                }),
                None => Either::Right(view! {
                    <button type="button" class="button" name="sign-in"
                        aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>"Sign in"</button>
                    {move || open.get().then(|| view! {
                        <div class="sign-in-popup"><SignInForm/></div>
                    })}
                }),
            }}
        </div>
    }
}

/// Email and password, and the organisation's sign-in when the server has one.
#[component]
pub fn SignInForm() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let error = RwSignal::new(None::<String>);
    let next = crate::location::path();
    let form = crate::html::form(
        "sign-in",
        "Sign in",
        &[
            Field::Input {
                name: "email",
                label: "Email",
                kind: "email",
                attrs: r#"autocomplete="username" required"#,
            },
            Field::Input {
                name: "password",
                label: "Password",
                kind: "password",
                attrs: r#"autocomplete="current-password" required"#,
            },
        ],
        "Sign in",
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(sent) = crate::html::submitted(&ev) {
            actions::sign_in(viewer, sent.get("email"), sent.get("password"), error);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, viewer);
    };
    view! {
        <div class="sign-in" on:submit=on_submit inner_html=form></div>
        {oidc_offered().then(|| view! {
            <a class="button" href=format!("{}?next={}", lakeplan_api::paths::OIDC_LOGIN, lakeplan_api::paths::encode(&next))>
                "Sign in with your organisation"
            </a>
        })}
        {move || error.get().map(|e| view! { <p class="notice bad" role="alert">{e}</p> })}
    }
}

/// A line of feedback on the account pages: done (status) or failed (alert).
pub(crate) type Feedback = RwSignal<Option<Result<String, String>>>;

pub(crate) fn feedback_line(feedback: Feedback) -> impl IntoView {
    move || {
        feedback.get().map(|f| match f {
            Ok(text) => Either::Left(view! { <p class="notice ok" role="status">{text}</p> }),
            Err(text) => Either::Right(view! { <p class="notice bad" role="alert">{text}</p> }),
        })
    }
}

/// An RFC 3339 time as "2026-11-24 23:10" (UTC), or a dash.
fn when(t: Option<&str>) -> String {
    t.map_or_else(
        || "—".to_string(),
        |t| t.chars().take(16).collect::<String>().replace('T', " "),
    )
}

/// The viewer's API tokens, each live one revocable.
pub fn tokens_html(tokens: &[TokenInfo]) -> String {
    let head: Vec<String> = ["Name", "Made", "Expires", "State", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let rows: Vec<Vec<Cell>> = tokens
        .iter()
        .map(|t| {
            let live = t.revoked_at.is_none();
            vec![
                Cell::text(&t.name),
                Cell::text(when(Some(&t.created_at))),
                Cell::text(when(t.expires_at.as_deref())),
                Cell::text(if live { "live" } else { "revoked" }),
                Cell::Markup(if live {
                    button("revoke", &t.id, &format!("Revoke {}", t.name))
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    table("tokens", &head, &rows)
}

/// `/account`: who you are, your teams, your API tokens.
#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let tokens = RwSignal::new(Vec::<TokenInfo>::new());
    let made = RwSignal::new(None::<TokenMade>);
    let feedback: Feedback = RwSignal::new(None);
    Effect::new(move |_| {
        if viewer.me.with(Option::is_some) {
            actions::load_tokens(tokens, feedback);
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, id, _)) = crate::html::action_of(&ev) {
            if action == "revoke" {
                actions::revoke_token(id, tokens, made, feedback);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(sent) = crate::html::submitted(&ev) {
            actions::make_token(sent, tokens, made, feedback);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, made);
    };
    let form = crate::html::form(
        "token",
        "Make an API token",
        &[
            Field::Input {
                name: "token.name",
                label: "Name",
                kind: "text",
                attrs: r#"required maxlength="64""#,
            },
            Field::Input {
                name: "token.expires_in_days",
                label: "Expires in days (empty: never)",
                kind: "number",
                attrs: r#"min="1" max="3650" value="90""#,
            },
        ],
        "Make token",
    );
    view! {
        <section class="card account-page">
            <h1>"Your account"</h1>
            {move || match viewer.me.get() {
                None => Either::Left(view! {
                    <p>"Sign in to see your teams and API tokens. The planner works without an account."</p>
                    <SignInForm/>
                }),
                Some(me) => Either::Right(view! {
                    <p data-metric="account_email">{format!("{} · {}", me.email, me.name)}</p>
                    <p>"Teams: " <span data-metric="account_teams">{teams_text(&me.teams)}</span></p>
                    <h2>"API tokens"</h2>
                    <p class="muted">"For scripts and the command line: send it as "
                        <code>"Authorization: Bearer …"</code>
                        ". It acts as you, with your roles; it is shown once, when made."</p>
                    <div on:submit=on_submit inner_html=form.clone()></div>
                    {move || made.get().map(|t| view! {
                        <p class="notice ok" role="status">
                            {format!("Token “{}” made. Copy it now, it will not be shown again: ", t.name)}
                            <code data-metric="new_token">{t.token}</code>
                        </p>
                    })}
                    {feedback_line(feedback)}
                    <div on:click=on_click inner_html=move || tokens.with(|t| if t.is_empty() {
                        r#"<p class="muted">No tokens yet.</p>"#.to_string()
                    } else {
                        tokens_html(t)
                    })></div>
                }),
            }}
        </section>
    }
}

/// Every user with their teams; each membership and user removable.
pub fn users_html(users: &[UserInfo]) -> String {
    let head: Vec<String> = ["Email", "Name", "Teams and roles", "Password", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let rows: Vec<Vec<Cell>> = users
        .iter()
        .map(|u| {
            let mut actions: String = u
                .teams
                .iter()
                .map(|t| {
                    button(
                        "remove-member",
                        &format!("{}\n{}", u.email, t.team),
                        &format!("Remove from {}", t.team),
                    )
                })
                .collect();
            actions.push_str(&button("remove-user", &u.email, "Remove user"));
            vec![
                Cell::text(&u.email),
                Cell::text(&u.name),
                Cell::text(teams_text(&u.teams)),
                Cell::text(if u.has_password { "set" } else { "none" }),
                Cell::Markup(actions),
            ]
        })
        .collect();
    table("users", &head, &rows)
}

pub fn teams_html(teams: &[TeamInfo]) -> String {
    let head: Vec<String> = ["Team", "Members", "Made"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let rows: Vec<Vec<Cell>> = teams
        .iter()
        .map(|t| {
            vec![
                Cell::text(&t.name),
                Cell::text(t.members.to_string()),
                Cell::text(when(Some(&t.created_at))),
            ]
        })
        .collect();
    table("teams", &head, &rows)
}

pub fn audit_html(entries: &[AuditEntry]) -> String {
    let head: Vec<String> = [
        "When (UTC)",
        "Actor",
        "Address",
        "Action",
        "Target",
        "Outcome",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows: Vec<Vec<Cell>> = entries
        .iter()
        .map(|e| {
            vec![
                Cell::text(when(Some(&e.at))),
                Cell::text(&e.actor),
                Cell::text(&e.address),
                Cell::text(&e.action),
                Cell::text(&e.target),
                Cell::text(&e.outcome),
            ]
        })
        .collect();
    table("audit", &head, &rows)
}

/// What the admin page shows, reloaded after each change.
#[derive(Clone, Copy)]
pub struct AdminData {
    pub users: RwSignal<Vec<UserInfo>>,
    pub teams: RwSignal<Vec<TeamInfo>>,
    pub audit: RwSignal<Vec<AuditEntry>>,
    /// The `before=` of the next (older) audit page.
    pub older: RwSignal<Option<i64>>,
    pub actor: RwSignal<String>,
    pub action: RwSignal<String>,
    pub feedback: Feedback,
}

/// `/admin`: users, teams and roles, and the audit log (admins only).
#[component]
pub fn AdminPage() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let data = AdminData {
        users: RwSignal::new(Vec::new()),
        teams: RwSignal::new(Vec::new()),
        audit: RwSignal::new(Vec::new()),
        older: RwSignal::new(None),
        actor: RwSignal::new(String::new()),
        action: RwSignal::new(String::new()),
        feedback: RwSignal::new(None),
    };
    Effect::new(move |_| {
        if viewer.is_admin() {
            actions::load_admin(data);
        }
    });
    view! {
        <section class="card admin-page">
            <h1>"Users, teams and the audit log"</h1>
            {move || {
                if viewer.me.with(Option::is_none) {
                    Either::Left(Either::Left(view! {
                        <p>"Sign in as an admin to manage users and teams."</p>
                        <SignInForm/>
                    }))
                } else if !viewer.is_admin() {
                    Either::Left(Either::Right(view! {
                        <p class="notice bad" role="alert">"Only admins manage users and teams and read the audit log."</p>
                    }))
                } else {
                    Either::Right(view! { <AdminSections data=data/> })
                }
            }}
        </section>
    }
}

/// The admin page's forms, written once: what is typed stays while the tables change.
fn admin_forms() -> [String; 3] {
    [
        crate::html::form(
            "member",
            "Add a user or change a role",
            &[
                Field::Input {
                    name: "member.email",
                    label: "Email",
                    kind: "email",
                    attrs: "required",
                },
                Field::Input {
                    name: "member.name",
                    label: "Name (optional)",
                    kind: "text",
                    attrs: "",
                },
                Field::Input {
                    name: "member.team",
                    label: "Team",
                    kind: "text",
                    attrs: "required",
                },
                Field::Select {
                    name: "member.role",
                    label: "Role",
                    options: &ROLES,
                    selected: "engineer",
                },
                Field::Input {
                    name: "member.password",
                    label: "Password (optional, 12 characters or more)",
                    kind: "password",
                    attrs: r#"autocomplete="new-password""#,
                },
            ],
            "Add or change",
        ),
        crate::html::form(
            "team",
            "Make a team",
            &[Field::Input {
                name: "team.name",
                label: "New team",
                kind: "text",
                attrs: "required",
            }],
            "Make team",
        ),
        crate::html::form(
            "audit",
            "Filter the audit log",
            &[
                Field::Input {
                    name: "audit.actor",
                    label: "Actor",
                    kind: "search",
                    attrs: r#"placeholder="user:ana@example.com""#,
                },
                Field::Input {
                    name: "audit.action",
                    label: "Action",
                    kind: "search",
                    attrs: r#"placeholder="sign_in""#,
                },
            ],
            "Filter",
        ),
    ]
}

#[component]
fn AdminSections(data: AdminData) -> impl IntoView {
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, id, _)) = crate::html::action_of(&ev) {
            match action.as_str() {
                "remove-member" => {
                    if let Some((email, team)) = id.split_once('\n') {
                        actions::remove_member(data, email.to_string(), team.to_string());
                    }
                }
                "remove-user" => actions::remove_user(data, id),
                "audit-older" => actions::load_audit(data, id.parse().ok()),
                _ => {}
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(sent) = crate::html::submitted(&ev) {
            match sent.name.as_str() {
                "member" => actions::put_member(data, sent),
                "team" => actions::create_team(data, sent),
                "audit" => {
                    data.actor.set(sent.get("audit.actor"));
                    data.action.set(sent.get("audit.action"));
                    actions::load_audit(data, None);
                }
                _ => {}
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let [member_form, team_form, audit_form] = admin_forms();
    view! {
        {feedback_line(data.feedback)}
        <div class="admin-sections" on:click=on_click on:submit=on_submit>
            <h2>"Users"</h2>
            <div inner_html=move || data.users.with(|u| users_html(u))></div>
            <div inner_html=member_form></div>
            <h2>"Teams"</h2>
            <div inner_html=move || data.teams.with(|t| teams_html(t))></div>
            <div inner_html=team_form></div>
            <h2>"Audit log"</h2>
            <div inner_html=audit_form></div>
            <div inner_html=move || {
                let mut html = data.audit.with(|a| if a.is_empty() {
                    r#"<p class="muted">No entries match.</p>"#.to_string()
                } else {
                    audit_html(a)
                });
                if let Some(before) = data.older.get() {
                    html.push_str(&button("audit-older", &before.to_string(), "Older entries"));
                }
                html
            }></div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod actions {
    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::{AdminData, Feedback, Viewer};
    use crate::api::{self, Failure};
    use crate::html::Submitted;
    use lakeplan_api::accounts::{TokenInfo, TokenMade};

    fn said(failure: &Failure, what: &str) -> Option<Result<String, String>> {
        Some(Err(format!("{what}: {}", failure.sentence())))
    }

    /// Asks the server who is signed in.
    pub fn refresh(viewer: Viewer) {
        spawn_local(async move {
            // Unreachable or unreadable: stay signed out, the planner still works.
            viewer.me.set(api::me().await.ok().flatten());
        });
    }

    pub fn sign_in(
        viewer: Viewer,
        email: String,
        password: String,
        error: RwSignal<Option<String>>,
    ) {
        spawn_local(async move {
            match api::sign_in(email.trim(), &password).await {
                Ok(()) => {
                    error.set(None);
                    refresh(viewer);
                }
                Err(f) => error.set(Some(format!("Not signed in: {}", f.sentence()))),
            }
        });
    }

    pub fn sign_out(viewer: Viewer) {
        // The offline copy of the price books is confidential: it goes with the session.
        crate::shelf::sync::forget();
        spawn_local(async move {
            let _ = api::sign_out().await;
            viewer.me.set(None);
        });
    }

    pub fn load_tokens(tokens: RwSignal<Vec<TokenInfo>>, feedback: Feedback) {
        spawn_local(async move {
            match api::tokens().await {
                Ok(list) => tokens.set(list.tokens),
                Err(f) => feedback.set(said(&f, "Cannot list the tokens")),
            }
        });
    }

    pub fn make_token(
        sent: Submitted,
        tokens: RwSignal<Vec<TokenInfo>>,
        made: RwSignal<Option<TokenMade>>,
        feedback: Feedback,
    ) {
        let name = sent.get("token.name");
        let days = sent.get("token.expires_in_days");
        let days = days.trim();
        let expires = if days.is_empty() {
            None
        } else {
            match days.parse::<u32>() {
                Ok(d) => Some(d),
                Err(_) => {
                    feedback.set(Some(Err(format!(
                        "Expires in days must be a whole number from 1 to 3650, got {days}"
                    ))));
                    return;
                }
            }
        };
        spawn_local(async move {
            match api::make_token(name.trim(), expires).await {
                Ok(t) => {
                    sent.reset();
                    made.set(Some(t));
                    feedback.set(None);
                    load_tokens(tokens, feedback);
                }
                Err(f) => feedback.set(said(&f, "No token made")),
            }
        });
    }

    pub fn revoke_token(
        id: String,
        tokens: RwSignal<Vec<TokenInfo>>,
        made: RwSignal<Option<TokenMade>>,
        feedback: Feedback,
    ) {
        spawn_local(async move {
            match api::revoke_token(&id).await {
                Ok(()) => {
                    // A revoked token is not worth copying: its one showing ends too.
                    if made.with_untracked(|m| m.as_ref().is_some_and(|t| t.id == id)) {
                        made.set(None);
                    }
                    feedback.set(Some(Ok("Token revoked: it no longer works.".into())));
                    load_tokens(tokens, feedback);
                }
                Err(f) => feedback.set(said(&f, "Not revoked")),
            }
        });
    }

    pub fn load_admin(data: AdminData) {
        spawn_local(async move {
            match api::users().await {
                Ok(list) => data.users.set(list.users),
                Err(f) => data.feedback.set(said(&f, "Cannot list the users")),
            }
            match api::teams().await {
                Ok(list) => data.teams.set(list.teams),
                Err(f) => data.feedback.set(said(&f, "Cannot list the teams")),
            }
        });
        load_audit(data, None);
    }

    /// The newest page of the filtered log, or the page before `before`.
    pub fn load_audit(data: AdminData, before: Option<i64>) {
        let actor = data.actor.get_untracked();
        let action = data.action.get_untracked();
        spawn_local(async move {
            match api::audit(&actor, &action, before).await {
                Ok(page) => {
                    data.older.set(page.next_before);
                    data.audit.set(page.entries);
                }
                Err(f) => data.feedback.set(said(&f, "Cannot read the audit log")),
            }
        });
    }

    pub fn put_member(data: AdminData, sent: Submitted) {
        let [email, name, team, role, password] =
            ["email", "name", "team", "role", "password"].map(|f| sent.get(&format!("member.{f}")));
        spawn_local(async move {
            match api::put_member(email.trim(), &name, team.trim(), &role, &password).await {
                Ok(()) => {
                    sent.reset();
                    data.feedback.set(Some(Ok(format!(
                        "{} is {role} in {}.",
                        email.trim(),
                        team.trim()
                    ))));
                    load_admin(data);
                }
                Err(f) => data.feedback.set(said(&f, "Not changed")),
            }
        });
    }

    pub fn remove_member(data: AdminData, email: String, team: String) {
        spawn_local(async move {
            match api::remove_member(&email, &team).await {
                Ok(()) => {
                    data.feedback
                        .set(Some(Ok(format!("{email} is no longer in {team}."))));
                    load_admin(data);
                }
                Err(f) => data.feedback.set(said(&f, "Not removed")),
            }
        });
    }

    pub fn remove_user(data: AdminData, email: String) {
        let sure = window()
            .confirm_with_message(&format!(
                "Remove {email}? Their sessions and tokens end; their scenarios stay with their teams."
            ))
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            match api::remove_user(&email).await {
                Ok(()) => {
                    data.feedback.set(Some(Ok(format!("{email} removed."))));
                    load_admin(data);
                }
                Err(f) => data.feedback.set(said(&f, "Not removed")),
            }
        });
    }

    pub fn create_team(data: AdminData, sent: Submitted) {
        let team = sent.get("team.name");
        spawn_local(async move {
            match api::create_team(team.trim()).await {
                Ok(()) => {
                    sent.reset();
                    data.feedback
                        .set(Some(Ok(format!("Team {} made.", team.trim()))));
                    load_admin(data);
                }
                Err(f) => data.feedback.set(said(&f, "No team made")),
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod actions {
    use leptos::prelude::*;

    use super::{AdminData, Feedback, Viewer};
    use lakeplan_api::accounts::TokenInfo;

    pub fn sign_out(_: Viewer) {}
    pub fn load_tokens(_: RwSignal<Vec<TokenInfo>>, _: Feedback) {}
    pub fn load_admin(_: AdminData) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use lakeplan_api::accounts::TeamRole;

    #[test]
    fn tables_escape_user_text_and_offer_actions_by_id() {
        let users = vec![UserInfo {
            id: "u".into(),
            email: "ana@example.com".into(),
            name: "<b>Ana</b>".into(),
            teams: vec![TeamRole {
                team: "emea".into(),
                role: "engineer".into(),
            }],
            created_at: "2026-11-24T23:10:05.000Z".into(),
            has_password: true,
        }];
        let html = users_html(&users);
        assert!(html.contains("&lt;b&gt;Ana"), "{html}");
        assert!(
            html.contains(
                r#"data-action="remove-member" data-id="ana@example.com
emea""#
            ),
            "{html}"
        );
        assert!(html.contains("emea (engineer)"), "{html}");
        let tokens = vec![
            TokenInfo {
                id: "t1".into(),
                name: "ci".into(),
                created_at: "2026-11-24T23:10:05.000Z".into(),
                expires_at: None,
                revoked_at: None,
            },
            TokenInfo {
                id: "t2".into(),
                name: "old".into(),
                created_at: "2026-11-24T23:10:05.000Z".into(),
                expires_at: Some("2026-12-24T23:10:05.000Z".into()),
                revoked_at: Some("2026-11-25T00:00:00.000Z".into()),
            },
        ];
        let html = tokens_html(&tokens);
        assert!(
            html.contains(r#"data-action="revoke" data-id="t1""#),
            "{html}"
        );
        assert!(!html.contains(r#"data-id="t2""#), "{html}");
        assert!(html.contains("2026-12-24 23:10"), "{html}");
        assert_eq!(rank("admin"), 3);
        assert_eq!(rank("nonsense"), 0);
    }
}

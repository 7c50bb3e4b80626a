//! `/books`: the pricing team's price books and hardware catalogs (spec: PRICE-BOOKS.md).
//! The books (or catalogs) they may see with their status; upload a CSV file as a draft (a
//! refused file's problems listed against the lines of that file); the diff against the
//! one in force; the impact of a book on every saved proposal, largest difference first;
//! publish and retire. A switch at the top picks books or catalogs; the rest is the same.
//!
//! Tables and forms are HTML text (`html`), like the account pages, and one click and one
//! submit handler read them.

use lakeplan_api::books::{BookDiff, BookSummary, Impact};
use lakeplan_api::paths::Sheet;
use lakeplan_models::display::usd_whole;
use lakeplan_models::price_book::Problem;
use leptos::either::Either;
use leptos::prelude::*;

use crate::account::{feedback_line, Feedback, SignInForm, Viewer};
use crate::html::{button, escape, table, Cell, Field};

/// What the page shows besides its forms.
#[derive(Clone, Copy)]
pub struct BooksData {
    /// Books or catalogs.
    pub sheet: RwSignal<Sheet>,
    pub books: RwSignal<Vec<BookSummary>>,
    pub newest: RwSignal<String>,
    /// The last refused upload: its problems and the file's text, to show each against its
    /// line.
    pub problems: RwSignal<Option<(Vec<Problem>, String)>>,
    pub diff: RwSignal<Option<BookDiff>>,
    pub impact: RwSignal<Option<Impact>>,
    pub feedback: Feedback,
}

/// `/books` (pricing and admin).
#[component]
pub fn BooksPage() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let data = BooksData {
        sheet: RwSignal::new(Sheet::PriceBook),
        books: RwSignal::new(Vec::new()),
        newest: RwSignal::new(String::new()),
        problems: RwSignal::new(None),
        diff: RwSignal::new(None),
        impact: RwSignal::new(None),
        feedback: RwSignal::new(None),
    };
    Effect::new(move |_| {
        if viewer.may_price() {
            #[cfg(feature = "hydrate")]
            actions::load(data);
        }
    });
    view! {
        <section class="card books-page">
            <h1>"Price books and catalogs"</h1>
            {move || {
                if viewer.me.with(Option::is_none) {
                    Either::Left(Either::Left(view! {
                        <p>"Sign in as a member of the pricing team to manage price books."</p>
                        <SignInForm/>
                    }))
                } else if !viewer.may_price() {
                    Either::Left(Either::Right(view! {
                        <p class="notice bad" role="alert">"Only the pricing team and admins manage price books."</p>
                    }))
                } else {
                    Either::Right(view! { <BooksSections data=data/> })
                }
            }}
        </section>
    }
}

fn upload_form(sheet: Sheet) -> String {
    let (title, file) = match sheet {
        Sheet::PriceBook => (
            "Upload a price book",
            "CSV file (the format of data/price-books/)",
        ),
        Sheet::Catalog => (
            "Upload a hardware catalog",
            "CSV file (the format of data/catalog/hardware.csv)",
        ),
    };
    crate::html::form(
        "book",
        title,
        &[
            Field::Input {
                name: "book.file",
                label: file,
                kind: "file",
                attrs: r#"accept=".csv,text/csv" required"#,
            },
            Field::Input {
                name: "book.name",
                label: "Name",
                kind: "text",
                attrs: r#"required maxlength="80""#,
            },
            Field::Input {
                name: "book.effective_from",
                label: "Takes effect on",
                kind: "date",
                attrs: "required",
            },
            Field::Input {
                name: "book.note",
                label: "Note (optional)",
                kind: "text",
                attrs: r#"maxlength="2000""#,
            },
        ],
        "Upload as draft",
    )
}

#[component]
fn BooksSections(data: BooksData) -> impl IntoView {
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, id, _)) = crate::html::action_of(&ev) {
            match action.as_str() {
                "sheet" => {
                    data.sheet.set(if id == "catalogs" {
                        Sheet::Catalog
                    } else {
                        Sheet::PriceBook
                    });
                    data.problems.set(None);
                    data.diff.set(None);
                    data.impact.set(None);
                    data.feedback.set(None);
                    actions::load(data);
                }
                "book-publish" => actions::advance(data, id, true),
                "book-retire" => actions::advance(data, id, false),
                "book-diff" => actions::diff(data, id),
                "book-impact" => actions::impact(data, id),
                _ => {}
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(sent) = crate::html::submitted(&ev) {
            if sent.name == "book" {
                actions::upload(data, sent);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        {feedback_line(data.feedback)}
        <div class="books-sections" on:click=on_click on:submit=on_submit>
            <div inner_html=move || switch_html(data.sheet.get())></div>
            <h2>{move || match data.sheet.get() { Sheet::PriceBook => "Books", Sheet::Catalog => "Catalogs" }}</h2>
            <div inner_html=move || data.books.with(|b| books_html(data.sheet.get(), b, &data.newest.get()))></div>
            <h2>"Upload"</h2>
            <p class="muted">"The whole file is checked: every problem is listed against its line, and nothing is stored until there are none. A new upload is a draft: only the pricing team and admins see it until it is published."</p>
            <div inner_html=move || upload_form(data.sheet.get())></div>
            <div inner_html=move || data.problems.with(|p| p.as_ref().map(|(list, text)| problems_html(list, text)).unwrap_or_default())></div>
            <div inner_html=move || data.diff.with(|d| d.as_ref().map(diff_html).unwrap_or_default())></div>
            <div inner_html=move || data.impact.with(|i| i.as_ref().map(impact_html).unwrap_or_default())></div>
        </div>
    }
}

fn head(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

/// The switch between books and catalogs: two buttons, the current one pressed.
fn switch_html(sheet: Sheet) -> String {
    let one = |id: &str, label: &str, on: bool| {
        format!(
            r#"<button type="button" class="button" data-action="sheet" data-id="{id}" aria-pressed="{on}">{label}</button>"#
        )
    };
    format!(
        r#"<div class="actions" role="group" aria-label="Show">{}{}</div>"#,
        one("books", "Price books", sheet == Sheet::PriceBook),
        one("catalogs", "Hardware catalogs", sheet == Sheet::Catalog)
    )
}

/// The books (or catalogs), each with what may be done with it.
pub fn books_html(sheet: Sheet, books: &[BookSummary], newest: &str) -> String {
    let rows: Vec<Vec<Cell>> = books
        .iter()
        .map(|b| {
            let mut actions = String::new();
            if b.id != newest {
                actions.push_str(&button("book-diff", &b.id, &format!("Diff with {newest}")));
            }
            if sheet == Sheet::PriceBook {
                actions.push_str(&button("book-impact", &b.id, "Impact"));
            }
            match b.status.as_str() {
                "draft" => actions.push_str(&button("book-publish", &b.id, "Publish")),
                "published" if !b.built_in => {
                    actions.push_str(&button("book-retire", &b.id, "Retire"))
                }
                _ => {}
            }
            actions.push_str(&format!(
                r#"<a class="button" href="{}" download>CSV</a>"#,
                escape(&sheet.csv(&b.id))
            ));
            let status = if b.id == newest {
                format!("{} (in force)", b.status)
            } else {
                b.status.clone()
            };
            vec![
                Cell::text(&b.id),
                Cell::text(&b.name),
                Cell::text(&b.effective_from),
                Cell::text(status),
                Cell::text(b.rows.to_string()),
                Cell::text(&b.made_by),
                Cell::Markup(actions),
            ]
        })
        .collect();
    table(
        "books",
        &head(&[
            "Id",
            "Name",
            "Takes effect",
            "Status",
            "Rows",
            "Made by",
            "",
        ]),
        &rows,
    )
}

/// A refused upload's problems, each beside the line of the file it is about.
pub fn problems_html(problems: &[Problem], text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let rows: Vec<Vec<Cell>> = problems
        .iter()
        .map(|p| {
            let line = p.line.map_or("—".to_string(), |l| l.to_string());
            let yours = p
                .line
                .and_then(|l| lines.get(l.saturating_sub(1) as usize))
                .map(|l| l.chars().take(100).collect::<String>())
                .unwrap_or_default();
            vec![
                Cell::text(line),
                Cell::text(&p.column),
                Cell::text(&p.value),
                Cell::text(&p.message),
                Cell::Markup(format!("<code>{}</code>", escape(&yours))),
            ]
        })
        .collect();
    format!(
        r#"<h2>Not stored: {} problem(s) in the file</h2>{}"#,
        problems.len(),
        table(
            "book-problems",
            &head(&["Line", "Column", "Value", "Problem", "Your line"]),
            &rows
        )
    )
}

/// What differs between two books.
pub fn diff_html(d: &BookDiff) -> String {
    let mut rows: Vec<Vec<Cell>> = d
        .changed
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.id),
                Cell::text("changed"),
                Cell::text(&c.column),
                Cell::text(&c.from),
                Cell::text(&c.to),
            ]
        })
        .collect();
    let row_id = |r: &lakeplan_api::books::BookRow| r.get("id").cloned().unwrap_or_default();
    // A book row's price, a catalog row's model.
    let gist = |r: &lakeplan_api::books::BookRow| {
        r.get("value")
            .or_else(|| r.get("model"))
            .cloned()
            .unwrap_or_default()
    };
    for r in &d.added {
        rows.push(vec![
            Cell::text(row_id(r)),
            Cell::text("added"),
            Cell::text(""),
            Cell::text(""),
            Cell::text(gist(r)),
        ]);
    }
    for r in &d.removed {
        rows.push(vec![
            Cell::text(row_id(r)),
            Cell::text("removed"),
            Cell::text(""),
            Cell::text(gist(r)),
            Cell::text(""),
        ]);
    }
    let body = if rows.is_empty() {
        r#"<p class="muted">The two are the same.</p>"#.to_string()
    } else {
        table(
            "book-diff",
            &head(&["Row", "Change", "Column", "From", "To"]),
            &rows,
        )
    };
    format!(
        "<h2>From {} to {}</h2>{body}",
        escape(&d.from),
        escape(&d.to)
    )
}

/// The book's effect on every saved proposal, largest first.
pub fn impact_html(i: &Impact) -> String {
    let money = |v: Option<f64>| v.map_or("—".to_string(), usd_whole);
    let rows: Vec<Vec<Cell>> = i
        .scenarios
        .iter()
        .map(|r| {
            let moved = match &r.error {
                Some(e) => e.clone(),
                None => r
                    .moved
                    .iter()
                    .map(|m| m.line.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            vec![
                Cell::text(&r.name),
                Cell::text(&r.team),
                Cell::text(&r.price_book),
                Cell::text(money(r.old_total_usd)),
                Cell::text(money(r.new_total_usd)),
                Cell::text(crate::show::delta_text(r.difference_usd, "USD")),
                Cell::text(
                    r.difference_percent
                        .map_or("—".to_string(), |p| format!("{p:+.2} %")),
                ),
                Cell::text(moved),
            ]
        })
        .collect();
    let body = if rows.is_empty() {
        r#"<p class="muted">No saved scenarios yet.</p>"#.to_string()
    } else {
        table(
            "impact",
            &head(&[
                "Scenario",
                "Team",
                "Its book",
                "Total now",
                "With this book",
                "Difference",
                "%",
                "Lines that move",
            ]),
            &rows,
        )
    };
    format!(
        "<h2>Impact of {} on {} saved scenario(s)</h2>{body}",
        escape(&i.book),
        i.scenarios.len()
    )
}

#[cfg(feature = "hydrate")]
mod actions {
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::BooksData;
    use crate::api::{self, Failure};
    use crate::html::Submitted;
    use lakeplan_api::ErrorCode;

    fn said(data: BooksData, what: &str, failure: &Failure) {
        data.feedback
            .set(Some(Err(format!("{what}: {}", failure.sentence()))));
    }

    pub fn load(data: BooksData) {
        let sheet = data.sheet.get_untracked();
        spawn_local(async move {
            let answer = api::sheets(sheet).await;
            // A switch made while this was on its way wins.
            if data.sheet.get_untracked() != sheet {
                return;
            }
            match answer {
                Ok(list) => {
                    data.newest.set(list.newest);
                    data.books.set(list.books);
                }
                Err(f) => said(data, "The list could not be read", &f),
            }
        });
    }

    pub fn upload(data: BooksData, sent: Submitted) {
        let file: Option<web_sys::File> = sent.value("book.file").dyn_into().ok();
        let (name, day, note) = (
            sent.get("book.name"),
            sent.get("book.effective_from"),
            sent.get("book.note"),
        );
        spawn_local(async move {
            let Some(file) = file else {
                data.feedback
                    .set(Some(Err("Choose a CSV file to upload.".into())));
                return;
            };
            let text = match JsFuture::from(file.text()).await {
                Ok(t) => t.as_string().unwrap_or_default(),
                Err(_) => {
                    data.feedback
                        .set(Some(Err("The file could not be read.".into())));
                    return;
                }
            };
            let sheet = data.sheet.get_untracked();
            match api::upload_sheet(sheet, &name, &day, &note, &text).await {
                Ok(made) => {
                    sent.reset();
                    data.problems.set(None);
                    data.feedback.set(Some(Ok(format!(
                        "Stored as draft {} ({} rows). Check its diff and impact, then publish it.",
                        made.id, made.rows
                    ))));
                    load(data);
                }
                Err(Failure::Refused(e)) if e.error == ErrorCode::InvalidBook => {
                    data.feedback.set(Some(Err(e.message.clone())));
                    data.problems.set(Some((e.errors, text)));
                }
                Err(f) => said(data, "Not stored", &f),
            }
        });
    }

    pub fn advance(data: BooksData, id: String, publish: bool) {
        spawn_local(async move {
            let sheet = data.sheet.get_untracked();
            let done = if publish {
                api::publish_sheet(sheet, &id).await
            } else {
                api::retire_sheet(sheet, &id).await
            };
            match done {
                Ok(b) => {
                    data.feedback
                        .set(Some(Ok(format!("{} is {}.", b.id, b.status))));
                    load(data);
                }
                Err(f) => said(data, "Not changed", &f),
            }
        });
    }

    pub fn diff(data: BooksData, id: String) {
        let from = data.newest.get_untracked();
        spawn_local(async move {
            match api::sheet_diff(data.sheet.get_untracked(), &from, &id).await {
                Ok(d) => data.diff.set(Some(d)),
                Err(f) => said(data, "No diff", &f),
            }
        });
    }

    pub fn impact(data: BooksData, id: String) {
        spawn_local(async move {
            match api::book_impact(&id).await {
                Ok(i) => data.impact.set(Some(i)),
                Err(f) => said(data, "No impact", &f),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_shown_beside_its_line_and_text_is_escaped() {
        let p = Problem {
            line: Some(2),
            column: "value".into(),
            value: "<b>".into(),
            message: "row a.b: must be a number".into(),
        };
        let html = problems_html(&[p], "id,value\na.b,<b>\n");
        assert!(html.contains("1 problem(s)"));
        assert!(html.contains("<code>a.b,&lt;b&gt;</code>"), "{html}");
        assert!(!html.contains("<b>"));
    }
}

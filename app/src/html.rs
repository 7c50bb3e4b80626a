//! Tables written as HTML text, for the pages' long read-only tables (comparisons, lists,
//! what-if figures).
//!
//! Why not `view!`: every distinct view shape instantiates its own render, hydrate and
//! rebuild code in the browser bundle, and the saved-scenario lists and the comparison
//! alone added 190 KB of wasm that way. A table that is replaced as a whole when its data
//! changes gains nothing from fine-grained updates, so it is built here as text and set
//! with `inner_html`, one code path for all of them. Buttons inside carry `data-action`
//! and `data-id`, and one click handler on the container reads them ([`action_of`]).
//! The account pages' forms are text too ([`form`]): the browser keeps what is typed, and
//! one submit handler reads the fields by name when the form is sent ([`submitted`]).

use std::fmt::Write as _;

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One cell: text (escaped when written) or markup made by this module.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Right-aligned figure with its raw value for scripts (`data-metric`, `data-value`).
    Figure {
        text: String,
        metric: String,
        raw: String,
        note: Option<String>,
    },
    /// Markup already built (buttons): never user text.
    Markup(String),
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell::Text(t.into())
    }
}

/// A `<button>` the container's click handler recognises.
pub fn button(action: &str, id: &str, label: &str) -> String {
    format!(
        r#"<button type="button" class="button" data-action="{}" data-id="{}">{}</button>"#,
        escape(action),
        escape(id),
        escape(label)
    )
}

/// A checkbox the container's click handler recognises, labelled for screen readers.
pub fn checkbox(action: &str, id: &str, label: &str, checked: bool) -> String {
    format!(
        r#"<input type="checkbox" data-action="{}" data-id="{}" aria-label="{}"{}>"#,
        escape(action),
        escape(id),
        escape(label),
        if checked { " checked" } else { "" }
    )
}

/// One field of a form written as text.
pub enum Field<'a> {
    /// `<input>` of `kind` (`text`, `email`, `password`, `number`, `search`); `attrs` is
    /// markup from the program (`required min="1"`), never user text.
    Input {
        name: &'a str,
        label: &'a str,
        kind: &'a str,
        attrs: &'a str,
    },
    /// `<select>` of `options`, `selected` chosen.
    Select {
        name: &'a str,
        label: &'a str,
        options: &'a [&'a str],
        selected: &'a str,
    },
}

/// A form named `name` (its `data-form`, which [`submitted`] reports), labelled `label`
/// for assistive technology, with its fields and a submit button.
pub fn form(name: &str, label: &str, fields: &[Field<'_>], submit: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<form class="panel" data-form="{}" aria-label="{}">"#,
        escape(name),
        escape(label)
    );
    for field in fields {
        match field {
            Field::Input {
                name,
                label,
                kind,
                attrs,
            } => {
                let _ = write!(
                    out,
                    r#"<label><span>{}</span><input type="{}" name="{}" {attrs}></label>"#,
                    escape(label),
                    escape(kind),
                    escape(name)
                );
            }
            Field::Select {
                name,
                label,
                options,
                selected,
            } => {
                let _ = write!(
                    out,
                    r#"<label><span>{}</span><select name="{}">"#,
                    escape(label),
                    escape(name)
                );
                for o in *options {
                    let _ = write!(
                        out,
                        r#"<option value="{o}"{}>{o}</option>"#,
                        if o == selected { " selected" } else { "" },
                        o = escape(o)
                    );
                }
                out.push_str("</select></label>");
            }
        }
    }
    let _ = write!(
        out,
        r#"<button type="submit" class="button primary">{}</button></form>"#,
        escape(submit)
    );
    out
}

/// A form [`form`] wrote, as it was sent.
#[cfg(feature = "hydrate")]
pub struct Submitted {
    /// Its `data-form`.
    pub name: String,
    form: web_sys::HtmlFormElement,
    data: web_sys::FormData,
}

#[cfg(feature = "hydrate")]
impl Submitted {
    /// The value of the field `name` (empty when there is none).
    pub fn get(&self, name: &str) -> String {
        self.data.get(name).as_string().unwrap_or_default()
    }

    /// The raw value of the field `name`: a `File` for a file input.
    pub fn value(&self, name: &str) -> wasm_bindgen::JsValue {
        self.data.get(name)
    }

    /// Empties the form (after it did what it was sent for).
    pub fn reset(&self) {
        self.form.reset();
    }
}

/// The form a submit event came from, with its fields; the browser's own submission (a
/// page load) is prevented.
#[cfg(feature = "hydrate")]
pub fn submitted(ev: &leptos::ev::SubmitEvent) -> Option<Submitted> {
    use wasm_bindgen::JsCast;
    ev.prevent_default();
    let form: web_sys::HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    Some(Submitted {
        name: form.get_attribute("data-form")?,
        form,
        data,
    })
}

/// A table: the header row (the first column heads the row labels), then rows whose first
/// cell is the row's heading. `class` names the table for CSS and tests.
pub fn table(class: &str, head: &[String], rows: &[Vec<Cell>]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<div class="table-scroll" tabindex="0" role="region" aria-label="{}"><table class="{}"><thead><tr>"#,
        escape(&region_label(class)),
        escape(class)
    );
    for (i, h) in head.iter().enumerate() {
        let class = if i > 0 && numeric_column(rows, i) {
            r#" class="num""#
        } else {
            ""
        };
        if h.is_empty() {
            // A column of buttons: named for screen readers, blank on screen.
            let _ = write!(
                out,
                r#"<th scope="col"{class}><span class="visually-hidden">Actions</span></th>"#
            );
        } else {
            let _ = write!(out, r#"<th scope="col"{class}>{}</th>"#, escape(h));
        }
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let (open, close) = if i == 0 {
                (r#"<th scope="row""#, "</th>")
            } else {
                ("<td", "</td>")
            };
            match cell {
                Cell::Text(t) => {
                    let _ = write!(out, "{open}>{}{close}", escape(t));
                }
                Cell::Figure {
                    text,
                    metric,
                    raw,
                    note,
                } => {
                    let _ = write!(
                        out,
                        r#"{open} class="num" data-metric="{}" data-value="{}">{}"#,
                        escape(metric),
                        escape(raw),
                        escape(text)
                    );
                    if let Some(n) = note {
                        let _ = write!(out, r#"<span class="delta">{}</span>"#, escape(n));
                    }
                    out.push_str(close);
                }
                Cell::Markup(m) => {
                    let _ = write!(out, "{open}>{m}{close}");
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// What a scrolling table is called to keyboard and screen-reader users (it takes the
/// focus so that it can be scrolled without a mouse): its last, most specific class, in words.
fn region_label(class: &str) -> String {
    let name = class
        .split_whitespace()
        .last()
        .unwrap_or("table")
        .replace(['-', '_'], " ");
    format!("{name} table")
}

/// A column is numeric when every row's cell in it is a figure.
fn numeric_column(rows: &[Vec<Cell>], col: usize) -> bool {
    !rows.is_empty()
        && rows
            .iter()
            .all(|r| matches!(r.get(col), Some(Cell::Figure { .. })))
}

/// The `(data-action, data-id)` of the button or checkbox a click landed on, if any.
#[cfg(feature = "hydrate")]
pub fn action_of(ev: &leptos::ev::MouseEvent) -> Option<(String, String, bool)> {
    use wasm_bindgen::JsCast;
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let el = target.closest("[data-action]").ok()??;
    let checked = el
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked());
    Some((
        el.get_attribute("data-action")?,
        el.get_attribute("data-id").unwrap_or_default(),
        checked,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(
            escape(r#"<b>"Tom's" & co</b>"#),
            "&lt;b&gt;&quot;Tom&#39;s&quot; &amp; co&lt;/b&gt;"
        );
        let t = table(
            "t",
            &["Name".into(), "PB".into()],
            &[vec![
                Cell::text("<script>"),
                Cell::Figure {
                    text: "450".into(),
                    metric: "lake_pb".into(),
                    raw: "450".into(),
                    note: Some("+1".into()),
                },
            ]],
        );
        assert!(t.contains(r#"<th scope="row">&lt;script&gt;</th>"#), "{t}");
        assert!(t.contains(r#"<th scope="col" class="num">PB</th>"#), "{t}");
        assert!(
            t.contains(r#"<td class="num" data-metric="lake_pb" data-value="450">450<span class="delta">+1</span></td>"#),
            "{t}"
        );
    }

    #[test]
    fn forms_name_their_fields_and_escape_labels() {
        let f = form(
            "member",
            "Add <a> user",
            &[
                Field::Input {
                    name: "member.email",
                    label: "Email",
                    kind: "email",
                    attrs: "required",
                },
                Field::Select {
                    name: "member.role",
                    label: "Role",
                    options: &["viewer", "engineer"],
                    selected: "engineer",
                },
            ],
            "Add",
        );
        assert!(
            f.starts_with(
                r#"<form class="panel" data-form="member" aria-label="Add &lt;a&gt; user">"#
            ),
            "{f}"
        );
        assert!(
            f.contains(r#"<input type="email" name="member.email" required>"#),
            "{f}"
        );
        assert!(
            f.contains(r#"<option value="engineer" selected>engineer</option>"#),
            "{f}"
        );
        assert!(
            f.ends_with(r#"<button type="submit" class="button primary">Add</button></form>"#),
            "{f}"
        );
    }

    #[test]
    fn buttons_carry_their_action_and_escaped_id() {
        assert_eq!(
            button("open", "a\"b", "Open"),
            r#"<button type="button" class="button" data-action="open" data-id="a&quot;b">Open</button>"#
        );
        assert!(checkbox("pick", "x", "Compare A", true).ends_with(" checked>"));
    }
}

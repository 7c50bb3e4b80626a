//! Tables: columns sized to their content, figures right-aligned, text wrapped inside its
//! cell, and rows that continue on the next page under a repeated header.
//!
//! Figure columns are as wide as their widest cell, so their digits line up on the right
//! edge (Liberation's digits are all one width) and never wrap; text columns share what is
//! left and wrap. A row never splits across pages: each starts where it fits whole, and a
//! page that a table continues on starts with the header again.

use crate::layout::{Align, Flow, Item};
use crate::style::TextStyle;
use crate::style::{BORDER, CELL, CELL_BOLD, CELL_MONO, CELL_NOTE, HEADER, TEXT, TINT};

/// Space between a cell's text and its edges, points.
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;
/// Lines a cell may take before the rest is shortened with an ellipsis, so one long text
/// can never make a row taller than a page.
const MAX_LINES: usize = 8;

/// The most of a table's width a text column claims for its longest word.
const LONG_WORD_SHARE: f32 = 0.2;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Width {
    /// As wide as the widest cell: figures.
    Fit,
    /// A share of what the `Fit` columns leave: text.
    Share(f32),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub align: Align,
    pub width: Width,
}

impl Column {
    pub fn text(header: &str, share: f32) -> Column {
        Column {
            header: header.to_string(),
            align: Align::Left,
            width: Width::Share(share),
        }
    }

    pub fn figure(header: &str) -> Column {
        Column {
            header: header.to_string(),
            align: Align::Right,
            width: Width::Fit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub style: TextStyle,
    /// A second, smaller text under the first (a row's description, a warning).
    pub note: Option<String>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: CELL,
            note: None,
        }
    }

    pub fn bold(text: impl Into<String>) -> Cell {
        Cell {
            style: CELL_BOLD,
            ..Cell::new(text)
        }
    }

    pub fn mono(text: impl Into<String>) -> Cell {
        Cell {
            style: CELL_MONO,
            ..Cell::new(text)
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Cell {
        let note = note.into();
        self.note = (!note.is_empty()).then_some(note);
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A total: a rule above it, set in bold by its cells.
    pub total: bool,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            total: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// One row, fitted to the column widths.
struct Fitted {
    cells: Vec<(Vec<String>, Vec<String>)>,
    height: f32,
}

/// The narrowest width that sets `header` on at most two lines.
fn two_line_width(flow: &Flow, header: &str) -> f32 {
    let fonts = flow.fonts;
    let measure = |s: &str| fonts.width(HEADER.face, HEADER.size, s);
    let words: Vec<&str> = header.split(' ').filter(|w| !w.is_empty()).collect();
    (1..words.len())
        .map(|k| measure(&words[..k].join(" ")).max(measure(&words[k..].join(" "))))
        .fold(measure(header), f32::min)
}

/// Each column's width, summing to `width`.
///
/// A figure column gets its widest cell, or its header on two lines if that is wider; a
/// text column at least its longest word. The text columns then share the slack by
/// their weights, each up to its longest unwrapped text (a column of short labels does
/// not stretch across the page), and what they cannot use spreads evenly over the figure
/// columns as space between them. When even the minimums are too wide, every column
/// shrinks in proportion and the text wraps mid-word.
pub fn column_widths(flow: &Flow, table: &Table, width: f32) -> Vec<f32> {
    let fonts = flow.fonts;
    let longest_word = |text: &str, style: &TextStyle| {
        text.split(' ')
            .map(|w| fonts.width(style.face, style.size, w))
            .fold(0.0, f32::max)
    };
    let cells = |i: usize| table.rows.iter().filter_map(move |r| r.cells.get(i));
    let full = |c: &Cell| {
        let note = c
            .note
            .as_ref()
            .map_or(0.0, |n| fonts.width(CELL_NOTE.face, CELL_NOTE.size, n));
        fonts.width(c.style.face, c.style.size, &c.text).max(note)
    };
    let needed: Vec<f32> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let content = match col.width {
                Width::Fit => cells(i)
                    .map(|c| fonts.width(c.style.face, c.style.size, &c.text))
                    .fold(two_line_width(flow, &col.header), f32::max),
                // A very long word (a URL, a row id) breaks at its dots and slashes
                // rather than taking the table.
                Width::Share(_) => cells(i)
                    .map(|c| longest_word(&c.text, &c.style))
                    .fold(longest_word(&col.header, &HEADER), f32::max)
                    .min(width * LONG_WORD_SHARE),
            };
            content + 2.0 * PAD_X
        })
        .collect();
    let total_needed: f32 = needed.iter().sum();
    if total_needed > width {
        return needed.iter().map(|n| n * width / total_needed).collect();
    }
    // The most a text column can use: its longest cell (or note) on one line.
    let most: Vec<f32> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            cells(i)
                .map(full)
                .fold(fonts.width(HEADER.face, HEADER.size, &col.header), f32::max)
                + 2.0 * PAD_X
        })
        .collect();
    let mut widths = needed.clone();
    let mut open: Vec<usize> = (0..table.columns.len())
        .filter(|&i| matches!(table.columns[i].width, Width::Share(_)))
        .collect();
    let weight = |i: usize| match table.columns[i].width {
        Width::Share(s) => s.max(1e-3),
        Width::Fit => 0.0,
    };
    // Water-filling: share the room among the open text columns by weight; a column
    // whose share is below its minimum or above its maximum is pinned there and the
    // rest is shared again.
    while !open.is_empty() {
        let pinned: f32 = (0..widths.len())
            .filter(|i| !open.contains(i))
            .map(|i| widths[i])
            .sum();
        let room = width - pinned;
        let weights: f32 = open.iter().map(|&i| weight(i)).sum();
        let share = |i: usize| room * weight(i) / weights;
        if let Some(&i) = open.iter().find(|&&i| share(i) < needed[i]) {
            widths[i] = needed[i];
            open.retain(|&j| j != i);
            continue;
        }
        if let Some(&i) = open.iter().find(|&&i| share(i) > most[i].max(needed[i])) {
            widths[i] = most[i].max(needed[i]);
            open.retain(|&j| j != i);
            continue;
        }
        for &i in &open {
            widths[i] = share(i);
        }
        return widths;
    }
    // Every text column is pinned (or there is none): the slack goes to the figure
    // columns, or to the first column of a table without any.
    let slack = width - widths.iter().sum::<f32>();
    let figures: Vec<usize> = (0..widths.len())
        .filter(|&i| table.columns[i].width == Width::Fit)
        .collect();
    if figures.is_empty() {
        if let Some(first) = widths.first_mut() {
            *first += slack;
        }
    } else {
        for &i in &figures {
            widths[i] += slack / figures.len() as f32;
        }
    }
    widths
}

fn fit_row(flow: &Flow, table: &Table, row: &Row, widths: &[f32]) -> Fitted {
    let cells: Vec<(Vec<String>, Vec<String>)> = table
        .columns
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (col, w))| {
            let Some(cell) = row.cells.get(i) else {
                return (vec![String::new()], Vec::new());
            };
            let inner = (w - 2.0 * PAD_X).max(1.0);
            let lines = match col.align {
                // Figures stay on one line; `line_at` shortens one that cannot fit.
                Align::Right => vec![cell.text.clone()],
                Align::Left => cap(flow.wrap(&cell.text, &cell.style, inner)),
            };
            let notes = cell
                .note
                .as_ref()
                .map(|n| cap(flow.wrap(n, &CELL_NOTE, inner)))
                .unwrap_or_default();
            (lines, notes)
        })
        .collect();
    let height = row
        .cells
        .iter()
        .zip(&cells)
        .map(|(cell, (lines, notes))| {
            lines.len() as f32 * cell.style.leading + notes.len() as f32 * CELL_NOTE.leading
        })
        .fold(0.0, f32::max)
        + 2.0 * PAD_Y;
    Fitted { cells, height }
}

/// At most [`MAX_LINES`]; the last one kept carries an ellipsis when lines were dropped.
fn cap(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// The header row: wrapped header texts on a tinted band.
fn draw_header(flow: &mut Flow, table: &Table, x: f32, widths: &[f32]) {
    let lines = header_lines(flow, table, widths);
    let height = header_height(&lines);
    let top = flow.y;
    let total: f32 = widths.iter().sum();
    flow.push(Item::Rect {
        x,
        y: top,
        w: total,
        h: height,
        fill: Some(TINT),
        stroke: None,
    });
    let mut cx = x;
    for ((col, w), col_lines) in table.columns.iter().zip(widths).zip(&lines) {
        // Header texts sit on the band's bottom, so one-line headers align with the last
        // line of a wrapped neighbour.
        let first = top + height - PAD_Y - col_lines.len() as f32 * HEADER.leading;
        for (k, line) in col_lines.iter().enumerate() {
            let y = first + k as f32 * HEADER.leading + HEADER.ascent();
            flow.line_at(line, &HEADER, cx + PAD_X, y, w - 2.0 * PAD_X, col.align);
        }
        cx += w;
    }
    flow.y = top + height;
    flow.rule(x, total, TEXT, 0.6);
}

fn header_height(lines: &[Vec<String>]) -> f32 {
    lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * HEADER.leading + 2.0 * PAD_Y
}

fn header_lines(flow: &Flow, table: &Table, widths: &[f32]) -> Vec<Vec<String>> {
    table
        .columns
        .iter()
        .zip(widths)
        .map(|(c, w)| flow.wrap(&c.header, &HEADER, (w - 2.0 * PAD_X).max(1.0)))
        .collect()
}

/// The height `table` takes laid out whole, `width` wide: to keep a short table on one
/// page with its heading.
pub fn height(flow: &Flow, table: &Table, width: f32) -> f32 {
    let widths = column_widths(flow, table, width);
    header_height(&header_lines(flow, table, &widths))
        + table
            .rows
            .iter()
            .map(|r| fit_row(flow, table, r, &widths).height)
            .sum::<f32>()
}

/// Lays `table` out at the cursor, `width` wide from `x`, across as many pages as it
/// takes.
pub fn draw(flow: &mut Flow, table: &Table, x: f32, width: f32) {
    let widths = column_widths(flow, table, width);
    let header_h = header_height(&header_lines(flow, table, &widths));
    let fitted: Vec<Fitted> = table
        .rows
        .iter()
        .map(|r| fit_row(flow, table, r, &widths))
        .collect();
    // The header never ends a page alone: it goes with the first row.
    flow.keep(header_h + fitted.first().map_or(0.0, |f| f.height));
    draw_header(flow, table, x, &widths);
    for (row, fit) in table.rows.iter().zip(&fitted) {
        if fit.height > flow.room() {
            flow.new_page();
            draw_header(flow, table, x, &widths);
        }
        let top = flow.y;
        if row.total {
            flow.rule(x, width, TEXT, 0.6);
        }
        let mut cx = x;
        for (((col, w), cell), (lines, notes)) in table
            .columns
            .iter()
            .zip(&widths)
            .zip(&row.cells)
            .zip(&fit.cells)
        {
            let inner = w - 2.0 * PAD_X;
            let mut y = top + PAD_Y;
            for line in lines {
                let base = y + cell.style.ascent();
                flow.line_at(line, &cell.style, cx + PAD_X, base, inner, col.align);
                y += cell.style.leading;
            }
            for line in notes {
                let base = y + CELL_NOTE.ascent();
                flow.line_at(line, &CELL_NOTE, cx + PAD_X, base, inner, col.align);
                y += CELL_NOTE.leading;
            }
            cx += w;
        }
        flow.y = top + fit.height;
        flow.rule(x, width, BORDER, 0.5);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fonts::Fonts;
    use crate::layout::tests::{assert_inside_margins, texts};
    use crate::layout::Geometry;
    use lakeplan_models::display::usd_whole;

    fn table(rows: usize) -> Table {
        Table {
            columns: vec![
                Column::text("Item", 1.0),
                Column::figure("Cost (USD)"),
                Column::figure("Cumulative"),
            ],
            rows: (0..rows)
                .map(|i| {
                    Row::new(vec![
                        Cell::new(format!("row {i}")),
                        Cell::new(usd_whole(1000.0 * i as f64)),
                        Cell::new(usd_whole(123_456_789.0 * i as f64)),
                    ])
                })
                .collect(),
        }
    }

    #[test]
    fn figure_columns_fit_their_widest_cell_and_share_the_slack_short_labels_leave() {
        let fonts = Fonts::load().unwrap();
        let flow = Flow::new(&fonts, Geometry::A4);
        let t = table(20);
        let w = column_widths(&flow, &t, 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 1e-3);
        let width = |s: &str| fonts.width(CELL.face, CELL.size, s);
        // The labels are short: the text column takes its longest, "row 19", no more.
        assert!(
            (w[0] - (width("row 19") + 2.0 * PAD_X)).abs() < 1e-3,
            "{w:?}"
        );
        // The figure columns get their widest cell each, and split the rest evenly.
        let need1 = width(&usd_whole(19_000.0)) + 2.0 * PAD_X;
        let need2 = width(&usd_whole(123_456_789.0 * 19.0)) + 2.0 * PAD_X;
        let slack = (400.0 - w[0] - need1 - need2) / 2.0;
        assert!((w[1] - (need1 + slack)).abs() < 1e-3, "{w:?}");
        assert!((w[2] - (need2 + slack)).abs() < 1e-3, "{w:?}");
    }

    #[test]
    fn long_text_takes_the_room_by_weight_and_headers_get_two_lines() {
        let fonts = Fonts::load().unwrap();
        let flow = Flow::new(&fonts, Geometry::A4);
        let long = "a text long enough to wrap over several lines in any column of this table";
        let t = Table {
            columns: vec![
                Column::text("Notes", 2.0),
                Column::text("More", 1.0),
                Column::figure("Copies leaving the cloud"),
            ],
            rows: vec![Row::new(vec![
                Cell::new(long),
                Cell::new(long),
                Cell::new("1.00"),
            ])],
        };
        let w = column_widths(&flow, &t, 400.0);
        // The header sets on two lines: "Copies leaving" / "the cloud".
        let header = fonts.width(HEADER.face, HEADER.size, "Copies leaving") + 2.0 * PAD_X;
        assert!((w[2] - header).abs() < 1e-3, "{w:?}");
        assert_eq!(
            flow.wrap("Copies leaving the cloud", &HEADER, w[2] - 2.0 * PAD_X)
                .len(),
            2
        );
        // The text columns split the rest two to one.
        assert!((w[0] - 2.0 * w[1]).abs() < 1e-3, "{w:?}");
    }

    #[test]
    fn figures_are_right_aligned_on_the_column_edge() {
        let fonts = Fonts::load().unwrap();
        let mut flow = Flow::new(&fonts, Geometry::A4);
        let t = table(12);
        draw(&mut flow, &t, 54.0, 400.0);
        let widths = column_widths(&flow, &t, 400.0);
        let right_edge = 54.0 + widths[0] + widths[1] - PAD_X;
        let ends: Vec<f32> = flow.pages[0]
            .iter()
            .filter_map(|i| match i {
                Item::Text { x, width, text, .. }
                    if text.starts_with('$') && *x < right_edge && *x > 54.0 + widths[0] =>
                {
                    Some(x + width)
                }
                _ => None,
            })
            .collect();
        assert_eq!(ends.len(), 12);
        assert!(
            ends.iter().all(|e| (e - right_edge).abs() < 1e-3),
            "{ends:?}"
        );
    }

    /// A table taller than a page goes on over several, each page starting with the
    /// header, every row exactly once and in order, nothing below the floor.
    #[test]
    fn long_tables_repeat_their_header_on_every_page() {
        let fonts = Fonts::load().unwrap();
        let g = Geometry {
            height: 300.0,
            ..Geometry::A4
        };
        let mut flow = Flow::new(&fonts, g);
        flow.y += 100.0;
        let t = table(60);
        draw(&mut flow, &t, g.left, g.content_width());
        assert!(flow.pages.len() >= 4, "{}", flow.pages.len());
        let mut seen = Vec::new();
        for page in &flow.pages {
            let tx = texts(page);
            assert_eq!(&tx[..3], ["Item", "Cost (USD)", "Cumulative"], "{tx:?}");
            seen.extend(
                tx.iter()
                    .filter(|t| t.starts_with("row "))
                    .map(|t| t.to_string()),
            );
        }
        let expected: Vec<String> = (0..60).map(|i| format!("row {i}")).collect();
        assert_eq!(seen, expected);
        assert_inside_margins(&flow.pages, &g);
        // Rows end above the floor, rules included.
        for page in &flow.pages {
            for item in page {
                if let Item::Line { y1, .. } = item {
                    assert!(*y1 <= g.floor() + 0.01);
                }
            }
        }
    }

    #[test]
    fn a_header_is_never_left_alone_at_the_bottom_of_a_page() {
        let fonts = Fonts::load().unwrap();
        let g = Geometry::A4;
        let mut flow = Flow::new(&fonts, g);
        // Room for the header but not for the header and a row.
        flow.y = g.floor() - 20.0;
        draw(&mut flow, &table(3), g.left, g.content_width());
        assert_eq!(flow.pages.len(), 2);
        assert!(flow.pages[0].is_empty());
    }

    #[test]
    fn long_text_wraps_inside_its_cell() {
        let fonts = Fonts::load().unwrap();
        let g = Geometry::A4;
        let mut flow = Flow::new(&fonts, g);
        let t = Table {
            columns: vec![Column::text("Source", 1.0), Column::figure("Value")],
            rows: vec![Row::new(vec![
                Cell::new("https://cloud.google.com/network-connectivity/docs/interconnect/pricing read with the egress table for North America").note("placeholder: replace with a quote"),
                Cell::new("0.02"),
            ])],
        };
        draw(&mut flow, &t, g.left, 200.0);
        let widths = column_widths(&flow, &t, 200.0);
        for item in &flow.pages[0] {
            if let Item::Text { x, width, text, .. } = item {
                if *x < g.left + widths[0] {
                    assert!(x + width <= g.left + widths[0] - PAD_X + 0.01, "{text}");
                }
            }
        }
        assert!(texts(&flow.pages[0]).len() > 4);
    }
}

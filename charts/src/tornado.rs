//! A tornado chart: how far each input, moved ±x % on its own, swings an output, drawn
//! from a `sensitivity::Tornado` only. One horizontal bar per input, largest swing on
//! top, split at the planned value: the part drawn towards the output with the input
//! lowered, and the part with it raised, in two colours. Inputs that do not move the
//! output are left out of the picture and named in its description.
//!
//! The layout is the other charts' (title, the plot, tick labels, a legend underneath,
//! text as plain `<text>` placed by estimated widths), with the value axis horizontal and
//! the inputs' names in a column on the left. Rows never get thinner than 1.6 lines of
//! text: on a small picture the inputs that swing least are left out, and the
//! description says how many.

use lakeplan_models::display::grouped;
use lakeplan_models::units::BitRate;
use lakeplan_models::whatif::sensitivity::{Tornado, TornadoRow};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::axis::{range_ticks, RangeTicks, YFormat};
use crate::frame::{
    assemble, legend_rows, swatch, swatch_w, Anchor, Document, Label, LegendItem, Swatch,
};
use crate::text::{usd_short, width};
use crate::theme::Theme;
use crate::ChartStyle;

type Coords = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// Gbps from which the axis reads in Tbps.
const TBPS_FROM_GBPS: f64 = 1000.0;

/// The tornado of one output.
pub fn tornado(t: &Tornado, style: &ChartStyle) -> String {
    let theme = Theme::of(style.dark);
    let w = f64::from(style.width.max(1));
    let h = f64::from(style.height.max(1));
    let f = if style.font_px.is_finite() && style.font_px > 1.0 {
        style.font_px
    } else {
        ChartStyle::default().font_px
    };
    let pad = (0.6 * f).round();
    let title_size = 1.2 * f;
    let row_h = 1.45 * f;
    let line_h = 1.2 * f;
    let tick_len = 0.35 * f;

    let moving: Vec<&TornadoRow> = t.rows.iter().filter(|r| r.swing > 0.0).collect();
    let (unit, format, show): (&str, YFormat, fn(f64) -> String) = match t.unit.as_str() {
        "USD" => ("US$", YFormat::Usd, usd_short),
        "Gbps" if t.base >= TBPS_FROM_GBPS => ("Tbps", YFormat::Scaled(TBPS_FROM_GBPS), rate),
        "Gbps" => ("Gbps", YFormat::Plain, rate),
        _ => ("", YFormat::Plain, plain),
    };
    let low_colour = theme.line(0);
    let high_colour = theme.line(1);
    let pct = grouped(t.percent, 0);
    let legend = vec![
        LegendItem {
            label: format!("Input lowered {pct} %"),
            swatch: Swatch::Fill(low_colour),
        },
        LegendItem {
            label: format!("Input raised {pct} %"),
            swatch: Swatch::Fill(high_colour),
        },
        LegendItem {
            label: format!("As planned: {}", show(t.base)),
            swatch: Swatch::Line {
                color: theme.text,
                width: 2,
            },
        },
    ];
    let legend_grid = legend_rows(&legend, f, w - 2.0 * pad, row_h, line_h);
    let legend_h = if legend_grid.is_empty() {
        0.0
    } else {
        legend_grid.iter().map(|r| r.height).sum::<f64>() + 0.3 * f
    };
    let axis_label_h = 1.4 * f;
    let x_labels_h = tick_len + 0.3 * f + f;
    let title_h = if style.title {
        title_size * 1.25 + 0.3 * f
    } else {
        0.0
    };
    let top = pad + title_h + 0.5 * f;
    let bottom = pad + legend_h + x_labels_h + axis_label_h;
    let plot_h = (h - top - bottom).max(2.0 * f);
    let fit = ((plot_h / (1.6 * f)).floor() as usize).max(1);
    let shown: Vec<&TornadoRow> = moving.iter().copied().take(fit).collect();

    // The inputs' names, each cut to the column's width.
    let column = 0.42 * (w - 2.0 * pad);
    let names: Vec<String> = shown
        .iter()
        .map(|r| fit_text(&r.label, column, f))
        .collect();
    let names_w = names.iter().map(|n| width(n, f, false)).fold(0.0, f64::max);
    let left = pad + names_w + 0.8 * f;

    // The value axis: the bars and the planned value, on a nice step whose labels fit.
    let (lo, hi) = shown.iter().fold((t.base, t.base), |(a, b), r| {
        (
            a.min(r.output_low).min(r.output_high),
            b.max(r.output_low).max(r.output_high),
        )
    });
    // Room beyond the longest bars for their values: the share of the plot the widest
    // value takes, on each side.
    let value_w = shown
        .iter()
        .flat_map(|r| [r.output_low, r.output_high])
        .map(|v| width(&show(v), f, false))
        .fold(0.0, f64::max);
    let plot_w_guess = (w - left - 2.0 * pad).max(2.0 * f);
    let share = ((value_w + 0.8 * f) / plot_w_guess).clamp(0.08, 0.3);
    let margin = (hi - lo) * share / (1.0 - 2.0 * share);
    let (lo, hi) = (lo - margin, hi + margin);
    let mut intervals = 8;
    let mut xt: RangeTicks;
    let mut right;
    loop {
        xt = range_ticks(lo, hi, intervals, format);
        let label_w = xt
            .ticks
            .iter()
            .map(|(_, l)| width(l, f, false))
            .fold(0.0, f64::max);
        right = pad + label_w / 2.0;
        let plot_w = (w - left - right).max(2.0 * f);
        let room = plot_w / xt.ticks.len().saturating_sub(1).max(1) as f64;
        if room >= label_w + 1.0 * f || intervals == 1 {
            break;
        }
        intervals -= 1;
    }
    let plot_w = (w - left - right).max(2.0 * f);
    let (x0, x1) = (xt.lo, xt.hi);
    let n = shown.len().max(1) as f64;
    let px = |v: f64| left + (v - x0) / (x1 - x0) * plot_w;
    let row_top = |i: usize| top + i as f64 * plot_h / n;

    // The graphics, drawn by plotters.
    let mut body = String::new();
    let drawn = draw(
        &mut body,
        (w as u32, h as u32),
        (top, bottom, left, right),
        &xt,
        &shown,
        t.base,
        theme,
        (low_colour, high_colour),
    );
    if drawn.is_err() {
        // Drawing into a String cannot fail; if plotters ever says otherwise, the chart
        // keeps its text and loses its bars rather than its layout.
        body.clear();
    }

    // The text layer.
    let mut labels: Vec<Label> = Vec::new();
    if style.title {
        labels.push(Label {
            bold: true,
            ..Label::plain(
                pad,
                pad + 0.95 * title_size,
                &format!("{}: what moves it most", t.label),
                Anchor::Start,
                title_size,
            )
        });
    }
    let gap = 0.4 * f;
    for (i, (r, name)) in shown.iter().zip(&names).enumerate() {
        let mid = row_top(i) + plot_h / n / 2.0;
        labels.push(Label::plain(
            left - 0.6 * f,
            mid + 0.35 * f,
            name,
            Anchor::End,
            f,
        ));
        // The two outer ends' values, where they fit beside the bar.
        let (a, b) = if r.output_low <= r.output_high {
            (r.output_low, r.output_high)
        } else {
            (r.output_high, r.output_low)
        };
        let (ta, tb) = (show(a), show(b));
        let (pa, pb) = (px(a.min(t.base)), px(b.max(t.base)));
        let (wa, wb) = (width(&ta, f, false), width(&tb, f, false));
        // A value that reads as the planned one says nothing: left out.
        let planned = show(t.base);
        let a_fits = a < t.base && ta != planned && pa - gap - wa >= left;
        let b_fits = b > t.base && tb != planned && pb + gap + wb <= w - pad;
        if a_fits {
            labels.push(Label {
                halo: true,
                ..Label::plain(pa - gap, mid + 0.35 * f, &ta, Anchor::End, f)
            });
        }
        if b_fits {
            labels.push(Label {
                halo: true,
                ..Label::plain(pb + gap, mid + 0.35 * f, &tb, Anchor::Start, f)
            });
        }
    }
    if shown.is_empty() {
        labels.push(Label {
            fill: Some(theme.muted),
            ..Label::plain(
                left + plot_w / 2.0,
                top + plot_h / 2.0,
                "No input moves it",
                Anchor::Middle,
                f,
            )
        });
    }
    let axis_y = top + plot_h;
    for (v, text) in &xt.ticks {
        labels.push(Label::plain(
            px(*v),
            axis_y + tick_len + 0.3 * f + 0.8 * f,
            text,
            Anchor::Middle,
            f,
        ));
    }
    labels.push(Label::plain(
        left + plot_w / 2.0,
        axis_y + x_labels_h + 1.1 * f,
        &if unit.is_empty() {
            t.label.clone()
        } else {
            format!("{} ({unit})", t.label)
        },
        Anchor::Middle,
        f,
    ));
    // The legend, in a centred grid as the other charts have it.
    let mut legend_marks = String::new();
    let grid_w = legend_grid.iter().map(|r| r.width).fold(0.0, f64::max);
    let lx = ((w - grid_w) / 2.0).clamp(pad, (w - pad - grid_w).max(pad));
    let mut y = h - pad - legend_h + 0.3 * f;
    for row in &legend_grid {
        let mid = y + row_h / 2.0;
        for (i, dx, lines) in &row.items {
            let Some(item) = legend.get(*i) else { continue };
            let x = lx + dx;
            swatch(&mut legend_marks, &item.swatch, x, mid, f, theme);
            for (k, line) in lines.iter().enumerate() {
                labels.push(Label::plain(
                    x + swatch_w(f) + 0.4 * f,
                    mid + 0.35 * f + k as f64 * line_h,
                    line,
                    Anchor::Start,
                    f,
                ));
            }
        }
        y += row.height;
    }

    let title = format!("{}: what moves it most", t.label);
    let description = describe(t, &shown, moving.len(), show);
    let doc = Document {
        class: "tornado",
        title: &title,
        description: &description,
    };
    assemble(&doc, style, f, theme, &body, &legend_marks, &labels)
}

fn rate(gbps: f64) -> String {
    BitRate::from_gbps(gbps).to_string()
}

fn plain(v: f64) -> String {
    lakeplan_models::display::significant(v, 3)
}

/// `text`, cut with "…" to fit `max_w`.
fn fit_text(text: &str, max_w: f64, f: f64) -> String {
    if width(text, f, false) <= max_w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let candidate = format!("{out}{c}…");
        if width(&candidate, f, false) > max_w {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

fn describe(t: &Tornado, shown: &[&TornadoRow], moving: usize, show: fn(f64) -> String) -> String {
    let mut d = t.sentence.clone();
    for r in shown {
        d.push_str(&format!(
            " {}: {} gives {}, {} gives {}.",
            r.label,
            plain(r.low_value),
            show(r.output_low),
            plain(r.high_value),
            show(r.output_high)
        ));
    }
    if moving > shown.len() {
        d.push_str(&format!(
            " {} more inputs move it less and are not drawn at this size.",
            moving - shown.len()
        ));
    }
    d
}

/// Grid, bars and the planned value's line, through plotters.
#[allow(clippy::too_many_arguments)]
fn draw(
    body: &mut String,
    size: (u32, u32),
    (top, bottom, left, right): (f64, f64, f64, f64),
    xt: &RangeTicks,
    rows: &[&TornadoRow],
    base: f64,
    theme: &Theme,
    (low, high): (RGBColor, RGBColor),
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let root = SVGBackend::with_string(body, size).into_drawing_area();
    root.fill(&theme.background)?;
    let plot = root.margin(
        top.round() as i32,
        bottom.round() as i32,
        left.round() as i32,
        right.round() as i32,
    );
    let (x_px, y_px) = plot.get_pixel_range();
    let n = rows.len().max(1) as f64;
    let coords = Coords::new(
        xt.lo..xt.hi,
        0.0..n,
        (x_px.start..x_px.end - 1, y_px.end - 1..y_px.start),
    );
    let area = plot.apply_coord_spec(coords);
    let grid = ShapeStyle::from(&theme.grid).stroke_width(1);
    for (v, _) in &xt.ticks {
        area.draw(&PathElement::new(vec![(*v, 0.0), (*v, n)], grid))?;
    }
    let axis = ShapeStyle::from(&theme.muted).stroke_width(1);
    area.draw(&PathElement::new(vec![(xt.lo, 0.0), (xt.hi, 0.0)], axis))?;
    for (i, r) in rows.iter().enumerate() {
        // Row 0 at the top.
        let y1 = n - i as f64 - 0.2;
        let y0 = n - i as f64 - 0.8;
        for (out, colour) in [(r.output_low, low), (r.output_high, high)] {
            if out != base {
                area.draw(&Rectangle::new(
                    [(base.min(out), y0), (base.max(out), y1)],
                    ShapeStyle::from(&colour).filled(),
                ))?;
            }
        }
    }
    area.draw(&PathElement::new(
        vec![(base, 0.0), (base, n)],
        ShapeStyle::from(&theme.text).stroke_width(2),
    ))?;
    root.present()
}

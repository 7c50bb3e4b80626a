//! What every chart shares: the layout (title, y axis, month axis, legend below the plot),
//! the grid, and the final `<svg>` with its accessible name.
//!
//! plotters draws the graphics (grid, lines, areas, bars) through its SVG backend, mapped
//! from months and values to pixels by its Cartesian coordinates. Every piece of text is
//! written by this module instead, as plain `<text>` in a layer above the graphics: the
//! positions come from [`crate::text::width`], so nothing asks plotters to measure text
//! (see [`crate::text`] for why), sizes are exactly `font_px` (plotters' SVG backend
//! writes `size / 1.24`), and labels can carry a halo where they cross data.
//!
//! Layout, from the top: the title (optional), the plot with its y axis on the left and
//! its markers' labels in a band reserved above the data, the month labels, then the
//! legend in a centred grid under the plot, where it never covers data. Labels too long
//! for the width wrap. The plot gets what the text leaves.

use std::fmt::Write as _;

use lakeplan_models::calendar::Month;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::axis::{month_ticks, y_ticks, YFormat, YTicks};
use crate::text::{escape, width, FONT_FAMILY};
use crate::theme::{hex, Theme};
use crate::ChartStyle;

type Coords = Cartesian2d<RangedCoordf64, RangedCoordf64>;
type Area<'s> = DrawingArea<SVGBackend<'s>, Coords>;
pub(crate) type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// What the legend shows for a series.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    Line { color: RGBColor, width: u32 },
    Fill(RGBColor),
}

#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

/// One chart's text and axes; the series are drawn by the closure given to [`render`].
pub(crate) struct Frame {
    /// CSS class suffix and the chart's short name.
    pub class: &'static str,
    pub title: String,
    /// The chart in words: its accessible description.
    pub description: String,
    /// The first month of the plan; `None` when the report has no months.
    pub start: Option<Month>,
    pub months: usize,
    pub y_label: String,
    /// The largest value drawn, in data units.
    pub y_max: f64,
    pub y_integer: bool,
    pub y_format: YFormat,
    pub legend: Vec<LegendItem>,
    /// Vertical lines with a label along the top of the plot (a path saturates): the
    /// y axis leaves their labels room above the data.
    pub markers: Vec<Marker>,
}

/// A month marked across the plot, with what happens in it.
pub(crate) struct Marker {
    /// Months from the start.
    pub x: f64,
    pub color: RGBColor,
    /// The label, longest form first: a small chart shows a shorter one.
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// A piece of text in the layer above the graphics.
pub(crate) struct Label {
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub text: String,
    pub anchor: Anchor,
    pub size: f64,
    pub bold: bool,
    pub fill: Option<RGBColor>,
    pub rotate: bool,
    pub halo: bool,
}

impl Label {
    pub(crate) fn plain(x: f64, y: f64, text: &str, anchor: Anchor, size: f64) -> Label {
        Label {
            x,
            y,
            text: text.to_string(),
            anchor,
            size,
            bold: false,
            fill: None,
            rotate: false,
            halo: false,
        }
    }
}

/// What a chart's drawing closure gets: plotters' plotting area in data coordinates
/// (x in months from the start, y in data units), and the text layer.
pub(crate) struct Plot<'c, 's> {
    area: &'c Area<'s>,
    labels: &'c mut Vec<Label>,
    /// The rectangles drawn so far, as path data by colour, in the order colours first came.
    rects: &'c mut Vec<(RGBColor, String)>,
    pub theme: &'static Theme,
    font: f64,
    plot_right: f64,
}

impl Plot<'_, '_> {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let (px, py) = self.area.map_coordinate(&(x, y));
        (f64::from(px), f64::from(py))
    }

    /// Pixels per month on the x axis.
    pub fn px_per_month(&self) -> f64 {
        let (x0, _) = self.px(0.0, 0.0);
        let (x1, _) = self.px(1.0, 0.0);
        x1 - x0
    }

    /// A polyline through `points`, broken where a value is missing (NaN).
    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: u32) -> DrawResult {
        let style = ShapeStyle::from(&color).stroke_width(width);
        for run in points.split(|(x, y)| !x.is_finite() || !y.is_finite()) {
            if run.len() >= 2 {
                self.area.draw(&PathElement::new(run.to_vec(), style))?;
            }
        }
        Ok(())
    }

    /// A value per month drawn as a step: flat across each month, vertical at the month
    /// boundary, so a change shows in the month it happens.
    pub fn steps(
        &self,
        values: impl IntoIterator<Item = f64>,
        color: RGBColor,
        width: u32,
    ) -> DrawResult {
        let mut points = Vec::new();
        for (m, v) in values.into_iter().enumerate() {
            let x = m as f64;
            points.push((x, v));
            points.push((x + 1.0, v));
        }
        self.line(&points, color, width)
    }

    /// The band between `lower` and `upper` (same x values), filled.
    pub fn band(&self, lower: &[(f64, f64)], upper: &[(f64, f64)], color: RGBColor) -> DrawResult {
        let points: Vec<(f64, f64)> = upper.iter().chain(lower.iter().rev()).copied().collect();
        self.area
            .draw(&Polygon::new(points, ShapeStyle::from(&color).filled()))
    }

    /// A filled rectangle between two corners in data coordinates, on plotters' pixels.
    ///
    /// Why not plotters' `Rectangle`: it writes one `<rect>` element per rectangle, and a
    /// stacked bar chart of 60 months has hundreds of them, which the page parses again on
    /// every edit (the monthly cost chart was 439 elements, 2.7 ms of `innerHTML` per
    /// keystroke, issue 16). Here the rectangles of one colour become one `<path>`: the same
    /// pixels, a handful of elements. They are drawn over plotters' graphics, so a chart
    /// with rectangles has no markers (`render` checks).
    pub fn rect(&mut self, from: (f64, f64), to: (f64, f64), color: RGBColor) {
        let (x0, y0) = self.area.map_coordinate(&from);
        let (x1, y1) = self.area.map_coordinate(&to);
        let (left, top, right, bottom) = (x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
        let i = match self.rects.iter().position(|(c, _)| *c == color) {
            Some(i) => i,
            None => {
                self.rects.push((color, String::new()));
                self.rects.len() - 1
            }
        };
        let _ = write!(self.rects[i].1, "M{left} {top}H{right}V{bottom}H{left}Z");
    }

    /// A value written above the point (`x`, `y`) of a line, with a halo so the line and
    /// the grid stay behind it; kept inside the plot.
    pub fn value_label(&mut self, x: f64, y: f64, text: &str, anchor: Anchor) {
        let f = self.font;
        let (px, py) = self.px(x, y);
        let (plot_left, plot_top) = self.area.get_base_pixel();
        let (plot_left, plot_top) = (f64::from(plot_left), f64::from(plot_top));
        let w = width(text, f, false);
        let x = match anchor {
            Anchor::Start => (px + 0.2 * f).clamp(plot_left, (self.plot_right - w).max(plot_left)),
            Anchor::End => px.clamp((plot_left + w).min(self.plot_right), self.plot_right),
            Anchor::Middle => px.clamp(plot_left + w / 2.0, self.plot_right - w / 2.0),
        };
        self.labels.push(Label {
            y: (py - 0.6 * f).max(plot_top + f),
            halo: true,
            ..Label::plain(x, 0.0, text, anchor, f)
        });
    }
}

/// Draws `frame` with the series `draw` adds, as a standalone `<svg>`.
pub(crate) fn render(
    frame: &Frame,
    style: &ChartStyle,
    draw: impl FnOnce(&mut Plot<'_, '_>) -> DrawResult,
) -> String {
    let theme = Theme::of(style.dark);
    let g = Geometry::new(frame, style);
    let f = g.font;

    let mut body = String::new();
    let mut labels: Vec<Label> = Vec::new();
    let mut rects: Vec<(RGBColor, String)> = Vec::new();
    let plot = match draw_graphics(&mut body, &mut labels, &mut rects, frame, &g, theme, draw) {
        Ok(plot) => plot,
        Err(_) => {
            // Drawing into a String cannot fail; if plotters ever says otherwise, the
            // page shows an empty, still accessible chart instead of losing its layout.
            body.clear();
            labels.clear();
            rects.clear();
            PlotBox {
                left: g.left,
                right: g.width - g.right,
                top: g.top,
                bottom: g.height - g.bottom,
            }
        }
    };

    // The text layer, at plotters' own pixel positions.
    let y_px = |v: f64| plot.bottom - (v / g.yt.top) * (plot.bottom - plot.top);
    let x_px = |x: f64| plot.left + x / g.months_axis * (plot.right - plot.left);
    if frame.start.is_none() {
        labels.push(Label {
            fill: Some(theme.muted),
            ..Label::plain(
                (plot.left + plot.right) / 2.0,
                (plot.top + plot.bottom) / 2.0,
                "No months to show",
                Anchor::Middle,
                f,
            )
        });
    }
    for (v, text) in &g.yt.ticks {
        labels.push(Label::plain(
            plot.left - 0.5 * f,
            y_px(*v) + 0.35 * f,
            text,
            Anchor::End,
            f,
        ));
    }
    for (x, text) in &g.xt {
        labels.push(Label::plain(
            x_px(*x),
            plot.bottom + g.tick_len + 0.3 * f + 0.8 * f,
            text,
            Anchor::Middle,
            f,
        ));
    }
    // The axis label is centred on the plot, unless it is longer than the plot is tall:
    // then it may rise beside the title, but never drops beside the month labels.
    let half = width(&frame.y_label, f, false) / 2.0;
    let free_top = g.top - 0.6 * f;
    let y_mid = ((plot.top + plot.bottom) / 2.0)
        .min(plot.bottom - half)
        .max(free_top + half);
    labels.push(Label {
        rotate: true,
        ..Label::plain(g.pad + 0.95 * f, y_mid, &frame.y_label, Anchor::Middle, f)
    });
    if style.title {
        labels.push(Label {
            bold: true,
            ..Label::plain(
                g.pad,
                g.pad + 0.95 * g.title_size,
                &frame.title,
                Anchor::Start,
                g.title_size,
            )
        });
    }

    // Markers' labels, one row per line from the top of the plot down: beside the line,
    // right of it when there is room, else left, else as near as the plot allows.
    let mut row = 0;
    for (marker, lines) in frame.markers.iter().zip(&g.marker_lines) {
        let px = x_px(marker.x);
        let w = lines.iter().map(|l| width(l, f, false)).fold(0.0, f64::max);
        let gap = 0.4 * f;
        let (x, anchor) = if px + gap + w <= plot.right {
            (px + gap, Anchor::Start)
        } else if px - gap - w >= plot.left {
            (px - gap, Anchor::End)
        } else {
            ((plot.right - gap - w).max(plot.left + gap), Anchor::Start)
        };
        for line in lines {
            labels.push(Label {
                halo: true,
                ..Label::plain(
                    x,
                    plot.top + 0.3 * f + row as f64 * g.row_h + 0.95 * f,
                    line,
                    anchor,
                    f,
                )
            });
            row += 1;
        }
    }

    // The legend: one left edge for every row, so the grid's columns line up.
    // The rectangles first, over plotters' graphics (markers would be under them).
    debug_assert!(
        rects.is_empty() || frame.markers.is_empty(),
        "{}: rectangles over markers",
        frame.class
    );
    let mut legend_marks = String::new();
    for (color, d) in &rects {
        let _ = write!(legend_marks, r#"<path d="{d}" fill="{}"/>"#, hex(*color));
    }
    let plot_centre = (plot.left + plot.right) / 2.0;
    let grid_w = g.legend.iter().map(|r| r.width).fold(0.0, f64::max);
    let x0 = (plot_centre - grid_w / 2.0).clamp(g.pad, (g.width - g.pad - grid_w).max(g.pad));
    let mut row_top = g.legend_top;
    for row in &g.legend {
        let mid = row_top + g.row_h / 2.0;
        for (i, dx, lines) in &row.items {
            let Some(item) = frame.legend.get(*i) else {
                continue;
            };
            let x = x0 + dx;
            swatch(&mut legend_marks, &item.swatch, x, mid, f, theme);
            for (k, line) in lines.iter().enumerate() {
                labels.push(Label::plain(
                    x + swatch_w(f) + 0.4 * f,
                    mid + 0.35 * f + k as f64 * g.line_h,
                    line,
                    Anchor::Start,
                    f,
                ));
            }
        }
        row_top += row.height;
    }

    let doc = Document {
        class: frame.class,
        title: &frame.title,
        description: &frame.description,
    };
    assemble(&doc, style, f, theme, &body, &legend_marks, &labels)
}

/// Where everything goes, in pixels: worked out from the text before anything is drawn.
struct Geometry {
    width: f64,
    height: f64,
    font: f64,
    pad: f64,
    title_size: f64,
    /// Height of a legend row or a marker row.
    row_h: f64,
    /// Line spacing inside a wrapped label.
    line_h: f64,
    tick_len: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    legend: Vec<Row>,
    legend_top: f64,
    yt: YTicks,
    xt: Vec<(f64, String)>,
    months_axis: f64,
    /// Each marker's label, wrapped to the plot's width.
    marker_lines: Vec<Vec<String>>,
}

impl Geometry {
    fn new(frame: &Frame, style: &ChartStyle) -> Geometry {
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

        // The legend first: it depends only on the width.
        let legend = legend_rows(&frame.legend, f, w - 2.0 * pad, row_h, line_h);
        let legend_h = if legend.is_empty() {
            0.0
        } else {
            legend.iter().map(|r| r.height).sum::<f64>() + 0.3 * f
        };
        let tick_len = 0.35 * f;
        let x_labels_h = tick_len + 0.3 * f + f;
        let bottom = pad + legend_h + x_labels_h;
        let title_h = if style.title {
            title_size * 1.25 + 0.3 * f
        } else {
            0.0
        };
        // Room for the top tick label's upper half.
        let top = pad + title_h + 0.6 * f;
        let plot_h = (h - top - bottom).max(2.0 * f);
        // The last month label is centred on the right end of the axis.
        let right = pad + 0.5 * width("0000-00", f, false);

        // The y ticks set the left margin, hence the plot's width, which sets how the
        // markers' labels wrap, which sets the room they take above the data, which can
        // change the ticks: settle in a few rounds.
        // The markers' band holds at most this many rows, leaving the data most of the
        // plot; labels that need more take their shorter forms, and lines past it go.
        let max_rows = (((0.6 * plot_h - 0.5 * f) / row_h).floor().max(0.0)) as usize;
        let mut rows = frame.markers.len().min(max_rows);
        let (mut yt, mut left, mut marker_lines);
        let mut round = 0;
        loop {
            let reserve = if rows > 0 {
                rows as f64 * row_h + 0.5 * f
            } else {
                0.0
            };
            let y_needed = frame.y_max * plot_h / (plot_h - reserve).max(1.0);
            let max_intervals = ((plot_h / (2.5 * f)).floor() as usize).clamp(1, 8);
            yt = y_ticks(y_needed, max_intervals, frame.y_integer, frame.y_format);
            let tick_label_w = yt
                .ticks
                .iter()
                .map(|(_, l)| width(l, f, false))
                .fold(0.0, f64::max);
            left = pad + 1.25 * f + 0.4 * f + tick_label_w + 0.5 * f;
            let plot_w = (w - left - right).max(2.0 * f);
            marker_lines = marker_labels(&frame.markers, plot_w - 0.8 * f, f, max_rows);
            let needed: usize = marker_lines.iter().map(Vec::len).sum();
            round += 1;
            if needed == rows || round == 3 {
                break;
            }
            rows = needed;
        }
        let plot_w = (w - left - right).max(2.0 * f);
        let months_axis = frame.months.max(1) as f64;
        let xt = match frame.start {
            Some(start) => month_ticks(start, frame.months, plot_w / months_axis, f),
            None => Vec::new(),
        };
        Geometry {
            width: w,
            height: h,
            font: f,
            pad,
            title_size,
            row_h,
            line_h,
            tick_len,
            left,
            right,
            top,
            bottom,
            legend,
            legend_top: h - pad - legend_h + 0.3 * f,
            yt,
            xt,
            months_axis,
            marker_lines,
        }
    }
}

fn draw_graphics(
    body: &mut String,
    labels: &mut Vec<Label>,
    rects: &mut Vec<(RGBColor, String)>,
    frame: &Frame,
    g: &Geometry,
    theme: &'static Theme,
    draw: impl FnOnce(&mut Plot<'_, '_>) -> DrawResult,
) -> Result<PlotBox, DrawingAreaErrorKind<std::io::Error>> {
    let size = (g.width as u32, g.height as u32);
    let (x_end, y_top) = (g.months_axis, g.yt.top);
    let root = SVGBackend::with_string(body, size).into_drawing_area();
    root.fill(&theme.background)?;
    // The plot's coordinates are set up here rather than with plotters' ChartBuilder,
    // whose (unused) caption support links plotters' DOM text measurement into the wasm
    // bundle: without it the bundle imports nothing from the DOM on the charts' behalf.
    let plot = root.margin(
        g.top.round() as i32,
        g.bottom.round() as i32,
        g.left.round() as i32,
        g.right.round() as i32,
    );
    let (x_px, y_px) = plot.get_pixel_range();
    let coords = Coords::new(
        0.0..x_end,
        0.0..y_top,
        (x_px.start..x_px.end - 1, y_px.end - 1..y_px.start),
    );
    let area = &plot.apply_coord_spec(coords);
    let grid = ShapeStyle::from(&theme.grid).stroke_width(1);
    for (v, _) in &g.yt.ticks {
        area.draw(&PathElement::new(vec![(0.0, *v), (x_end, *v)], grid))?;
    }
    for (x, _) in &g.xt {
        area.draw(&PathElement::new(vec![(*x, 0.0), (*x, y_top)], grid))?;
    }
    let axis = ShapeStyle::from(&theme.muted).stroke_width(1);
    area.draw(&PathElement::new(
        vec![(0.0, y_top), (0.0, 0.0), (x_end, 0.0)],
        axis,
    ))?;
    // Tick marks below the axis, in pixels.
    let (left, bottom) = area.map_coordinate(&(0.0, 0.0));
    let (right, top) = area.map_coordinate(&(x_end, y_top));
    let tick = g.tick_len.round() as i32;
    for (x, _) in &g.xt {
        let (px, _) = area.map_coordinate(&(*x, 0.0));
        root.draw(&PathElement::new(
            vec![(px, bottom), (px, bottom + tick)],
            axis,
        ))?;
    }
    let plot_box = PlotBox {
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
    };
    draw(&mut Plot {
        area,
        labels,
        rects,
        theme,
        font: g.font,
        plot_right: plot_box.right,
    })?;
    // Markers last, over the series they mark.
    for m in &frame.markers {
        area.draw(&PathElement::new(
            vec![(m.x, 0.0), (m.x, y_top)],
            ShapeStyle::from(&m.color).stroke_width(3),
        ))?;
    }
    root.present()?;
    Ok(plot_box)
}

/// The plot's edges in pixels.
#[derive(Debug, Clone, Copy)]
struct PlotBox {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// For each series, the first earlier series with the same values month by month, if
/// any: identical series draw on top of each other, so the legend says so.
pub(crate) fn same_as(series: &[Vec<f64>]) -> Vec<Option<usize>> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| series[..i].iter().position(|earlier| earlier == s))
        .collect()
}

/// Each marker's label as lines no wider than `max_w`, in the longest form that lets all
/// of them fit in `max_rows` rows; with even the shortest forms too many, the rows past
/// `max_rows` are dropped (the lines stay, and the description names every month).
fn marker_labels(markers: &[Marker], max_w: f64, f: f64, max_rows: usize) -> Vec<Vec<String>> {
    let levels = markers.iter().map(|m| m.texts.len()).max().unwrap_or(0);
    let at = |level: usize| -> Vec<Vec<String>> {
        markers
            .iter()
            .map(|m| {
                let text = m
                    .texts
                    .get(level)
                    .or(m.texts.last())
                    .map_or("", String::as_str);
                wrap(text, max_w, f)
            })
            .collect()
    };
    let mut labels = Vec::new();
    for level in 0..levels.max(1) {
        labels = at(level);
        if labels.iter().map(Vec::len).sum::<usize>() <= max_rows {
            return labels;
        }
    }
    let mut left = max_rows;
    for lines in &mut labels {
        lines.truncate(left);
        left -= lines.len();
    }
    labels
}

/// `text` broken at spaces into lines no wider than `max_w` (a word longer than that
/// keeps a line of its own). A path name's arrow stays with the sites around it.
pub(crate) fn wrap(text: &str, max_w: f64, f: f64) -> Vec<String> {
    const GLUE: char = '\u{a0}';
    let glued = text.replace(" → ", "\u{a0}→\u{a0}");
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in glued.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width(&candidate, f, false) <= max_w {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    lines.push(line);
    lines.into_iter().map(|l| l.replace(GLUE, " ")).collect()
}

/// A row of the legend grid: each item's index, x offset and lines.
pub(crate) struct Row {
    pub items: Vec<(usize, f64, Vec<String>)>,
    pub width: f64,
    pub height: f64,
}

pub(crate) fn swatch_w(f: f64) -> f64 {
    1.8 * f
}

/// The legend as a grid: as many columns as fit in `max_w` (each as wide as its widest
/// item, so entries line up row to row), then no more columns than an even split of the
/// items over that many rows needs, so a lone item does not dangle on a row of its own.
/// A label too long for the width wraps onto more lines, and its row grows.
pub(crate) fn legend_rows(
    items: &[LegendItem],
    f: f64,
    max_w: f64,
    row_h: f64,
    line_h: f64,
) -> Vec<Row> {
    let gap = 1.3 * f;
    let text_x = swatch_w(f) + 0.4 * f;
    let lines: Vec<Vec<String>> = items
        .iter()
        .map(|item| wrap(&item.label, max_w - text_x, f))
        .collect();
    let widths: Vec<f64> = lines
        .iter()
        .map(|ls| text_x + ls.iter().map(|l| width(l, f, false)).fold(0.0, f64::max))
        .collect();
    let n = widths.len();
    if n == 0 {
        return Vec::new();
    }
    let columns_w = |cols: usize| -> Vec<f64> {
        (0..cols)
            .map(|c| {
                widths
                    .iter()
                    .skip(c)
                    .step_by(cols)
                    .fold(0.0, |a: f64, &b| a.max(b))
            })
            .collect()
    };
    let fits = |cols: usize| columns_w(cols).iter().sum::<f64>() + gap * (cols - 1) as f64 <= max_w;
    let most = (1..=n).rev().find(|&c| fits(c)).unwrap_or(1);
    let rows = n.div_ceil(most);
    let cols = n.div_ceil(rows);
    let col_w = columns_w(cols);
    let mut offsets = Vec::with_capacity(cols);
    let mut x = 0.0;
    for w in &col_w {
        offsets.push(x);
        x += w + gap;
    }
    (0..rows)
        .map(|r| {
            let members: Vec<usize> = (0..cols).map(|c| r * cols + c).filter(|&i| i < n).collect();
            let width = members
                .last()
                .map_or(0.0, |&i| offsets[i % cols] + widths[i]);
            let most_lines = members.iter().map(|&i| lines[i].len()).max().unwrap_or(1);
            Row {
                items: members
                    .iter()
                    .map(|&i| (i, offsets[i % cols], lines[i].clone()))
                    .collect(),
                width,
                height: row_h + most_lines.saturating_sub(1) as f64 * line_h,
            }
        })
        .collect()
}

/// The legend's sample of a series, as SVG.
pub(crate) fn swatch(out: &mut String, s: &Swatch, x: f64, mid: f64, f: f64, theme: &Theme) {
    let w = swatch_w(f);
    match s {
        Swatch::Line { color, width } => {
            let _ = write!(
                out,
                r#"<line x1="{x:.1}" y1="{mid:.1}" x2="{:.1}" y2="{mid:.1}" stroke="{}" stroke-width="{width}"/>"#,
                x + w,
                hex(*color)
            );
        }
        Swatch::Fill(color) => {
            let side = 0.9 * f;
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{side:.1}" fill="{}" stroke="{}" stroke-width="0.5"/>"#,
                x,
                mid - side / 2.0,
                hex(*color),
                hex(theme.muted)
            );
        }
    }
}

/// What names a chart's `<svg>`: its CSS class suffix, title and description.
pub(crate) struct Document<'a> {
    pub class: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// The chart's `<svg>`: plotters' drawing (`body`), the legend's marks, then the text
/// layer, under an accessible name.
pub(crate) fn assemble(
    frame: &Document<'_>,
    style: &ChartStyle,
    font_px: f64,
    theme: &Theme,
    body: &str,
    legend_marks: &str,
    labels: &[Label],
) -> String {
    let (w, h) = (style.width.max(1), style.height.max(1));
    let mut out = String::with_capacity(body.len() + labels.len() * 120 + 1024);
    let name = format!("{}. {}", frame.title, frame.description);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" class="lakeplan-chart lakeplan-chart-{}"><title>{}</title><desc>{}</desc>"#,
        escape(&name),
        frame.class,
        escape(frame.title),
        escape(frame.description),
    );
    out.push('\n');
    out.push_str(plotters_inner(body));
    out.push_str(legend_marks);
    let _ = write!(
        out,
        r#"<g font-family="{}" font-size="{}" fill="{}">"#,
        escape(FONT_FAMILY),
        fmt1(font_px),
        hex(theme.text)
    );
    let bg = hex(theme.background);
    for l in labels {
        out.push_str("<text");
        let _ = write!(out, r#" x="{}" y="{}""#, fmt1(l.x), fmt1(l.y));
        match l.anchor {
            Anchor::Start => {}
            Anchor::Middle => out.push_str(r#" text-anchor="middle""#),
            Anchor::End => out.push_str(r#" text-anchor="end""#),
        }
        if (l.size - font_px).abs() > 1e-9 {
            let _ = write!(out, r#" font-size="{}""#, fmt1(l.size));
        }
        if l.bold {
            out.push_str(r#" font-weight="bold""#);
        }
        if let Some(c) = l.fill {
            let _ = write!(out, r#" fill="{}""#, hex(c));
        }
        if l.rotate {
            let _ = write!(
                out,
                r#" transform="rotate(-90 {} {})""#,
                fmt1(l.x),
                fmt1(l.y)
            );
        }
        if l.halo {
            let _ = write!(
                out,
                r#" stroke="{bg}" stroke-width="4" stroke-linejoin="round" paint-order="stroke""#
            );
        }
        out.push('>');
        out.push_str(&escape(&l.text));
        out.push_str("</text>\n");
    }
    out.push_str("</g></svg>\n");
    out
}

/// plotters' drawing without its own `<svg>` element, which [`assemble`] replaces with
/// one that has an accessible name.
fn plotters_inner(body: &str) -> &str {
    let Some(start) = body.find("<svg") else {
        return "";
    };
    let after = &body[start..];
    let Some(open_end) = after.find('>') else {
        return "";
    };
    let inner = &after[open_end + 1..];
    match inner.rfind("</svg>") {
        Some(end) => inner[..end].trim_start_matches('\n'),
        None => inner,
    }
}

/// One decimal, without a trailing ".0": coordinates and sizes in the text layer.
fn fmt1(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_plotters_svg_element() {
        let body = "<svg width=\"1\" height=\"1\">\n<rect/>\n</svg>\n";
        assert_eq!(plotters_inner(body), "<rect/>\n");
        assert_eq!(plotters_inner("garbage"), "");
    }

    #[test]
    fn legend_wraps_into_rows_that_fit() {
        let items: Vec<LegendItem> = (0..8)
            .map(|i| LegendItem {
                label: format!("Component {i}"),
                swatch: Swatch::Fill(RGBColor(0, 0, 0)),
            })
            .collect();
        let rows = legend_rows(&items, 14.0, 780.0, 20.0, 16.0);
        assert!(rows.len() >= 2);
        assert!(rows.iter().all(|r| r.width <= 780.0));
        assert_eq!(rows.iter().map(|r| r.items.len()).sum::<usize>(), 8);
    }

    #[test]
    fn long_labels_wrap_between_words_but_not_inside_a_path_name() {
        let lines = wrap(
            "cloud → Region 1, cloud → Region 2 saturate 2026-01",
            200.0,
            14.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| width(l, 14.0, false) <= 200.0),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.ends_with('→')), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "cloud → Region 1, cloud → Region 2 saturate 2026-01"
        );
        assert_eq!(wrap("short", 200.0, 14.0), ["short"]);
    }

    #[test]
    fn one_decimal() {
        assert_eq!(fmt1(14.0), "14");
        assert_eq!(fmt1(12.345), "12.3");
        assert_eq!(fmt1(-0.04), "0");
    }
}

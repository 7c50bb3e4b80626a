//! The proposal's sections, in reading order: who it is for and the answer first, then the
//! figures, the charts, the tables a buyer checks, and the prices' sources last.
//!
//! Every number is a field of the report, rounded by `lakeplan_models::display`; the
//! verdict's words come from `lakeplan_models::verdict`, as on the page.

use lakeplan_models::calendar::Month;
use lakeplan_models::display::{grouped, significant, usd_whole};
use lakeplan_models::price_book::Unit;
use lakeplan_models::report::{BacklogKind, MonthRow, Report};
use lakeplan_models::topology::Topology;
use lakeplan_models::verdict::verdict;

use crate::charts::Chart;
use crate::figures::{key_figures, Figure};
use crate::layout::{Align, Flow, Item};
use crate::style::TextStyle;
use crate::style::{
    self, ACCENT, BAD, BAD_TINT, BODY, BORDER, FIGURE, FIGURE_BIG, GOOD, GOOD_TINT, H2, KICKER,
    LABEL, SMALL, SUBTITLE, TINT, TITLE, UNIT, VERDICT,
};
use crate::table::{self, Cell, Column, Row, Table};
use crate::ProposalInput;

/// Space above a section heading, points.
const SECTION_GAP: f32 = 20.0;
/// Inside a box or card.
const PAD: f32 = 9.0;
/// Between cards.
const GUTTER: f32 = 8.0;

/// A section heading, kept on the same page as at least `keep_with` points of what
/// follows, so no heading ends a page alone.
fn heading(flow: &mut Flow, title: &str, keep_with: f32) {
    let gap = if flow.at_top() { 0.0 } else { SECTION_GAP };
    flow.keep(gap + H2.leading + 6.0 + keep_with);
    if !flow.at_top() {
        flow.y += gap;
    }
    flow.bookmark(title);
    let g = flow.geometry;
    flow.paragraph(title, &H2, g.left, g.content_width());
    flow.y += 6.0;
}

/// A section's heading again at the top of the page it continues on; not bookmarked.
fn continued(flow: &mut Flow, title: &str) {
    let g = flow.geometry;
    flow.paragraph(title, &H2, g.left, g.content_width());
    flow.y += 6.0;
}

/// Name, customer, author, date, price book, horizon and the link back.
pub fn title_block(flow: &mut Flow, input: &ProposalInput) {
    let g = flow.geometry;
    let (x, w) = (g.left, g.content_width());
    let r = input.report;
    flow.paragraph("REPLICATION AND CAPACITY PLAN", &KICKER, x, w);
    flow.y += 4.0;
    flow.bookmark(&document_title(input));
    flow.paragraph(&document_title(input), &TITLE, x, w);
    let customer = input.scenario.customer.trim();
    if !customer.is_empty() {
        flow.y += 2.0;
        flow.paragraph(&format!("Prepared for {customer}"), &SUBTITLE, x, w);
    }
    flow.y += 12.0;

    let mut meta: Vec<(&str, String)> = Vec::new();
    if let Some(author) = input.author.map(str::trim).filter(|a| !a.is_empty()) {
        meta.push(("Prepared by", author.to_string()));
    }
    meta.push(("Date", input.date.to_string()));
    meta.push(("Price book", r.price_book.clone()));
    if let (Some(a), Some(b)) = (r.months.first(), r.months.last()) {
        meta.push((
            "Horizon",
            format!("{} to {} ({} months)", a.month, b.month, r.months.len()),
        ));
    }
    if let Some(t) = r.own_topology() {
        meta.push((
            "Topology",
            format!("{}: {}", topology_name(t.topology), t.paths.join(", ")),
        ));
    }
    meta.push(("Model", format!("Lakeplan model {}", r.model_version)));
    key_values(flow, &meta, x, w);

    if let Some(link) = input.link.map(str::trim).filter(|l| !l.is_empty()) {
        flow.y += 4.0;
        let label_w = 74.0;
        let style = BODY.color(ACCENT);
        let lines = flow.wrap(link, &style, w - label_w);
        let top = flow.y;
        flow.lines_at(
            &["Scenario".to_string()],
            &LABEL,
            x,
            top + 1.5,
            label_w,
            Align::Left,
        );
        let bottom = flow.lines_at(&lines, &style, x + label_w, top, w - label_w, Align::Left);
        flow.push(Item::Link {
            x: x + label_w,
            y: top,
            w: w - label_w,
            h: bottom - top,
            url: link.to_string(),
        });
        flow.y = bottom;
    }
    rule_below(flow, 10.0);

    let notes = input.scenario.notes.trim();
    if !notes.is_empty() {
        flow.paragraph(notes, &BODY.color(style::MUTED), x, w);
        flow.y += 10.0;
    }
}

/// The scenario's name, or a stand-in that says it has none.
pub fn document_title(input: &ProposalInput) -> String {
    let name = input.scenario.name.trim();
    if name.is_empty() {
        "Untitled scenario".to_string()
    } else {
        name.to_string()
    }
}

fn topology_name(t: Topology) -> &'static str {
    match t {
        Topology::Chain => "Chain",
        Topology::FanOut => "Fan-out",
    }
}

/// Label and value pairs in two columns of pairs.
fn key_values(flow: &mut Flow, pairs: &[(&str, String)], x: f32, w: f32) {
    let label_w = 74.0;
    let half = (w - GUTTER * 2.0) / 2.0;
    for chunk in pairs.chunks(2) {
        let top = flow.y;
        let mut bottom = top;
        for (k, (label, value)) in chunk.iter().enumerate() {
            let cx = x + k as f32 * (half + GUTTER * 2.0);
            let lines = flow.wrap(value, &BODY, half - label_w);
            flow.lines_at(
                &[label.to_string()],
                &LABEL,
                cx,
                top + 1.5,
                label_w,
                Align::Left,
            );
            bottom = bottom.max(flow.lines_at(
                &lines,
                &BODY,
                cx + label_w,
                top,
                half - label_w,
                Align::Left,
            ));
        }
        flow.y = bottom + 2.0;
    }
}

fn rule_below(flow: &mut Flow, gap: f32) {
    let g = flow.geometry;
    flow.y += gap / 2.0;
    flow.rule(g.left, g.content_width(), BORDER, 0.5);
    flow.y += gap;
}

/// The verdict in a tinted box with a coloured bar: feasible or not, seeding, backlogs.
pub fn verdict_box(flow: &mut Flow, report: &Report) {
    let v = verdict(report);
    let g = flow.geometry;
    let (x, w) = (g.left, g.content_width());
    let inner = w - 2.0 * PAD - 4.0;
    let kicker = if v.feasible {
        "FEASIBLE"
    } else {
        "NOT FEASIBLE"
    };
    let (bar, tint) = if v.feasible {
        (GOOD, GOOD_TINT)
    } else {
        (BAD, BAD_TINT)
    };
    let blocks: Vec<(Vec<String>, TextStyle)> = std::iter::once((v.headline.clone(), VERDICT))
        .chain(std::iter::once((v.seeding.clone(), BODY)))
        .chain(
            v.details
                .iter()
                .map(|d| (d.clone(), SMALL.color(style::TEXT))),
        )
        .map(|(text, style)| (flow.wrap(&text, &style, inner), style))
        .collect();
    let kicker_style = KICKER.color(bar);
    let height = PAD
        + kicker_style.leading
        + 2.0
        + blocks
            .iter()
            .map(|(lines, s)| lines.len() as f32 * s.leading + 3.0)
            .sum::<f32>()
        + PAD
        - 3.0;
    flow.keep(height);
    let top = flow.y;
    flow.bookmark("Verdict");
    flow.push(Item::Rect {
        x,
        y: top,
        w,
        h: height,
        fill: Some(tint),
        stroke: None,
    });
    flow.push(Item::Rect {
        x,
        y: top,
        w: 4.0,
        h: height,
        fill: Some(bar),
        stroke: None,
    });
    let tx = x + 4.0 + PAD;
    let mut y = flow.lines_at(
        &[kicker.to_string()],
        &kicker_style,
        tx,
        top + PAD,
        inner,
        Align::Left,
    ) + 2.0;
    for (lines, s) in &blocks {
        y = flow.lines_at(lines, s, tx, y, inner, Align::Left) + 3.0;
    }
    flow.y = top + height + 14.0;
}

/// The key-figure cards, three to a row, the headline first and wider: across the page,
/// or across two columns beside the first card when that leaves every row full (no
/// card alone on the last row). A row that moves to the next page gets a "continued"
/// heading there.
pub fn key_figure_cards(flow: &mut Flow, report: &Report) {
    let cards = key_figures(report);
    let Some((headline, rest)) = cards.split_first() else {
        return;
    };
    let g = flow.geometry;
    let (x, w) = (g.left, g.content_width());
    let cw = (w - 2.0 * GUTTER) / 3.0;
    // (cards, spans) per row; the headline spans three columns or two.
    let mut rows: Vec<Vec<(&Figure, usize, bool)>> = Vec::new();
    let beside = usize::from(rest.len() % 3 == 1);
    let mut first_row = vec![(headline, 3 - beside, true)];
    first_row.extend(rest[..beside].iter().map(|c| (c, 1, false)));
    rows.push(first_row);
    rows.extend(
        rest[beside..]
            .chunks(3)
            .map(|chunk| chunk.iter().map(|c| (c, 1, false)).collect()),
    );
    let span_width = |span: usize| span as f32 * cw + (span - 1) as f32 * GUTTER;
    let heights: Vec<f32> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(c, span, big)| card_height(flow, c, span_width(*span), *big))
                .fold(0.0, f32::max)
        })
        .collect();
    heading(flow, "Key figures", heights[0]);
    for (row, h) in rows.iter().zip(&heights) {
        if *h > flow.room() {
            flow.new_page();
            continued(flow, "Key figures, continued");
        }
        let top = flow.y;
        let mut cx = x;
        for (card, span, big) in row {
            let cw = span_width(*span);
            draw_card(flow, card, cx, top, cw, *h, *big);
            cx += cw + GUTTER;
        }
        flow.y = top + h + GUTTER;
    }
    flow.y -= GUTTER;
}

fn card_height(flow: &Flow, card: &Figure, w: f32, big: bool) -> f32 {
    let inner = w - 2.0 * PAD;
    let label = flow.wrap(&card.label, &LABEL, inner).len() as f32 * LABEL.leading;
    let value = if big { FIGURE_BIG } else { FIGURE }.leading;
    let note = if card.note.is_empty() {
        0.0
    } else {
        flow.wrap(&card.note, &SMALL, inner).len() as f32 * SMALL.leading
    };
    PAD + label + 2.0 + value + note + PAD
}

fn draw_card(flow: &mut Flow, card: &Figure, x: f32, top: f32, w: f32, h: f32, big: bool) {
    flow.push(Item::Rect {
        x,
        y: top,
        w,
        h,
        fill: Some(TINT),
        stroke: Some((BORDER, 0.5)),
    });
    let inner = w - 2.0 * PAD;
    let tx = x + PAD;
    let lines = flow.wrap(&card.label, &LABEL, inner);
    let y = flow.lines_at(&lines, &LABEL, tx, top + PAD, inner, Align::Left) + 2.0;
    let value_style = if big { FIGURE_BIG } else { FIGURE };
    let unit_w = if card.unit.is_empty() {
        0.0
    } else {
        flow.fonts.width(UNIT.face, UNIT.size, card.unit) + 4.0
    };
    let base = y + value_style.ascent();
    let vw = flow.line_at(
        &card.value,
        &value_style,
        tx,
        base,
        inner - unit_w,
        Align::Left,
    );
    if !card.unit.is_empty() {
        flow.line_at(card.unit, &UNIT, tx + vw + 4.0, base, unit_w, Align::Left);
    }
    if !card.note.is_empty() {
        let lines = flow.wrap(&card.note, &SMALL, inner);
        flow.lines_at(
            &lines,
            &SMALL,
            tx,
            y + value_style.leading,
            inner,
            Align::Left,
        );
    }
}

/// Each chart across the text width, a page break never splitting one.
pub fn chart_pages(flow: &mut Flow, charts: &[Chart]) {
    let g = flow.geometry;
    let (x, w) = (g.left, g.content_width());
    for (i, chart) in charts.iter().enumerate() {
        let h = w * chart.aspect;
        if i == 0 {
            heading(flow, "Charts", h);
        } else {
            flow.keep(h);
        }
        let top = flow.y;
        flow.push(Item::Svg {
            x,
            y: top,
            w,
            h,
            tree: chart.tree.clone(),
        });
        flow.y = top + h + 16.0;
    }
}

/// What the first row of a table needs below its heading: a header and one row.
const TABLE_START: f32 = 48.0;

/// A table no taller than this goes on one page with its heading and introduction.
const SHORT_TABLE: f32 = 240.0;

fn section_table(flow: &mut Flow, title: &str, intro: Option<&str>, table: &Table) {
    if table.rows.is_empty() {
        return;
    }
    let g = flow.geometry;
    let intro_h = intro.map_or(0.0, |t| {
        flow.wrap(t, &BODY, g.content_width()).len() as f32 * BODY.leading + 6.0
    });
    let table_h = table::height(flow, table, g.content_width());
    let keep_with = if table_h <= SHORT_TABLE {
        intro_h + table_h
    } else {
        intro_h + TABLE_START
    };
    heading(flow, title, keep_with);
    if let Some(text) = intro {
        flow.paragraph(text, &BODY, g.left, g.content_width());
        flow.y += 6.0;
    }
    table::draw(flow, table, g.left, g.content_width());
}

/// Cost by calendar year, as on the page.
pub fn cost_by_year(flow: &mut Flow, r: &Report) {
    let rows = r
        .years
        .iter()
        .map(|y| {
            let k = &y.cost_usd;
            let year = if y.months < 12 {
                format!("{} ({} mo)", y.year, y.months)
            } else {
                y.year.to_string()
            };
            Row::new(vec![
                Cell::bold(year),
                Cell::new(usd_whole(k.egress + k.requests)),
                Cell::new(usd_whole(k.ports)),
                Cell::new(usd_whole(k.licence)),
                Cell::new(usd_whole(k.hardware + k.support)),
                Cell::new(usd_whole(k.power + k.space)),
                Cell::bold(usd_whole(k.total)),
                Cell::new(usd_whole(y.cumulative_usd)),
            ])
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::text("Year", 1.0),
            Column::figure("Egress"),
            Column::figure("Ports"),
            Column::figure("Licence"),
            Column::figure("Hardware + support"),
            Column::figure("Power + space"),
            Column::figure("Total"),
            Column::figure("Cumulative"),
        ],
        rows,
    };
    section_table(flow, "Cost by year (USD)", None, &table);
}

/// Where the lake lives (`cloud_cluster` scenarios): the object store, on-prem and the
/// cluster on cloud instances under both licences, by year, with the page's sentences.
pub fn cloud_placements(flow: &mut Flow, r: &Report) {
    use lakeplan_models::cloud::Placement;
    let Some(cloud) = r.summary.cloud.as_ref() else {
        return;
    };
    let rows = r
        .years
        .iter()
        .zip(&cloud.cheapest_by_year)
        .filter_map(|(y, cheapest)| {
            let p = y.placements?;
            let year = if y.months < 12 {
                format!("{} ({} mo)", y.year, y.months)
            } else {
                y.year.to_string()
            };
            let per = y.placements_usd_per_usable_tb_month;
            let mut cells = vec![Cell::bold(year)];
            for placement in Placement::ALL {
                let text = usd_whole(p.get(placement));
                let cell = if placement == cheapest.placement {
                    Cell::bold(text)
                } else {
                    Cell::new(text)
                };
                cells.push(match per {
                    Some(per) => cell.note(format!("${}/TB-month", grouped(per.get(placement), 2))),
                    None => cell,
                });
            }
            // The month that closes the year: what runs then.
            let last = r.months.iter().rev().find(|m| m.month.year() == y.year);
            let instances = last
                .and_then(|m| m.cloud_cluster)
                .map(|c| format!("{} ({})", grouped(c.instances as f64, 0), c.bound.as_str()))
                .unwrap_or_default();
            cells.push(Cell::new(instances));
            Some(Row::new(cells))
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::text("Year", 1.0),
            Column::figure("Object store"),
            Column::figure("On-prem"),
            Column::figure("Cloud, licence A"),
            Column::figure("Cloud, licence B"),
            Column::figure("Instances at year end (bound)"),
        ],
        rows,
    };
    let mut intro = format!(
        "On {} ({} vCPU, {} cores, {} TB local NVMe, {} Gbps) at ${}/hour, {}. ",
        cloud.instance.id,
        cloud.instance.vcpu,
        cloud.instance.physical_cores,
        grouped(cloud.instance.nvme_tb, 2),
        grouped(cloud.instance.network_gbps, 0),
        cloud.instance.usd_per_hour,
        cloud.instance.commitment.label()
    );
    intro.push_str(&cloud.sentences().join(" "));
    intro.push(' ');
    intro.push_str(&cloud.protection);
    intro.push_str(
        " The cheapest placement each year is in bold; under each total, its cost per usable TB-month the lake needs.",
    );
    section_table(flow, "Where the lake lives (USD)", Some(&intro), &table);
}

/// Every licence plan of the book on this cluster, over 3 and 5 years and the term
/// (`whatif::plans`), with the sentence the page shows. Left out when the plans cannot be
/// priced (the report's own figures are already in the document).
pub fn licence_plans(flow: &mut Flow, s: &lakeplan_models::scenario::Scenario) {
    let Ok(c) = lakeplan_models::whatif::plans::compare_plans(s) else {
        return;
    };
    let mut columns = vec![Column::text("Plan", 1.4)];
    for y in &c.periods {
        columns.push(Column::figure(&format!("Total, {y} years")));
        columns.push(Column::figure(&format!("$/TB-month, {y} y")));
    }
    let rows = c
        .plans
        .iter()
        .map(|p| {
            let mut cells = vec![if p.is_scenario_plan {
                Cell::bold(format!("{} (this plan)", p.plan))
            } else {
                Cell::new(p.plan.clone())
            }];
            for period in &p.periods {
                cells.push(Cell::new(lakeplan_models::display::usd_short(
                    period.total_usd,
                )));
                cells.push(Cell::new(
                    period
                        .usd_per_effective_tb_month
                        .map(|v| format!("${}", grouped(v, 2)))
                        .unwrap_or_else(|| "—".into()),
                ));
            }
            Row::new(cells)
        })
        .collect();
    let table = Table { columns, rows };
    section_table(
        flow,
        "Licence plans on this cluster",
        Some(&c.sentence),
        &table,
    );
}

/// The two topologies side by side, this plan's marked.
pub fn topology_comparison(flow: &mut Flow, r: &Report) {
    let rows = r
        .topologies
        .iter()
        .map(|t| {
            let name = topology_name(t.topology);
            let mine = t.topology == r.topology;
            let first = if mine {
                Cell::bold(format!("{name} (this plan)"))
            } else {
                Cell::new(name)
            };
            Row::new(vec![
                first.note(t.paths.join(", ")),
                Cell::new(significant(t.copies_leaving_cloud, 3)),
                Cell::new(lakeplan_models::display::usd_short(t.egress_usd)),
                Cell::new(grouped(t.max_cloud_ports_needed as f64, 0)),
                Cell::new(
                    t.seed_days
                        .map(lakeplan_models::display::days)
                        .unwrap_or_else(|| "never".into()),
                ),
                Cell::new(lakeplan_models::display::usd_short(t.total_cost_usd)),
            ])
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::text("Topology", 1.0),
            Column::figure("Copies leaving the cloud"),
            Column::figure("Egress"),
            Column::figure("Cloud ports needed"),
            Column::figure("Seeding (days)"),
            Column::figure("Total cost"),
        ],
        rows,
    };
    section_table(
        flow,
        "Chain vs fan-out",
        Some("In a chain the cloud sends one copy and each site forwards it to the next; in a fan-out every site fetches its own copy from the cloud."),
        &table,
    );
}

/// The scenario's change against the other statements of it.
pub fn claims_check(flow: &mut Flow, r: &Report) {
    let rows = r
        .claims
        .iter()
        .map(|cl| {
            let vs = if cl.agrees_with_plan {
                "agrees".to_string()
            } else if cl.ratio_to_plan < 1.0 {
                format!("{}× lower", significant(cl.factor, 3))
            } else {
                format!("{}× higher", significant(cl.factor, 3))
            };
            Row::new(vec![
                Cell::new(cl.label.clone()),
                Cell::new(grouped(cl.percent_per_day, 2)),
                Cell::new(grouped(cl.tbps, 3)),
                Cell::new(grouped(cl.pb_per_month, 1)),
                Cell::new(vs),
            ])
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::text("Statement", 1.0),
            Column::figure("%/day"),
            Column::figure("Tbps"),
            Column::figure("PB/month"),
            Column::figure("vs the plan"),
        ],
        rows,
    };
    let intro = if r.claims.len() > 1 {
        "The plan's change stated three ways at the initial lake size, and how far each other statement of it is from the plan's."
    } else {
        "The plan's change stated three ways at the initial lake size."
    };
    section_table(flow, "Claims check", Some(intro), &table);
}

/// The last month of each calendar year in the horizon.
fn year_ends(r: &Report) -> Vec<&MonthRow> {
    r.years
        .iter()
        .filter_map(|y| r.months.iter().rfind(|m| m.month.year() == y.year))
        .collect()
}

fn backlog_words(b: BacklogKind) -> &'static str {
    match b {
        BacklogKind::KeepsUp => "keeps up",
        BacklogKind::DrainsAfterPeak => "drains after the peak",
        BacklogKind::GrowsForever => "grows every day",
    }
}

/// Each path at each year's end: what it carries against what it can.
pub fn network_by_year(flow: &mut Flow, r: &Report) {
    let mut rows = Vec::new();
    for m in year_ends(r) {
        for (i, p) in m.paths.iter().enumerate() {
            let month = if i == 0 {
                Cell::bold(m.month.to_string())
            } else {
                Cell::new("")
            };
            rows.push(Row::new(vec![
                month,
                Cell::new(p.name.to_string()),
                Cell::new(grouped(p.sustained_gbps, 1)),
                Cell::new(grouped(p.payload_capacity_gbps, 1)),
                Cell::new(format!("{} %", grouped(p.utilization * 100.0, 1))),
                Cell::new(grouped(f64::from(p.ports), 0)),
                if p.feasible {
                    Cell::new(grouped(p.ports_needed as f64, 0))
                } else {
                    Cell::bold(grouped(p.ports_needed as f64, 0))
                },
                Cell::new(backlog_words(p.backlog)),
            ]));
        }
    }
    let table = Table {
        columns: vec![
            Column::text("Month", 0.6),
            Column::text("Path", 1.2),
            Column::figure("Sustained (Gbps)"),
            Column::figure("Payload capacity (Gbps)"),
            Column::figure("Wire used, busy day"),
            Column::figure("Ports planned"),
            Column::figure("Ports needed"),
            Column::text("Backlog", 0.9),
        ],
        rows,
    };
    section_table(
        flow,
        "Network at each year's end",
        Some("Each replication path in the last month of each year: the change it carries, what its planned ports carry after framing and the utilisation ceiling, and the ports that would keep it up."),
        &table,
    );
}

/// Each site at each year's end: stored, installed, racks and power.
pub fn sites_by_year(flow: &mut Flow, r: &Report) {
    let mut rows = Vec::new();
    for m in year_ends(r) {
        for (i, s) in m.sites.iter().enumerate() {
            let month = if i == 0 {
                Cell::bold(m.month.to_string())
            } else {
                Cell::new("")
            };
            rows.push(Row::new(vec![
                month,
                Cell::new(s.name.to_string()),
                Cell::new(grouped(s.stored_pb, 1)),
                Cell::new(grouped(s.usable_pb, 1)),
                Cell::new(grouped(s.enclosures as f64, 0)),
                Cell::new(grouped(s.nodes as f64, 0)),
                Cell::new(grouped(s.racks as f64, 0)),
                Cell::new(grouped(s.power_kw, 0)),
            ]));
        }
    }
    let table = Table {
        columns: vec![
            Column::text("Month", 0.6),
            Column::text("Site", 1.2),
            Column::figure("Stored (PB)"),
            Column::figure("Usable (PB)"),
            Column::figure("Enclosures"),
            Column::figure("Nodes"),
            Column::figure("Racks"),
            Column::figure("IT power (kW)"),
        ],
        rows,
    };
    section_table(flow, "Sites at each year's end", None, &table);
}

/// When each site grows: one row per month with a change, two columns per site, each
/// cell "+added → installed", the site's first entry being its initial installation.
pub fn expansion(flow: &mut Flow, r: &Report) {
    let sites: Vec<&str> = r
        .months
        .first()
        .map(|m| m.sites.iter().map(|s| &*s.name).collect())
        .unwrap_or_default();
    let mut seen = vec![false; sites.len()];
    let mut rows: Vec<Row> = Vec::new();
    let mut month: Option<Month> = None;
    for e in &r.expansion {
        let Some(i) = sites.iter().position(|s| *s == &*e.site) else {
            continue;
        };
        if month != Some(e.month) {
            month = Some(e.month);
            let mut cells = vec![Cell::bold(e.month.to_string())];
            cells.extend((0..2 * sites.len()).map(|_| Cell::new("–")));
            rows.push(Row::new(cells));
        }
        let Some(row) = rows.last_mut() else {
            continue;
        };
        let initial = !seen[i];
        seen[i] = true;
        row.cells[1 + 2 * i] = Cell::new(step(initial, e.enclosures_added, e.enclosures_total));
        row.cells[2 + 2 * i] = Cell::new(step(initial, e.nodes_added, e.nodes_total));
    }
    let mut columns = vec![Column::text("Month", 1.0)];
    for s in &sites {
        columns.push(Column::figure(&format!("{s} enclosures")));
        columns.push(Column::figure(&format!("{s} nodes")));
    }
    let table = Table { columns, rows };
    section_table(
        flow,
        "Expansion schedule",
        Some("The months in which a site's cluster must grow: what is added → what is then installed. The first line is the initial installation."),
        &table,
    );
}

/// One site's change in one month: the installed count at first, then "+added → total",
/// or a dash when only the other kind of unit was added.
fn step(initial: bool, added: u64, total: u64) -> String {
    if initial {
        grouped(total as f64, 0)
    } else if added == 0 {
        "–".to_string()
    } else {
        format!(
            "+{} → {}",
            grouped(added as f64, 0),
            grouped(total as f64, 0)
        )
    }
}

/// A price as the book states it: every decimal it has, no more (`0.02`, `23.28`,
/// `35 000`), grouped.
fn book_value(v: f64) -> String {
    let text = v.to_string();
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    grouped(v, decimals)
}

/// The unit of a price-book value as a reader writes it.
pub fn unit_label(u: Unit) -> &'static str {
    match u {
        Unit::UsdPerGib => "$/GiB",
        Unit::UsdPerGb => "$/GB",
        Unit::EurPerGb => "€/GB",
        Unit::UsdPerGibMonth => "$/GiB-month",
        Unit::UsdPerHour => "$/hour",
        Unit::UsdPer10kRequests => "$/10k requests",
        Unit::UsdPerCoreYear => "$/core-year",
        Unit::UsdPerUsableTbYear => "$/usable TB-year",
        Unit::UsdPerUsableTb => "$/usable TB",
        Unit::UsdPerUsableTbMonth => "$/usable TB-month",
        Unit::UsdPerEnclosure => "$/enclosure",
        Unit::UsdPerNode => "$/node",
        Unit::UsdPerSwitch => "$/switch",
        Unit::UsdPerKwh => "$/kWh",
        Unit::UsdPerKwMonth => "$/kW-month",
        Unit::UsdPerEur => "$/€",
        Unit::PercentPerYear => "% a year",
        Unit::PercentOff => "% off",
        Unit::Ratio => "ratio",
    }
}

/// The price-book rows behind the figures, the placeholders flagged, and what the book
/// cannot price.
pub fn assumptions(flow: &mut Flow, r: &Report) {
    let a = &r.assumptions;
    if a.is_empty() {
        return;
    }
    let title = format!(
        "Assumptions: price book {} ({} rows, {} placeholders)",
        r.price_book,
        a.rows_used.len(),
        a.needs_override.len()
    );
    let intro = if a.needs_override.is_empty() {
        "Every price below is read from a dated, public source.".to_string()
    } else {
        format!(
            "Every dollar above comes from one of these rows. The {} marked \"replace with a quote\" hold a placeholder or estimate: confirm them before quoting.",
            if a.needs_override.len() == 1 { "row".to_string() } else { format!("{} rows", a.needs_override.len()) }
        )
    };
    let rows = a
        .rows_used
        .iter()
        .map(|row| {
            let flagged = row.needs_override();
            let mut value = Cell::new(book_value(row.value));
            if let Some(book) = row.overridden_from {
                value = value.note(format!("book: {}", book_value(book)));
            }
            let confidence = if flagged {
                Cell::bold(row.confidence.to_string()).note("replace with a quote")
            } else {
                Cell::new(row.confidence.to_string())
            };
            Row::new(vec![
                Cell::mono(row.id.clone()).note(row.item.clone()),
                Cell::new(row.used_for.clone()),
                value,
                Cell::new(unit_label(row.unit)),
                Cell::new(row.source.clone()),
                Cell::new(row.read_on.to_string()),
                confidence,
            ])
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::text("Price-book row", 1.9),
            Column::text("Prices", 0.7),
            Column::figure("Value"),
            Column::text("Unit", 0.75),
            Column::text("Source", 1.5),
            Column {
                header: "Read on".into(),
                align: Align::Left,
                width: table::Width::Fit,
            },
            Column::text("Confidence", 0.8),
        ],
        rows,
    };
    section_table(flow, &title, Some(&intro), &table);

    if !a.unpriced.is_empty() {
        let rows = a
            .unpriced
            .iter()
            .map(|u| {
                Row::new(vec![
                    Cell::mono(u.field.clone()),
                    Cell::new(u.reason.clone()),
                ])
            })
            .collect();
        let table = Table {
            columns: vec![
                Column::text("Scenario field", 0.7),
                Column::text("Why", 2.0),
            ],
            rows,
        };
        section_table(
            flow,
            "Not priced (counted as $0)",
            Some("The book has no price for these; the totals above leave them out."),
            &table,
        );
    }
}

/// Where the figures come from, in one line at the end.
pub fn colophon(flow: &mut Flow, input: &ProposalInput) {
    let g = flow.geometry;
    let r = input.report;
    let mut text = format!(
        "Computed by Lakeplan (model {}) with price book {} on {}.",
        r.model_version, r.price_book, input.date
    );
    if !r.assumptions.needs_override.is_empty() {
        text.push_str(
            " Costs resting on placeholder prices (see Assumptions) must be confirmed with quotes before this plan prices a purchase.",
        );
    }
    let lines = flow.wrap(&text, &SMALL, g.content_width());
    flow.keep(SECTION_GAP + lines.len() as f32 * SMALL.leading);
    flow.y += SECTION_GAP;
    flow.paragraph(&text, &SMALL, g.left, g.content_width());
}

//! Text: how wide a label will be, and how numbers read on an axis.
//!
//! An SVG string cannot measure its own text, and plotters' measurements do not fit a
//! chart that must look the same everywhere: without its `ttf` feature plotters guesses
//! 0.7 em per *byte* natively (so "→" counts three times), and on `wasm32-unknown-unknown`
//! it measures by inserting a `<span>` into the page's `<body>` (a forced reflow per label,
//! `unwrap`s that panic without a DOM, and sizes that differ from the server's render, so
//! the hydrated chart would not match the server's). Its `ab_glyph` feature is compiled
//! out on wasm32 altogether. So the charts never ask plotters to measure: labels are
//! placed with [`width`], a table of advance widths, and drawn as plain `<text>`.
//!
//! The table holds, per character, the wider of DejaVu Sans (the widest common
//! sans-serif, the usual Linux fallback) and Liberation Sans (metrically Arial and
//! Helvetica), rounded up; Segoe UI, Roboto and San Francisco are narrower still. An
//! estimate therefore errs towards more room, never towards overlap.

/// The faces the page uses (`style/main.css`), so an inlined chart matches the text
/// around it; the generic `sans-serif` last for the PDF and PNG renderers.
pub(crate) const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// Bold text is about this much wider than regular.
const BOLD: f64 = 1.08;

/// Advance widths of ASCII 32–126 in thousandths of an em: per character the wider of
/// DejaVu Sans and Liberation Sans, read from the fonts' `hmtx` tables.
const ASCII_MILLI_EM: [u16; 95] = [
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, //
    637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 557, //
    1016, 685, 687, 723, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863, 749, 788, //
    667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838, 557, //
    500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, //
    635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
];

/// Advance width of one character in em.
fn advance(c: char) -> f64 {
    let milli = match c {
        ' '..='~' => ASCII_MILLI_EM[c as usize - 32],
        '→' | '←' | '—' => 1000,
        '−' | '×' => 838,
        '–' => 557,
        '\u{2009}' | '\u{202f}' => 366,
        '\u{a0}' => 318,
        // Accented Latin, Greek, Cyrillic, currency signs: about a lower-case letter.
        c if (c as u32) < 0x2E80 => 660,
        // CJK and other wide scripts.
        _ => 1000,
    };
    f64::from(milli) / 1000.0
}

/// Room for what the advance widths leave out: hinting at small sizes, and renderers
/// that round each glyph's advance up to a whole pixel.
const SLACK: f64 = 1.03;

/// Estimated width in pixels of `text` at `font_px`.
pub(crate) fn width(text: &str, font_px: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(advance).sum();
    em * font_px * SLACK * if bold { BOLD } else { 1.0 }
}

/// `text` escaped for an XML attribute or element.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Dollars in three significant figures with a k/M/B suffix, for sentences
/// ("$26.0M"), where a full-precision figure would only get in the way.
pub(crate) fn usd_short(value: f64) -> String {
    // Three significant figures: 999 999 reads "$1.00M", not "$1 000k".
    let (scale, suffix) = usd_scale(value.abs() * 1.0005);
    let v = value / scale;
    let decimals = if v.abs() >= 100.0 || suffix.is_empty() {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!(
        "${}{suffix}",
        lakeplan_models::display::grouped(v, decimals)
    )
}

/// The k/M/B scale that keeps `magnitude` under a thousand.
pub(crate) fn usd_scale(magnitude: f64) -> (f64, &'static str) {
    if magnitude >= 1e9 {
        (1e9, "B")
    } else if magnitude >= 1e6 {
        (1e6, "M")
    } else if magnitude >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        // "→" is three bytes of UTF-8 but one glyph.
        let arrow = width("a → b", 10.0, false);
        assert!(arrow < 30.0, "{arrow}");
        assert!(width("2026-01", 14.0, false) > 50.0);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & 'c'"), "a&lt;b &amp; &apos;c&apos;");
    }

    #[test]
    fn short_dollars() {
        assert_eq!(usd_short(25_983_899.83), "$26.0M");
        assert_eq!(usd_short(1_934_000_000.0), "$1.93B");
        assert_eq!(usd_short(512.0), "$512");
        assert_eq!(usd_short(999_999.0), "$1.00M");
        assert_eq!(usd_short(150_000.0), "$150k");
    }
}

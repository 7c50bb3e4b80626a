//! Numbers as people read them. The model never rounds; every surface that shows a figure
//! (page, PDF) rounds here, so a figure reads the same wherever it appears.

/// Formats `value` with `decimals` places and groups thousands with a thin space
/// (SI style, unambiguous in every locale): `4166.6667, 3` → `4 166.667`.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "–".into()
        } else if value > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3 * 3 + 1);
    // A value that rounds to zero shows no sign: "-0.000" would read as a real negative.
    if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('−');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Dollars to the cent, grouped: `$25 983 899.83`. Tables use this.
pub fn usd(value: f64) -> String {
    sign_before_dollar(grouped(value, 2))
}

/// Whole dollars, grouped: `$25 983 900`. Year tables use this.
pub fn usd_whole(value: f64) -> String {
    sign_before_dollar(grouped(value, 0))
}

fn sign_before_dollar(text: String) -> String {
    match text.strip_prefix('−') {
        Some(rest) => format!("−${rest}"),
        None => format!("${text}"),
    }
}

/// Dollars with three significant figures and a suffix, for headlines: `$26.0 M`,
/// `$1.37 B`, `$845 k`. A headline states a magnitude; the table beside it has the cents.
pub fn usd_short(value: f64) -> String {
    let (scaled, suffix) = scale(value.abs());
    let body = format!("{}{}", significant(scaled, 3), suffix);
    if value < 0.0 && scaled != 0.0 {
        format!("−${body}")
    } else {
        format!("${body}")
    }
}

fn scale(v: f64) -> (f64, &'static str) {
    if v >= 1e12 {
        (v / 1e12, " T")
    } else if v >= 1e9 {
        (v / 1e9, " B")
    } else if v >= 1e6 {
        (v / 1e6, " M")
    } else if v >= 1e3 {
        (v / 1e3, " k")
    } else {
        (v, "")
    }
}

/// `value` to `digits` significant figures, grouped: `4166.67, 3` gives `4 170`,
/// `0.030 37, 3` gives `0.0304`.
pub fn significant(value: f64, digits: usize) -> String {
    if value == 0.0 || !value.is_finite() {
        return grouped(value, 0);
    }
    let magnitude = value.abs().log10().floor() as i64;
    let factor = 10f64.powi((digits as i64 - 1 - magnitude) as i32);
    let rounded = (value * factor).round() / factor;
    // Rounding can carry into a new digit (999.6 to 1 000): one decimal fewer then.
    let magnitude = rounded.abs().log10().floor() as i64;
    let decimals = (digits as i64 - 1 - magnitude).max(0) as usize;
    grouped(rounded, decimals)
}

/// A count of days, with the precision a schedule needs: one decimal under ten days
/// (`4.2`), whole days above (`46`).
pub fn days(d: f64) -> String {
    if d < 10.0 {
        grouped(d, 1)
    } else {
        grouped(d, 0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(usd(25_983_899.83), "$25\u{2009}983\u{2009}899.83");
        assert_eq!(usd_whole(-1500.4), "−$1\u{2009}500");
        assert_eq!(usd_short(25_983_899.83), "$26.0 M");
        assert_eq!(usd_short(1_369_687_500.0), "$1.37 B");
        assert_eq!(usd_short(845_210.0), "$845 k");
        assert_eq!(usd_short(12.5), "$12.5");
        assert_eq!(usd_short(0.0), "$0");
    }

    #[test]
    fn significant_figures() {
        assert_eq!(significant(4166.67, 3), "4\u{2009}170");
        assert_eq!(significant(0.030_37, 3), "0.0304");
        assert_eq!(significant(999.6, 3), "1\u{2009}000");
        assert_eq!(significant(45.8, 3), "45.8");
        assert_eq!(significant(1134.2, 3), "1\u{2009}130");
    }

    #[test]
    fn days_keep_a_decimal_only_under_ten() {
        assert_eq!(days(45.83), "46");
        assert_eq!(days(4.25), "4.2");
    }

    #[test]
    fn groups_thousands_with_thin_spaces() {
        assert_eq!(grouped(4_166.666_666, 3), "4\u{2009}166.667");
        assert_eq!(grouped(1_234_567.0, 0), "1\u{2009}234\u{2009}567");
        assert_eq!(grouped(999.5, 0), "1\u{2009}000");
        assert_eq!(grouped(12.0, 2), "12.00");
        assert_eq!(grouped(-1500.0, 1), "−1\u{2009}500.0");
        assert_eq!(grouped(-0.0001, 2), "0.00");
        assert_eq!(grouped(f64::INFINITY, 2), "∞");
    }
}

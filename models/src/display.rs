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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::grouped;

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

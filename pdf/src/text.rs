//! Fitting text into a box: wrapping onto lines and shortening with an ellipsis.
//!
//! Both take the measure as a function so the rules are tested with a made-up font (every
//! character one unit wide) where the expected lines can be worked out by hand, and used
//! with the real one.
//!
//! Lines break only at ASCII spaces and explicit newlines. Figures are grouped with thin
//! spaces (U+2009), which Unicode counts as whitespace: breaking there would split
//! "4 166.7" over two lines. A word wider than the box (a long URL or row id) is broken
//! between characters, preferring just after a `/`, `.`, `_`, `?` or `&`, then a `-`.

/// Splits `text` into lines no wider than `max` by `measure`. Never returns an empty list
/// (an empty text is one empty line), and never drops a character, except the spaces
/// where a line was broken.
pub fn wrap(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            if line.is_empty() {
                place_word(word, max, measure, &mut lines, &mut line);
                continue;
            }
            let candidate = format!("{line} {word}");
            if measure(&candidate) <= max {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                place_word(word, max, measure, &mut lines, &mut line);
            }
        }
        lines.push(line);
    }
    lines
}

/// Starts a line with `word`, breaking it first if it alone is wider than `max`; the last
/// piece stays in `line` for the next words to join.
fn place_word(
    word: &str,
    max: f32,
    measure: &dyn Fn(&str) -> f32,
    lines: &mut Vec<String>,
    line: &mut String,
) {
    let mut rest = word;
    // A last character wider than the box stays on its line: it cannot be split.
    while measure(rest) > max && rest.chars().nth(1).is_some() {
        let cut = break_point(rest, max, measure);
        lines.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    *line = rest.to_string();
}

/// Where to cut a word too wide for `max`: after the last `/ . _ ? &` that fits, else
/// after the last hyphen (a break there reads as a hyphenated word, and text extractors
/// rejoin it without the hyphen), else after the last character that fits, and always
/// after at least one character so the loop ends even when one character is wider than
/// the box.
fn break_point(word: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> usize {
    let mut fits = 0;
    let mut friendly = 0;
    let mut hyphen = 0;
    for (i, c) in word.char_indices() {
        let end = i + c.len_utf8();
        if measure(&word[..end]) > max {
            break;
        }
        fits = end;
        match c {
            '/' | '.' | '_' | '?' | '&' => friendly = end,
            '-' => hyphen = end,
            _ => {}
        }
    }
    [friendly, hyphen, fits]
        .into_iter()
        .find(|&cut| cut > 0)
        .unwrap_or_else(|| word.chars().next().map_or(word.len(), char::len_utf8))
}

/// `text` if it fits in `max`, else as many of its first characters as fit followed by
/// "…". Used where a second line has no room: a footer, a one-line cell.
pub fn ellipsize(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> String {
    if measure(text) <= max {
        return text.to_string();
    }
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    // The longest prefix that fits with the ellipsis; widths grow with the prefix, so
    // search for it by halves.
    let (mut lo, mut hi) = (0usize, ends.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = format!("{}…", text[..ends[mid - 1]].trim_end());
        if measure(&candidate) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        "…".to_string()
    } else {
        format!("{}…", text[..ends[lo - 1]].trim_end())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A monospaced test font: one unit per character.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn wraps_greedily_at_spaces() {
        // "the quick" is 9 wide, "the quick brown" 15 > 10.
        assert_eq!(
            wrap("the quick brown fox jumps", 10.0, &chars),
            ["the quick", "brown fox", "jumps"]
        );
        // Exactly the width still fits.
        assert_eq!(wrap("abcde fghi", 10.0, &chars), ["abcde fghi"]);
    }

    #[test]
    fn keeps_thin_spaced_figures_together() {
        let text = "total 1\u{2009}234\u{2009}567 dollars";
        let lines = wrap(text, 14.0, &chars);
        assert_eq!(lines, ["total", "1\u{2009}234\u{2009}567", "dollars"]);
    }

    #[test]
    fn honours_newlines_and_collapses_runs_of_spaces() {
        assert_eq!(wrap("a  b\n\nc", 10.0, &chars), ["a b", "", "c"]);
        assert_eq!(wrap("", 10.0, &chars), [""]);
    }

    #[test]
    fn breaks_a_word_wider_than_the_box_at_a_friendly_character() {
        // 8 wide: "https://" fits exactly, then "example." then the rest.
        assert_eq!(
            wrap("https://example.org/x", 8.0, &chars),
            ["https://", "example.", "org/x"]
        );
        // A dot is preferred to a later hyphen; a hyphen to no break character at all.
        assert_eq!(
            wrap("power.electricity.us-va", 21.0, &chars),
            ["power.electricity.", "us-va"]
        );
        assert_eq!(
            wrap("core-plus-capacity", 12.0, &chars),
            ["core-plus-", "capacity"]
        );
        // No friendly character: cut where it stops fitting.
        assert_eq!(wrap("abcdefghij", 4.0, &chars), ["abcd", "efgh", "ij"]);
        // A box narrower than one character still makes progress, one per line.
        assert_eq!(wrap("ab", 0.5, &chars), ["a", "b"]);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let text = "Three sites each fetch their own copy over the internet: fan-out pays \
                    egress three times where a chain pays once.";
        for max in [5.0, 12.0, 30.0, 200.0] {
            let lines = wrap(text, max, &chars);
            assert!(lines.iter().all(|l| chars(l) <= max), "{max}: {lines:?}");
            let words: Vec<&str> = text.split(' ').collect();
            let rejoined = lines.join(" ");
            // Long words broken over lines come back with a space inside; compare letters.
            let strip = |s: &str| s.replace(' ', "");
            assert_eq!(strip(&rejoined), strip(&words.join(" ")));
        }
    }

    #[test]
    fn ellipsizes_only_what_does_not_fit() {
        assert_eq!(ellipsize("Region 1", 8.0, &chars), "Region 1");
        // 6 wide: five characters and the ellipsis.
        assert_eq!(ellipsize("Region 12", 6.0, &chars), "Regio…");
        // A trailing space before the ellipsis is dropped.
        assert_eq!(ellipsize("ab cdef", 4.0, &chars), "ab…");
        assert_eq!(ellipsize("abc", 0.5, &chars), "…");
    }
}

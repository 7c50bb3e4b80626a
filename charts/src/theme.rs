//! Colours. Every series colour is from the Okabe–Ito palette, which stays distinct under
//! the common colour-vision deficiencies; which of its eight colours draw *lines* depends
//! on the background, because a thin line needs 3:1 contrast against it (WCAG 1.4.11)
//! and half the palette fails that on white (orange 2.2:1, sky blue 2.3:1, yellow 1.3:1)
//! while blue fails it on the dark surface. Filled areas touch each other rather than the
//! background, so they use all eight in both themes.
//!
//! The neutral colours are the page's own (`style/main.css`: `--surface`, `--text`,
//! `--muted`, `--border`), so an inlined chart sits on its card without a seam.

use plotters::style::RGBColor;

const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);

pub(crate) struct Theme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    /// For lines, best contrast first.
    pub lines: [RGBColor; 6],
    /// Cost components, in the order of `Costs`' fields.
    pub components: [RGBColor; 8],
}

pub(crate) const LIGHT: Theme = Theme {
    background: RGBColor(0xFF, 0xFF, 0xFF),
    text: RGBColor(0x1B, 0x24, 0x30),
    muted: RGBColor(0x5B, 0x67, 0x78),
    grid: RGBColor(0xD5, 0xDB, 0xE3),
    // Blue 5.2:1, vermillion 3.9:1, bluish green 3.5:1, reddish purple 3.1:1 on white;
    // the last two are below 3:1 and only used past four paths or sites.
    lines: [
        BLUE,
        VERMILLION,
        BLUISH_GREEN,
        REDDISH_PURPLE,
        ORANGE,
        SKY_BLUE,
    ],
    components: [
        VERMILLION,
        YELLOW,
        SKY_BLUE,
        REDDISH_PURPLE,
        BLUE,
        ORANGE,
        BLUISH_GREEN,
        RGBColor(0x8C, 0x8C, 0x8C),
    ],
};

pub(crate) const DARK: Theme = Theme {
    background: RGBColor(0x1A, 0x21, 0x2B),
    text: RGBColor(0xE6, 0xEB, 0xF2),
    muted: RGBColor(0x9A, 0xA6, 0xB6),
    grid: RGBColor(0x2E, 0x39, 0x46),
    // Sky blue 8.0:1, orange 7.2:1, reddish purple 5.0:1, bluish green 4.4:1, yellow
    // 12:1, vermillion 3.8:1 on #1a212b; the same hue families as the light theme's
    // first two, so "the blue line" is the same path in both.
    lines: [
        SKY_BLUE,
        ORANGE,
        BLUISH_GREEN,
        REDDISH_PURPLE,
        YELLOW,
        VERMILLION,
    ],
    components: [
        VERMILLION,
        YELLOW,
        SKY_BLUE,
        REDDISH_PURPLE,
        BLUE,
        ORANGE,
        BLUISH_GREEN,
        RGBColor(0xA6, 0xA6, 0xA6),
    ],
};

impl Theme {
    pub(crate) fn of(dark: bool) -> &'static Theme {
        if dark {
            &DARK
        } else {
            &LIGHT
        }
    }
    /// The colour of the `i`-th path or site.
    pub(crate) fn line(&self, i: usize) -> RGBColor {
        self.lines[i % self.lines.len()]
    }
}

/// `c` mixed into `bg` (`t` of `c`): a light tint of a series colour for a filled band,
/// which the SVG backend draws without transparency.
pub(crate) fn blend(c: RGBColor, bg: RGBColor, t: f64) -> RGBColor {
    let mix = |a: u8, b: u8| (f64::from(a) * t + f64::from(b) * (1.0 - t)).round() as u8;
    RGBColor(mix(c.0, bg.0), mix(c.1, bg.1), mix(c.2, bg.2))
}

/// `#rrggbb`, for the text layer the charts write themselves.
pub(crate) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.040_45 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn the_first_four_lines_and_all_text_read_on_their_background() {
        for theme in [&LIGHT, &DARK] {
            for &c in &theme.lines[..4] {
                assert!(contrast(c, theme.background) >= 3.0, "{}", hex(c));
            }
            assert!(contrast(theme.text, theme.background) >= 7.0);
            assert!(contrast(theme.muted, theme.background) >= 4.5);
        }
    }
}

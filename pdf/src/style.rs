//! The proposal's look: colours and the hierarchy of text sizes.
//!
//! The neutrals and accents are the page's (`style/main.css`) and the charts' light theme
//! (`charts/src/theme.rs`, Okabe–Ito), so the PDF reads as the same product. Body text is
//! 9.5 pt: a dense technical proposal printed on A4 still reads at arm's length; figures
//! that matter are larger, captions and sources smaller, never below 7 pt.

use crate::fonts::Face;

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub face: Face,
    /// Points.
    pub size: f32,
    pub color: Color,
    /// Baseline to baseline, points.
    pub leading: f32,
}

impl TextStyle {
    pub const fn new(face: Face, size: f32, color: Color) -> TextStyle {
        TextStyle {
            face,
            size,
            color,
            leading: size * 1.3,
        }
    }

    pub const fn leading(self, leading: f32) -> TextStyle {
        TextStyle { leading, ..self }
    }

    pub const fn color(self, color: Color) -> TextStyle {
        TextStyle { color, ..self }
    }

    /// From the top of a line box to its baseline: the cap height and a little, so a line
    /// placed at `y` has its capitals just below `y`.
    pub fn ascent(&self) -> f32 {
        self.size * 0.8 + (self.leading - self.size) / 2.0
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

pub const TEXT: Color = Color(0x1B, 0x24, 0x30);
pub const MUTED: Color = Color(0x5B, 0x67, 0x78);
pub const BORDER: Color = Color(0xD5, 0xDB, 0xE3);
/// Table header and card backgrounds.
pub const TINT: Color = Color(0xF3, 0xF5, 0xF8);
pub const ACCENT: Color = Color(0x00, 0x72, 0xB2);
pub const GOOD: Color = Color(0x00, 0x7A, 0x5A);
pub const GOOD_TINT: Color = Color(0xE6, 0xF4, 0xEF);
pub const BAD: Color = Color(0xB3, 0x4A, 0x00);
pub const BAD_TINT: Color = Color(0xFB, 0xEE, 0xE4);

pub const TITLE: TextStyle = TextStyle::new(Face::Bold, 22.0, TEXT).leading(27.0);
pub const KICKER: TextStyle = TextStyle::new(Face::Bold, 9.0, ACCENT);
pub const SUBTITLE: TextStyle = TextStyle::new(Face::Regular, 12.0, MUTED).leading(16.0);
pub const H2: TextStyle = TextStyle::new(Face::Bold, 13.0, TEXT).leading(17.0);
pub const BODY: TextStyle = TextStyle::new(Face::Regular, 9.5, TEXT).leading(13.0);
pub const VERDICT: TextStyle = TextStyle::new(Face::Bold, 12.0, TEXT).leading(16.0);
pub const SMALL: TextStyle = TextStyle::new(Face::Regular, 8.0, MUTED).leading(10.5);
pub const LABEL: TextStyle = TextStyle::new(Face::Regular, 8.0, MUTED).leading(10.0);
pub const FIGURE: TextStyle = TextStyle::new(Face::Bold, 15.0, TEXT).leading(19.0);
pub const FIGURE_BIG: TextStyle = TextStyle::new(Face::Bold, 22.0, TEXT).leading(26.0);
pub const UNIT: TextStyle = TextStyle::new(Face::Regular, 9.0, MUTED);
pub const CELL: TextStyle = TextStyle::new(Face::Regular, 8.5, TEXT).leading(11.0);
pub const CELL_BOLD: TextStyle = TextStyle::new(Face::Bold, 8.5, TEXT).leading(11.0);
pub const CELL_MONO: TextStyle = TextStyle::new(Face::Mono, 7.5, TEXT).leading(11.0);
pub const CELL_NOTE: TextStyle = TextStyle::new(Face::Regular, 7.5, MUTED).leading(9.5);
pub const HEADER: TextStyle = TextStyle::new(Face::Bold, 7.5, MUTED).leading(9.5);
pub const FOOTER: TextStyle = TextStyle::new(Face::Regular, 7.5, MUTED);

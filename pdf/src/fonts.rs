//! The typefaces, compiled into the binary, and text measured exactly as it is drawn.
//!
//! A proposal must look the same from a laptop, the server and CI, so nothing is looked up
//! on the system: Liberation Sans (metrically Arial, so the page's fallback and the PDF
//! set text alike) and Liberation Mono, from Debian's `fonts-liberation2` 2.1.5, are in
//! `data/fonts/` with their licence (SIL OFL 1.1). The PDF embeds only the glyphs it uses.
//!
//! Text is shaped once with rustybuzz (the shaper krilla itself uses), and the same glyphs
//! are both measured for layout and drawn, so a right-aligned figure ends exactly at its
//! column's edge and a wrapped line never runs past its box by a kerning pair.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::UnicodeBuffer;

use crate::PdfError;

const SANS: &[u8] = include_bytes!("../../data/fonts/LiberationSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../data/fonts/LiberationSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../../data/fonts/LiberationMono-Regular.ttf");

/// Which typeface a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    /// Price-book row ids and other identifiers a reader may type back.
    Mono,
}

impl Face {
    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Mono => 2,
        }
    }
}

struct Typeface {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

/// The loaded faces: one copy per PDF (fonts parse in well under a millisecond).
pub struct Fonts {
    faces: [Typeface; 3],
}

/// Glyphs ready to draw, and how wide they are.
#[derive(Debug, Clone)]
pub struct Shaped {
    pub glyphs: Vec<KrillaGlyph>,
    /// Points, at the size it was shaped for.
    pub width: f32,
}

impl Fonts {
    pub fn load() -> Result<Fonts, PdfError> {
        let face = |data: &'static [u8], name: &'static str| -> Result<Typeface, PdfError> {
            let pdf = Font::new(data.into(), 0).ok_or(PdfError::Font(name))?;
            let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(PdfError::Font(name))?;
            let units_per_em = shaper.units_per_em() as f32;
            Ok(Typeface {
                pdf,
                shaper,
                units_per_em,
            })
        };
        Ok(Fonts {
            faces: [
                face(SANS, "Liberation Sans")?,
                face(SANS_BOLD, "Liberation Sans Bold")?,
                face(MONO, "Liberation Mono")?,
            ],
        })
    }

    /// The font files, for the SVG renderer's font database.
    pub fn files() -> [&'static [u8]; 3] {
        [SANS, SANS_BOLD, MONO]
    }

    pub fn pdf_font(&self, face: Face) -> Font {
        self.faces[face.index()].pdf.clone()
    }

    /// Shapes `text` in `face` at `size` points.
    pub fn shape(&self, face: Face, size: f32, text: &str) -> Shaped {
        let t = &self.faces[face.index()];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let out = rustybuzz::shape(&t.shaper, &[], buffer);
        let infos = out.glyph_infos();
        let upem = t.units_per_em;
        let mut width = 0.0;
        let glyphs = out
            .glyph_positions()
            .iter()
            .enumerate()
            .map(|(i, pos)| {
                let start = infos[i].cluster as usize;
                // Left-to-right text only: a cluster runs to the next glyph's cluster.
                let end = infos[i + 1..]
                    .iter()
                    .map(|g| g.cluster as usize)
                    .find(|&c| c != start)
                    .unwrap_or(text.len());
                let advance = pos.x_advance as f32 / upem;
                width += advance;
                KrillaGlyph::new(
                    GlyphId::new(infos[i].glyph_id),
                    advance,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                )
            })
            .collect();
        Shaped {
            glyphs,
            width: width * size,
        }
    }

    /// How wide `text` is in `face` at `size` points.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        self.shape(face, size, text).width
    }

    /// Whether every character of `text` has a glyph in `face` (no tofu boxes).
    #[cfg(test)]
    pub fn covers(&self, face: Face, text: &str) -> bool {
        let t = &self.faces[face.index()];
        text.chars()
            .all(|c| c.is_control() || t.shaper.glyph_index(c).is_some())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Liberation Sans is metrically Arial: digits are 0.556 em (1139 of 2048 units), so
    /// "0000" at 10 pt is 4 × 5.56 = 22.25 pt; tabular digits make columns line up.
    #[test]
    fn digits_are_tabular_and_measured_like_arial() {
        let f = Fonts::load().unwrap();
        let w = f.width(Face::Regular, 10.0, "0000");
        assert!((w - 4.0 * 1139.0 / 2048.0 * 10.0).abs() < 1e-3, "{w}");
        assert_eq!(
            f.width(Face::Regular, 10.0, "1234"),
            f.width(Face::Regular, 10.0, "9876")
        );
        // Twice the size, twice the width.
        assert!(
            (f.width(Face::Bold, 20.0, "Total") - 2.0 * f.width(Face::Bold, 10.0, "Total")).abs()
                < 1e-3
        );
    }

    #[test]
    fn the_faces_cover_what_the_figures_print() {
        let f = Fonts::load().unwrap();
        // Thin-space grouping, minus sign, arrows, multiplication and dashes.
        let text = "4\u{2009}166.7 −$1\u{2009}500 450 → 770 PB 3× – — … ≈ µ €";
        for face in [Face::Regular, Face::Bold] {
            assert!(f.covers(face, text), "{face:?}");
        }
        // Mono sets row ids and field paths, ASCII by the price book's rules, and the
        // ellipsis that shortens one.
        assert!(f.covers(
            Face::Mono,
            "licence.core-plus-capacity.term.t3 links.inter_site …"
        ));
        assert!(!f.covers(Face::Regular, "⚠"));
    }

    #[test]
    fn clusters_cover_the_text() {
        let f = Fonts::load().unwrap();
        let s = f.shape(Face::Regular, 9.0, "A→b");
        let ranges: Vec<_> = s.glyphs.iter().map(|g| g.text_range.clone()).collect();
        assert_eq!(ranges, [0..1, 1..4, 4..5]);
    }
}

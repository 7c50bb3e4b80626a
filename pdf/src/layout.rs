//! Pages as lists of placed items, and the cursor that fills them top to bottom.
//!
//! The document is laid out completely before anything is drawn: only then is the page
//! count known for "Page 2 of 5", and the tests can check every placed item (nothing past
//! a margin, a table's header on each page it spans) without reading a PDF back.
//!
//! Coordinates are PDF points (1/72 in) from the page's top-left corner, y downwards,
//! as krilla takes them; a text's `y` is its baseline.

use std::sync::Arc;

use krilla::text::KrillaGlyph;

use crate::fonts::Fonts;
use crate::style::{Color, TextStyle};
use crate::text::{ellipsize, wrap};

/// A4, 210 × 297 mm. The customers of a data-lake plan are mostly outside North America,
/// and Letter printers fit A4 with a scale of 97 %; margins leave room for either.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    /// Space below the flow, where the footer sits.
    pub bottom: f32,
}

impl Geometry {
    pub const A4: Geometry = Geometry {
        width: 595.276,
        height: 841.89,
        left: 54.0,
        right: 54.0,
        top: 54.0,
        bottom: 60.0,
    };

    pub fn content_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    /// Where the flow's content ends.
    pub fn floor(&self) -> f32 {
        self.height - self.bottom
    }
}

/// One thing drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    Text {
        x: f32,
        /// Baseline.
        y: f32,
        text: String,
        style: TextStyle,
        glyphs: Vec<KrillaGlyph>,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Color,
        width: f32,
    },
    /// A chart, parsed once, scaled into the box.
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        tree: Arc<usvg::Tree>,
    },
    /// A clickable area opening `url`.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        url: String,
    },
}

/// A heading to list in the PDF's outline (bookmarks).
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// Horizontal alignment of a run within its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// The pages laid out so far and where the next block goes.
pub struct Flow<'f> {
    pub fonts: &'f Fonts,
    pub geometry: Geometry,
    pub pages: Vec<Vec<Item>>,
    pub bookmarks: Vec<Bookmark>,
    /// Top of the free space on the last page.
    pub y: f32,
}

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts, geometry: Geometry) -> Flow<'f> {
        Flow {
            fonts,
            geometry,
            pages: vec![Vec::new()],
            bookmarks: Vec::new(),
            y: geometry.top,
        }
    }

    /// Height left on the current page.
    pub fn room(&self) -> f32 {
        self.geometry.floor() - self.y
    }

    /// Nothing placed on the current page yet.
    pub fn at_top(&self) -> bool {
        self.y <= self.geometry.top
    }

    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.geometry.top;
    }

    /// Starts a new page unless `height` fits on this one. A block taller than a whole
    /// page goes at the top of a fresh one (its own code must split it further).
    pub fn keep(&mut self, height: f32) {
        if height > self.room() && !self.at_top() {
            self.new_page();
        }
    }

    pub fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    pub fn bookmark(&mut self, title: &str) {
        self.bookmarks.push(Bookmark {
            title: title.to_string(),
            page: self.page_index(),
            y: self.y,
        });
    }

    /// Places one line of text with its baseline at `y`, inside `[x, x + width]`, aligned;
    /// shortened with an ellipsis if it would not fit. Returns the width drawn.
    pub fn line_at(
        &mut self,
        text: &str,
        style: &TextStyle,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> f32 {
        let item = self.run(text, style, x, y, width, align);
        let w = match &item {
            Item::Text { width, .. } => *width,
            _ => 0.0,
        };
        self.push(item);
        w
    }

    /// The text item [`Flow::line_at`] places, for placing it elsewhere (a footer).
    pub fn run(
        &self,
        text: &str,
        style: &TextStyle,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> Item {
        let fonts = self.fonts;
        let measure = |s: &str| fonts.width(style.face, style.size, s);
        let fitted = ellipsize(text, width, &measure);
        let shaped = fonts.shape(style.face, style.size, &fitted);
        let left = match align {
            Align::Left => x,
            Align::Right => x + width - shaped.width,
        };
        Item::Text {
            x: left,
            y,
            text: fitted,
            style: *style,
            glyphs: shaped.glyphs,
            width: shaped.width,
        }
    }

    /// The lines `text` wraps into at `width`.
    pub fn wrap(&self, text: &str, style: &TextStyle, width: f32) -> Vec<String> {
        let fonts = self.fonts;
        wrap(text, width, &|s: &str| {
            fonts.width(style.face, style.size, s)
        })
    }

    /// Draws `lines` from the line box at `y` down, outside the flow (inside a card or a
    /// box whose height was measured first). Returns the `y` below the last line.
    pub fn lines_at(
        &mut self,
        lines: &[String],
        style: &TextStyle,
        x: f32,
        y: f32,
        width: f32,
        align: Align,
    ) -> f32 {
        let mut y = y;
        for line in lines {
            self.line_at(line, style, x, y + style.ascent(), width, align);
            y += style.leading;
        }
        y
    }

    /// A wrapped paragraph in the flow at `x`, `width` wide, moving to a new page between
    /// lines when the page is full. Advances the cursor past it.
    pub fn paragraph(&mut self, text: &str, style: &TextStyle, x: f32, width: f32) {
        for line in self.wrap(text, style, width) {
            self.keep(style.leading);
            let y = self.y + style.ascent();
            self.line_at(&line, style, x, y, width, Align::Left);
            self.y += style.leading;
        }
    }

    /// A horizontal rule across `[x, x + width]` at the cursor.
    pub fn rule(&mut self, x: f32, width: f32, color: Color, thickness: f32) {
        let y = self.y;
        self.push(Item::Line {
            x1: x,
            y1: y,
            x2: x + width,
            y2: y,
            color,
            width: thickness,
        });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fonts::Face;
    use crate::style::TEXT;

    /// Every text item lies inside the page's margins, horizontally and vertically.
    pub(crate) fn assert_inside_margins(pages: &[Vec<Item>], g: &Geometry) {
        for (p, page) in pages.iter().enumerate() {
            for item in page {
                if let Item::Text {
                    x, y, width, text, ..
                } = item
                {
                    assert!(
                        *x >= g.left - 0.01 && x + width <= g.width - g.right + 0.01,
                        "page {}: {text:?} from {x} to {} leaves the margins",
                        p + 1,
                        x + width
                    );
                    assert!(
                        *y > g.top - 0.01 && *y <= g.floor() + 0.01,
                        "page {}: {text:?} at y {y} is outside the flow",
                        p + 1
                    );
                }
            }
        }
    }

    pub(crate) fn texts(page: &[Item]) -> Vec<&str> {
        page.iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_long_paragraph_continues_on_the_next_page() {
        let fonts = Fonts::load().unwrap();
        let g = Geometry {
            height: 200.0,
            ..Geometry::A4
        };
        let mut flow = Flow::new(&fonts, g);
        let style = TextStyle::new(Face::Regular, 10.0, TEXT);
        let text = "word ".repeat(400);
        flow.paragraph(&text, &style, g.left, g.content_width());
        // 86 points of flow hold 6 lines of 13 points.
        let per_page = ((g.floor() - g.top) / style.leading).floor() as usize;
        assert_eq!(per_page, 6);
        let lines = flow.wrap(&text, &style, g.content_width()).len();
        assert_eq!(flow.pages.len(), lines.div_ceil(per_page));
        assert!(flow.pages.iter().all(|p| !p.is_empty()));
        assert_inside_margins(&flow.pages, &g);
    }

    #[test]
    fn right_aligned_runs_end_at_the_box_edge() {
        let fonts = Fonts::load().unwrap();
        let mut flow = Flow::new(&fonts, Geometry::A4);
        let style = TextStyle::new(Face::Regular, 9.0, TEXT);
        for text in ["$1\u{2009}234", "$98\u{2009}765\u{2009}432", "7"] {
            flow.line_at(text, &style, 100.0, 80.0, 120.0, Align::Right);
        }
        for item in &flow.pages[0] {
            let Item::Text { x, width, .. } = item else {
                panic!()
            };
            assert!((x + width - 220.0).abs() < 1e-3);
        }
    }

    #[test]
    fn a_line_too_long_for_its_box_is_shortened() {
        let fonts = Fonts::load().unwrap();
        let mut flow = Flow::new(&fonts, Geometry::A4);
        let style = TextStyle::new(Face::Bold, 12.0, TEXT);
        let w = flow.line_at(
            "A scenario name far too long to fit in the footer of a page",
            &style,
            54.0,
            60.0,
            100.0,
            Align::Left,
        );
        assert!(w <= 100.0);
        assert!(texts(&flow.pages[0])[0].ends_with('…'));
    }
}

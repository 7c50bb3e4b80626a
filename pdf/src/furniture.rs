//! What every page carries besides its content: a rule and a footer with the document's
//! name on the left and "Page 2 of 5" on the right, so a printed page that strays from
//! its stack can be put back, and a reader knows none is missing.

use crate::layout::{Align, Flow, Item};
use crate::style::{BORDER, FOOTER};

/// Adds the footer to every page laid out so far; call it once, after the content, when
/// the page count is known.
pub fn footers(flow: &mut Flow, left_text: &str) {
    let g = flow.geometry;
    let total = flow.pages.len();
    let rule_y = g.floor() + 18.0;
    let baseline = rule_y + 14.0;
    let width = g.content_width();
    for page in 0..total {
        let number = format!("Page {} of {}", page + 1, total);
        let number_item = flow.run(&number, &FOOTER, g.left, baseline, width, Align::Right);
        let number_w = match &number_item {
            Item::Text { width, .. } => *width,
            _ => 0.0,
        };
        // The name gets what the number leaves, with a gap.
        let name_item = flow.run(
            left_text,
            &FOOTER,
            g.left,
            baseline,
            (width - number_w - 24.0).max(0.0),
            Align::Left,
        );
        flow.pages[page].extend([
            Item::Line {
                x1: g.left,
                y1: rule_y,
                x2: g.left + width,
                y2: rule_y,
                color: BORDER,
                width: 0.5,
            },
            number_item,
            name_item,
        ]);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fonts::Fonts;
    use crate::layout::tests::texts;
    use crate::layout::Geometry;

    #[test]
    fn every_page_says_which_of_how_many_it_is() {
        let fonts = Fonts::load().unwrap();
        let g = Geometry::A4;
        let mut flow = Flow::new(&fonts, g);
        flow.new_page();
        flow.new_page();
        let name = "Lakeplan proposal: a very long scenario name ".repeat(5);
        footers(&mut flow, name.trim());
        assert_eq!(flow.pages.len(), 3);
        for (i, page) in flow.pages.iter().enumerate() {
            let t = texts(page);
            assert_eq!(t[0], format!("Page {} of 3", i + 1));
            assert!(t[1].ends_with('…'), "{t:?}");
            // Both inside the side margins and above the paper's edge.
            for item in page {
                if let Item::Text { x, y, width, .. } = item {
                    assert!(*x >= g.left && x + width <= g.width - g.right + 0.01);
                    assert!(*y < g.height - 20.0);
                }
            }
        }
    }
}

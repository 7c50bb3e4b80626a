//! Laid-out pages to PDF bytes, with krilla: each item becomes glyphs, paths, an embedded
//! SVG or a link annotation; the document gets its metadata and an outline of the
//! section headings.

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};
use lakeplan_models::calendar::Date;

use crate::fonts::Fonts;
use crate::layout::{Bookmark, Geometry, Item};
use crate::style::Color;
use crate::PdfError;

/// The document's information dictionary and XMP metadata.
pub struct Info {
    pub title: String,
    pub subject: String,
    pub author: Option<String>,
    pub date: Date,
}

fn paint(c: Color) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn fill(c: Color) -> Fill {
    Fill {
        paint: paint(c),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

pub fn render(
    pages: &[Vec<Item>],
    bookmarks: &[Bookmark],
    geometry: &Geometry,
    fonts: &Fonts,
    info: Info,
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    let settings = PageSettings::from_wh(geometry.width, geometry.height)
        .ok_or(PdfError::Layout("the page size is not a valid size"))?;
    for items in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            for item in items {
                draw(&mut surface, item, fonts, &mut links)?;
            }
            surface.finish();
        }
        for (rect, url) in links {
            page.add_annotation(Annotation::new_link(
                LinkAnnotation::new(rect, Target::Action(Action::Link(LinkAction::new(url)))),
                Some("Open the scenario in Lakeplan".to_string()),
            ));
        }
        page.finish();
    }
    let mut outline = Outline::new();
    for b in bookmarks {
        outline.push_child(OutlineNode::new(
            b.title.clone(),
            XyzDestination::new(b.page, Point::from_xy(0.0, b.y)),
        ));
    }
    document.set_outline(outline);
    let mut created = DateTime::new(info.date.year)
        .month(info.date.month)
        .day(info.date.day);
    // A date with no time of day: midnight UTC, stated, rather than a reader's guess.
    created = created.hour(0).minute(0).second(0).utc_offset_hour(0);
    let mut metadata = Metadata::new()
        .title(info.title)
        .description(info.subject)
        .creator("Lakeplan".to_string())
        .language("en".to_string())
        .creation_date(created);
    if let Some(author) = info.author {
        metadata = metadata.authors(vec![author]);
    }
    document.set_metadata(metadata);
    document.finish().map_err(PdfError::Write)
}

fn draw(
    surface: &mut Surface,
    item: &Item,
    fonts: &Fonts,
    links: &mut Vec<(Rect, String)>,
) -> Result<(), PdfError> {
    match item {
        Item::Text {
            x,
            y,
            text,
            style,
            glyphs,
            ..
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(style.color)));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                glyphs,
                fonts.pdf_font(style.face),
                text,
                style.size,
                false,
            );
        }
        Item::Rect {
            x,
            y,
            w,
            h,
            fill: f,
            stroke,
        } => {
            let rect =
                Rect::from_xywh(*x, *y, *w, *h).ok_or(PdfError::Layout("empty rectangle"))?;
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            let path = pb.finish().ok_or(PdfError::Layout("empty rectangle"))?;
            surface.set_fill(f.map(fill));
            surface.set_stroke(stroke.map(|(c, width)| Stroke {
                paint: paint(c),
                width,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            let path = pb.finish().ok_or(PdfError::Layout("empty line"))?;
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: paint(*color),
                width: *width,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
        }
        Item::Svg { x, y, w, h, tree } => {
            let size = Size::from_wh(*w, *h).ok_or(PdfError::Layout("empty chart box"))?;
            surface.push_transform(&Transform::from_translate(*x, *y));
            let drawn = surface.draw_svg(tree, size, SvgSettings::default());
            surface.pop();
            drawn.ok_or(PdfError::Layout("a chart could not be drawn"))?;
        }
        Item::Link { x, y, w, h, url } => {
            let rect = Rect::from_xywh(*x, *y, *w, *h).ok_or(PdfError::Layout("empty link"))?;
            links.push((rect, url.clone()));
        }
    }
    Ok(())
}

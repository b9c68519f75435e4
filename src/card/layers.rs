//! Share cards in two layers. A theme's `card.svg` begins with what every card has alike (the
//! background, the frame, the footer with the site's name): those leading elements are drawn
//! once for all the cards of a build, and each card draws only the rest of its SVG on a copy of
//! them. The pixels are the ones drawing each SVG whole gives (resvg paints the root's children
//! one after the other onto the canvas), so a card's PNG and cache name do not change.
//!
//! Only plain leading elements are drawn apart: shapes, text and groups of them, with no `id`,
//! no `url(…)` and no link, in an SVG without a style sheet or DOCTYPE, whose root has only its
//! size. Anything else (a gradient defined first, a root with opacity) and the card is drawn
//! whole, as before.

use resvg::usvg::roxmltree;

/// Element names a leading part may have (itself and every element inside it).
const PLAIN: [&str; 11] = [
    "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan", "g",
    "desc",
];

/// Attributes the root `<svg>` may have for its leading elements to be drawn apart.
const ROOT_ATTRIBUTES: [&str; 5] = [
    "width",
    "height",
    "viewBox",
    "version",
    "preserveAspectRatio",
];

/// One card's SVG cut at its root's children.
#[derive(Debug, PartialEq)]
pub(crate) struct Parts<'s> {
    /// Up to the root's first child: the XML declaration and the root's start tag.
    head: &'s str,
    /// The leading plain elements, each its source.
    leading: Vec<&'s str>,
    /// From the first element that is not plain to the root's end tag (empty when none).
    rest: &'s str,
    /// The root's end tag and what follows.
    tail: &'s str,
}

impl<'s> Parts<'s> {
    /// `svg` cut, or `None` when no leading element can be drawn apart (or it does not parse).
    pub(crate) fn of(svg: &'s str) -> Option<Self> {
        if svg.contains("<!DOCTYPE") {
            return None;
        }
        let doc = roxmltree::Document::parse(svg).ok()?;
        let root = doc.root_element();
        let plain_root = root.tag_name().name() == "svg"
            && root
                .attributes()
                .all(|a| a.namespace().is_none() && ROOT_ATTRIBUTES.contains(&a.name()));
        if !plain_root || root.descendants().any(|n| n.tag_name().name() == "style") {
            return None;
        }
        let first = root.first_child()?.range().start;
        let last = root.last_child()?.range().end;
        let mut leading = Vec::new();
        let mut rest = last;
        for child in root.children().filter(roxmltree::Node::is_element) {
            if !is_plain(child) {
                rest = child.range().start;
                break;
            }
            leading.push(&svg[child.range()]);
        }
        if leading.is_empty() {
            return None;
        }
        Some(Self {
            head: &svg[..first],
            leading,
            rest: &svg[rest..last],
            tail: &svg[last..],
        })
    }

    /// How many leading elements `self` has in common with `other` (0 when their roots differ).
    pub(crate) fn common(&self, other: &Parts<'_>) -> usize {
        if self.head != other.head || self.tail != other.tail {
            return 0;
        }
        self.leading
            .iter()
            .zip(&other.leading)
            .take_while(|(a, b)| a == b)
            .count()
    }

    /// An SVG of the first `n` leading elements only: the layer every card has alike.
    pub(crate) fn shared(&self, n: usize) -> String {
        self.svg(&self.leading[..n], "")
    }

    /// An SVG of all but the first `n` leading elements: what is the card's own.
    pub(crate) fn own(&self, n: usize) -> String {
        self.svg(&self.leading[n..], self.rest)
    }

    fn svg(&self, elements: &[&str], rest: &str) -> String {
        let mut svg = String::with_capacity(self.head.len() + rest.len() + self.tail.len() + 256);
        svg.push_str(self.head);
        for element in elements {
            svg.push_str(element);
            svg.push('\n');
        }
        svg.push_str(rest);
        svg.push_str(self.tail);
        svg
    }
}

/// Whether `element` and everything in it may be drawn apart: plain shapes and text that
/// neither name nor point at anything.
fn is_plain(element: roxmltree::Node<'_, '_>) -> bool {
    element
        .descendants()
        .filter(roxmltree::Node::is_element)
        .all(|e| {
            PLAIN.contains(&e.tag_name().name())
                && e.attributes()
                    .all(|a| a.name() != "id" && a.name() != "href" && !a.value().contains("url("))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<!-- a comment -->
<rect width="1200" height="630" fill="#f7f6f2"/>
<text x="1120" y="551" font-size="26">site</text>
<g fill="#1c2024"><text x="80" y="200">title</text></g>
</svg>"##;

    #[test]
    fn leading_plain_elements_are_cut_from_the_rest() {
        let parts = Parts::of(SVG).expect("plain leading elements");
        assert_eq!(parts.leading.len(), 3);
        assert_eq!(parts.rest, "");
        let other = SVG.replace(">title<", ">another<");
        let other = Parts::of(&other).expect("plain leading elements");
        assert_eq!(parts.common(&other), 2);
        assert_eq!(
            parts.shared(2),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\" viewBox=\"0 0 1200 630\">\
             <rect width=\"1200\" height=\"630\" fill=\"#f7f6f2\"/>\n\
             <text x=\"1120\" y=\"551\" font-size=\"26\">site</text>\n</svg>"
        );
        assert!(parts.own(2).contains(">title<") && !parts.own(2).contains("site"));
    }

    #[test]
    fn the_first_element_that_names_or_points_ends_the_leading_part() {
        let defs = SVG.replace(
            "<!-- a comment -->",
            "<linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient>",
        );
        assert_eq!(Parts::of(&defs), None);
        let filled = SVG.replace("fill=\"#1c2024\"", "fill=\"url(#g)\"");
        let parts = Parts::of(&filled).expect("two plain elements first");
        assert_eq!(parts.leading.len(), 2);
        assert!(parts.rest.starts_with("<g fill=\"url(#g)\">"));
    }

    #[test]
    fn a_root_with_more_than_its_size_or_a_style_sheet_is_drawn_whole() {
        assert_eq!(
            Parts::of(&SVG.replace("width=\"1200\"", "opacity=\"0.5\" width=\"1200\"")),
            None
        );
        assert_eq!(
            Parts::of(&SVG.replace("<!-- a comment -->", "<style>rect{fill:red}</style>")),
            None
        );
        assert_eq!(Parts::of("<svg"), None);
    }
}

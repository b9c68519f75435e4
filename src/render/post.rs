//! What rendering gives `tebiki publish` for one guide: the post's block markup and its
//! pictures (see `render::wordpress_post`). Types only: a leaf module.

/// What goes into a WordPress post besides the guide: the stylesheet (when the author may post
/// it), whether the `HowTo` JSON-LD does, and whether the reader tools' script does.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PostParts<'a> {
    pub style: Option<&'a str>,
    pub jsonld: bool,
    /// The reader tools (countdown, 「できた」 checkboxes) as one script in the post.
    pub script: bool,
}

/// A guide rendered as a WordPress post ([`post`]).
#[derive(Debug)]
pub(crate) struct Post {
    /// Block markup; links and picture sources are written as on the guide's page.
    pub html: String,
    /// The pictures the markup shows, by the `src` it gives them.
    pub pictures: Vec<PostPicture>,
}

/// A picture of a WordPress post: the `src` the post's markup gives it, its alt text, and what
/// to draw it from (the blog shows no overlay: annotations are drawn into the pixels).
#[derive(Clone, Debug)]
pub(crate) struct PostPicture {
    pub src: String,
    pub alt: String,
    pub source: PostSource,
}

/// What a post's picture is drawn from.
#[derive(Clone, Debug)]
pub(crate) enum PostSource {
    /// A mock-up: its SVG (annotations included).
    Svg(String),
    /// A screenshot: what the pictures stage makes of it (its source, masks and overlay).
    Screenshot(Box<crate::images::Plan>),
}

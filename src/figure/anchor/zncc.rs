//! Finding a small grayscale patch in a picture by zero-mean normalized cross-correlation
//! (ZNCC, `OpenCV`'s `TM_CCOEFF_NORMED`): 1.0 where the picture holds the patch exactly, whatever
//! the brightness and contrast; near 0 where it holds something else.
//!
//! imageproc's template matching offers only correlation without the mean taken out, which
//! scores almost 1.0 on every flat white area of a screenshot; this is the zero-mean form,
//! with the window sums from integral images, so a search costs one pass of multiply-adds
//! per candidate position (the patch is at most 32×32 pixels).

use image::GrayImage;

/// A place the patch was compared at: its top-left corner in the picture, and the score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Hit {
    pub x: u32,
    pub y: u32,
    pub score: f64,
}

/// Window sums of a picture (and of its squares), for the mean and spread of any window.
struct Integral {
    width: usize,
    sum: Vec<f64>,
    squares: Vec<f64>,
}

impl Integral {
    fn new(picture: &GrayImage) -> Self {
        let (w, h) = (picture.width() as usize, picture.height() as usize);
        let stride = w + 1;
        let mut sum = vec![0.0; stride * (h + 1)];
        let mut squares = vec![0.0; stride * (h + 1)];
        for y in 0..h {
            let (mut row, mut row_sq) = (0.0, 0.0);
            for x in 0..w {
                let v = f64::from(picture.as_raw()[y * w + x]);
                row += v;
                row_sq += v * v;
                sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + row;
                squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + row_sq;
            }
        }
        Self {
            width: stride,
            sum,
            squares,
        }
    }

    /// Sum and sum of squares of the `w`×`h` window at (`x`, `y`).
    fn window(&self, x: usize, y: usize, w: usize, h: usize) -> (f64, f64) {
        let at = |t: &[f64], x: usize, y: usize| t[y * self.width + x];
        let rect =
            |t: &[f64]| at(t, x + w, y + h) - at(t, x, y + h) - at(t, x + w, y) + at(t, x, y);
        (rect(&self.sum), rect(&self.squares))
    }
}

/// The patch with its mean taken out, and its spread.
struct Centred {
    width: usize,
    height: usize,
    values: Vec<f64>,
    norm: f64,
    hole: Option<(usize, usize, usize, usize)>,
    /// How many pixels are compared (all but the hole's).
    counted: usize,
}

/// A rectangle of the patch left out of the comparison (x, y, w, h in the patch's pixels): a
/// mask's own area, whose content is what the mask hides and changes from shot to shot.
pub(crate) type Hole = (u32, u32, u32, u32);

fn in_hole(hole: Option<Hole>, x: u32, y: u32) -> bool {
    hole.is_some_and(|(hx, hy, hw, hh)| x >= hx && x < hx + hw && y >= hy && y < hy + hh)
}

fn centred(patch: &GrayImage, hole: Option<Hole>) -> Centred {
    let width = patch.width();
    let counted: Vec<(bool, f64)> = patch
        .enumerate_pixels()
        .map(|(x, y, p)| (!in_hole(hole, x, y), f64::from(p.0[0])))
        .collect();
    let kept: Vec<f64> = counted
        .iter()
        .filter(|(k, _)| *k)
        .map(|(_, v)| *v)
        .collect();
    #[allow(clippy::cast_precision_loss, reason = "at most 1,024 values")]
    let mean = kept.iter().sum::<f64>() / kept.len().max(1) as f64;
    // Left-out pixels weigh nothing: their centred value is 0.
    let values: Vec<f64> = counted
        .iter()
        .map(|&(k, v)| if k { v - mean } else { 0.0 })
        .collect();
    let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    Centred {
        width: width as usize,
        height: patch.height() as usize,
        values,
        norm,
        hole: hole.map(|(x, y, w, h)| (x as usize, y as usize, w as usize, h as usize)),
        counted: kept.len(),
    }
}

/// Whether `patch` has anything to find: a flat patch (one colour) matches every flat area.
pub(crate) fn has_texture(patch: &GrayImage, hole: Option<Hole>) -> bool {
    let c = centred(patch, hole);
    #[allow(clippy::cast_precision_loss, reason = "at most 1,024 values")]
    let spread = c.norm / (c.counted.max(1) as f64).sqrt();
    spread >= 4.0
}

/// The score of `patch` at every top-left corner in `area` (x0, y0, x1, y1: corners, inclusive
/// of x0/y0, exclusive of x1/y1) of `picture`, best first, at most `keep` hits that are at
/// least `apart` pixels from each other (the second-best place is another place, not the
/// neighbour of the best).
pub(crate) fn search(
    picture: &GrayImage,
    patch: &GrayImage,
    hole: Option<Hole>,
    area: Option<(u32, u32, u32, u32)>,
    keep: usize,
    apart: u32,
) -> Vec<Hit> {
    let (pw, ph) = (patch.width(), patch.height());
    if pw == 0 || ph == 0 || picture.width() < pw || picture.height() < ph {
        return Vec::new();
    }
    let (max_x, max_y) = (picture.width() - pw, picture.height() - ph);
    let (x0, y0, x1, y1) = area.unwrap_or((0, 0, max_x + 1, max_y + 1));
    let (x1, y1) = (x1.min(max_x + 1), y1.min(max_y + 1));
    let template = centred(patch, hole);
    if template.norm == 0.0 {
        return Vec::new();
    }
    let integral = Integral::new(picture);
    let mut hits: Vec<Hit> = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let score = score_at(picture, &integral, &template, (x as usize, y as usize));
            hits.push(Hit { x, y, score });
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Hit> = Vec::new();
    for hit in hits {
        if kept.len() == keep {
            break;
        }
        if kept
            .iter()
            .all(|k| k.x.abs_diff(hit.x).max(k.y.abs_diff(hit.y)) >= apart)
        {
            kept.push(hit);
        }
    }
    kept
}

/// ZNCC of `template` with the window of `picture` whose top-left corner is `corner`.
fn score_at(
    picture: &GrayImage,
    integral: &Integral,
    template: &Centred,
    corner: (usize, usize),
) -> f64 {
    let (left, top) = corner;
    let (width, height) = (template.width, template.height);
    #[allow(clippy::cast_precision_loss, reason = "at most 1,024 values")]
    let count = template.counted as f64;
    let (mut sum, mut squares) = integral.window(left, top, width, height);
    if let Some((hx, hy, hw, hh)) = template.hole {
        let (hole_sum, hole_squares) = integral.window(left + hx, top + hy, hw, hh);
        sum -= hole_sum;
        squares -= hole_squares;
    }
    let variance = squares - sum * sum / count;
    if variance <= 1e-9 {
        return 0.0;
    }
    let stride = picture.width() as usize;
    let raw = picture.as_raw();
    let mut cross = 0.0;
    for row in 0..height {
        let start = (top + row) * stride + left;
        let pixels = &raw[start..start + width];
        let values = &template.values[row * width..(row + 1) * width];
        cross += pixels
            .iter()
            .zip(values)
            .map(|(&p, &t)| f64::from(p) * t)
            .sum::<f64>();
    }
    // The template's values sum to zero, so the picture's mean drops out of the cross term.
    cross / (template.norm * variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white picture with a dark "button" (a ring with a bar in it) at (`x`, `y`).
    fn screen(width: u32, height: u32, x: u32, y: u32) -> GrayImage {
        GrayImage::from_fn(width, height, |px, py| {
            let (dx, dy) = (px.abs_diff(x + 10), py.abs_diff(y + 6));
            let inside = dx < 10 && dy < 6;
            let bar = inside && dy < 2 && dx < 6;
            image::Luma([if bar {
                20
            } else if inside {
                120
            } else {
                250
            }])
        })
    }

    #[test]
    fn the_patch_is_found_where_it_moved_and_flat_areas_score_nothing() {
        let before = screen(120, 200, 30, 40);
        let patch = image::imageops::crop_imm(&before, 25, 36, 30, 20).to_image();
        assert!(has_texture(&patch, None));
        let after = screen(120, 200, 60, 150);
        let hits = search(&after, &patch, None, None, 2, 15);
        assert_eq!((hits[0].x, hits[0].y), (55, 146));
        assert!(hits[0].score > 0.99, "{hits:?}");
        assert!(hits[1].score < 0.6, "a second place scores low: {hits:?}");
        let flat = GrayImage::from_pixel(30, 20, image::Luma([250]));
        assert!(!has_texture(&flat, None));
        assert!(search(&after, &flat, None, None, 1, 1).is_empty());
    }

    #[test]
    fn what_a_hole_covers_does_not_count() {
        // A label (the "button") with a field to its right, whose content changes in each shot.
        let before = screen(120, 200, 30, 40);
        let patch = image::imageops::crop_imm(&before, 20, 30, 60, 30).to_image();
        let hole = Some((32, 5, 26, 20));
        let mut after = screen(120, 200, 50, 120);
        for y in 117..133 {
            for x in 74..96 {
                after.put_pixel(x, y, image::Luma([if (x + y) % 3 == 0 { 0 } else { 90 }]));
            }
        }
        let hits = search(&after, &patch, hole, None, 1, 1);
        assert_eq!((hits[0].x, hits[0].y), (40, 110));
        assert!(hits[0].score > 0.99, "{hits:?}");
        let without_hole = search(&after, &patch, None, None, 1, 1);
        assert!(without_hole[0].score < hits[0].score, "{without_hole:?}");
    }

    #[test]
    fn brightness_and_contrast_do_not_matter() {
        let before = screen(80, 80, 20, 20);
        let patch = image::imageops::crop_imm(&before, 15, 16, 30, 20).to_image();
        let mut dimmer = screen(80, 80, 30, 10);
        for p in dimmer.pixels_mut() {
            p.0[0] = p.0[0] / 2 + 10;
        }
        let hits = search(&dimmer, &patch, None, None, 1, 1);
        assert_eq!((hits[0].x, hits[0].y), (25, 6));
        assert!(hits[0].score > 0.99);
    }
}

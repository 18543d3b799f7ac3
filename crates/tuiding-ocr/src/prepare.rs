//! Preparing a phone screenshot for the recogniser: grayscale, dark mode inverted, scaled.
//! (Stretching the contrast was tried and dropped: on the fixtures it made Tesseract lose
//! whole pages, a dark bill's eight lines among them.)

use std::io::Cursor;

use image::imageops::FilterType;
use image::{GrayImage, ImageReader, Limits};

use crate::OcrError;

/// Screenshots wider than this are scaled down to it: at 3× (1170 px wide) body text is
/// about 45 px high, more than the recogniser needs; 900 px keeps it near 35 px and reads
/// in 60 % of the time.
const WIDEST: u32 = 900;

/// Images narrower than this (a thumbnail, a compressed chat picture) are scaled up twice:
/// their text is too small to read as it is.
const NARROWEST: u32 = 600;

/// Whether the bytes are an image [`prepare`] decodes (PNG or JPEG), by their signature.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// An image ready for the recogniser, and what was done to it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Grayscale, dark text on a light background.
    pub image: GrayImage,
    /// The original's width and height.
    pub original: (u32, u32),
    /// Whether it was a dark-mode image and was inverted.
    pub inverted: bool,
}

impl Prepared {
    /// The image as a binary PGM (P5) file, which Tesseract reads without a decoder's cost.
    pub fn to_pgm(&self) -> Vec<u8> {
        let (w, h) = self.image.dimensions();
        let mut out = format!("P5\n{w} {h}\n255\n").into_bytes();
        out.extend_from_slice(self.image.as_raw());
        out
    }
}

/// Decodes a PNG or JPEG and prepares it for the recogniser.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, OcrError> {
    if !is_image(bytes) {
        return Err(OcrError::NotAnImage("neither PNG nor JPEG".into()));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| OcrError::NotAnImage(e.to_string()))?;
    // A decompression bomb is refused rather than filling the memory.
    let mut limits = Limits::default();
    // Long scrolling captures (长截图) of a chat run past 16,384 px; memory stays bounded.
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(65_535);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        // Too large is no verdict on the file: it is an image, only not readable here.
        image::ImageError::Limits(_) => OcrError::TooLarge(e.to_string()),
        e => OcrError::NotAnImage(e.to_string()),
    })?;
    let original = (decoded.width(), decoded.height());
    let mut gray = decoded.to_luma8();
    drop(decoded);
    let inverted = background(&gray) < 128;
    if inverted {
        image::imageops::invert(&mut gray);
    }
    let gray = scale(gray);
    Ok(Prepared {
        image: gray,
        original,
        inverted,
    })
}

/// The most common gray level, in buckets of 8: the page's background.
fn background(gray: &GrayImage) -> u8 {
    let mut buckets = [0u64; 32];
    for p in gray.as_raw() {
        buckets[usize::from(p / 8)] += 1;
    }
    let (bucket, _) = buckets
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .unwrap_or((31, &0));
    u8::try_from(bucket * 8 + 4).unwrap_or(u8::MAX)
}

fn scale(gray: GrayImage) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (nw, nh) = if w > WIDEST {
        (WIDEST, scaled(h, WIDEST, w))
    } else if w < NARROWEST {
        (w * 2, h * 2)
    } else {
        return gray;
    };
    image::imageops::resize(&gray, nw, nh.max(1), FilterType::Triangle)
}

/// `x * num / den`, rounded, in integers.
fn scaled(x: u32, num: u32, den: u32) -> u32 {
    let v = (u64::from(x) * u64::from(num) + u64::from(den) / 2) / u64::from(den.max(1));
    u32::try_from(v).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Luma, Rgb, RgbImage};

    fn png(img: &RgbImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn page(w: u32, h: u32, bg: [u8; 3], ink: [u8; 3]) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            // A "line of text": a dark bar across the middle tenth.
            if y > h * 45 / 100 && y < h * 55 / 100 && x > w / 10 && x < w * 9 / 10 {
                Rgb(ink)
            } else {
                Rgb(bg)
            }
        })
    }

    #[test]
    fn a_light_screenshot_is_kept_the_right_way_round_and_scaled_to_900() {
        let p = prepare(&png(&page(1170, 2532, [255, 255, 255], [20, 20, 20]))).unwrap();
        assert!(!p.inverted);
        assert_eq!(p.original, (1170, 2532));
        assert_eq!(p.image.dimensions(), (900, 1948));
        // Background light, ink dark.
        assert!(p.image.get_pixel(5, 5).0[0] > 200);
        assert!(p.image.get_pixel(450, 974).0[0] < 60);
    }

    #[test]
    fn a_dark_mode_screenshot_is_inverted() {
        let p = prepare(&png(&page(750, 1334, [17, 17, 17], [230, 230, 230]))).unwrap();
        assert!(p.inverted);
        assert_eq!(p.image.dimensions(), (750, 1334));
        assert!(p.image.get_pixel(5, 5).0[0] > 200, "background now light");
        assert!(p.image.get_pixel(375, 667).0[0] < 60, "text now dark");
    }

    #[test]
    fn a_small_picture_is_scaled_up() {
        let p = prepare(&png(&page(300, 200, [250, 250, 250], [170, 170, 170]))).unwrap();
        assert_eq!(p.image.dimensions(), (600, 400));
        assert!(!p.inverted);
    }

    #[test]
    fn what_is_not_an_image_is_refused_not_panicked_on() {
        assert!(matches!(prepare(b"%PDF-1.7"), Err(OcrError::NotAnImage(_))));
        let mut broken = png(&page(100, 100, [255; 3], [0; 3]));
        broken.truncate(60);
        assert!(matches!(prepare(&broken), Err(OcrError::NotAnImage(_))));
        assert!(!is_image(b""));
    }

    #[test]
    fn a_capture_taller_than_the_limit_is_too_large_not_unreadable() {
        let tall = RgbImage::from_pixel(1, 70_000, Rgb([255, 255, 255]));
        assert!(matches!(prepare(&png(&tall)), Err(OcrError::TooLarge(_))));
        // A long chat capture of 20,000 px is read.
        let long = RgbImage::from_pixel(2, 20_000, Rgb([255, 255, 255]));
        assert!(prepare(&png(&long)).is_ok());
    }

    #[test]
    fn the_pgm_has_a_header_and_every_pixel() {
        let p = Prepared {
            image: GrayImage::from_pixel(3, 2, Luma([7])),
            original: (3, 2),
            inverted: false,
        };
        let pgm = p.to_pgm();
        assert!(pgm.starts_with(b"P5\n3 2\n255\n"));
        assert_eq!(pgm.len(), 11 + 6);
    }
}

//! Screenshots drawn for the tests: Chinese text in Debian's Noto Sans CJK at phone
//! widths, light and dark, as a phone draws them (status bar, title, cards, buttons).

#![allow(dead_code)]

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use image::{Rgb, RgbImage};

/// Where Debian's `fonts-noto-cjk` puts the font (index 2 of the collection is SC).
const FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// A line to draw: text, size in px, whether it is on a coloured button, and a value drawn
/// right-aligned on the same row (the label/value rows of bill details).
pub struct Text<'a> {
    pub text: &'a str,
    pub px: f32,
    pub button: bool,
    pub muted: bool,
    pub value: Option<&'a str>,
}

/// A label on the left, its value right-aligned.
pub fn row<'a>(label: &'a str, value: &'a str, px: f32) -> Text<'a> {
    Text {
        text: label,
        px,
        button: false,
        muted: true,
        value: Some(value),
    }
}

pub fn t(text: &str, px: f32) -> Text<'_> {
    Text {
        text,
        px,
        button: false,
        muted: false,
        value: None,
    }
}

pub fn muted(text: &str, px: f32) -> Text<'_> {
    Text {
        text,
        px,
        button: false,
        muted: true,
        value: None,
    }
}

pub fn button(text: &str, px: f32) -> Text<'_> {
    Text {
        text,
        px,
        button: true,
        muted: false,
        value: None,
    }
}

/// The font, or None with the way to get it (the caller skips, or fails under CI=true).
pub fn font() -> Option<FontVec> {
    font_file(FONT)
}

/// Noto Sans CJK SC in bold (apps draw titles and amounts bold).
pub fn bold_font() -> Option<FontVec> {
    font_file("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
}

fn font_file(path: &str) -> Option<FontVec> {
    let data = std::fs::read(path).ok()?;
    FontVec::try_from_vec_and_index(data, 2).ok()
}

/// JPEG bytes of an image at `quality` (a screenshot sent through a chat app).
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("JPEG encodes");
    out
}

/// Draws a screenshot `width`×`height` with the lines from the top, a card behind the
/// body as the payment apps draw it.
pub fn screenshot(
    font: &FontVec,
    width: u32,
    height: u32,
    dark: bool,
    lines: &[Text<'_>],
) -> RgbImage {
    let (bg, card, ink, grey, green) = if dark {
        (
            [17, 17, 17],
            [30, 30, 30],
            [232, 232, 232],
            [140, 140, 140],
            [7, 150, 90],
        )
    } else {
        (
            [237, 237, 237],
            [255, 255, 255],
            [25, 25, 25],
            [120, 120, 120],
            [7, 193, 96],
        )
    };
    let mut img = RgbImage::from_pixel(width, height, Rgb(bg));
    let unit = width as f32 / 390.0;
    // The status bar's clock.
    draw(
        &mut img,
        font,
        "9:41",
        17.0 * unit,
        24.0 * unit,
        14.0 * unit,
        ink,
        None,
    );
    let mut y = 70.0 * unit;
    fill(
        &mut img,
        (16.0 * unit) as u32,
        y as u32,
        width - (32.0 * unit) as u32,
        (height as f32 * 0.6) as u32,
        card,
    );
    y += 24.0 * unit;
    for line in lines {
        let px = line.px * unit;
        let colour = if line.muted { grey } else { ink };
        if line.button {
            let w = width - (80.0 * unit) as u32;
            fill(
                &mut img,
                (40.0 * unit) as u32,
                y as u32,
                w,
                (px * 2.2) as u32,
                green,
            );
            draw(
                &mut img,
                font,
                line.text,
                60.0 * unit,
                y + px * 0.6,
                px,
                [255, 255, 255],
                Some(green),
            );
            y += px * 3.0;
        } else {
            draw(
                &mut img,
                font,
                line.text,
                36.0 * unit,
                y,
                px,
                colour,
                Some(card),
            );
            if let Some(value) = line.value {
                let w = width_of(font, value, px);
                let x = width as f32 - 36.0 * unit - w;
                draw(&mut img, font, value, x, y, px, ink, Some(card));
            }
            y += px * 1.9;
        }
    }
    img
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: [u8; 3]) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Rgb(colour));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn draw(
    img: &mut RgbImage,
    font: &FontVec,
    text: &str,
    x: f32,
    top: f32,
    px: f32,
    ink: [u8; 3],
    _on: Option<[u8; 3]>,
) {
    let scaled = font.as_scaled(PxScale::from(px));
    let baseline = top + scaled.ascent();
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(px, point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let (px_x, px_y) = (
                bounds.min.x as i64 + i64::from(gx),
                bounds.min.y as i64 + i64::from(gy),
            );
            if px_x < 0
                || px_y < 0
                || px_x >= i64::from(img.width())
                || px_y >= i64::from(img.height())
            {
                return;
            }
            let pixel = img.get_pixel_mut(px_x as u32, px_y as u32);
            for (channel, ink) in pixel.0.iter_mut().zip(ink) {
                let blended = f32::from(*channel) * (1.0 - coverage) + f32::from(ink) * coverage;
                *channel = blended.round().clamp(0.0, 255.0) as u8;
            }
        });
    }
}

fn width_of(font: &FontVec, text: &str, px: f32) -> f32 {
    let scaled = font.as_scaled(PxScale::from(px));
    text.chars()
        .map(|c| scaled.h_advance(scaled.glyph_id(c)))
        .sum()
}

/// PNG bytes of an image.
pub fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("PNG encodes");
    out.into_inner()
}

/// The screenshots the tests read, by name: (width, height, dark, lines).
pub fn scenes() -> Vec<(&'static str, u32, u32, bool, Vec<Text<'static>>)> {
    vec![
        (
            "refund-promise-light-1170",
            1170,
            2532,
            false,
            vec![
                t("退订结果", 20.0),
                t("退订成功", 26.0),
                t("您的退款¥24.43将原路返回", 16.0),
                t("预计3-7个工作日内退款至原支付账户", 16.0),
                muted("订单号：4200001234202611290012345678", 14.0),
                muted("申请时间 2026-11-29 14:03:12", 14.0),
                button("完成", 17.0),
            ],
        ),
        (
            "wechat-cancelled-dark-1080",
            1080,
            2340,
            true,
            vec![
                t("扣费服务", 20.0),
                t("解约成功", 26.0),
                t("芒果TV会员自动续费已关闭", 16.0),
                muted("解约时间 2026-11-29 14:05:40", 14.0),
                button("返回", 17.0),
            ],
        ),
        (
            "chat-promise-light-750",
            750,
            1334,
            false,
            vec![
                t("在线客服", 20.0),
                t("客服：已为您办理退款24.43元", 16.0),
                t("将在24小时内原路退回", 16.0),
                t("我的手机号13812345678", 16.0),
                t("身份证号11010519491231002X", 16.0),
            ],
        ),
        (
            "order-charge-dark-1170",
            1170,
            2532,
            true,
            vec![
                t("账单详情", 20.0),
                t("支付成功", 24.0),
                t("实付款 ¥25.00", 22.0),
                t("商户名称 爱奇艺", 16.0),
                t("交易单号 4200002311202611230001", 15.0),
                t("支付时间 2026-11-23 10:00:01", 15.0),
                t("付款卡 6222021234567890128", 15.0),
            ],
        ),
        (
            "alipay-bill-light-1170",
            1170,
            2532,
            false,
            vec![
                t("账单详情", 18.0),
                t("爱奇艺", 16.0),
                t("-25.00", 34.0),
                t("交易成功", 15.0),
                row("支付时间", "2026-11-23 10:00:01", 14.0),
                row("付款方式", "余额宝", 14.0),
                row("商品说明", "爱奇艺黄金VIP会员连续包月", 14.0),
                row("收款方全称", "北京爱奇艺科技有限公司", 14.0),
                row("订单号", "2026112322001412341234567890", 14.0),
            ],
        ),
        (
            "refund-detail-dark-1284",
            1284,
            2778,
            true,
            vec![
                t("退款详情", 18.0),
                t("¥24.43", 34.0),
                t("退款处理中", 16.0),
                row("退款金额", "¥24.43", 14.0),
                row("预计到账时间", "2026-12-02", 14.0),
                row("退款方式", "原路退回", 14.0),
                row("联系电话", "139 1234 5678", 14.0),
            ],
        ),
        (
            "refund-received-light-1170",
            1170,
            2532,
            false,
            vec![
                t("退款详情", 18.0),
                t("¥24.43", 34.0),
                t("退款成功", 16.0),
                row("退款金额", "¥24.43", 14.0),
                row("到账时间", "2026-12-01 10:20:00", 14.0),
                row("退款方式", "原路退回", 14.0),
            ],
        ),
        (
            "renewed-light-1170",
            1170,
            2532,
            false,
            vec![
                t("自动续费", 20.0),
                t("续费成功", 26.0),
                muted("下次扣款 2026-12-23", 15.0),
            ],
        ),
    ]
}

//! How well a refund page is read across the phones people have: widths from 750 to 1284
//! px, light and dark, text from 85 % to 120 % of the usual size, as a PNG, as a JPEG of
//! quality 60 (a screenshot passed on through a chat app) and in bold — 72 screenshots
//! drawn with Debian's Noto CJK, read by Tesseract, and the findings checked: the
//! confirmation (退订成功), the amount (24.43), the window (3-7 working days) and the order
//! number. Also
//! times a long scrolling capture (three screens) against one screen, to see how the time
//! grows. Run by scripts/ocr-bench.sh:
//! `cargo test --release -p tuiding-ocr --test sweep -- --ignored --nocapture`.

mod common;

use std::time::{Duration, Instant};

use tuiding_core::{Currency, Money};
use tuiding_ocr::Engine;
use tuiding_terms::screenshot::{Proposal, RefundWindow, read_screenshot_text};

const ORDER: &str = "4200001234202611290012345678";

#[test]
#[ignore = "an accuracy and timing sweep (about a minute): scripts/ocr-bench.sh"]
fn refund_pages_across_phones_are_read() {
    let engine = Engine::find().expect("Tesseract with chi_sim");
    let regular = common::font().expect("the Noto CJK fonts");
    let bold = common::bold_font().expect("the Noto CJK fonts");
    let (mut total, mut fields_read, mut pages_whole, mut pages) = (0, 0, 0, 0);
    let mut times = Vec::new();
    println!("width  mode   size  form   ms    confirmed amount window order");
    for width in [750u32, 1080, 1170, 1284] {
        for dark in [false, true] {
            for scale in [0.85f32, 1.0, 1.2] {
                for form in ["png", "jpeg60", "bold"] {
                    let font = if form == "bold" { &bold } else { &regular };
                    let height = width * 2164 / 1000;
                    let order_line = format!("订单号：{ORDER}");
                    let lines = vec![
                        common::t("退订结果", 20.0 * scale),
                        common::t("退订成功", 26.0 * scale),
                        common::t("您的退款¥24.43将原路返回", 16.0 * scale),
                        common::t("预计3-7个工作日内退款至原支付账户", 16.0 * scale),
                        common::muted(&order_line, 14.0 * scale),
                    ];
                    let shot = common::screenshot(font, width, height, dark, &lines);
                    let bytes = if form == "jpeg60" {
                        common::jpeg(&shot, 60)
                    } else {
                        common::png(&shot)
                    };
                    let reading = engine.read(&bytes, Duration::from_secs(60)).unwrap();
                    times.push(reading.millis);
                    let text = reading.text();
                    let found = read_screenshot_text(&text, Currency::CNY);
                    let confirmed = found
                        .iter()
                        .any(|f| matches!(f.proposal, Proposal::CancellationConfirmed { .. }));
                    let amount = found.iter().any(|f| {
                    matches!(f.proposal, Proposal::RefundPromise { amount: Some(a), .. } if a == Money::from_minor(2443, Currency::CNY))
                });
                    let window = found.iter().any(|f| {
                        matches!(
                            f.proposal,
                            Proposal::RefundPromise {
                                window: Some(RefundWindow::WorkingDays { min: 3, max: 7 }),
                                ..
                            }
                        )
                    });
                    let order = text.replace(' ', "").contains(ORDER);
                    if !amount {
                        let line = text.lines().find(|l| l.contains("24")).unwrap_or("—");
                        println!("       amount line read as: {line}");
                    }
                    let got = [confirmed, amount, window, order];
                    total += 4;
                    pages += 1;
                    fields_read += got.iter().filter(|x| **x).count();
                    pages_whole += usize::from(got.iter().all(|x| *x));
                    let mark = |b: bool| if b { "✓" } else { "✗" };
                    println!(
                        "{width:<6} {:<6} {:>3}%  {form:<6} {:<5} {}         {}      {}      {}",
                        if dark { "dark" } else { "light" },
                        (scale * 100.0).round(),
                        reading.millis,
                        mark(confirmed),
                        mark(amount),
                        mark(window),
                        mark(order)
                    );
                }
            }
        }
    }
    times.sort_unstable();
    println!(
        "fields read: {fields_read}/{total}; pages read whole: {pages_whole}/{pages}; time per screenshot: median {} ms, max {} ms",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    // A floor, not the figure: the figure is what this prints.
    assert!(fields_read * 100 >= total * 90, "{fields_read}/{total}");
}

#[test]
#[ignore = "timing: scripts/ocr-bench.sh"]
fn a_long_capture_takes_time_in_proportion_to_its_length() {
    let engine = Engine::find().expect("Tesseract with chi_sim");
    let font = common::font().expect("the Noto CJK fonts");
    let chat: Vec<String> = (0..40)
        .map(|i| format!("客服：第{i}条回复，您的退款24.43元将在3个工作日内原路退回"))
        .collect();
    for screens in [1u32, 3] {
        let lines: Vec<common::Text<'_>> = chat
            .iter()
            .take(13 * screens as usize)
            .map(|l| common::t(l, 16.0))
            .collect();
        let png = common::png(&common::screenshot(
            &font,
            1170,
            2532 * screens,
            false,
            &lines,
        ));
        let started = Instant::now();
        let reading = engine.read(&png, Duration::from_secs(120)).unwrap();
        println!(
            "1170×{}: {} lines in {} ms (with decoding: {} ms)",
            2532 * screens,
            reading.lines.len(),
            reading.millis,
            started.elapsed().as_millis()
        );
    }
}

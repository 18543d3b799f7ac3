//! Tesseract on screenshots drawn for the test (tests/common) and on the PNG fixtures
//! checked in beside them: light and dark, phone widths from 750 to 1170 px.
//!
//! Needs Tesseract with its Chinese model and the Noto CJK fonts:
//! `sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk`. Without them
//! the tests say so and pass, except under `CI=true` (where `.ci/run` installs them).

mod common;

use std::path::PathBuf;
use std::time::Duration;

use tuiding_ocr::{Engine, Reading};

fn needed<T>(what: Option<T>, missing: &str) -> Option<T> {
    if what.is_none() {
        let message = format!(
            "{missing}: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk"
        );
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
    }
    what
}

fn engine() -> Option<Engine> {
    needed(
        Engine::find().ok(),
        "Tesseract with chi_sim is not installed",
    )
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The text without the spaces OCR puts between characters.
fn squeezed(reading: &Reading) -> String {
    reading.text().chars().filter(|c| *c != ' ').collect()
}

fn read_scene(engine: &Engine, name: &str) -> Option<Reading> {
    let font = needed(common::font(), "the Noto CJK fonts are not installed")?;
    let (_, w, h, dark, lines) = common::scenes().into_iter().find(|s| s.0 == name)?;
    let png = common::png(&common::screenshot(&font, w, h, dark, &lines));
    Some(engine.read(&png, Duration::from_secs(30)).unwrap())
}

#[test]
fn a_drawn_refund_page_reads_with_its_promise_amount_and_order() {
    let Some(engine) = engine() else { return };
    let Some(reading) = read_scene(&engine, "refund-promise-light-1170") else {
        return;
    };
    let text = squeezed(&reading);
    // OCR reads ¥ as Y or # now and then: the reader of the text (tuiding-terms) corrects it.
    for expected in [
        "退订成功",
        "24.43",
        "3-7个工作日内",
        "4200001234202611290012345678",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    assert!(!reading.inverted);
    assert!(reading.lines.iter().all(|l| l.confidence <= 100));
}

#[test]
fn a_drawn_dark_mode_page_is_inverted_and_read() {
    let Some(engine) = engine() else { return };
    let Some(reading) = read_scene(&engine, "wechat-cancelled-dark-1080") else {
        return;
    };
    let text = squeezed(&reading);
    assert!(reading.inverted);
    for expected in ["解约成功", "自动续费已关闭", "2026-11-2914:05:40"] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn every_checked_in_fixture_reads_as_its_scene_says() {
    let Some(engine) = engine() else { return };
    let expectations = [
        ("refund-promise-light-1170.png", "3-7个工作日内"),
        ("wechat-cancelled-dark-1080.png", "解约成功"),
        ("chat-promise-light-750.png", "24小时内原路退回"),
        ("order-charge-dark-1170.png", "4200002311202611230001"),
        ("renewed-light-1170.png", "续费成功"),
        ("alipay-bill-light-1170.png", "2026112322001412341234567890"),
        ("refund-detail-dark-1284.png", "2026-12-02"),
        ("refund-received-light-1170.png", "退款成功"),
    ];
    for (file, expected) in expectations {
        let bytes = std::fs::read(fixtures().join(file)).unwrap();
        let reading = engine.read(&bytes, Duration::from_secs(30)).unwrap();
        let text = squeezed(&reading);
        assert!(
            text.contains(expected),
            "{file}: {expected:?} not in {text:?}"
        );
    }
}

#[test]
fn a_timeout_stops_the_reading() {
    let Some(engine) = engine() else { return };
    let bytes = std::fs::read(fixtures().join("refund-promise-light-1170.png")).unwrap();
    let error = engine.read(&bytes, Duration::from_millis(1)).unwrap_err();
    assert!(
        matches!(error, tuiding_ocr::OcrError::Timeout(_)),
        "{error}"
    );
}

/// Writes the fixtures again from the scenes: `cargo test -p tuiding-ocr --test
/// read_screenshots -- --ignored write_fixtures`.
#[test]
#[ignore = "writes the checked-in fixtures"]
fn write_fixtures() {
    let font = common::font().expect("the Noto CJK fonts");
    for (name, w, h, dark, lines) in common::scenes() {
        let img = common::screenshot(&font, w, h, dark, &lines);
        std::fs::write(fixtures().join(format!("{name}.png")), common::png(&img)).unwrap();
    }
}

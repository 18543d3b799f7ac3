//! The dossier's documents as a person reads them: `report.html` and `complaint.txt`
//! rendered for one realistic case, compared with reviewed snapshots. The context's clock
//! is fixed at 2026-11-26 02:30 UTC, so every moment of the case is too (and shows as
//! 10:30, China Standard Time).

use std::io::Read;

use jiff::civil::date;
use tuiding_app::case::{self, RefundFacts};
use tuiding_app::context::Ctx;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::text::InputFile;
use tuiding_core::Lang;

/// 2026-11-26 02:30 UTC: 10:30 in China.
fn fixed() -> jiff::Timestamp {
    "2026-11-26T02:30:00Z".parse().unwrap()
}

/// A 卡盟 annual member leaving: Alipay closed, WeChat Pay still able to charge, a
/// screenshot of the chat, a refund promised by a day that has passed.
fn case_in(dir: &std::path::Path, lang: Lang) -> (Ctx, i64) {
    let ctx = Ctx::for_service(lang, date(2026, 11, 26), dir.to_path_buf()).with_clock(fixed);
    let id = tuiding_app::memberships::add::add(
        &ctx,
        MembershipInput {
            platform: Some("星辰卡盟".into()),
            plan: Some("年费会员".into()),
            period: Some("year".into()),
            price: Some("198".into()),
            start: Some("2026-05-10".into()),
            auto_renew: vec!["alipay".into(), "wechat_pay".into()],
            template: Some("kameng-annual".into()),
            ..MembershipInput::default()
        },
        None,
    )
    .unwrap();
    let case = case::open(&ctx, id).unwrap();
    case::mark_step(
        &ctx,
        case,
        "close:alipay",
        Some("客服 13812345678 确认".into()),
    )
    .unwrap();
    tuiding_app::evidence::add(
        &ctx,
        case,
        &[InputFile::Bytes {
            name: "客服聊天 <截图>.png".into(),
            bytes: b"\x89PNG chat".to_vec(),
        }],
        "communication",
        Some("close:alipay".into()),
        Some("客服承诺 3 个工作日内退款".into()),
    )
    .unwrap();
    (ctx, case)
}

fn documents(lang: Lang) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, case) = case_in(&tmp.path().join("data"), lang);
    let zip = tmp.path().join("case.zip");
    tuiding_app::dossier::write(&ctx, case, &zip, true, |_| {}).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    (read("report.html"), read("complaint.txt"))
}

#[test]
fn report_and_complaint_in_chinese() {
    let (report, complaint) = documents(Lang::Zh);
    // Escaped by the template, never by hand: the file name's brackets stay text.
    assert!(report.contains("客服聊天 &lt;截图&gt;.png"), "{report}");
    assert!(!report.contains("13812345678"), "numbers are masked");
    assert!(
        complaint.contains("2026-11-26 10:30  开启退订案件"),
        "{complaint}"
    );
    insta::assert_snapshot!("report_zh", report);
    insta::assert_snapshot!("complaint_zh", complaint);
}

#[test]
fn report_in_english() {
    let (report, _) = documents(Lang::En);
    insta::assert_snapshot!("report_en", report);
}

#[test]
fn an_overdue_promise_is_a_breach_in_the_complaint() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, case) = case_in(&tmp.path().join("data"), Lang::Zh);
    case::mark_step(&ctx, case, "close:wechat_pay", None).unwrap();
    case::record_refund(
        &ctx,
        case,
        &RefundFacts {
            promised: Some("120".into()),
            by: Some("2026-11-24".into()),
            ..RefundFacts::default()
        },
    )
    .unwrap();
    let zip = tmp.path().join("case.zip");
    tuiding_app::dossier::write(&ctx, case, &zip, true, |_| {}).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut complaint = String::new();
    archive
        .by_name("complaint.txt")
        .unwrap()
        .read_to_string(&mut complaint)
        .unwrap();
    assert!(complaint.contains("按承诺退还 ¥120.00"), "{complaint}");
    assert!(complaint.contains("逾期 2 天"), "{complaint}");
}

//! The web app as a tracker user meets it, in headless Chromium at 1280 px and on a phone
//! (390 px): everything the CLI does by hand has a form (several channels with their
//! status, benefits, the policy form, a stream linked to a membership already in the
//! ledger, a case with evidence, the household split, reminder days); every page fits the
//! phone's width, and axe-core finds no serious accessibility violation on any page, in
//! light and dark mode. The screenshots in `docs/screenshots/` come from here
//! (`TUIDING_SCREENSHOTS=1`).

mod common;

use std::path::Path;
use std::time::Duration;

use common::browser::*;
use fantoccini::{Client, Locator};
use tuiding_app::context::Ctx;
use tuiding_app::text::InputFile;
use tuiding_core::Lang;

const WIDTHS: [(u32, u32); 2] = [(1280, 1000), (390, 844)];

/// A demo ledger with bills imported, a case with evidence, a household member and a
/// split: every page has something to show.
fn full_ledger(root: &Path) -> std::path::PathBuf {
    let dir = common::data_dir(root, true);
    let ctx = Ctx::for_service(Lang::Zh, common::TODAY, dir.clone());
    let csv = common::data("alipay-small.csv");
    tuiding_app::bills::import(&ctx, &[InputFile::path(&csv)], &[]).unwrap();
    tuiding_app::case::open(&ctx, 1).unwrap();
    // A drawn refund page, its text read (when Tesseract is here) as an upload's is.
    let shot = InputFile::Bytes {
        name: "退订成功.png".into(),
        bytes: std::fs::read(common::screenshot("refund-promise-light-1170.png")).unwrap(),
    };
    let added = tuiding_app::evidence::add(&ctx, 1, &[shot], "operation", None, None).unwrap();
    tuiding_app::evidence::reading::read_added(&ctx, &added).unwrap();
    tuiding_app::household::add_member(&ctx, "小明").unwrap();
    tuiding_app::household::add_member(&ctx, "小红").unwrap();
    let change = tuiding_app::household::SplitChange {
        shares: vec!["小明=1".into(), "小红=1".into()],
        ..Default::default()
    };
    tuiding_app::household::split(&ctx, 1, &change).unwrap();
    dir
}

const PAGES: [(&str, &str); 15] = [
    ("overview", "/"),
    ("memberships", "/memberships"),
    (
        "memberships-filtered",
        "/memberships?q=%E8%A7%86%E9%A2%91&sort=monthly",
    ),
    ("add", "/memberships/new"),
    ("membership", "/memberships/1"),
    ("decision", "/memberships/1?intent=leaving"),
    ("edit", "/memberships/1/edit"),
    ("policy-form", "/memberships/1/policy"),
    ("import", "/import"),
    ("terms", "/terms"),
    ("cases", "/cases"),
    ("case", "/cases/1"),
    ("household", "/household"),
    ("data", "/data"),
    ("not-found", "/memberships/999"),
];

/// Pages whose screenshots the README shows, at both widths, light and dark.
const SHOWN: [&str; 4] = ["overview", "memberships", "membership", "case"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_passes_axe_in_light_and_dark() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = full_ledger(tmp.path());
    let base = serve(&dir).await;
    let axe = axe_source();
    let shots = Shots::new();
    for dark in [false, true] {
        let Some((_driver, c)) = browser_with(tmp.path(), dark).await else {
            return;
        };
        let scheme = if dark { "dark" } else { "light" };
        for (width, height) in WIDTHS {
            c.set_window_size(width, height).await.unwrap();
            for (name, path) in PAGES {
                c.goto(&format!("{base}{path}")).await.unwrap();
                let what = format!("{path} at {width} px, {scheme}");
                assert_fits(&c, &what).await;
                assert_accessible(&c, axe.as_deref(), &what).await;
                if SHOWN.contains(&name) {
                    shots.take(&c, &format!("{name}-{width}-{scheme}")).await;
                }
                if name == "case" {
                    // What the screenshot says, under its row.
                    c.execute(
                        "document.getElementById('evidence').scrollIntoView()",
                        vec![],
                    )
                    .await
                    .unwrap();
                    shots
                        .take(&c, &format!("case-evidence-{width}-{scheme}"))
                        .await;
                }
            }
        }
        c.close().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_done_by_hand_works_on_a_phone_and_a_desktop() {
    for (width, height) in WIDTHS {
        let tmp = tempfile::tempdir().unwrap();
        let Some((_driver, c)) = browser(tmp.path()).await else {
            return;
        };
        c.set_window_size(width, height).await.unwrap();
        let dir = common::data_dir(tmp.path(), false);
        let base = serve(&dir).await;
        by_hand(&c, &base, tmp.path(), width).await;
        c.close().await.unwrap();
    }
}

async fn go(c: &Client, base: &str, path: &str, width: u32) {
    c.goto(&format!("{base}{path}")).await.unwrap();
    assert_fits(c, &format!("{path} at {width} px")).await;
}

async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1]",
        vec![id.into(), value.into()],
    )
    .await
    .unwrap();
}

async fn choose(c: &Client, select: &str, value: &str) {
    click(
        c,
        Locator::Css(&format!("{select} option[value='{value}']")),
    )
    .await;
}

async fn page_text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn by_hand(c: &Client, base: &str, tmp: &Path, width: u32) {
    // Add a membership closed in the app but still contracted at WeChat Pay, with vouchers.
    go(c, base, "/memberships/new", width).await;
    type_into(c, Locator::Id("platform"), "芒果TV").await;
    type_into(c, Locator::Id("plan"), "会员连续包月").await;
    type_into(c, Locator::Id("price"), "22").await;
    set_value(c, "start", "2026-11-10").await;
    choose(c, "#channel_0", "in_app").await;
    choose(c, "#status_0", "closed").await;
    set_value(c, "closed_0", "2026-11-20").await;
    choose(c, "#channel_1", "wechat_pay").await;
    type_into(c, Locator::Id("benefit_0"), "观影券").await;
    type_into(c, Locator::Id("quantity_0"), "4").await;
    type_into(c, Locator::Id("unit_0"), "5").await;
    type_into(c, Locator::Id("redeemed_0"), "1").await;
    submit(c, "form.stack").await;
    wait_path(c, "/memberships/1?done=added").await;
    assert_fits(c, &format!("membership at {width} px")).await;
    let channels = text_of(c, "#channels").await;
    assert!(
        channels.contains("应用内") && channels.contains("微信支付"),
        "{channels}"
    );
    assert!(text_of(c, "#benefits").await.contains("剩 3 / 4"));
    // The overview warns that WeChat Pay can still charge.
    go(c, base, "/", width).await;
    let alerts = text_of(c, "#alerts").await;
    assert!(
        alerts.contains("芒果TV") && alerts.contains("微信支付"),
        "{alerts}"
    );

    // Use a voucher, then close WeChat Pay through the edit form.
    go(c, base, "/memberships/1", width).await;
    click(c, Locator::Css("#benefits button")).await;
    wait_path(c, "/memberships/1?done=redeemed").await;
    assert!(text_of(c, "#benefits").await.contains("剩 2 / 4"));
    go(c, base, "/memberships/1/edit", width).await;
    let row = c
        .find(Locator::Css("#channel_1 option[selected]"))
        .await
        .unwrap();
    assert_eq!(
        row.attr("value").await.unwrap().as_deref(),
        Some("wechat_pay")
    );
    choose(c, "#status_1", "closed").await;
    set_value(c, "closed_1", "2026-11-25").await;
    submit(c, "form.stack").await;
    wait_path(c, "/memberships/1?done=saved").await;
    let channels = text_of(c, "#channels").await;
    assert!(
        channels.contains("2026-11-25") && !channels.contains("仍可扣费"),
        "{channels}"
    );

    // Fill the refund terms through the policy form, from a template.
    go(c, base, "/memberships/1/policy", width).await;
    choose(c, "select[name=template]", "video-monthly-vip").await;
    click(c, Locator::XPath("//button[contains(., '套用')]")).await;
    wait_path(c, "/memberships/1/policy?template=video-monthly-vip").await;
    assert_fits(c, &format!("policy form at {width} px")).await;
    submit(c, "form.policy").await;
    wait_path(c, "/memberships/1?done=policy").await;
    assert!(text_of(c, "#facts").await.contains("video-monthly-vip"));

    // Import bills and link the iQIYI stream to this membership rather than adding one.
    go(c, base, "/import", width).await;
    let csv = common::data("alipay-small.csv");
    type_into(c, Locator::Id("files"), &csv.display().to_string()).await;
    submit(c, "form.dropzone").await;
    assert!(text_of(c, "#imported").await.contains("新增 276 笔"));
    assert_fits(c, &format!("import at {width} px")).await;
    let row = "//tr[td[contains(., '爱奇艺')]]";
    click(
        c,
        Locator::XPath(&format!("{row}//select[@name='into']/option[@value='1']")),
    )
    .await;
    click(
        c,
        Locator::XPath(&format!(
            "{row}//form[contains(@class, 'link-stream')]//button"
        )),
    )
    .await;
    wait_path(c, "/memberships/1?done=adopted").await;
    go(c, base, "/import", width).await;
    assert!(
        text_of(c, "#streams").await.contains("会员 #1"),
        "the stream is linked to membership 1"
    );
    go(c, base, "/memberships", width).await;
    assert_eq!(
        c.find_all(Locator::Css("#memberships tbody tr"))
            .await
            .unwrap()
            .len(),
        1,
        "linking added no membership"
    );

    // Household: two members share it; reminders three and one day ahead.
    go(c, base, "/household", width).await;
    for name in ["小明", "小红"] {
        type_into(c, Locator::Id("name"), name).await;
        click(c, Locator::XPath("//button[contains(., '添加成员')]")).await;
        wait_path(c, "/household?done=added").await;
    }
    go(c, base, "/memberships/1", width).await;
    type_into(c, Locator::Id("share_0"), "1").await;
    type_into(c, Locator::Id("share_1"), "1").await;
    click(c, Locator::XPath("//button[contains(., '保存分摊')]")).await;
    wait_path(c, "/memberships/1?done=split").await;
    let split = text_of(c, "#split").await;
    assert!(
        split.contains("小明：11.00") && split.contains("小红：11.00"),
        "{split}"
    );
    let days = c.find(Locator::Id("days")).await.unwrap();
    days.clear().await.unwrap();
    days.send_keys("3,1").await.unwrap();
    click(c, Locator::XPath("//button[contains(., '保存提醒')]")).await;
    wait_path(c, "/memberships/1?done=reminders").await;
    assert!(text_of(c, "#reminders").await.contains("3,1"));

    // Open a case and upload a screenshot as evidence.
    click(c, Locator::XPath("//button[contains(., '开始退订')]")).await;
    wait_path(c, "/cases/1?done=opened").await;
    assert_fits(c, &format!("case at {width} px")).await;
    let shot = tmp.join("退订成功.png");
    std::fs::copy(common::screenshot("refund-promise-light-1170.png"), &shot).unwrap();
    type_into(
        c,
        Locator::Css("#evidence-form input[type=file]"),
        &shot.display().to_string(),
    )
    .await;
    submit(c, "#evidence-form").await;
    wait_path(c, "/cases/1?done=evidence").await;
    assert!(text_of(c, "#evidence table").await.contains("退订成功.png"));
    assert_fits(c, &format!("case with evidence at {width} px")).await;
    if common::tesseract_here() {
        // The page says "reading…" and reloads itself until the text is there.
        let mut said = String::new();
        for _ in 0..300 {
            // Read in one script: the page reloads itself meanwhile, and an element found
            // before a reload is stale after it.
            said = c
                .execute(
                    "const t = document.querySelector('#evidence table'); return t ? t.innerText : '';",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if said.contains("退订成功") && !said.contains("正在识别") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(said.contains("承诺退款 ¥24.43"), "{said}");
        assert_fits(c, &format!("case with the screenshot's text at {width} px")).await;
        click(c, Locator::XPath("//button[contains(., '采纳')]")).await;
        wait_path(c, "/cases/1?done=accepted").await;
        assert_eq!(text_of(c, "#state").await, "平台已承诺退款");
    }

    // A backup downloads from the data page.
    go(c, base, "/data", width).await;
    assert!(page_text(c).await.contains("下载备份"));
    tokio::time::sleep(Duration::from_millis(10)).await;
}

//! The real pages in headless Chromium (Debian's `chromium` and `chromium-driver`, which
//! `.ci/run` installs): add a membership (with a validation message first), import a bill
//! export and adopt a stream, open a case and upload evidence, download the dossier, read
//! an agreement and attach it. It also takes the screenshots in `docs/screenshots/` (written
//! there when `TUIDING_SCREENSHOTS=1`, else into a temporary directory).
//!
//! Without chromedriver the test says how to install it and is skipped, except under
//! `CI=true`, where it fails (`.ci/run` installs the browser); `TUIDING_SKIP_BROWSER=1`
//! skips it knowingly anywhere.

mod common;

use std::time::{Duration, Instant};

use common::browser::*;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_adds_imports_opens_a_case_and_downloads_the_dossier() {
    let tmp = tempfile::tempdir().unwrap();
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let Some((_driver, c)) = browser(&downloads).await else {
        return;
    };
    let shots = Shots::new();
    let dir = common::data_dir(tmp.path(), false);
    let base = serve(&dir).await;
    let url = |path: &str| format!("{base}{path}");

    // An empty ledger says how to start.
    c.goto(&url("/")).await.unwrap();
    assert!(c.source().await.unwrap().contains("还没有会员"));

    // Add a membership: a bad price is shown beside its field, then fixed.
    c.goto(&url("/memberships/new")).await.unwrap();
    type_into(&c, Locator::Id("platform"), "网易云音乐").await;
    type_into(&c, Locator::Id("plan"), "黑胶VIP连续包月").await;
    type_into(&c, Locator::Id("price"), "十五块").await;
    // A date input is filled through its picker; set its value as the picker would.
    c.execute(
        "document.getElementById('start').value = '2026-11-10'",
        vec![],
    )
    .await
    .unwrap();
    submit(&c, "form.stack").await;
    let problem = text_of(&c, "#price-problem").await;
    assert!(
        !problem.is_empty(),
        "the price problem is shown beside the field"
    );
    shots.take(&c, "add-membership-invalid").await;
    let price = c.find(Locator::Id("price")).await.unwrap();
    price.clear().await.unwrap();
    price.send_keys("15").await.unwrap();
    click(&c, Locator::Css("#channel_0 option[value=alipay]")).await;
    type_into(&c, Locator::Id("category"), "音乐").await;
    submit(&c, "form.stack").await;
    wait_path(&c, "/memberships/1?done=added").await;
    let page = c.source().await.unwrap();
    assert!(
        page.contains("规则体检") && page.contains("支付宝"),
        "the rule check and the channel to close"
    );

    // Import a bill export and adopt the iQIYI stream.
    c.goto(&url("/import")).await.unwrap();
    let csv = common::data("alipay-small.csv");
    type_into(&c, Locator::Id("files"), &csv.display().to_string()).await;
    submit(&c, "form.dropzone").await;
    let imported = text_of(&c, "#imported").await;
    assert!(imported.contains("新增 276 笔"), "{imported}");
    shots.take(&c, "import").await;
    click(
        &c,
        Locator::XPath("//tr[td[contains(., '爱奇艺')]]//button[contains(., '记为新会员')]"),
    )
    .await;
    wait_path(&c, "/memberships/2?done=adopted").await;
    assert!(c.source().await.unwrap().contains("爱奇艺VIP会员连续包月"));

    // Open a case and upload two screenshots as evidence of closing the channel.
    click(&c, Locator::XPath("//button[contains(., '开始退订')]")).await;
    wait_path(&c, "/cases/1?done=opened").await;
    let evidence = tmp.path().join("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    let (before, after) = (evidence.join("关闭前.png"), evidence.join("关闭后.png"));
    std::fs::write(&before, b"\x89PNG\r\n\x1a\nbefore").unwrap();
    std::fs::write(&after, b"\x89PNG\r\n\x1a\nafter").unwrap();
    type_into(
        &c,
        Locator::Css("#evidence-form input[type=file]"),
        &format!("{}\n{}", before.display(), after.display()),
    )
    .await;
    click(&c, Locator::Css("#step option[value='close:alipay']")).await;
    submit(&c, "#evidence-form").await;
    wait_path(&c, "/cases/1?done=evidence").await;
    let stored = text_of(&c, "#evidence table").await;
    assert!(
        stored.contains("关闭前.png") && stored.contains("关闭后.png"),
        "{stored}"
    );
    assert!(text_of(&c, "#vault").await.contains("校验通过"));
    click(&c, Locator::Css("#step-check_rules button")).await;
    wait_path(&c, "/cases/1?done=step").await;
    assert!(
        text_of(&c, "#state").await.contains("已做规则体检"),
        "the case moved on"
    );
    // Refund progress is recorded from the page (here too early: every channel is open).
    click(&c, Locator::Css("#what option[value=requested]")).await;
    submit(&c, "#refund-form").await;
    let refused = text_of(&c, "p.error").await;
    assert!(
        refused.contains("不能变为“已申请退款”"),
        "the illegal move is named: {refused}"
    );
    c.goto(&url("/cases/1")).await.unwrap();

    // Download the dossier and verify it.
    click(&c, Locator::Id("download")).await;
    let started = Instant::now();
    let zip = loop {
        let found = std::fs::read_dir(&downloads)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "zip"));
        if let Some(zip) = found {
            break zip;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the dossier was not downloaded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let (manifest, problems) = tuiding_app::dossier::verify(&zip).expect("the dossier reads");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        manifest
            .files
            .iter()
            .any(|f| f.path.ends_with("关闭后.png"))
    );

    // Read an agreement: findings are marked in the text; attach it to membership 2.
    c.goto(&url("/terms")).await.unwrap();
    type_into(&c, Locator::Id("text"), "爱奇艺VIP会员服务协议\n本服务为连续包月，每月25元，到期前24小时自动扣费。我们将在续费前5日通过短信提醒您。会员服务一经开通，不支持退款。您可以在“我的-设置-自动续费管理”中取消。").await;
    submit(&c, "form.dropzone").await;
    assert!(text_of(&c, "#findings").await.contains("退款方式"));
    assert!(c.find_all(Locator::Css("mark.field")).await.unwrap().len() >= 3);
    shots.take(&c, "terms").await;
    click(&c, Locator::Css("#membership option[value='2']")).await;
    submit(&c, "#attach form").await;
    // The reading is a draft: the policy form shows it for checking.
    wait_path(&c, "/memberships/2/policy?done=policy").await;
    assert!(c.source().await.unwrap().contains("terms:pasted.txt"));

    c.close().await.unwrap();
}

/// The article's own case in the web app: a 卡盟 annual membership with Alipay still
/// charging and 5 of 12 vouchers used; its agreement reads two ways and leaves out the
/// discount ratio. Read the agreement, complete the policy in the form (a bad value shown
/// beside its field first), switch to "leaving", see the best option and both readings,
/// open a case, and copy the written refund request; after the refund the membership no
/// longer renews.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_articles_case_decided_in_the_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_driver, c)) = browser(tmp.path()).await else {
        return;
    };
    let shots = Shots::new();
    let dir = common::data_dir(tmp.path(), false);
    let ctx = common::add_kameng(&dir, true);
    let base = serve(&dir).await;
    let url = |path: &str| format!("{base}{path}");

    // Read the agreement and attach it: the form names the missing ratio.
    c.goto(&url("/terms")).await.unwrap();
    let text = std::fs::read_to_string(common::data("kameng-agreement.txt")).unwrap();
    type_into(&c, Locator::Id("text"), &text).await;
    submit(&c, "form.dropzone").await;
    assert!(text_of(&c, "#findings").await.contains("退款方式"));
    click(&c, Locator::Css("#membership option[value='1']")).await;
    submit(&c, "#attach form").await;
    wait_path(&c, "/memberships/1/policy?done=policy").await;
    assert!(text_of(&c, "#missing").await.contains("折扣比例"));
    // A bad ratio is refused beside its field; then the right one.
    type_into(&c, Locator::Css("[id='refund.discount_ratio']"), "1.5").await;
    submit(&c, "form.policy").await;
    let problem = text_of(&c, ".field.invalid p.error").await;
    assert!(problem.contains("at most 1"), "{problem}");
    let ratio = c
        .find(Locator::Css("[id='refund.discount_ratio']"))
        .await
        .unwrap();
    ratio.clear().await.unwrap();
    ratio.send_keys("0.9").await.unwrap();
    shots.take(&c, "policy-form").await;
    submit(&c, "form.policy").await;
    wait_path(&c, "/memberships/1?done=policy").await;

    // Leaving: the best net is to use the vouchers, never "keep".
    click(&c, Locator::Css("nav.switch a[href*='intent=leaving']")).await;
    wait_path(&c, "/memberships/1?intent=leaving").await;
    let best = c
        .find(Locator::Css("#options tr.best"))
        .await
        .unwrap()
        .attr("data-action")
        .await
        .unwrap();
    assert_eq!(best.as_deref(), Some("use_benefits_then_cancel"));
    let readings = text_of(&c, "#readings").await;
    assert!(
        readings.contains("按已用天数扣费") && readings.contains("按剩余天数折算"),
        "{readings}"
    );
    assert!(text_of(&c, "#refund-curve").await.contains("从这天起为 0"));
    shots.take(&c, "decision").await;

    // Open a case: the refund request carries the amount, the clause and the deadline.
    click(&c, Locator::XPath("//button[contains(., '开始退订')]")).await;
    wait_path(&c, "/cases/1?done=opened").await;
    let claim = text_of(&c, "#claim-amount").await;
    let request = c
        .find(Locator::Id("message-refund_request"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(request.contains(&claim), "{claim} in {request}");
    assert!(request.contains("按剩余天数比例退款") && request.contains("第四百九十八条"));
    click(
        &c,
        Locator::Css("button[data-copy='message-refund_request']"),
    )
    .await;
    shots.take(&c, "case-messages").await;

    // Refund received and resolved: the membership renews no more.
    tuiding_app::case::mark_step(&ctx, 1, "close:alipay", None).unwrap();
    let amount = claim.trim_start_matches('¥').to_string();
    for facts in [
        tuiding_app::case::RefundFacts {
            requested: true,
            ..Default::default()
        },
        tuiding_app::case::RefundFacts {
            received: Some(amount),
            ..Default::default()
        },
    ] {
        tuiding_app::case::record_refund(&ctx, 1, &facts).unwrap();
    }
    tuiding_app::case::move_case(&ctx, 1, tuiding_core::case::CaseState::Resolved, None).unwrap();
    c.goto(&url("/memberships/1")).await.unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("不再续费"), "the membership ended");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_switches_to_english() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_driver, c)) = browser(tmp.path()).await else {
        return;
    };
    let shots = Shots::new();
    let dir = common::data_dir(tmp.path(), true);
    let base = serve(&dir).await;
    c.goto(&format!("{base}/")).await.unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("即将续费") && page.contains("未来 12 个月预计扣费"));
    assert!(
        c.find(Locator::Css("figure.bars rect")).await.is_ok(),
        "the charts are drawn"
    );
    // The overview, memberships and case pages at both widths, light and dark, are taken
    // by tests/web_app.rs; here the English switch.
    click(&c, Locator::Css("a[hreflang=en]")).await;
    let started = Instant::now();
    while !c
        .source()
        .await
        .unwrap()
        .contains("Renewing in the next 30 days")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the English switch"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    shots.take(&c, "dashboard-en").await;
    c.close().await.unwrap();
}

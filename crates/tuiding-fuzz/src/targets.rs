//! The fuzz targets: each names its seeds (fixtures of the repository) and runs one input
//! through a parser and what follows it, returning a problem only for what must never
//! happen short of a panic (an API answering 500).

use std::path::Path;

use jiff::civil::{Date, date};
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, WorkCalendar};

use crate::root;

/// One parser under test.
pub trait Target {
    /// The name on the command line and in file names.
    fn name(&self) -> &'static str;
    /// The inputs mutations start from.
    fn seeds(&self) -> Vec<Vec<u8>>;
    /// Runs one input; `Err` names a failure that is not a panic.
    fn run(&self, input: &[u8]) -> Result<(), String>;
}

const TODAY: Date = date(2026, 11, 30);

/// Every target, in the order `scripts/fuzz.sh` runs them.
pub fn all() -> Vec<Box<dyn Target>> {
    vec![
        Box::new(Bills),
        Box::new(PolicyToml::new()),
        Box::new(Agreements),
        Box::new(Wallos),
        Box::new(Archives::new()),
        Box::new(Api::new()),
    ]
}

/// Every file under `dir` (relative to the repository) whose name ends with one of `ends`.
fn files(dir: &str, ends: &[&str]) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.to_string_lossy();
            ends.iter().any(|e| name.ends_with(e))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// Bill exports: every layout (CSV, XLSX, XLS) through the format detection and row readers.
struct Bills;

impl Target for Bills {
    fn name(&self) -> &'static str {
        "bills"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        let mut seeds = files(
            "crates/tuiding-bills/tests/layouts",
            &[".csv", ".xls", ".xlsx"],
        );
        seeds.extend(files("crates/tuiding/tests/data", &[".csv", ".xlsx"]));
        seeds
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        if let Ok(export) = tuiding_bills::parse_export("fuzz", input) {
            // What import and scan do next.
            let _ = tuiding_bills::detect_streams(&export.transactions, TODAY);
        }
        Ok(())
    }
}

/// Policy TOML, then the rule check with it on a sample membership.
struct PolicyToml {
    calendar: WorkCalendar,
}

impl PolicyToml {
    fn new() -> PolicyToml {
        PolicyToml {
            calendar: WorkCalendar::embedded(),
        }
    }
}

fn sample_membership() -> tuiding_core::Membership {
    tuiding_core::Membership {
        platform: "星辰卡盟".into(),
        plan: "年费会员".into(),
        billing: tuiding_core::Billing::Periodic(tuiding_core::Period::year()),
        price: tuiding_core::Money::from_minor(19_800, tuiding_core::Currency::CNY),
        start: date(2026, 5, 10),
        paid_through: None,
        trial_until: None,
        auto_renew: vec![tuiding_core::AutoRenewContract {
            channel: tuiding_core::Channel::Alipay,
            status: tuiding_core::ContractStatus::Active,
        }],
        benefits: vec![tuiding_core::Benefit {
            name: "兑换券".into(),
            unit_value: Some(tuiding_core::Money::from_minor(
                1000,
                tuiding_core::Currency::CNY,
            )),
            quantity: 12,
            redeemed: 5,
        }],
        category: None,
        notes: None,
    }
}

impl Target for PolicyToml {
    fn name(&self) -> &'static str {
        "policy"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        files("data/platforms", &[".toml"])
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        let Ok(text) = std::str::from_utf8(input) else {
            return Ok(());
        };
        if let Ok(policy) = Policy::from_toml(text) {
            let m = sample_membership();
            for day in [TODAY, date(2026, 5, 10), date(2027, 5, 9)] {
                let _ = tuiding_core::checkup::check(&m, Some(&policy), day, &self.calendar);
            }
        }
        Ok(())
    }
}

/// Agreements (text or HTML, any encoding), and the policy drafted from them.
struct Agreements;

impl Target for Agreements {
    fn name(&self) -> &'static str {
        "terms"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        let mut seeds = files("crates/tuiding-terms/tests/corpus", &[".txt", ".html"]);
        seeds.extend(files("crates/tuiding/tests/data", &[".txt"]));
        seeds
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        if let Ok(reading) = tuiding_terms::read_bytes(input) {
            let draft = reading.policy_toml("fuzz.txt");
            let _ = Policy::from_toml(&draft);
        }
        Ok(())
    }
}

/// Wallos exports (JSON or CSV), mapped to memberships, each validated and costed.
struct Wallos;

impl Target for Wallos {
    fn name(&self) -> &'static str {
        "wallos"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        files("crates/tuiding/tests/data", &["wallos.json", "wallos.csv"])
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        let Ok(text) = std::str::from_utf8(input) else {
            return Ok(());
        };
        let Ok(records) = tuiding_app::wallos::read_records(text) else {
            return Ok(());
        };
        let (mapped, _) = tuiding_core::wallos::map_records(&records, TODAY);
        for m in mapped {
            let m = m.membership;
            if m.validate().is_ok() {
                let _ = (
                    m.monthly_cost(),
                    m.next_renewal(TODAY),
                    m.key_dates_within(TODAY, date(2027, 11, 30)),
                );
            }
        }
        Ok(())
    }
}

/// Dossier and backup archives: verified against their manifests, then extracted.
struct Archives {
    dir: tempfile::TempDir,
    seeds: Vec<Vec<u8>>,
}

impl Archives {
    fn new() -> Archives {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let seeds = archive_seeds(dir.path()).unwrap_or_else(|e| panic!("archive seeds: {e:#}"));
        Archives { dir, seeds }
    }
}

/// A dossier and a backup of a demo ledger with one case and two pieces of evidence.
fn archive_seeds(dir: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let data = dir.join("seed-data");
    let ctx = tuiding_app::context::Ctx::for_service(Lang::Zh, TODAY, data.clone());
    tuiding_app::demo::demo(&ctx)?;
    let case = tuiding_app::case::open(&ctx, 1)?;
    let shot = dir.join("截图 13812345678.png");
    std::fs::write(&shot, b"\x89PNG pretend")?;
    tuiding_app::evidence::add(
        &ctx,
        case,
        &[tuiding_app::text::InputFile::path(&shot)],
        "operation",
        None,
        Some("客服承诺".into()),
    )?;
    std::fs::write(&shot, b"second")?;
    tuiding_app::evidence::add(
        &ctx,
        case,
        &[tuiding_app::text::InputFile::path(&shot)],
        "payment",
        None,
        None,
    )?;
    let dossier = dir.join("dossier.zip");
    tuiding_app::dossier::write(&ctx, case, &dossier, true, |_| {})?;
    // A backup's layout: the database and the vault under `data/`, with a manifest.
    let mut files = vec![(
        "data/tuiding.db".to_string(),
        std::fs::read(data.join("tuiding.db"))?,
    )];
    for entry in walk(&data.join("vault")) {
        let relative = entry
            .strip_prefix(&data)?
            .to_string_lossy()
            .replace('\\', "/");
        files.push((format!("data/{relative}"), std::fs::read(&entry)?));
    }
    let backup = dir.join("backup.zip");
    tuiding_vault::dossier::write(&backup, "2026-11-30T00:00:00Z", &files)?;
    Ok(vec![std::fs::read(dossier)?, std::fs::read(backup)?])
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

impl Target for Archives {
    fn name(&self) -> &'static str {
        "archives"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        let file = self.dir.path().join("input.zip");
        std::fs::write(&file, input).map_err(|e| e.to_string())?;
        let _ = tuiding_vault::dossier::verify(&file);
        let into = self.dir.path().join("extracted");
        let _ = tuiding_vault::dossier::extract(&file, "data", &into);
        let _ = std::fs::remove_dir_all(&into);
        Ok(())
    }
}

/// JSON bodies of the API's writes, against the router on a demo ledger: any answer but
/// a 500 passes.
struct Api {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    _dir: tempfile::TempDir,
}

impl Api {
    fn new() -> Api {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("data");
        let ctx = tuiding_app::context::Ctx::for_service(Lang::Zh, TODAY, data.clone());
        tuiding_app::demo::demo(&ctx).expect("the demo ledger");
        let state = tuiding_web::state::AppState::new(data, Some(TODAY), Lang::Zh, None);
        Api {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            app: tuiding_web::router(state),
            _dir: dir,
        }
    }
}

/// Where a body goes, chosen by the input's length so every route gets inputs.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/memberships"),
    ("PATCH", "/api/v1/memberships/1"),
    ("PATCH", "/api/v1/memberships/2/policy"),
    ("POST", "/api/v1/terms/read"),
    ("POST", "/api/v1/cases/1/refund"),
];

impl Target for Api {
    fn name(&self) -> &'static str {
        "api"
    }
    fn seeds(&self) -> Vec<Vec<u8>> {
        [
            r#"{"platform":"爱奇艺","plan":"黄金VIP","period":"month","price":"25","start":"2026-01-31","auto_renew":["wechat_pay","alipay:closed:2026-11-20"],"benefits":["观影券:4:15:1"],"category":"视频"}"#,
            r#"{"price":"30","notes":"涨价","revision":1}"#,
            r#"{"set":{"refund.method":"pro_rata_days","timing.refund_working_days":"3-7","timing.refund_max_days":"15"}}"#,
            r#"{"text":"会员服务协议：开通后7日内可申请退款，按剩余天数比例退还，3-7个工作日到账。"}"#,
            r#"{"promised":"13.00","by":"2026-12-01"}"#,
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect()
    }
    fn run(&self, input: &[u8]) -> Result<(), String> {
        use tower::ServiceExt;
        let (method, uri) = ROUTES[input.len() % ROUTES.len()];
        let request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1:7878")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(input.to_vec()))
            .map_err(|e| e.to_string())?;
        let status = self
            .runtime
            .block_on(self.app.clone().oneshot(request))
            .map_err(|e| e.to_string())?
            .status();
        if status.is_server_error() {
            return Err(format!("{method} {uri} answered {status}"));
        }
        Ok(())
    }
}

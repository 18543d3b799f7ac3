//! Headless Chromium for the browser tests (Debian's `chromium` and `chromium-driver`,
//! which `.ci/run` installs): starting it, serving a data dir, the small steps a test
//! takes (type, click, wait), screenshots, and the checks every page must pass: no
//! horizontal scrolling on a phone and no serious axe-core violation.
//!
//! Without chromedriver a test says how to install it and is skipped, except under
//! `CI=true`, where it fails; `TUIDING_SKIP_BROWSER=1` skips it knowingly anywhere.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// The chromedriver process, stopped when dropped.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |dir| dir.join(n)))
        .find(|p| p.is_file())
}

/// Serves `dir` on a free loopback port; returns the base URL.
pub async fn serve(dir: &Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = tuiding_web::router(super::state(dir, None));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

pub async fn browser(downloads: &Path) -> Option<(Driver, Client)> {
    browser_with(downloads, false).await
}

/// A Chromium session; with `dark`, pages see `prefers-color-scheme: dark`.
pub async fn browser_with(downloads: &Path, dark: bool) -> Option<(Driver, Client)> {
    if std::env::var_os("TUIDING_SKIP_BROWSER").is_some() {
        eprintln!("TUIDING_SKIP_BROWSER is set: the browser test is skipped");
        return None;
    }
    const HOW: &str = "chromedriver not found: install Debian's chromium and chromium-driver \
        (`sudo apt-get install chromium chromium-driver`; `.ci/run` does)";
    let Some(driver) = find_program(&["chromedriver"]) else {
        // On a machine with only the Rust toolchain the suite passes without the browser;
        // in CI, where `.ci/run` installs it, a missing browser is a failure.
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{HOW}");
        eprintln!("{HOW}: the browser test is skipped");
        return None;
    };
    // A port picked free can be taken by another test before chromedriver binds it (the
    // browser tests run side by side): then the session is refused, and the launch is
    // tried again on another port.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match launch(&driver, downloads, dark).await {
            Ok(session) => return Some(session),
            Err(e) if attempts < 3 => eprintln!("chromedriver session refused ({e}); trying again"),
            Err(e) => panic!("a Chromium session: {e}"),
        }
    }
}

/// Starts chromedriver on a free port and opens a Chromium session through it.
async fn launch(driver: &Path, downloads: &Path, dark: bool) -> Result<(Driver, Client), String> {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut options = json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1700", "--lang=zh-CN", "--hide-scrollbars"],
        "prefs": {
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
            "intl.accept_languages": "zh-CN,zh",
        },
    });
    if dark {
        options["args"]
            .as_array_mut()
            .unwrap()
            .push(json!("--force-dark-mode"));
    }
    if let Some(binary) = find_program(&["chromium", "chromium-browser", "google-chrome"]) {
        options["binary"] = json!(binary.display().to_string());
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    // chromedriver speaks plain HTTP on loopback: no TLS stack is needed.
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| e.to_string())?;
    Ok((driver, client))
}

pub struct Shots {
    dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Shots {
    pub fn new() -> Shots {
        if std::env::var_os("TUIDING_SCREENSHOTS").is_some() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            Shots { dir, _tmp: None }
        } else {
            let tmp = tempfile::tempdir().unwrap();
            Shots {
                dir: tmp.path().to_path_buf(),
                _tmp: Some(tmp),
            }
        }
    }

    pub async fn take(&self, c: &Client, name: &str) {
        let png = c.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG");
        std::fs::write(self.dir.join(format!("{name}.png")), png).unwrap();
    }
}

pub async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

pub async fn path_of(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

pub async fn click(c: &Client, at: Locator<'_>) {
    c.find(at).await.unwrap().click().await.unwrap();
}

pub async fn type_into(c: &Client, at: Locator<'_>, text: &str) {
    c.find(at).await.unwrap().send_keys(text).await.unwrap();
}

/// Waits (up to 10 s) until the browser is at `expected` (path and query).
pub async fn wait_path(c: &Client, expected: &str) {
    let started = Instant::now();
    loop {
        let now = path_of(c).await;
        if now == expected {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "at {now}, expected {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn submit(c: &Client, form_css: &str) {
    click(c, Locator::Css(&format!("{form_css} button[type=submit]"))).await;
}

/// The page's width against the window's: a phone page must not scroll sideways.
pub async fn assert_fits(c: &Client, what: &str) {
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "{what}: the page is {scroll} px wide in a {inner} px window"
    );
}

/// axe-core's script, when it is installed: `TUIDING_AXE_JS`, else `target/axe` of the
/// workspace (`.ci/run` runs `npm install --prefix target/axe axe-core@4.10.3`). Without
/// it the accessibility checks say how to get it and are skipped, except under `CI=true`.
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("TUIDING_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            const HOW: &str = "axe-core not found: `npm install --prefix target/axe axe-core@4.10.3` \
                (or set TUIDING_AXE_JS to axe.min.js); `.ci/run` does";
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{HOW}");
            eprintln!("{HOW}: the accessibility checks are skipped");
            None
        }
    }
}

/// Runs axe-core (WCAG 2 A and AA rules) on the current page and fails on any serious or
/// critical violation, naming the rule and the elements.
pub async fn assert_accessible(c: &Client, axe: Option<&str>, what: &str) {
    let Some(axe) = axe else { return };
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{what}: axe-core did not load: {e}"));
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    let violations: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

//! For tests of every crate that reads screenshots: whether Tesseract is here. Not part
//! of the product.

/// Whether Tesseract with its Chinese model is here. Without it the tests say how to get it
/// and skip that part, except under `CI=true` (where `.ci/run` installs it).
pub fn tesseract_here() -> bool {
    let found = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "chi_sim")
        });
    if !found {
        let message = "Tesseract with chi_sim is not installed, screenshots are not read: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
    }
    found
}

//! For tests of every crate that runs against PostgreSQL: which database to use, and
//! names no other test uses. Not part of the product.

/// The PostgreSQL database `TUIDING_TEST_DATABASE_URL` names, or `None` after saying how to
/// get one (`bash scripts/pg-cluster.sh start DIR` starts a throwaway cluster and prints
/// its URL). Under `CI=true` a missing database fails the test, unless
/// `TUIDING_SKIP_POSTGRES=1` skips it knowingly.
pub fn database_url() -> Option<String> {
    match std::env::var("TUIDING_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let how = "PostgreSQL tests skipped: set TUIDING_TEST_DATABASE_URL to a database they may write to, e.g. \
                 TUIDING_TEST_DATABASE_URL=$(bash scripts/pg-cluster.sh start /tmp/tuiding-pg) \
                 (Debian: sudo apt-get install postgresql); TUIDING_SKIP_POSTGRES=1 skips them knowingly";
            let knowingly = std::env::var("TUIDING_SKIP_POSTGRES").is_ok_and(|v| v == "1");
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(knowingly || !in_ci, "{how}");
            eprintln!("{how}");
            None
        }
    }
}

/// A name no other test, in this process or another, uses (accounts of a shared test
/// database).
pub fn unique(prefix: &str) -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix}-{}-{nanos}-{n}", std::process::id())
}

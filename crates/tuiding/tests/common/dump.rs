//! The database of a data dir as text, to check that something wrote nothing. Shared by
//! the CLI's tests and the web's (`crates/tuiding-web/tests/reads.rs` includes this file).

use std::path::Path;

/// Every row of every table in the data dir's database, in a stable order: what "nothing
/// was written" is checked against (the `sqlite3 tuiding.db .dump` of the contract).
pub fn dump(data: &Path) -> String {
    let db = data.join("tuiding.db");
    if !db.exists() {
        return String::new();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|cells| cells.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.push_str(&format!("{table}\n{}\n", rows.join("\n")));
    }
    out
}

//! Copying a whole ledger between the two SQL backends, table by table, with its ids:
//! a SQLite data dir into an empty PostgreSQL account (`tuiding migrate --to`), and a
//! PostgreSQL account into a new SQLite file (an account's backup, which restores like any
//! other and can be migrated back). Every row is copied as it is, including rows no
//! figure can be computed from, and reminders already sent stay sent.

use postgres::types::ToSql;
use rusqlite::types::Value as SqlValue;

use crate::postgres::{PgStore, Session, Wrote};
use crate::{SqliteStore, StoreError};

/// How a column is typed on each side (SQLite keeps dates and instants as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    /// `date`.
    Day,
    /// `timestamptz` written by the database (`created_at` …): milliseconds.
    Stamped,
    /// `timestamptz` set by the application (a case's moves): microseconds.
    Instant,
    /// `timestamp` without a zone (a bill's local time).
    Local,
}

use Kind::{Day, Instant, Int, Local, Stamped, Text};

/// A table's copied columns, parents before children.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    /// An id PostgreSQL generates (shared by all accounts): not copied but generated
    /// anew, and references to it translated.
    generated_id: bool,
    /// A column referring to a generated id of an earlier table.
    refers: Option<(&'static str, &'static str)>,
}

const TABLES: &[Table] = &[
    Table {
        name: "membership",
        columns: &[
            ("id", Int),
            ("platform", Text),
            ("plan", Text),
            ("billing", Text),
            ("period", Text),
            ("price_minor", Int),
            ("currency", Text),
            ("start_date", Day),
            ("paid_through", Day),
            ("category", Text),
            ("notes", Text),
            ("revision", Int),
            ("created_at", Stamped),
            ("updated_at", Stamped),
            ("trial_until", Day),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "auto_renew_contract",
        columns: &[
            ("membership_id", Int),
            ("position", Int),
            ("channel", Text),
            ("status", Text),
            ("closed_on", Day),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "benefit",
        columns: &[
            ("membership_id", Int),
            ("position", Int),
            ("name", Text),
            ("unit_value_minor", Int),
            ("unit_value_currency", Text),
            ("quantity", Int),
            ("redeemed", Int),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "membership_policy",
        columns: &[
            ("membership_id", Int),
            ("policy_toml", Text),
            ("origin", Text),
            ("updated_at", Stamped),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "bill_import",
        columns: &[
            ("id", Int),
            ("file", Text),
            ("format", Text),
            ("rows_read", Int),
            ("rows_added", Int),
            ("period_start", Day),
            ("period_end", Day),
            ("imported_at", Stamped),
        ],
        generated_id: true,
        refers: None,
    },
    Table {
        name: "bill_transaction",
        columns: &[
            ("id", Int),
            ("import_id", Int),
            ("source", Text),
            ("source_id", Text),
            ("time", Local),
            ("counterparty", Text),
            ("description", Text),
            ("category", Text),
            ("direction", Text),
            ("amount_minor", Int),
            ("currency", Text),
            ("method", Text),
            ("status", Text),
            ("status_text", Text),
            ("refund_of", Text),
            ("line", Int),
        ],
        generated_id: true,
        refers: Some(("import_id", "bill_import")),
    },
    Table {
        name: "stream_decision",
        columns: &[
            ("stream_key", Text),
            ("decision", Text),
            ("membership_id", Int),
            ("decided_at", Stamped),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "case_file",
        columns: &[
            ("id", Int),
            ("membership_id", Int),
            ("membership_label", Text),
            ("currency", Text),
            ("state", Text),
            ("opened_on", Day),
            ("requested_on", Day),
            ("promised_minor", Int),
            ("promised_by", Day),
            ("received_minor", Int),
            ("received_on", Day),
            ("revision", Int),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "case_transition",
        columns: &[
            ("case_id", Int),
            ("seq", Int),
            ("from_state", Text),
            ("to_state", Text),
            ("at", Instant),
            ("note", Text),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "case_step",
        columns: &[
            ("case_id", Int),
            ("step_id", Text),
            ("done_at", Instant),
            ("note", Text),
        ],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "household_member",
        columns: &[("id", Int), ("name", Text)],
        generated_id: true,
        refers: None,
    },
    Table {
        name: "membership_split",
        columns: &[
            ("membership_id", Int),
            ("position", Int),
            ("member_id", Int),
            ("shares", Int),
            ("fixed_minor", Int),
        ],
        generated_id: false,
        refers: Some(("member_id", "household_member")),
    },
    Table {
        name: "reminder_lead",
        columns: &[("membership_id", Int), ("days", Text)],
        generated_id: false,
        refers: None,
    },
    Table {
        name: "price_change",
        columns: &[
            ("id", Int),
            ("membership_id", Int),
            ("changed_on", Day),
            ("old_minor", Int),
            ("new_minor", Int),
            ("currency", Text),
            ("source", Text),
        ],
        generated_id: true,
        refers: None,
    },
    Table {
        name: "reminder_sent",
        columns: &[
            ("membership_id", Int),
            ("key_day", Day),
            ("lead_days", Int),
            ("channel", Text),
            ("sent_at", Instant),
        ],
        generated_id: false,
        refers: None,
    },
];

/// A value in transit.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    fn int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Null => None,
        }
    }
}

/// What a copy moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyCounts {
    /// Rows per table, in copy order.
    pub rows: Vec<(&'static str, usize)>,
}

impl CopyCounts {
    /// Rows of one table.
    pub fn of(&self, table: &str) -> usize {
        self.rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

fn refused(what: String) -> StoreError {
    StoreError::NotCopied(what)
}

/// Rows of one SQLite table, in rowid order.
fn sqlite_rows(
    source: &rusqlite::Connection,
    table: &Table,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY rowid",
        columns.join(", "),
        table.name
    );
    let mut stmt = source.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        (0..columns.len())
            .map(|i| r.get::<_, SqlValue>(i))
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?
            .into_iter()
            .zip(table.columns)
            .map(|(v, (column, _))| match v {
                SqlValue::Null => Ok(Value::Null),
                SqlValue::Integer(n) => Ok(Value::Int(n)),
                SqlValue::Text(t) => Ok(Value::Text(t)),
                other => Err(StoreError::Corrupt {
                    id: 0,
                    field: column,
                    value: format!("{other:?}"),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(row);
    }
    Ok(out)
}

/// The expression reading a column from PostgreSQL as the value SQLite keeps.
fn pg_read(column: &str, kind: Kind) -> String {
    match kind {
        Int => format!("{column}::bigint"),
        Text => column.to_string(),
        Day => format!("{column}::text"),
        Stamped => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
        }
        Instant => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        }
        Local => format!("to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"),
    }
}

/// The cast turning a text or bigint parameter into the column's PostgreSQL type.
fn pg_cast(kind: Kind) -> &'static str {
    match kind {
        Int => "bigint",
        Text => "text",
        Day => "date",
        Stamped | Instant => "timestamptz",
        Local => "timestamp",
    }
}

impl PgStore {
    /// Copies a whole SQLite ledger into this account, which must never have been written
    /// to, in one transaction: every row with its id (generated ids are made anew and
    /// references to them translated), the evidence journal's head, and the id counters
    /// (an id removed in SQLite is not handed out again). A row PostgreSQL refuses (a
    /// day that does not exist, edited in by hand) stops the copy with its table and value;
    /// nothing is written then.
    pub fn copy_from_sqlite(&mut self, source: &SqliteStore) -> Result<CopyCounts, StoreError> {
        // Every read of the source in one SQLite read transaction: one moment's ledger,
        // whoever writes to the data dir meanwhile.
        let snapshot = source.conn.unchecked_transaction()?;
        let tables: Vec<(&Table, Vec<Vec<Value>>)> = TABLES
            .iter()
            .map(|t| Ok((t, sqlite_rows(&snapshot, t)?)))
            .collect::<Result<_, StoreError>>()?;
        let head = crate::sqlite::read_vault_head(&snapshot)?;
        let sequence = |name: &str| -> i64 {
            snapshot
                .query_row(
                    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)",
                    [name],
                    |r| r.get(0),
                )
                .unwrap_or(0)
        };
        let (last_membership, last_case) = (sequence("membership"), sequence("case_file"));
        snapshot.finish()?;
        self.write(|s| {
            let version: i64 = s
                .one(
                    "SELECT data_version FROM account WHERE id = $1",
                    &[&{ s.account }],
                )?
                .get(0);
            // The write lock moved it from 0 to 1: 1 means nothing was ever written.
            if version != 1 {
                return Err(refused(
                    "the account already holds data; migrate into a new account (tuiding user add NAME)".into(),
                ));
            }
            let mut counts = CopyCounts::default();
            let mut generated: std::collections::HashMap<&str, std::collections::HashMap<i64, i64>> =
                std::collections::HashMap::new();
            for (table, rows) in &tables {
                // A table whose new ids others refer to goes row by row (each id is read
                // back); the others in batches.
                let referred = TABLES.iter().any(|t| t.refers.map(|r| r.1) == Some(table.name));
                if referred {
                    for row in rows {
                        let new_id = insert_pg(s, table, row, &generated)?;
                        if let (Some(new_id), Some(old)) = (new_id, row[0].int()) {
                            generated.entry(table.name).or_default().insert(old, new_id);
                        }
                    }
                } else {
                    for chunk in rows.chunks(BATCH) {
                        insert_batch(s, table, chunk, &generated)?;
                    }
                }
                counts.rows.push((table.name, rows.len()));
            }
            if let Some(head) = &head {
                let seq = i64::try_from(head.seq).unwrap_or(i64::MAX);
                s.exec(
                    "INSERT INTO vault_head (account_id, seq, hash) VALUES ($1, $2, $3)",
                    &[&{ s.account }, &seq, &head.hash],
                )?;
            }
            s.exec(
                "UPDATE account SET
                     last_membership_id = greatest($2, (SELECT coalesce(max(id), 0) FROM membership WHERE account_id = $1)),
                     last_case_id = greatest($3, (SELECT coalesce(max(id), 0) FROM case_file WHERE account_id = $1))
                 WHERE id = $1",
                &[&{ s.account }, &last_membership, &last_case],
            )?;
            Ok(Wrote::Changed(counts))
        })
    }

    /// Copies this account's whole ledger into `target`, a SQLite ledger never written to
    /// (a new file): every row with its ids, the journal's head and the id counters.
    pub fn copy_into_sqlite(&self, target: &mut SqliteStore) -> Result<CopyCounts, StoreError> {
        let mut tables = Vec::new();
        let mut head = None;
        // One snapshot: the rows, the head and the counters as of one moment.
        let counters = self.read(|s| {
            head = crate::postgres::cases::read_vault_head(s)?;
            for table in TABLES {
                tables.push((table, pg_rows(s, table)?));
            }
            let row = s.one(
                "SELECT last_membership_id, last_case_id FROM account WHERE id = $1",
                &[&{ s.account }],
            )?;
            Ok((row.get::<_, i64>(0), row.get::<_, i64>(1)))
        })?;
        let tx = target.conn.transaction()?;
        let written: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM membership) + (SELECT count(*) FROM case_file)
                  + (SELECT count(*) FROM bill_import) + (SELECT count(*) FROM household_member)",
            [],
            |r| r.get(0),
        )?;
        if written > 0 {
            return Err(refused(
                "the SQLite ledger to copy into is not empty".into(),
            ));
        }
        let mut counts = CopyCounts::default();
        for (table, rows) in &tables {
            let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name,
                columns.join(", "),
                marks.join(", ")
            );
            let mut insert = tx.prepare(&sql)?;
            for row in rows {
                let values: Vec<SqlValue> = row
                    .iter()
                    .map(|v| match v {
                        Value::Null => SqlValue::Null,
                        Value::Int(n) => SqlValue::Integer(*n),
                        Value::Text(t) => SqlValue::Text(t.clone()),
                    })
                    .collect();
                insert.execute(rusqlite::params_from_iter(values))?;
            }
            counts.rows.push((table.name, rows.len()));
        }
        if let Some(head) = head {
            tx.execute(
                "INSERT INTO vault_head (id, seq, hash) VALUES (1, ?1, ?2)",
                rusqlite::params![i64::try_from(head.seq).unwrap_or(i64::MAX), head.hash],
            )?;
        }
        for (name, last) in [("membership", counters.0), ("case_file", counters.1)] {
            tx.execute("DELETE FROM sqlite_sequence WHERE name = ?1", [name])?;
            tx.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                rusqlite::params![name, last],
            )?;
        }
        tx.commit()?;
        Ok(counts)
    }
}

/// Rows of one table of this account, as SQLite keeps them.
fn pg_rows(s: &mut Session<'_, '_>, table: &Table) -> Result<Vec<Vec<Value>>, StoreError> {
    let expressions: Vec<String> = table.columns.iter().map(|(c, k)| pg_read(c, *k)).collect();
    let order = if table.columns[0].0 == "id" {
        "id"
    } else {
        "1, 2"
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE account_id = $1 ORDER BY {order}",
        expressions.join(", "),
        table.name
    );
    let rows = s.query_dynamic(&sql, &[&{ s.account }])?;
    rows.iter()
        .map(|r| {
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, (column, kind))| {
                    Ok(match kind {
                        Int => r.get::<_, Option<i64>>(i).map_or(Value::Null, Value::Int),
                        Local => match r.get::<_, Option<String>>(i) {
                            // As jiff writes it (no fraction when there is none), the
                            // form the SQLite store orders and compares.
                            Some(t) => Value::Text(
                                t.parse::<jiff::civil::DateTime>()
                                    .map_err(|_| StoreError::Corrupt {
                                        id: 0,
                                        field: column,
                                        value: t.clone(),
                                    })?
                                    .to_string(),
                            ),
                            None => Value::Null,
                        },
                        _ => r
                            .get::<_, Option<String>>(i)
                            .map_or(Value::Null, Value::Text),
                    })
                })
                .collect()
        })
        .collect()
}

/// Rows copied in one statement.
const BATCH: usize = 1000;

/// A row's value of a column, with a reference to a generated id translated.
fn translated(
    table: &Table,
    column: &'static str,
    value: &Value,
    generated: &std::collections::HashMap<&str, std::collections::HashMap<i64, i64>>,
) -> Result<Value, StoreError> {
    let Some((refers, parent)) = table.refers.filter(|(c, _)| *c == column) else {
        return Ok(value.clone());
    };
    let Some(old) = value.int() else {
        return Ok(value.clone());
    };
    let new = generated
        .get(parent)
        .and_then(|m| m.get(&old))
        .ok_or_else(|| StoreError::Corrupt {
            id: old,
            field: refers,
            value: format!("{parent} {old} is missing"),
        })?;
    Ok(Value::Int(*new))
}

/// Inserts rows of a table no other refers to in one statement: one array per column,
/// cast to the column's type.
fn insert_batch(
    s: &mut Session<'_, '_>,
    table: &Table,
    rows: &[Vec<Value>],
    generated: &std::collections::HashMap<&str, std::collections::HashMap<i64, i64>>,
) -> Result<(), StoreError> {
    let account = s.account;
    let mut params: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(account)];
    let (mut names, mut arrays, mut selects) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (column, kind)) in table.columns.iter().enumerate() {
        if table.generated_id && i == 0 {
            continue;
        }
        let values = rows
            .iter()
            .map(|row| translated(table, column, &row[i], generated))
            .collect::<Result<Vec<_>, _>>()?;
        let n = params.len() + 1;
        let alias = format!("c{n}");
        if *kind == Int {
            let ints = values
                .iter()
                .map(|v| match v {
                    Value::Int(n) => Ok(Some(*n)),
                    Value::Null => Ok(None),
                    Value::Text(t) => Err(StoreError::Corrupt {
                        id: 0,
                        field: column,
                        value: t.clone(),
                    }),
                })
                .collect::<Result<Vec<Option<i64>>, _>>()?;
            params.push(Box::new(ints));
            arrays.push(format!("${n}::bigint[]"));
            selects.push(alias);
        } else {
            params.push(Box::new(values.iter().map(Value::text).collect::<Vec<_>>()));
            arrays.push(format!("${n}::text[]"));
            selects.push(format!("{alias}::{}", pg_cast(*kind)));
        }
        names.push(*column);
    }
    let aliases: Vec<String> = (2..=params.len()).map(|n| format!("c{n}")).collect();
    let sql = format!(
        "INSERT INTO {} (account_id, {}) SELECT $1, {} FROM unnest({}) AS u({})",
        table.name,
        names.join(", "),
        selects.join(", "),
        arrays.join(", "),
        aliases.join(", ")
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    s.query_dynamic(&sql, &refs)
        .map_err(|e| refused_row(e, table, String::new()))?;
    Ok(())
}

/// What PostgreSQL refused while copying into `table` (and the row, when one alone was
/// sent), as the copy's own error.
fn refused_row(e: StoreError, table: &Table, row: String) -> StoreError {
    match e {
        StoreError::Postgres(pg) => StoreError::NotCopied(format!(
            "{}: {}{row}",
            table.name,
            pg.as_db_error()
                .map_or_else(|| pg.to_string(), |d| d.message().to_string())
        )),
        other => other,
    }
}

/// Inserts one row into this account; returns the generated id, for tables that have one.
fn insert_pg(
    s: &mut Session<'_, '_>,
    table: &Table,
    row: &[Value],
    generated: &std::collections::HashMap<&str, std::collections::HashMap<i64, i64>>,
) -> Result<Option<i64>, StoreError> {
    let mut columns = vec!["account_id".to_string()];
    let mut values = vec!["$1".to_string()];
    let account = s.account;
    let mut params: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(account)];
    for (i, (column, kind)) in table.columns.iter().enumerate() {
        if table.generated_id && i == 0 {
            continue;
        }
        let value = translated(table, column, &row[i], generated)?;
        columns.push((*column).to_string());
        params.push(match kind {
            Int => Box::new(match &value {
                Value::Int(n) => Some(*n),
                Value::Null => None,
                Value::Text(t) => {
                    return Err(StoreError::Corrupt {
                        id: 0,
                        field: column,
                        value: t.clone(),
                    });
                }
            }),
            _ => Box::new(value.text()),
        });
        let n = params.len();
        values.push(match kind {
            Int => format!("${n}::bigint"),
            Text => format!("${n}::text"),
            other => format!("${n}::text::{}", pg_cast(*other)),
        });
    }
    let returning = if table.generated_id {
        " RETURNING id"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}){returning}",
        table.name,
        columns.join(", "),
        values.join(", ")
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    let rows = s
        .query_dynamic(&sql, &refs)
        .map_err(|e| refused_row(e, table, format!(" (row {row:?})")))?;
    Ok(rows
        .first()
        .filter(|_| table.generated_id)
        .map(|r| r.get(0)))
}

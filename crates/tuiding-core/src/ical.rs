//! iCalendar (RFC 5545) text for key dates: all-day events with stable UIDs, escaped text
//! and lines folded at 75 octets, CRLF line ends. Pure: the caller picks the events.

use jiff::civil::Date;

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across exports while the fact is unchanged, so a calendar app updates the
    /// event instead of adding a copy.
    pub uid: String,
    /// The day.
    pub date: Date,
    /// The title.
    pub summary: String,
    /// The details.
    pub description: String,
    /// Alarms, in days before the day: each rings at 09:00 (floating, the device's own
    /// time) that many days ahead; 0 rings on the day.
    pub alarms_days_before: Vec<u32>,
}

/// A whole calendar. `stamp` is the DTSTAMP day (UTC midnight), so output is reproducible.
/// Written line by line into one string: a ledger of 100,000 memberships has millions of
/// lines, which as a vector of strings took gigabytes.
pub fn calendar(name: &str, stamp: Date, events: &[Event]) -> String {
    let mut out = String::with_capacity(256 + events.len() * 400);
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!(
        "PRODID:-//tuiding//tuiding {}//ZH",
        env!("CARGO_PKG_VERSION")
    ));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(name)));
    let stamp = format!("DTSTAMP:{}T000000Z", compact(stamp));
    for e in events {
        let next = e.date.tomorrow().unwrap_or(e.date);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(&e.uid)));
        line(&stamp);
        line(&format!("DTSTART;VALUE=DATE:{}", compact(e.date)));
        line(&format!("DTEND;VALUE=DATE:{}", compact(next)));
        let summary = escape(&e.summary);
        line(&format!("SUMMARY:{summary}"));
        line(&format!("DESCRIPTION:{}", escape(&e.description)));
        line("TRANSP:TRANSPARENT");
        for days in &e.alarms_days_before {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line(&format!("DESCRIPTION:{summary}"));
            line(&format!("TRIGGER:{}", trigger(*days)));
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// The trigger of an alarm at 09:00, `days` before an all-day event (which starts at
/// 00:00): `PT9H` on the day, `-PT15H` the day before, `-P6DT15H` a week before.
fn trigger(days: u32) -> String {
    match days {
        0 => "PT9H".to_string(),
        1 => "-PT15H".to_string(),
        n => format!("-P{}DT15H", n - 1),
    }
}

fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// TEXT escaping (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no physical line exceeds 75 octets (never inside a UTF-8
/// character), each ended by CRLF.
fn fold_into(out: &mut String, line: &str) {
    if line.len() <= 75 {
        out.push_str(line);
        out.push_str("\r\n");
        return;
    }
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn events_are_all_day_escaped_and_folded() {
        let text = calendar(
            "退订",
            date(2026, 11, 26),
            &[Event {
                uid: "renewal-1-20261130@tuiding".into(),
                date: date(2026, 11, 30),
                summary: "爱奇艺 续费 ¥25.00; 微信支付, 自动".into(),
                description: "最后安全退订日 2026-11-29\n".repeat(5),
                alarms_days_before: vec![7, 1, 0],
            }],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261201\r\n"));
        assert!(text.contains("SUMMARY:爱奇艺 续费 ¥25.00\\; 微信支付\\, 自动\r\n"));
        assert!(text.contains("DTSTAMP:20261126T000000Z"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        // Unfolding gives the escaped text back.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!(
            "DESCRIPTION:{}",
            "最后安全退订日 2026-11-29\\n".repeat(5)
        )));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for trigger in [
            "TRIGGER:-P6DT15H\r\n",
            "TRIGGER:-PT15H\r\n",
            "TRIGGER:PT9H\r\n",
        ] {
            assert!(text.contains(trigger), "{trigger}");
        }
        assert_eq!(
            text.matches("BEGIN:VALARM\r\nACTION:DISPLAY\r\n").count(),
            3
        );
        assert!(text.contains("END:VALARM\r\nEND:VEVENT\r\n"));
    }
}

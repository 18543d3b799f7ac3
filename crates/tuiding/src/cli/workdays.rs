//! `tuiding workdays DATE [N]`: is DATE a working day in mainland China, and which day
//! is N working days after it (DATE itself not counted)?

use super::Term;
use super::output;
use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_app::error::Localize;
use tuiding_app::input;
use tuiding_core::Lang;
use tuiding_core::calendar::DayKind;

/// Working days.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:
  tuiding workdays 2026-09-28 3        # → 2026-10-08（国庆节后）
  tuiding workdays 2026-02-14          # 调休上班日 / an adjusted workday
  tuiding workdays today 7 --json

新的年份：把国务院的节假日安排按 data/cn-holidays.json 的格式写入数据目录下的 holidays.json。
Newer years: put the State Council's notice, in the format of data/cn-holidays.json, in holidays.json in the data directory.")]
pub struct WorkdaysArgs {
    /// 日期（或 today）/ The date (or `today`)
    pub date: String,
    /// 往后数几个工作日 / How many working days to add
    #[arg(value_parser = clap::value_parser!(u32).range(0..=i64::from(tuiding_core::bounds::MAX_DAYS)))]
    pub add: Option<u32>,
}

#[derive(Serialize)]
struct Report {
    date: Date,
    working_day: bool,
    /// `holiday`, `adjusted_workday` or `null` for an ordinary weekday or weekend.
    kind: Option<&'static str>,
    name: Option<String>,
    add: Option<u32>,
    result: Option<Date>,
}

impl WorkdaysArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let date = match self.date.trim() {
            "today" | "今天" => ctx.today,
            text => input::parse_date("DATE", text, ctx.lang)?,
        };
        let calendar = ctx.calendar()?;
        let working_day = calendar.is_working_day(date).localize(ctx.lang)?;
        let result = self
            .add
            .map(|n| calendar.add_working_days(date, n))
            .transpose()
            .localize(ctx.lang)?;
        let (kind, name) = match calendar.day_kind(date) {
            Some(DayKind::Holiday { name, name_zh }) => {
                (Some("holiday"), Some(ctx.t(name_zh, name).to_string()))
            }
            Some(DayKind::AdjustedWorkday { name, name_zh }) => (
                Some("adjusted_workday"),
                Some(ctx.t(name_zh, name).to_string()),
            ),
            None => (None, None),
        };
        let report = Report {
            date,
            working_day,
            kind,
            name,
            add: self.add,
            result,
        };
        if ctx.json {
            return output::print_json(&report);
        }
        let what = match (report.kind, &report.name, ctx.lang) {
            (Some("holiday"), Some(n), Lang::Zh) => format!("{n}假期"),
            (Some("holiday"), Some(n), Lang::En) => format!("{n} holiday"),
            (Some(_), Some(n), Lang::Zh) => format!("{n}调休上班日"),
            (Some(_), Some(n), Lang::En) => format!("adjusted workday for {n}"),
            (_, _, _) if working_day => ctx.t("工作日", "working day").to_string(),
            _ => ctx.t("周末", "weekend").to_string(),
        };
        let mut text = match ctx.lang {
            Lang::Zh => format!("{date}（{}）：{what}", weekday_zh(date)),
            Lang::En => format!("{date} ({:?}): {what}", date.weekday()),
        };
        if let (Some(n), Some(r)) = (self.add, result) {
            text.push('\n');
            text.push_str(&match ctx.lang {
                Lang::Zh => format!("{n} 个工作日后（当天不计）：{r}（{}）", weekday_zh(r)),
                Lang::En => format!(
                    "{n} working days later (the date itself not counted): {r} ({:?})",
                    r.weekday()
                ),
            });
        }
        output::line(text)
    }
}

fn weekday_zh(date: Date) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [usize::from(date.weekday().to_monday_zero_offset() as u8)]
}

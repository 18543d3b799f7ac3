//! Interactive `add`: asks for each field on a terminal, checking every answer as it
//! is given, and returns the same flags a scripted `add` would have passed.

use std::io::{BufRead, Write};

use tuiding_core::{Currency, Lang};

use super::Term;
use tuiding_app::error::UserError;
use tuiding_app::input;
use tuiding_app::memberships::input::MembershipInput;

/// Asks for a membership's fields. Reads answers from `input`, writes questions to `out`.
pub fn ask_fields(
    ctx: &Term,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<MembershipInput> {
    let lang = ctx.lang;
    let mut asker = Asker { input, out, lang };
    let mut f = MembershipInput {
        platform: Some(asker.ask(
            lang.pick("平台（如 爱奇艺）", "Platform (e.g. iQIYI)"),
            None,
            |t| {
                (!t.is_empty())
                    .then_some(())
                    .ok_or_else(|| UserError::usage("", lang.pick("必填", "required")))
            },
        )?),
        ..MembershipInput::default()
    };
    f.plan = Some(asker.ask(
        lang.pick("套餐（可留空）", "Plan (may be empty)"),
        Some(""),
        |_| Ok(()),
    )?);
    let billing = asker.ask(
        lang.pick(
            "计费方式：month / quarter / year / week / 30d …，或 one-time（买断）、gifted（赠送）",
            "Billing: month / quarter / year / week / 30d …, or one-time, gifted",
        ),
        Some("month"),
        |t| match t {
            "one-time" | "gifted" | "买断" | "赠送" => Ok(()),
            p => input::parse_period(p, lang).map(drop),
        },
    )?;
    match billing.as_str() {
        "one-time" | "买断" => f.one_time = true,
        "gifted" | "赠送" => f.gifted = true,
        p => f.period = Some(p.to_string()),
    }
    let default_price = if f.gifted { Some("0") } else { None };
    f.price = Some(asker.ask(
        lang.pick("价格（如 25、¥25、$9.99）", "Price (e.g. 25, ¥25, $9.99)"),
        default_price,
        |t| input::parse_price("", t, None, Currency::CNY, lang).map(drop),
    )?);
    let today = ctx.today.to_string();
    f.start = Some(
        asker.ask(lang.pick("开始日期", "Start date"), Some(&today), |t| {
            input::parse_date("", t, lang).map(drop)
        })?,
    );
    let channels = asker.ask(
        lang.pick(
            "自动续费渠道，逗号分隔（in_app, wechat_pay, alipay, app_store, …；可留空）",
            "Auto-renew channels, comma separated (in_app, wechat_pay, alipay, app_store, …; may be empty)",
        ),
        Some(""),
        |t| input::parse_contracts("", &[t.to_string()], ctx.today, lang).map(drop),
    )?;
    if !channels.is_empty() {
        f.auto_renew = vec![channels];
    }
    let category = asker.ask(
        lang.pick(
            "类别（如 视频、音乐；可留空）",
            "Category (e.g. video, music; may be empty)",
        ),
        Some(""),
        |_| Ok(()),
    )?;
    f.category = (!category.is_empty()).then_some(category);
    Ok(f)
}

struct Asker<'a> {
    input: &'a mut dyn BufRead,
    out: &'a mut dyn Write,
    lang: Lang,
}

impl Asker<'_> {
    /// Asks until the answer passes `check` (three tries); an empty answer takes `default`.
    fn ask(
        &mut self,
        question: &str,
        default: Option<&str>,
        check: impl Fn(&str) -> anyhow::Result<()>,
    ) -> anyhow::Result<String> {
        for _ in 0..3 {
            match default {
                Some(d) if !d.is_empty() => write!(self.out, "{question} [{d}]: ")?,
                _ => write!(self.out, "{question}: ")?,
            }
            self.out.flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                return Err(UserError::failure(self.lang.pick(
                    "输入已结束，未添加任何内容",
                    "input ended; nothing was added",
                )));
            }
            let answer = match line.trim() {
                "" => default.unwrap_or("").to_string(),
                t => t.to_string(),
            };
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(e) => writeln!(self.out, "  {}", e.to_string().trim_start_matches(": "))?,
            }
        }
        Err(UserError::failure(self.lang.pick(
            "三次输入都无效，未添加任何内容",
            "three invalid answers; nothing was added",
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::GlobalArgs;

    fn ctx() -> Term {
        Term::from_args(
            &GlobalArgs {
                data_dir: None,
                today: Some("2026-11-23".into()),
                json: false,
                lang: Some("zh".into()),
                database_url: None,
                user: None,
            },
            true,
        )
        .unwrap()
    }

    #[test]
    fn answers_become_flags_and_bad_answers_are_asked_again() {
        let answers = "爱奇艺\n黄金VIP\nmonth\n-3\n25\n\nwechat_pay\n视频\n";
        let mut out = Vec::new();
        let f = ask_fields(&ctx(), &mut answers.as_bytes(), &mut out).unwrap();
        assert_eq!(f.platform.as_deref(), Some("爱奇艺"));
        assert_eq!(f.period.as_deref(), Some("month"));
        assert_eq!(f.price.as_deref(), Some("25"));
        assert_eq!(f.start.as_deref(), Some("2026-11-23"));
        assert_eq!(f.auto_renew, vec!["wechat_pay".to_string()]);
        assert_eq!(f.category.as_deref(), Some("视频"));
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("负数"), "{text}");
        let m = f.to_new_membership(&ctx()).unwrap();
        assert_eq!(m.price.minor_units(), 2500);
    }

    #[test]
    fn end_of_input_adds_nothing() {
        let mut out = Vec::new();
        assert!(ask_fields(&ctx(), &mut "爱奇艺\n".as_bytes(), &mut out).is_err());
    }
}

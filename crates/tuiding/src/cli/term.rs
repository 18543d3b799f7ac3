//! The terminal a command prints to: the application's context plus the output mode
//! (`--json`), colour, whether a person can answer prompts, and a reporter that prints
//! warnings to stderr and draws a progress bar for long work.

use std::io::IsTerminal;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};
use tuiding_app::context::{Ctx, Reporter};
use tuiding_app::error::UserError;
use tuiding_core::Lang;

use super::GlobalArgs;

/// Work shorter than this many steps gets no bar: it is over before one would help.
const BAR_FROM_STEPS: u64 = 20;

/// One command run on a terminal.
pub struct Term {
    ctx: Ctx,
    /// Print JSON instead of text.
    pub json: bool,
    /// Colour the text (a terminal, no `NO_COLOR`).
    pub color: bool,
}

impl Deref for Term {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl Term {
    /// Validates the global flags.
    pub fn from_args(global: &GlobalArgs, on_ledger: bool) -> anyhow::Result<Term> {
        let lang = resolve_lang(global.lang.as_deref());
        if let Some(l) = global.lang.as_deref()
            && Lang::from_locale(l).is_none()
        {
            return Err(UserError::usage(
                "--lang",
                lang.pick(
                    &format!("不认识的语言 {l:?}，可用 zh 或 en"),
                    &format!("unknown language {l:?}; use zh or en"),
                ),
            ));
        }
        let today = match global.today.as_deref() {
            Some(text) => tuiding_app::input::parse_date("--today", text, lang)?,
            None => tuiding_app::clock::today_in_china(),
        };
        let reporter = Arc::new(Stderr {
            bar: Mutex::new(None),
            quiet: global.json,
        });
        let ctx = match (&global.database_url, on_ledger) {
            (Some(url), true) => account_ctx(global, url, lang, today)?,
            _ => Ctx::new(lang, today, global.data_dir.clone()),
        };
        Ok(Term {
            ctx: ctx.reporting_to(reporter),
            json: global.json,
            color: color_wanted(),
        })
    }

    /// Whether stdin is a terminal a person can answer at.
    pub fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }
}

/// The ledger of the `--user` account of the database `url`; its files live under the
/// data dir, in `accounts/ID`.
fn account_ctx(
    global: &GlobalArgs,
    url: &str,
    lang: Lang,
    today: jiff::civil::Date,
) -> anyhow::Result<Ctx> {
    let name = global.user.as_deref().ok_or_else(|| {
        UserError::usage(
            "--user",
            lang.pick(
                "用 --user 名字（或 TUIDING_USER）指定账户；`tuiding user list` 列出账户",
                "name the account with --user NAME (or TUIDING_USER); `tuiding user list` shows them",
            ),
        )
    })?;
    let db = tuiding_app::accounts::connect(url, lang)?;
    let account = tuiding_app::accounts::find(&db, name, lang)?;
    let base = Ctx::new(lang, today, global.data_dir.clone()).data_dir()?;
    Ok(Ctx::for_account(db, account.id, lang, today, &base))
}

/// Warnings to stderr; progress as a bar on stderr, unless JSON is asked for.
struct Stderr {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
}

impl Reporter for Stderr {
    fn warn(&self, text: &str) {
        match self.bar.lock().ok().and_then(|b| b.clone()) {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    fn start(&self, total: u64, what: &str) {
        let bar = if self.quiet || total < BAR_FROM_STEPS {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            bar
        };
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.lock().ok().and_then(|b| b.clone()) {
            bar.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }
}

/// `--lang`, then `TUIDING_LANG` (via clap), then `LC_ALL`, `LC_MESSAGES`, `LANG`; zh-CN
/// when none names a language we have.
pub fn resolve_lang(flag: Option<&str>) -> Lang {
    if let Some(lang) = flag.and_then(Lang::from_locale) {
        return lang;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var)
            && !value.is_empty()
        {
            // The first variable that is set decides, as in POSIX.
            return Lang::from_locale(&value).unwrap_or_default();
        }
    }
    Lang::default()
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
fn color_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_color && !dumb && std::io::stdout().is_terminal()
}

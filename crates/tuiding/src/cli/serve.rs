//! `tuiding serve` (the web app, from `tuiding-web`) and `tuiding user` (its password).

use std::net::SocketAddr;

use std::io::{BufRead, IsTerminal, Write};

use clap::{Args, Subcommand};
use tuiding_app::error::UserError;

use super::{Term, output};

/// Run the web app.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:
  tuiding serve                                  # http://127.0.0.1:7878
  tuiding serve --listen 127.0.0.1:8080
  tuiding user set-password && tuiding serve --listen 0.0.0.0:7878   # 局域网访问需要密码 / a password first
  tuiding --database-url postgres://tuiding@localhost/tuiding serve --listen 127.0.0.1:7878
                                                 # 多账户服务器（docs/server.md）/ a server of accounts

只在本机监听时无需登录；监听其他地址前须先设置密码。/ On loopback no login is needed;
any other address requires a password (tuiding user set-password).")]
pub struct ServeArgs {
    /// 监听地址 / Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// 提醒检查间隔（分钟，0 为不发送）/ Minutes between reminder runs (0: send none)
    #[arg(long, default_value_t = 60, value_name = "MINUTES")]
    pub remind_every: u64,
    /// 在 HTTPS 反向代理之后：登录 Cookie 加 Secure / Behind an HTTPS reverse proxy: cookies
    /// get `Secure` (they do anyway when the proxy sends `X-Forwarded-Proto: https`)
    #[arg(long, env = "TUIDING_BEHIND_HTTPS")]
    pub behind_https: bool,
}

/// The web app's login.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:
  tuiding user set-password                       # 在终端输入两次 / typed twice at a terminal
  printf '%s\\n' \"$PASSWORD\" | tuiding user set-password --password-stdin

多账户（PostgreSQL）/ Accounts on a shared PostgreSQL server:
  export TUIDING_DATABASE_URL=postgres://tuiding@localhost/tuiding
  tuiding user add 小王                            # 设置密码 / asks for a password
  tuiding user list --json
  tuiding user passwd 小王
  tuiding user set 小王 --lang en
  tuiding user rm 小王 --yes")]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

/// `tuiding user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 设置网页登录密码（argon2 存储）/ Set the web app's password (stored as an argon2 hash)
    #[command(
        after_help = "示例 / Examples:\n  tuiding user set-password\n  printf '%s\\n' \"$PASSWORD\" | tuiding user set-password --password-stdin"
    )]
    SetPassword {
        /// 从标准输入读取第一行作为密码 / Read the password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// 删除密码（此后只能在本机访问）/ Remove the password (the app then serves loopback only)
    #[command(after_help = "示例 / Examples:\n  tuiding user clear-password")]
    ClearPassword,
    /// 添加账户（PostgreSQL）/ Add an account to the PostgreSQL database (--database-url)
    #[command(
        after_help = "示例 / Examples:\n  tuiding --database-url postgres://… user add 小王\n  printf '%s\\n' \"$PASSWORD\" | tuiding user add 小王 --password-stdin\n  tuiding user add 小王 --no-password             # 稍后再设 / set one later"
    )]
    Add {
        /// 账户名 / Account name (1–64 characters)
        name: String,
        /// 从标准输入读取密码 / Read the password from the first line of stdin
        #[arg(long, conflicts_with = "no_password")]
        password_stdin: bool,
        /// 暂不设置密码（不能登录网页）/ No password yet (cannot sign in to the web app)
        #[arg(long)]
        no_password: bool,
    },
    /// 修改账户密码（PostgreSQL）/ Change an account's password
    #[command(
        after_help = "示例 / Examples:\n  tuiding user passwd 小王\n  printf '%s\\n' \"$PASSWORD\" | tuiding user passwd 小王 --password-stdin"
    )]
    Passwd {
        /// 账户名 / Account name
        name: String,
        /// 从标准输入读取密码 / Read the password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// 删除账户及其全部数据（PostgreSQL）/ Remove an account with everything it owns
    #[command(after_help = "示例 / Examples:\n  tuiding user rm 小王 --yes")]
    Rm {
        /// 账户名 / Account name
        name: String,
        /// 确认删除（账本、证据、材料都会删除）/ Confirm: its ledger, evidence and dossiers go
        #[arg(long)]
        yes: bool,
    },
    /// 设置账户语言（PostgreSQL）/ Set an account's language (the web app's at sign-in)
    #[command(after_help = "示例 / Examples:\n  tuiding user set 小王 --lang en")]
    Set {
        /// 账户名 / Account name
        name: String,
        /// 语言 / Language: zh or en
        #[arg(long, value_name = "zh|en")]
        lang: String,
    },
    /// 列出账户（PostgreSQL）/ List the accounts
    #[command(after_help = "示例 / Examples:\n  tuiding user list --json")]
    List,
}

impl ServeArgs {
    /// Serves until Ctrl-C or SIGTERM; `fixed_today` when `--today` was given; a server of
    /// accounts with `--database-url`.
    pub fn run(
        &self,
        ctx: &Term,
        fixed_today: bool,
        database_url: Option<&str>,
    ) -> anyhow::Result<()> {
        let database = database_url
            .map(|url| tuiding_app::accounts::connect(url, ctx.lang))
            .transpose()?;
        tuiding_web::serve(
            ctx,
            &tuiding_web::ServeOptions {
                listen: self.listen,
                remind_every: self.remind_every,
                behind_https: self.behind_https,
                fixed_today: fixed_today.then_some(ctx.today),
                database,
            },
        )
    }
}

/// `tuiding user set-password | clear-password`.
impl UserArgs {
    pub fn run(&self, ctx: &Term, database_url: Option<&str>) -> anyhow::Result<()> {
        let args = self;
        let password_stdin = match args.command {
            UserCommand::SetPassword { password_stdin } => password_stdin,
            UserCommand::ClearPassword => false,
            _ => return super::accounts::run_user(ctx, &args.command, database_url),
        };
        let data_dir = ctx.data_dir()?;
        tuiding_app::context::create_private_dir(&data_dir)?;
        let file = tuiding_web::security::password_file(&data_dir);
        match args.command {
            UserCommand::ClearPassword => {
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(UserError::failure(format!("{}: {e}", file.display()))),
                }
                output::line(ctx.t(
                    "已删除密码；网页版只能在本机访问。",
                    "Password removed; the web app serves this machine only.",
                ))?;
                Ok(())
            }
            _ => {
                let password = new_password(ctx, password_stdin)?;
                let hash = tuiding_web::security::hash_password(&password)?;
                tuiding_app::text::write_atomic(&file, format!("{hash}\n").as_bytes())
                    .map_err(|e| UserError::failure(format!("{}: {e}", file.display())))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
                output::line(format!(
                    "{} {}",
                    ctx.t(
                        "已设置网页登录密码（argon2）：",
                        "Web app password set (argon2):"
                    ),
                    file.display()
                ))?;
                Ok(())
            }
        }
    }
}

/// A new password, typed twice at a terminal or read from stdin, at least 8 characters.
pub(crate) fn new_password(ctx: &Term, from_stdin: bool) -> anyhow::Result<String> {
    let password = read_new_password(ctx, from_stdin)?;
    if password.chars().count() < 8 {
        return Err(UserError::usage(
            "PASSWORD",
            ctx.t("至少 8 个字符", "use at least 8 characters"),
        ));
    }
    Ok(password)
}

fn read_new_password(ctx: &Term, from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let read_line = |prompt: &str| -> anyhow::Result<String> {
        if !prompt.is_empty() {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    if from_stdin || !stdin.is_terminal() {
        return read_line("");
    }
    // Typed twice, not echoed.
    let first = rpassword::prompt_password(ctx.t("新密码：", "New password: "))?;
    let second = rpassword::prompt_password(ctx.t("再输入一次：", "Again: "))?;
    if first != second {
        return Err(UserError::usage(
            "PASSWORD",
            ctx.t("两次输入不一致", "the two entries differ"),
        ));
    }
    Ok(first)
}

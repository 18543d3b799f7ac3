//! The flags of `tuiding serve` and `tuiding user`, which `tuiding-web` runs.

use std::net::SocketAddr;

use clap::{Args, Subcommand};

/// Run the web app.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:
  tuiding serve                                  # http://127.0.0.1:7878
  tuiding serve --listen 127.0.0.1:8080
  tuiding user set-password && tuiding serve --listen 0.0.0.0:7878   # 局域网访问需要密码 / a password first

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
  printf '%s\\n' \"$PASSWORD\" | tuiding user set-password --password-stdin")]
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
}

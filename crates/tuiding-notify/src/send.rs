//! Sending one reminder through one channel: a generic JSON webhook, ntfy, Bark, the
//! group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书), or e-mail over SMTP.
//! Every request has a timeout; a channel that answers with an error code fails.

use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tuiding_app::remind::{NotifyChannel, Reminder};
use tuiding_app::text::url_encode;

const TIMEOUT: Duration = Duration::from_secs(15);

/// Sends `reminder` through `channel`; `now_ms` signs DingTalk and Feishu requests.
pub fn send(channel: &NotifyChannel, reminder: &Reminder, now_ms: i64) -> anyhow::Result<()> {
    let (title, text) = (&reminder.title, &reminder.text);
    match channel {
        NotifyChannel::Webhook { url, .. } => post(
            url,
            &json!({"title": title, "text": text, "reminder": reminder}),
            None,
        )
        .map(drop),
        NotifyChannel::Ntfy {
            url, topic, token, ..
        } => post(
            url,
            &json!({"topic": topic, "title": title, "message": text, "tags": ["calendar"]}),
            token.as_deref(),
        )
        .map(drop),
        NotifyChannel::Bark {
            url, device_key, ..
        } => {
            let url = format!("{}/push", url.trim_end_matches('/'));
            let body =
                json!({"device_key": device_key, "title": title, "body": text, "group": "tuiding"});
            robot_ok(&post(&url, &body, None)?, "code", 200)
        }
        NotifyChannel::Wecom { url, .. } => {
            let body = json!({"msgtype": "text", "text": {"content": format!("{title}\n{text}")}});
            robot_ok(&post(url, &body, None)?, "errcode", 0)
        }
        NotifyChannel::Dingtalk { url, secret, .. } => {
            let url = match secret {
                Some(secret) => {
                    let sign = dingtalk_sign(secret, now_ms);
                    let sep = if url.contains('?') { '&' } else { '?' };
                    format!("{url}{sep}timestamp={now_ms}&sign={}", url_encode(&sign))
                }
                None => url.clone(),
            };
            let body = json!({"msgtype": "text", "text": {"content": format!("{title}\n{text}")}});
            robot_ok(&post(&url, &body, None)?, "errcode", 0)
        }
        NotifyChannel::Feishu { url, secret, .. } => {
            let mut body =
                json!({"msg_type": "text", "content": {"text": format!("{title}\n{text}")}});
            if let Some(secret) = secret {
                let seconds = now_ms / 1000;
                body["timestamp"] = Value::String(seconds.to_string());
                body["sign"] = Value::String(feishu_sign(secret, seconds));
            }
            robot_ok(&post(url, &body, None)?, "code", 0)
        }
        NotifyChannel::Smtp { .. } => send_mail(channel, title, text),
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(true)
        .build()
        .into()
}

/// POSTs JSON; the answer's JSON (or `null` when it is not JSON).
fn post(url: &str, body: &Value, bearer: Option<&str>) -> anyhow::Result<Value> {
    let mut request = agent().post(url).header("Content-Type", "application/json");
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request
        .send(serde_json::to_vec(body)?)
        .map_err(|e| anyhow::anyhow!("POST {}: {e}", redact(url)))?;
    let text = response.body_mut().read_to_string().unwrap_or_default();
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Robots answer 200 with an error code in the body.
fn robot_ok(answer: &Value, key: &str, ok: i64) -> anyhow::Result<()> {
    match answer.get(key).and_then(Value::as_i64) {
        Some(code) if code != ok => Err(anyhow::anyhow!(
            "{key} {code}: {}",
            answer
                .get("errmsg")
                .or_else(|| answer.get("msg"))
                .or_else(|| answer.get("message"))
                .and_then(Value::as_str)
                .unwrap_or("")
        )),
        _ => Ok(()),
    }
}

/// A webhook URL reduced to its host for error messages: robot keys and tokens live in
/// the path and the query.
fn redact(url: &str) -> &str {
    tuiding_app::remind::host_of(url)
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// DingTalk: HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, base64.
fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Feishu: HMAC-SHA256 of nothing, keyed by "timestamp\nsecret", base64.
fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

fn send_mail(channel: &NotifyChannel, title: &str, text: &str) -> anyhow::Result<()> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{Message, SmtpTransport, Transport};
    let NotifyChannel::Smtp {
        host,
        port,
        tls,
        username,
        password,
        from,
        to,
        ..
    } = channel
    else {
        unreachable!("only called for SMTP channels");
    };
    let mut message = Message::builder()
        .from(
            from.parse()
                .map_err(|e| anyhow::anyhow!("from {from:?}: {e}"))?,
        )
        .subject(title)
        .header(ContentType::TEXT_PLAIN);
    for address in to {
        message = message.to(address
            .parse()
            .map_err(|e| anyhow::anyhow!("to {address:?}: {e}"))?);
    }
    let email = message.body(text.to_string())?;
    let (builder, default_port) = match tls.as_str() {
        "tls" => (SmtpTransport::relay(host)?, 465),
        "starttls" => (SmtpTransport::starttls_relay(host)?, 587),
        "none" => (SmtpTransport::builder_dangerous(host), 25),
        other => anyhow::bail!("smtp tls {other:?}: use tls, starttls or none"),
    };
    let mut builder = builder
        .port(port.unwrap_or(default_port))
        .timeout(Some(TIMEOUT));
    if let (Some(user), Some(pass)) = (username, password) {
        builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
    }
    builder
        .build()
        .send(&email)
        .map_err(|e| anyhow::anyhow!("SMTP {host}: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robot_signatures_follow_the_documented_recipes() {
        // Recomputed independently: python3 -c "import hmac,hashlib,base64;
        // print(base64.b64encode(hmac.new(b'SEC', b'1700000000000\nSEC', hashlib.sha256).digest()))"
        assert_eq!(
            dingtalk_sign("SEC", 1_700_000_000_000),
            "r+2we0q01lkZqz38LA5IPNbHN81U1leRf3Au4PSQb6Q="
        );
        // python3 -c "import hmac,hashlib,base64;
        // print(base64.b64encode(hmac.new(b'1700000000\nSEC', b'', hashlib.sha256).digest()))"
        assert_eq!(
            feishu_sign("SEC", 1_700_000_000),
            "yKzlnG5gJbbUvULgjP0QN/V99n1fNH31XG8Rrvl9pfk="
        );
        assert_eq!(url_encode("a+b/c="), "a%2Bb%2Fc%3D");
    }

    #[test]
    fn robots_report_their_error_codes() {
        assert!(robot_ok(&json!({"errcode": 0, "errmsg": "ok"}), "errcode", 0).is_ok());
        let err = robot_ok(
            &json!({"errcode": 310000, "errmsg": "sign not match"}),
            "errcode",
            0,
        )
        .unwrap_err();
        assert!(err.to_string().contains("sign not match"));
        assert!(robot_ok(&Value::Null, "code", 0).is_ok());
    }
}

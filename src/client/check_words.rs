//! The connection check's sentences as data, for front ends that word them in another
//! language: the codes, and which of them a step's root certificate and fix are.

use super::ConnectError;
use super::alert::hints;
use crate::proxy::ProxyError;
use crate::words::Said;

/// Every code of a [`Step`]'s sentences (kind `check`).
pub const CHECK_CODES: &[&str] = &[
    "not_run",
    "dns_address",
    "dns_resolved",
    "tcp_connected",
    "tls_verified",
    "tls_done",
    "http2_streams",
    "http2_no_limit",
    "probe_failed",
    "auth_ok",
    "refused",
    "topic_refused",
    "unexpected_reason",
    "accepts_invalid_token",
    "unexpected_answer",
    "fix_dns",
    "fix_refused",
    "fix_timeout",
    "fix_no_http2",
    "fix_retry",
    "fix_certificate_rejected",
    "fix_not_apns",
    "fix_goaway",
    "fix_http2_error",
    "fix_renew_certificate",
    "fix_certificate_dates",
    "error_dns",
    "error_refused",
    "error_tcp_timeout",
    "error_tcp",
    "error_untrusted",
    "error_tls_refused",
    "error_tls",
    "error_certificate_refused",
    "error_certificate_refused_after_handshake",
    "error_certificate_expired",
    "error_certificate_not_yet_valid",
    "error_goaway",
    "error_closed_after_tls",
    "server_refused_certificate",
    "server_refused_certificate_after_handshake",
    "server_refused_tls",
    "server_closed_after_tls",
    "error_no_http2",
    "error_http2",
    "error_timeout",
    "error_credential",
    "hint_update_roots",
    "hint_pass_ca",
    "hint_certificate_rejected",
    "hint_needs_certificate",
    "hint_not_apns",
    "hint_tls13_rejected",
    "hint_alert_expired",
    "hint_alert_revoked",
    "hint_alert_unknown_ca",
    "hint_alert_bad_certificate",
    "hint_alert_required",
    "proxy_dns",
    "proxy_refused",
    "proxy_unreachable",
    "proxy_timeout",
    "proxy_closed",
    "proxy_auth_required",
    "proxy_forbidden",
    "proxy_status",
    "proxy_not_http",
    "proxy_not_socks",
    "proxy_socks_method_rejected",
    "proxy_socks_auth_failed",
    "proxy_socks_refused",
    "proxy_invalid",
    "proxy_io",
    "proxy_fix_dns",
    "proxy_fix_address",
    "proxy_fix_timeout",
    "proxy_fix_scheme",
    "proxy_fix_give_credentials",
    "proxy_fix_check_credentials",
    "proxy_fix_forbidden",
    "proxy_fix_status",
    "proxy_fix_not_http",
    "proxy_fix_not_socks",
    "proxy_fix_socks_method",
    "proxy_fix_socks_rules",
    "proxy_fix_socks_unreachable",
    "proxy_fix_socks_nothing_listens",
    "proxy_fix_socks_other",
    "proxy_fix_invalid",
];

/// Which root a server chain ends in, for `root_note`'s sentence in other languages.
pub(super) fn root_code(issuer: &str) -> &'static str {
    if issuer.contains("USERTrust RSA") {
        "usertrust"
    } else if issuer.contains("GeoTrust") || issuer.contains("AAA Certificate Services") {
        "geotrust"
    } else {
        "other"
    }
}

/// `fix_for`'s sentence as data (the error's own hint for a TLS failure).
pub(super) fn fix_said_for(e: &ConnectError) -> Option<Said> {
    let code = match e {
        ConnectError::Dns { .. } => "fix_dns",
        ConnectError::Refused { .. } => "fix_refused",
        ConnectError::TcpTimeout { .. } => "fix_timeout",
        ConnectError::Untrusted { hint, .. }
        | ConnectError::TlsRefused { hint, .. }
        | ConnectError::CertificateRefused { hint, .. }
        | ConnectError::ClosedAfterTls { hint, .. } => {
            return hint_said(hint);
        }
        ConnectError::CertificateNotValid { expired: true, .. } => "fix_renew_certificate",
        ConnectError::CertificateNotValid { expired: false, .. } => "fix_certificate_dates",
        ConnectError::GoAway { .. } => "fix_goaway",
        ConnectError::Proxy(e) => return Some(proxy_fix_said(e)),
        ConnectError::NoHttp2 { .. } => "fix_no_http2",
        _ => "fix_retry",
    };
    Some(Said::new("check", code))
}

/// The error as data; `None` for a TLS failure whose hint has no sentence.
pub(super) fn error_said(e: &ConnectError) -> Option<Said> {
    let said = |code| Said::new("check", code);
    Some(match e {
        ConnectError::Dns { host, message } => said("error_dns")
            .arg("host", host.as_str())
            .arg("message", message.as_str()),
        ConnectError::Refused { addr } => said("error_refused").arg("addr", addr.to_string()),
        ConnectError::TcpTimeout { addr, secs } => said("error_tcp_timeout")
            .arg("addr", addr.to_string())
            .arg("secs", *secs),
        ConnectError::Tcp { addr, message } => said("error_tcp")
            .arg("addr", addr.to_string())
            .arg("message", message.as_str()),
        ConnectError::Untrusted { reason, hint } => said("error_untrusted")
            .arg("reason", reason.as_str())
            .arg("hint", hint_said(hint)?),
        ConnectError::TlsRefused { message, hint } => said("error_tls_refused")
            .arg("message", message.as_str())
            .arg("hint", hint_said(hint)?),
        ConnectError::Tls { message } => said("error_tls").arg("message", message.as_str()),
        ConnectError::CertificateRefused {
            alert,
            after_handshake,
            hint,
        } => said(if *after_handshake {
            "error_certificate_refused_after_handshake"
        } else {
            "error_certificate_refused"
        })
        .arg("alert", alert.0.to_string())
        .arg("name", alert.name())
        .arg("hint", hint_said(hint)?),
        ConnectError::CertificateNotValid {
            expired,
            date,
            days,
            server,
        } => said(if *expired {
            "error_certificate_expired"
        } else {
            "error_certificate_not_yet_valid"
        })
        .arg("date", date.as_str())
        .arg("days", *days)
        .arg("server", server_part(server).1),
        ConnectError::GoAway { reason, detail } => said("error_goaway")
            .arg("reason", reason.as_str())
            .arg("detail", detail.as_str()),
        ConnectError::ClosedAfterTls { message, hint } => said("error_closed_after_tls")
            .arg("message", message.as_str())
            .arg("hint", hint_said(hint)?),
        ConnectError::NoHttp2 { alpn } => {
            said("error_no_http2").arg("alpn", alpn.as_deref().unwrap_or("-"))
        }
        ConnectError::Http2 { message } => said("error_http2").arg("message", message.as_str()),
        ConnectError::Timeout { stage, secs } => {
            let stage = match *stage {
                "looking up the host name (DNS)" => "dns",
                "the TLS handshake" => "tls",
                "the HTTP/2 set-up" => "http2",
                _ => "other",
            };
            said("error_timeout").arg("stage", stage).arg("secs", *secs)
        }
        ConnectError::Credential(message) => {
            said("error_credential").arg("message", message.as_str())
        }
        ConnectError::Proxy(e) => proxy_error_said(e),
    })
}

/// What the server did, without the advice that follows it in its own error: when the
/// certificate's dates are the cause, the advice is theirs.
pub(super) fn server_part(e: &ConnectError) -> (String, Said) {
    let said = |code| Said::new("check", code);
    match e {
        ConnectError::CertificateRefused {
            alert,
            after_handshake: false,
            ..
        } => (
            format!("the server refused the client certificate: {alert}"),
            said("server_refused_certificate")
                .arg("alert", alert.0.to_string())
                .arg("name", alert.name()),
        ),
        ConnectError::CertificateRefused { alert, .. } => (
            format!("the server refused the client certificate after the TLS handshake: {alert}"),
            said("server_refused_certificate_after_handshake")
                .arg("alert", alert.0.to_string())
                .arg("name", alert.name()),
        ),
        ConnectError::ClosedAfterTls { message, .. } => (
            format!("the server closed the connection right after the TLS handshake ({message})"),
            said("server_closed_after_tls").arg("message", message.as_str()),
        ),
        ConnectError::TlsRefused { message, .. } | ConnectError::Tls { message } => (
            format!("the server refused the TLS handshake ({message})"),
            said("server_refused_tls").arg("message", message.as_str()),
        ),
        other => (
            other.to_string(),
            error_said(other)
                .unwrap_or_else(|| said("server_refused_tls").arg("message", other.to_string())),
        ),
    }
}

/// A proxy's refusal as data. The stage and the status's meaning keep their words.
pub(super) fn proxy_error_said(e: &ProxyError) -> Said {
    let said = |code, proxy: &str| Said::new("check", code).arg("proxy", proxy);
    match e {
        ProxyError::Dns { host, message } => {
            said("proxy_dns", host).arg("message", message.as_str())
        }
        ProxyError::Refused { proxy, addr } => {
            said("proxy_refused", proxy).arg("addr", addr.to_string())
        }
        ProxyError::Unreachable { proxy, message } => {
            said("proxy_unreachable", proxy).arg("message", message.as_str())
        }
        ProxyError::Timeout { proxy, stage, secs } => said("proxy_timeout", proxy)
            .arg("stage", *stage)
            .arg("secs", *secs),
        ProxyError::Closed { proxy, stage } => said("proxy_closed", proxy).arg("stage", *stage),
        ProxyError::AuthRequired {
            proxy,
            status,
            sent,
            wants,
        } => said("proxy_auth_required", proxy)
            .arg("status", status.to_string())
            .arg("sent", if *sent { "yes" } else { "no" })
            .arg(
                "wants",
                wants
                    .as_deref()
                    .filter(|w| !w.eq_ignore_ascii_case("basic"))
                    .unwrap_or("basic"),
            ),
        ProxyError::Forbidden { proxy, target } => {
            said("proxy_forbidden", proxy).arg("target", target.as_str())
        }
        ProxyError::Status {
            proxy,
            target,
            status,
            meaning,
        } => said("proxy_status", proxy)
            .arg("target", target.as_str())
            .arg("status", status.to_string())
            .arg("meaning", meaning.as_str()),
        ProxyError::NotHttp { proxy, what } => {
            said("proxy_not_http", proxy).arg("what", what.as_str())
        }
        ProxyError::NotSocks { proxy, what } => {
            said("proxy_not_socks", proxy).arg("what", what.as_str())
        }
        ProxyError::SocksMethodRejected { proxy, offered } => {
            said("proxy_socks_method_rejected", proxy).arg("offered", *offered)
        }
        ProxyError::SocksAuthFailed { proxy } => said("proxy_socks_auth_failed", proxy),
        ProxyError::SocksRefused {
            proxy,
            target,
            code,
            meaning,
        } => said("proxy_socks_refused", proxy)
            .arg("target", target.as_str())
            .arg("code", format!("{code:#04x}"))
            .arg("meaning", *meaning),
        ProxyError::Invalid { proxy, message } => {
            said("proxy_invalid", proxy).arg("message", message.as_str())
        }
        ProxyError::Io { proxy, message } => {
            said("proxy_io", proxy).arg("message", message.as_str())
        }
    }
}

/// `ProxyError::fix` as data, worded for the app (its Proxy field, not the CLI's options).
pub(super) fn proxy_fix_said(e: &ProxyError) -> Said {
    let code = match e {
        ProxyError::Dns { .. } => "proxy_fix_dns",
        ProxyError::Refused { .. } | ProxyError::Unreachable { .. } => "proxy_fix_address",
        ProxyError::Timeout { .. } => "proxy_fix_timeout",
        ProxyError::Closed { .. } | ProxyError::Io { .. } => "proxy_fix_scheme",
        ProxyError::AuthRequired { sent: false, .. } => "proxy_fix_give_credentials",
        ProxyError::AuthRequired { sent: true, .. } | ProxyError::SocksAuthFailed { .. } => {
            "proxy_fix_check_credentials"
        }
        ProxyError::Forbidden { .. } => "proxy_fix_forbidden",
        ProxyError::Status { .. } => "proxy_fix_status",
        ProxyError::NotHttp { .. } => "proxy_fix_not_http",
        ProxyError::NotSocks { .. } => "proxy_fix_not_socks",
        ProxyError::SocksMethodRejected { .. } => "proxy_fix_socks_method",
        ProxyError::SocksRefused { code: 0x02, .. } => "proxy_fix_socks_rules",
        ProxyError::SocksRefused {
            code: 0x03 | 0x04, ..
        } => "proxy_fix_socks_unreachable",
        ProxyError::SocksRefused { code: 0x05, .. } => "proxy_fix_socks_nothing_listens",
        ProxyError::SocksRefused { .. } => "proxy_fix_socks_other",
        ProxyError::Invalid { .. } => "proxy_fix_invalid",
    };
    Said::new("check", code)
}

/// Which of the TLS failures' hints this is.
fn hint_said(hint: &str) -> Option<Said> {
    let code = match hint {
        hints::UPDATE_ROOTS => "hint_update_roots",
        hints::PASS_CA => "hint_pass_ca",
        hints::CERTIFICATE_REJECTED => "hint_certificate_rejected",
        hints::NEEDS_CERTIFICATE => "hint_needs_certificate",
        hints::NOT_APNS => "hint_not_apns",
        hints::TLS13_REJECTED => "hint_tls13_rejected",
        hints::ALERT_EXPIRED => "hint_alert_expired",
        hints::ALERT_REVOKED => "hint_alert_revoked",
        hints::ALERT_UNKNOWN_CA => "hint_alert_unknown_ca",
        hints::ALERT_BAD_CERTIFICATE => "hint_alert_bad_certificate",
        hints::ALERT_REQUIRED => "hint_alert_required",
        _ => return None,
    };
    Some(Said::new("check", code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_codes_is_complete() {
        let words = include_str!("check_words.rs");
        let list_end = words.find("];").unwrap_or_default();
        // Where the check says things: its steps, its probe, and the words below the list.
        let sources = [
            include_str!("check.rs"),
            include_str!("check/probe.rs"),
            &words[list_end..],
        ];
        for code in CHECK_CODES {
            let quoted = format!("\"{code}\"");
            let used = sources.iter().any(|s| s.contains(&quoted));
            assert!(used, "{code} is listed but never said");
        }
        for source in sources {
            for (at, _) in source.match_indices("Said::new(\"check\", \"") {
                let rest = &source[at + "Said::new(\"check\", \"".len()..];
                let code = rest.split('"').next().unwrap_or_default();
                assert!(CHECK_CODES.contains(&code), "{code} is not listed");
            }
        }
    }
}

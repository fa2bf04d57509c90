//! The connection check's sentences as data, for front ends that word them in another
//! language: the codes, and which of them a step's root certificate and fix are.

use super::ConnectError;
use super::connection::hints;
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
    "error_dns",
    "error_refused",
    "error_tcp_timeout",
    "error_tcp",
    "error_untrusted",
    "error_tls_refused",
    "error_tls",
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
        ConnectError::Untrusted { hint, .. } | ConnectError::TlsRefused { hint, .. } => {
            return hint_said(hint);
        }
        ConnectError::Proxy(_) => return None,
        ConnectError::NoHttp2 { .. } => "fix_no_http2",
        _ => "fix_retry",
    };
    Some(Said::new("check", code))
}

/// The error as data; `None` for a proxy's errors, which keep their words.
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
        ConnectError::Proxy(_) => return None,
    })
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
        _ => return None,
    };
    Some(Said::new("check", code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_codes_is_complete() {
        let sources = [include_str!("check.rs"), include_str!("check_words.rs")];
        let list_end = include_str!("check_words.rs")
            .find("];")
            .unwrap_or_default();
        for code in CHECK_CODES {
            let quoted = format!("\"{code}\"");
            let used = sources[0].contains(&quoted) || sources[1][list_end..].contains(&quoted);
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

//! The connection check's sentences as data, for front ends that word them in another
//! language: the codes, and which of them a step's root certificate and fix are.

use super::ConnectError;
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

/// `fix_for`'s sentence as data, where it is not the error's own hint.
pub(super) fn fix_said_for(e: &ConnectError) -> Option<Said> {
    let code = match e {
        ConnectError::Dns { .. } => "fix_dns",
        ConnectError::Refused { .. } => "fix_refused",
        ConnectError::TcpTimeout { .. } => "fix_timeout",
        ConnectError::Untrusted { .. } | ConnectError::TlsRefused { .. } => return None,
        ConnectError::Proxy(_) => return None,
        ConnectError::NoHttp2 { .. } => "fix_no_http2",
        _ => "fix_retry",
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

//! The connection check's sentences in the app's language: every variant of the library's
//! [`StepSentence`], [`StepFix`], [`ConnectError`] and [`ProxyError`] matched here, so a new
//! one does not compile until it has its words.

use super::{msg, reason_fix, reason_meaning};
use crate::client::{
    ConnectError, ProxyError, ProxyFix, ServerRoot, Stage, StepFix, StepSentence, TlsHint,
};
use crate::proxy::TunnelOpened;

/// What a step of the check found.
pub fn step_sentence(sentence: &StepSentence) -> String {
    match sentence {
        StepSentence::NotRun => msg::check_not_run(),
        StepSentence::DnsAddress { host } => msg::check_dns_address(host.as_str()),
        StepSentence::DnsResolved { host, addresses } => {
            msg::check_dns_resolved(addresses.as_str(), host.as_str())
        }
        StepSentence::TcpConnected { peer } => msg::check_tcp_connected(peer.as_str()),
        StepSentence::TlsVerified {
            version,
            cipher,
            alpn,
            subject,
            issuer,
            root,
        } => msg::check_tls_verified(
            alpn.as_str(),
            cipher.as_str(),
            issuer.as_str(),
            match root {
                ServerRoot::None => "none",
                ServerRoot::UserTrust => "usertrust",
                ServerRoot::GeoTrust => "geotrust",
                ServerRoot::Other => "other",
            },
            subject.as_str(),
            version.as_str(),
        ),
        StepSentence::TlsDone => msg::check_tls_done(),
        StepSentence::Http2Streams { streams } => msg::check_http2_streams(*streams),
        StepSentence::Http2NoLimit => msg::check_http2_no_limit(),
        StepSentence::ProbeFailed { error } => msg::check_probe_failed(error.as_str()),
        StepSentence::AuthOk => msg::check_auth_ok(),
        // Status codes as written: a number to read, not a quantity to group.
        StepSentence::Refused { status, reason } => {
            msg::check_refused(reason_meaning(*reason), reason.as_str(), status.to_string())
        }
        StepSentence::TopicRefused { status, reason } => {
            msg::check_topic_refused(reason_meaning(*reason), reason.as_str(), status.to_string())
        }
        StepSentence::UnexpectedReason { status, reason } => msg::check_unexpected_reason(
            reason_meaning(*reason),
            reason.as_str(),
            status.to_string(),
        ),
        StepSentence::AcceptsInvalidToken => msg::check_accepts_invalid_token(),
        StepSentence::UnexpectedAnswer { status, reason } => {
            msg::check_unexpected_answer(reason.as_str(), status.to_string())
        }
        StepSentence::Failed(e) => connect_error(e),
        StepSentence::ProxyFailed(e) => proxy_error(e),
        StepSentence::ProxyResolved {
            proxy,
            addresses,
            target,
        } => {
            let found = match addresses {
                Some(a) => msg::check_proxy_resolved(a.as_str(), proxy.as_str()),
                None => msg::check_proxy_address(proxy.as_str()),
            };
            match target {
                Some(host) => msg::check_proxy_resolves_the_server(found, host.as_str()),
                None => found,
            }
        }
        StepSentence::ProxyReached { proxy, peer } => {
            msg::check_proxy_reached(peer.as_str(), proxy.as_str())
        }
        StepSentence::ProxyTunnel(TunnelOpened::Http {
            target,
            status,
            reason,
        }) => msg::check_proxy_tunnel_http(reason.as_str(), status.to_string(), target.as_str()),
        StepSentence::ProxyTunnel(TunnelOpened::Socks5 {
            target,
            resolved_name,
        }) => {
            if *resolved_name {
                msg::check_proxy_tunnel_socks5_resolved(target.as_str())
            } else {
                msg::check_proxy_tunnel_socks5(target.as_str())
            }
        }
    }
}

/// What to do about a failed step.
pub fn step_fix(fix: &StepFix) -> String {
    match fix {
        StepFix::Dns => msg::check_fix_dns(),
        StepFix::Refused => msg::check_fix_refused(),
        StepFix::Timeout => msg::check_fix_timeout(),
        StepFix::NoHttp2 => msg::check_fix_no_http2(),
        StepFix::Retry => msg::check_fix_retry(),
        StepFix::RenewCertificate => msg::check_fix_renew_certificate(),
        StepFix::CertificateDates => msg::check_fix_certificate_dates(),
        StepFix::GoAway => msg::check_fix_goaway(),
        StepFix::Http2Error => msg::check_fix_http2_error(),
        StepFix::CertificateRejected => msg::check_fix_certificate_rejected(),
        StepFix::NotApns => msg::check_fix_not_apns(),
        StepFix::Hint(hint) => tls_hint(*hint),
        StepFix::Proxy(fix) => proxy_fix(*fix),
        StepFix::Reason(reason) => reason_fix(*reason),
    }
}

/// Why connecting failed.
pub fn connect_error(e: &ConnectError) -> String {
    match e {
        ConnectError::Dns { host, message } => {
            msg::check_error_dns(host.as_str(), message.as_str())
        }
        ConnectError::Refused { addr } => msg::check_error_refused(addr.to_string()),
        ConnectError::TcpTimeout { addr, secs } => {
            msg::check_error_tcp_timeout(addr.to_string(), *secs)
        }
        ConnectError::Tcp { addr, message } => {
            msg::check_error_tcp(addr.to_string(), message.as_str())
        }
        ConnectError::Untrusted { reason, hint } => {
            msg::check_error_untrusted(tls_hint(*hint), reason.as_str())
        }
        ConnectError::TlsRefused { message, hint } => {
            msg::check_error_tls_refused(tls_hint(*hint), message.as_str())
        }
        ConnectError::Tls { message } => msg::check_error_tls(message.as_str()),
        ConnectError::CertificateRefused {
            alert,
            after_handshake: false,
            hint,
        } => {
            msg::check_error_certificate_refused(alert.0.to_string(), tls_hint(*hint), alert.name())
        }
        ConnectError::CertificateRefused { alert, hint, .. } => {
            msg::check_error_certificate_refused_after_handshake(
                alert.0.to_string(),
                tls_hint(*hint),
                alert.name(),
            )
        }
        ConnectError::CertificateNotValid {
            expired: true,
            date,
            days,
            server,
        } => msg::check_error_certificate_expired(date.as_str(), *days, server_part(server)),
        ConnectError::CertificateNotValid {
            date, days, server, ..
        } => msg::check_error_certificate_not_yet_valid(date.as_str(), *days, server_part(server)),
        ConnectError::GoAway { reason, detail } => {
            msg::check_error_goaway(detail.as_str(), reason.as_str())
        }
        ConnectError::ClosedAfterTls { message, hint } => {
            msg::check_error_closed_after_tls(tls_hint(*hint), message.as_str())
        }
        ConnectError::NoHttp2 { alpn } => msg::check_error_no_http2(alpn.as_deref().unwrap_or("-")),
        ConnectError::Http2 { message } => msg::check_error_http2(message.as_str()),
        ConnectError::Timeout { stage, secs } => msg::check_error_timeout(
            *secs,
            match stage {
                Stage::Dns => "dns",
                Stage::TlsHandshake => "tls",
                Stage::Http2Setup => "http2",
            },
        ),
        ConnectError::Credential(message) => msg::check_error_credential(message.as_str()),
        ConnectError::Proxy(e) => proxy_error(e),
    }
}

/// What the server did, without the advice that follows it in its own error: when the
/// certificate's dates are the cause, the advice is theirs.
fn server_part(e: &ConnectError) -> String {
    match e {
        ConnectError::CertificateRefused {
            alert,
            after_handshake: false,
            ..
        } => msg::check_server_refused_certificate(alert.0.to_string(), alert.name()),
        ConnectError::CertificateRefused { alert, .. } => {
            msg::check_server_refused_certificate_after_handshake(alert.0.to_string(), alert.name())
        }
        ConnectError::ClosedAfterTls { message, .. } => {
            msg::check_server_closed_after_tls(message.as_str())
        }
        ConnectError::TlsRefused { message, .. } | ConnectError::Tls { message } => {
            msg::check_server_refused_tls(message.as_str())
        }
        other => connect_error(other),
    }
}

/// The advice that ends a TLS failure.
pub fn tls_hint(hint: TlsHint) -> String {
    match hint {
        TlsHint::UpdateRoots => msg::check_hint_update_roots(),
        TlsHint::PassCa => msg::check_hint_pass_ca(),
        TlsHint::CertificateRejected => msg::check_hint_certificate_rejected(),
        TlsHint::NeedsCertificate => msg::check_hint_needs_certificate(),
        TlsHint::NotApns => msg::check_hint_not_apns(),
        TlsHint::Tls13Rejected => msg::check_hint_tls13_rejected(),
        TlsHint::AlertExpired => msg::check_hint_alert_expired(),
        TlsHint::AlertRevoked => msg::check_hint_alert_revoked(),
        TlsHint::AlertUnknownCa => msg::check_hint_alert_unknown_ca(),
        TlsHint::AlertBadCertificate => msg::check_hint_alert_bad_certificate(),
        TlsHint::AlertRequired => msg::check_hint_alert_required(),
    }
}

/// A proxy's refusal. The stage and the status's meaning keep the library's words.
pub fn proxy_error(e: &ProxyError) -> String {
    match e {
        ProxyError::Dns { host, message } => msg::check_proxy_dns(message.as_str(), host.as_str()),
        ProxyError::Refused { proxy, addr } => {
            msg::check_proxy_refused(addr.to_string(), proxy.as_str())
        }
        ProxyError::Unreachable { proxy, message } => {
            msg::check_proxy_unreachable(message.as_str(), proxy.as_str())
        }
        ProxyError::Timeout { proxy, stage, secs } => {
            msg::check_proxy_timeout(proxy.as_str(), *secs, *stage)
        }
        ProxyError::Closed { proxy, stage } => msg::check_proxy_closed(proxy.as_str(), *stage),
        ProxyError::AuthRequired {
            proxy,
            status,
            sent,
            wants,
        } => msg::check_proxy_auth_required(
            proxy.as_str(),
            if *sent { "yes" } else { "no" },
            status.to_string(),
            wants
                .as_deref()
                .filter(|w| !w.eq_ignore_ascii_case("basic"))
                .unwrap_or("basic"),
        ),
        ProxyError::Forbidden { proxy, target } => {
            msg::check_proxy_forbidden(proxy.as_str(), target.as_str())
        }
        ProxyError::Status {
            proxy,
            target,
            status,
            meaning,
        } => msg::check_proxy_status(
            meaning.as_str(),
            proxy.as_str(),
            status.to_string(),
            target.as_str(),
        ),
        ProxyError::NotHttp { proxy, what } => {
            msg::check_proxy_not_http(proxy.as_str(), what.as_str())
        }
        ProxyError::NotSocks { proxy, what } => {
            msg::check_proxy_not_socks(proxy.as_str(), what.as_str())
        }
        ProxyError::SocksMethodRejected { proxy, offered } => {
            msg::check_proxy_socks_method_rejected(*offered, proxy.as_str())
        }
        ProxyError::SocksAuthFailed { proxy } => msg::check_proxy_socks_auth_failed(proxy.as_str()),
        ProxyError::SocksRefused {
            proxy,
            target,
            code,
            meaning,
        } => msg::check_proxy_socks_refused(
            format!("{code:#04x}"),
            *meaning,
            proxy.as_str(),
            target.as_str(),
        ),
        ProxyError::Invalid { proxy, message } => {
            msg::check_proxy_invalid(message.as_str(), proxy.as_str())
        }
        ProxyError::Io { proxy, message } => msg::check_proxy_io(message.as_str(), proxy.as_str()),
    }
}

/// What to do about a proxy's refusal.
pub fn proxy_fix(fix: ProxyFix) -> String {
    match fix {
        ProxyFix::Dns => msg::check_proxy_fix_dns(),
        ProxyFix::Address => msg::check_proxy_fix_address(),
        ProxyFix::Timeout => msg::check_proxy_fix_timeout(),
        ProxyFix::Scheme => msg::check_proxy_fix_scheme(),
        ProxyFix::GiveCredentials => msg::check_proxy_fix_give_credentials(),
        ProxyFix::CheckCredentials => msg::check_proxy_fix_check_credentials(),
        ProxyFix::Forbidden => msg::check_proxy_fix_forbidden(),
        ProxyFix::Status => msg::check_proxy_fix_status(),
        ProxyFix::NotHttp => msg::check_proxy_fix_not_http(),
        ProxyFix::NotSocks => msg::check_proxy_fix_not_socks(),
        ProxyFix::SocksMethod => msg::check_proxy_fix_socks_method(),
        ProxyFix::SocksRules => msg::check_proxy_fix_socks_rules(),
        ProxyFix::SocksUnreachable => msg::check_proxy_fix_socks_unreachable(),
        ProxyFix::SocksNothingListens => msg::check_proxy_fix_socks_nothing_listens(),
        ProxyFix::SocksOther => msg::check_proxy_fix_socks_other(),
        ProxyFix::Invalid => msg::check_proxy_fix_invalid(),
    }
}

//! A TLS alert from the server, read for what it says. A server that rejects the client
//! certificate names why in its alert (RFC 8446 §6.2): expired (45), an issuer it does not
//! know (48), a bad certificate (42), none sent (116)… OpenSSL reports a received alert as
//! the reason code 1000 + its number, and words it "sslv3 alert certificate expired".

use serde::Serialize;

use super::ClientAuth;
use super::connection::ConnectError;

/// The advice that ends a TLS failure ([`ConnectError::Untrusted`], `TlsRefused`,
/// `CertificateRefused`, `ClosedAfterTls`): its `Display` is the English, front ends word it
/// by its variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsHint {
    /// The system's CA store lacks the server's root.
    UpdateRoots,
    /// A private trust set lacks the server's CA.
    PassCa,
    /// The server rejected the client certificate, its alert saying no more.
    CertificateRejected,
    /// The server may want a client certificate (a token credential was used).
    NeedsCertificate,
    /// The server does not behave like APNs.
    NotApns,
    /// TLS 1.3's way of rejecting a client certificate: closing after the handshake.
    Tls13Rejected,
    /// Alert 45: the client certificate expired.
    AlertExpired,
    /// Alert 44: the client certificate was revoked.
    AlertRevoked,
    /// Alert 48 or 51: the client certificate's issuer is not trusted.
    AlertUnknownCa,
    /// Alert 42: the client certificate cannot be used.
    AlertBadCertificate,
    /// Alert 116: no client certificate was sent.
    AlertRequired,
}

impl std::fmt::Display for TlsHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TlsHint::UpdateRoots => "if the server is Apple's, update this system's CA certificates (Apple moved to the USERTrust RSA root in 2025); for the simulator or a proxy, pass its CA with --ca",
            TlsHint::PassCa => "pass the server's CA with --ca (the simulator's: `pushlab sim export-ca`)",
            TlsHint::CertificateRejected => "the server rejected the client certificate: check it is an APNs certificate for this environment and not revoked",
            TlsHint::NeedsCertificate => "the server may require a client certificate",
            TlsHint::NotApns => "check the host and port are an APNs server",
            TlsHint::Tls13Rejected => "with TLS 1.3 this is how a server rejects a client certificate: check it is an APNs certificate issued by a CA the server trusts (for the simulator: `pushlab sim issue-cert`)",
            TlsHint::AlertExpired => "the server says the client certificate expired: make a new one in Apple's developer portal and give it with --cert FILE",
            TlsHint::AlertRevoked => "the client certificate was revoked: make a new one in Apple's developer portal and give it with --cert FILE",
            TlsHint::AlertUnknownCa => "the server does not trust the CA that issued the client certificate: give a certificate Apple issued for APNs with --cert FILE (for the simulator: one from `pushlab sim issue-cert`)",
            TlsHint::AlertBadCertificate => "the server cannot use the client certificate: check --cert is an APNs push certificate with its own private key",
            TlsHint::AlertRequired => "the server requires a client certificate: give one with --cert FILE",
        })
    }
}

/// A fatal alert the server sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TlsAlert(pub u8);

/// The alerts a server sends about a client certificate or the handshake, by number and by
/// the words OpenSSL uses for them.
const NAMES: &[(u8, &str)] = &[
    (40, "handshake failure"),
    (42, "bad certificate"),
    (43, "unsupported certificate"),
    (44, "certificate revoked"),
    (45, "certificate expired"),
    (46, "certificate unknown"),
    (47, "illegal parameter"),
    (48, "unknown ca"),
    (49, "access denied"),
    (50, "decode error"),
    (51, "decrypt error"),
    (70, "protocol version"),
    (71, "insufficient security"),
    (80, "internal error"),
    (112, "unrecognized name"),
    (116, "certificate required"),
    (120, "no application protocol"),
];

/// OpenSSL's reason code for a received alert is this plus the alert's number.
const SSL_AD_REASON_OFFSET: i32 = 1000;

impl TlsAlert {
    /// Alert 45, `certificate_expired`.
    pub const CERTIFICATE_EXPIRED: TlsAlert = TlsAlert(45);

    /// Its name in RFC 8446's words ("unknown CA").
    pub fn name(self) -> &'static str {
        match self.0 {
            48 => "unknown CA",
            n => NAMES
                .iter()
                .find(|(code, _)| *code == n)
                .map_or("unknown alert", |(_, name)| name),
        }
    }

    /// Whether it is the server's judgement of the client certificate (rather than of the
    /// handshake in general).
    pub fn is_about_certificate(self) -> bool {
        matches!(self.0, 42..=46 | 48 | 49 | 116)
    }

    /// The alert in an OpenSSL error: by reason code, else by its words.
    pub fn of_ssl(e: &openssl::ssl::Error) -> Option<TlsAlert> {
        e.ssl_error()
            .and_then(|stack| {
                stack
                    .errors()
                    .iter()
                    .find_map(|e| Self::of_reason_code(e.reason_code()))
            })
            .or_else(|| Self::of_text(&e.to_string()))
    }

    /// The alert behind an I/O error from the TLS stream (TLS 1.3 delivers the server's
    /// verdict on the client certificate with the first read after the handshake).
    pub fn of_io(e: &std::io::Error) -> Option<TlsAlert> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<openssl::ssl::Error>())
            .and_then(Self::of_ssl)
            .or_else(|| Self::of_text(&e.to_string()))
    }

    fn of_reason_code(code: i32) -> Option<TlsAlert> {
        let n = code.checked_sub(SSL_AD_REASON_OFFSET)?;
        u8::try_from(n).ok().filter(|n| *n > 0).map(TlsAlert)
    }

    /// "… tlsv1 alert unknown ca …" → 48.
    pub fn of_text(text: &str) -> Option<TlsAlert> {
        let lower = text.to_ascii_lowercase();
        let (_, after) = lower.split_once(" alert ")?;
        NAMES
            .iter()
            .find(|(_, name)| after.starts_with(name))
            .map(|(code, _)| TlsAlert(*code))
    }
}

/// What to do about a certificate alert.
pub(super) fn hint_for(alert: TlsAlert) -> TlsHint {
    match alert.0 {
        45 => TlsHint::AlertExpired,
        44 => TlsHint::AlertRevoked,
        // A signature that does not verify (decrypt error) is, to the server, a certificate
        // from some other CA, perhaps one with the same name.
        48 | 51 => TlsHint::AlertUnknownCa,
        42 => TlsHint::AlertBadCertificate,
        116 => TlsHint::AlertRequired,
        _ => TlsHint::CertificateRejected,
    }
}

/// [`ConnectError::CertificateRefused`]'s sentence.
pub(super) fn refused_text(alert: &TlsAlert, after_handshake: &bool, hint: &TlsHint) -> String {
    let when = if *after_handshake {
        " after the TLS handshake (TLS 1.3 says so with the first data)"
    } else {
        ""
    };
    format!("the server refused the client certificate{when}: {alert} — {hint}")
}

/// [`ConnectError::CertificateNotValid`]'s sentence: the dates first, then the server.
pub(super) fn not_valid_text(
    expired: &bool,
    date: &str,
    days: &i64,
    server: &ConnectError,
) -> String {
    let server = super::check_words::server_part(server);
    if *expired {
        format!(
            "the client certificate expired on {date} ({days} days ago), so the server refused it: {server} — renew it: make a new push certificate in Apple's developer portal and give it with --cert FILE"
        )
    } else {
        format!(
            "the client certificate is not valid until {date} (in {days} days), so the server refused it: {server} — check this computer's clock, or wait until then"
        )
    }
}

/// Whether the client certificate is outside its dates today: (expired, date, days).
fn outside_dates(auth: &ClientAuth) -> Option<(bool, String, i64)> {
    let ClientAuth::Certificate(cred) = auth else {
        return None;
    };
    let now = time::OffsetDateTime::now_utc();
    let report = crate::cert::CertificateReport::of(&cred.certificate, now).ok()?;
    if report.not_after < now {
        Some((
            true,
            report.not_after.date().to_string(),
            (now - report.not_after).whole_days(),
        ))
    } else if report.not_before > now {
        Some((
            false,
            report.not_before.date().to_string(),
            (report.not_before - now).whole_days(),
        ))
    } else {
        None
    }
}

/// A refusal of the TLS connection, with the client certificate's dates named first when
/// they explain it: an expired certificate is the cause, whatever the server's alert says.
pub(super) fn dates_first(auth: &ClientAuth, refused: ConnectError) -> ConnectError {
    let server_refused = matches!(
        refused,
        ConnectError::TlsRefused { .. }
            | ConnectError::CertificateRefused { .. }
            | ConnectError::ClosedAfterTls { .. }
            | ConnectError::Tls { .. }
    );
    match outside_dates(auth) {
        Some((expired, date, days)) if server_refused => ConnectError::CertificateNotValid {
            expired,
            date,
            days,
            server: Box::new(refused),
        },
        _ => refused,
    }
}

/// The HTTP/2 set-up failed right after the TLS handshake: what the server said, read as
/// what it is — a TLS alert (with TLS 1.3 the verdict on the client certificate arrives
/// here), a GOAWAY, an HTTP/2 protocol error such as a flow-control error, or a bare close.
pub(super) fn after_tls(
    auth: &ClientAuth,
    e: &h2::Error,
    goaway: Option<&super::sniff::GoAwayFrame>,
    context: &str,
) -> ConnectError {
    // h2 reports a GOAWAY with NO_ERROR as a clean end; the frame itself was kept.
    if let Some(frame) = goaway {
        return ConnectError::GoAway {
            reason: frame.code_name(),
            detail: frame
                .reason()
                .map_or_else(|| "no debug data".to_owned(), |r| format!("reason: {r}")),
        };
    }
    if e.is_go_away() && e.is_remote() {
        return ConnectError::GoAway {
            reason: e
                .reason()
                .map_or_else(|| "?".to_owned(), |r| format!("{r:?}")),
            detail: e.to_string(),
        };
    }
    if let Some(reason) = e.reason() {
        return ConnectError::Http2 {
            message: format!("{context}{e} ({reason:?})"),
        };
    }
    let alert = e.get_io().and_then(TlsAlert::of_io);
    // With TLS 1.3 the server reads the client's certificate, its signature and Finished
    // after this side's handshake is done: an alert now is about them.
    let error = match (alert, auth) {
        (Some(alert), ClientAuth::Certificate(_)) => ConnectError::CertificateRefused {
            alert,
            after_handshake: true,
            hint: hint_for(alert),
        },
        (Some(alert), _) => ConnectError::TlsRefused {
            message: format!("{context}{alert}: {e}"),
            hint: TlsHint::NotApns,
        },
        (None, ClientAuth::Certificate(_)) => ConnectError::ClosedAfterTls {
            message: format!("{context}{e}"),
            hint: TlsHint::Tls13Rejected,
        },
        (None, ClientAuth::Token(_)) => ConnectError::Http2 {
            message: format!("{context}{e}"),
        },
    };
    dates_first(auth, error)
}

impl ConnectError {
    /// Whether the server rejected the client certificate once the TLS handshake had
    /// completed on this side: the TLS step did not pass after all.
    pub fn is_certificate_rejected_after_handshake(&self) -> bool {
        match self {
            ConnectError::CertificateRefused {
                after_handshake, ..
            } => *after_handshake,
            ConnectError::CertificateNotValid { server, .. } => {
                server.is_certificate_rejected_after_handshake()
                    || matches!(**server, ConnectError::ClosedAfterTls { .. })
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for TlsAlert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TLS alert {} ({})", self.0, self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_read_from_openssl_words() {
        for (text, code) in [
            (
                "error:0A000415:SSL routines::sslv3 alert certificate expired:ssl/record/rec_layer_s3.c:1605:SSL alert number 45",
                45,
            ),
            ("ssl3_read_bytes:tlsv1 alert unknown ca", 48),
            ("sslv3 alert bad certificate", 42),
            ("tlsv13 alert certificate required", 116),
            ("sslv3 alert handshake failure", 40),
        ] {
            assert_eq!(TlsAlert::of_text(text), Some(TlsAlert(code)), "{text}");
        }
        assert_eq!(TlsAlert::of_text("connection reset by peer"), None);
        assert_eq!(TlsAlert::of_reason_code(1045), Some(TlsAlert(45)));
        assert_eq!(TlsAlert::of_reason_code(134), None);
        assert_eq!(TlsAlert(48).to_string(), "TLS alert 48 (unknown CA)");
        assert!(TlsAlert(116).is_about_certificate());
        assert!(!TlsAlert(120).is_about_certificate());
    }
}

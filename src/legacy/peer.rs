//! Who is on the other end of a gateway or feedback connection.

use std::net::SocketAddr;

use openssl::ssl::SslRef;
use openssl::x509::X509;

use crate::cert::CertificateReport;

/// The client of one connection: its address and the push certificate it authenticated with.
///
/// Apple's gateway knew the app from the certificate alone (the binary frames carry no topic),
/// so hooks that judge notifications or list feedback get this rather than a topic.
#[derive(Debug, Clone)]
pub struct Peer {
    /// The client's address, when the socket could tell it.
    pub addr: Option<SocketAddr>,
    /// The client certificate; always present on a connection the servers accepted.
    pub certificate: Option<X509>,
    /// What the certificate says (bundle id, environment, topics), if it could be read.
    pub report: Option<CertificateReport>,
}

impl Peer {
    pub(crate) fn of(ssl: &SslRef, addr: Option<SocketAddr>) -> Peer {
        let certificate = ssl.peer_certificate();
        let report = certificate
            .as_ref()
            .and_then(|c| CertificateReport::of(c, time::OffsetDateTime::now_utc()).ok());
        Peer {
            addr,
            certificate,
            report,
        }
    }

    /// The app the certificate is for (its bundle id), as Apple read the topic of a binary
    /// notification.
    pub fn bundle_id(&self) -> Option<&str> {
        self.report.as_ref()?.bundle_id.as_deref()
    }
}

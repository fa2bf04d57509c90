//! Apple's certificate extensions: which APNs environment a push certificate is for, and which
//! topics (bundle id, `.voip`, `.complication`) it may send to.

use serde::Serialize;

use crate::apns::Environment;
use crate::der;

/// Marks a certificate for the development (sandbox) environment.
pub const OID_APNS_DEVELOPMENT: &str = "1.2.840.113635.100.6.3.1";
/// Marks a certificate for the production environment.
pub const OID_APNS_PRODUCTION: &str = "1.2.840.113635.100.6.3.2";
/// Lists the topics a multi-topic ("Sandbox & Production") certificate may push to.
pub const OID_APNS_TOPICS: &str = "1.2.840.113635.100.6.3.6";
/// The subject attribute `UID`, which holds the bundle id.
pub const OID_USER_ID: &str = "0.9.2342.19200300.100.1.1";

/// Which environments a certificate may connect to, read from Apple's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CertEnvironment {
    /// Sandbox only (`…6.3.1`).
    Development,
    /// Production only (`…6.3.2`).
    Production,
    /// Both (`…6.3.1` and `…6.3.2`): the "Sandbox & Production" certificate.
    Universal,
    /// Neither extension: not an APNs certificate.
    None,
}

impl CertEnvironment {
    /// Reads the environment from the two marker extensions.
    pub fn from_markers(development: bool, production: bool) -> Self {
        match (development, production) {
            (true, true) => CertEnvironment::Universal,
            (true, false) => CertEnvironment::Development,
            (false, true) => CertEnvironment::Production,
            (false, false) => CertEnvironment::None,
        }
    }

    /// Whether a certificate of this kind is accepted by `target`.
    pub fn supports(self, target: Environment) -> bool {
        matches!(
            (self, target),
            (CertEnvironment::Universal, _)
                | (CertEnvironment::Development, Environment::Sandbox)
                | (CertEnvironment::Production, Environment::Production)
        )
    }

    /// The word users see.
    pub fn label(self) -> &'static str {
        match self {
            CertEnvironment::Development => "development (sandbox only)",
            CertEnvironment::Production => "production only",
            CertEnvironment::Universal => "sandbox & production",
            CertEnvironment::None => "not an APNs certificate",
        }
    }
}

/// Decodes the topics extension: a SEQUENCE alternating `UTF8String topic` with
/// `SEQUENCE { UTF8String kind }`. Tolerates the extra OCTET STRING wrapper some tools add.
/// Read with x509-parser's own DER parser; anything malformed gives no topics.
pub fn parse_topics(ext_value: &[u8]) -> Vec<String> {
    use x509_parser::der_parser::ber::{BerObject, BerObjectContent};
    use x509_parser::der_parser::der::parse_der;

    fn strings(seq: &BerObject<'_>) -> Vec<String> {
        let BerObjectContent::Sequence(items) = &seq.content else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|el| match &el.content {
                BerObjectContent::UTF8String(s)
                | BerObjectContent::IA5String(s)
                | BerObjectContent::PrintableString(s) => Some((*s).to_owned()),
                _ => None,
            })
            .collect()
    }

    let Ok((_, outer)) = parse_der(ext_value) else {
        return Vec::new();
    };
    match &outer.content {
        BerObjectContent::OctetString(inner) => match parse_der(inner) {
            Ok((_, seq)) => strings(&seq),
            Err(_) => Vec::new(),
        },
        _ => strings(&outer),
    }
}

/// Encodes a topics extension value the way Apple's certificates carry it.
pub fn encode_topics(topics: &[String], bundle_id: &str) -> Vec<u8> {
    let mut content = Vec::new();
    for topic in topics {
        let kind = match topic.strip_prefix(bundle_id) {
            Some(".voip") => "voip",
            Some(".complication") => "complication",
            _ => "app",
        };
        content.extend(der::encode(der::TAG_UTF8_STRING, topic.as_bytes()));
        content.extend(der::encode(
            der::TAG_SEQUENCE,
            &der::encode(der::TAG_UTF8_STRING, kind.as_bytes()),
        ));
    }
    der::encode(der::TAG_SEQUENCE, &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip() {
        let topics = vec![
            "com.example.app".to_owned(),
            "com.example.app.voip".to_owned(),
            "com.example.app.complication".to_owned(),
        ];
        let der = encode_topics(&topics, "com.example.app");
        assert_eq!(parse_topics(&der), topics);
        // The same value wrapped in one more OCTET STRING, as pushy's fixture has it.
        let wrapped = der::encode(0x04, &der);
        assert_eq!(parse_topics(&wrapped), topics);
    }

    #[test]
    fn garbage_topics_give_none() {
        assert!(parse_topics(&[0xff, 0x00]).is_empty());
        assert!(parse_topics(&[]).is_empty());
    }

    #[test]
    fn environment_support() {
        use CertEnvironment::*;
        assert!(Universal.supports(Environment::Production));
        assert!(Development.supports(Environment::Sandbox));
        assert!(!Development.supports(Environment::Production));
        assert!(!Production.supports(Environment::Sandbox));
        assert!(!None.supports(Environment::Sandbox));
    }
}

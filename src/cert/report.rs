//! What a certificate or key holds, in the words a push developer uses, and what is wrong
//! with it.

use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, PKeyRef, Private};
use openssl::x509::{X509, X509Ref};
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer as _, X509Certificate};

use super::CertError;
use super::apple::{self, CertEnvironment};
use super::issue::CertIssue;

/// The parts of a distinguished name that matter for push certificates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NameFields {
    /// `CN`, e.g. "Apple Push Services: com.example.app".
    pub common_name: Option<String>,
    /// `UID`: the bundle id on Apple push certificates.
    pub user_id: Option<String>,
    /// `OU`: the team id on Apple push certificates.
    pub organizational_unit: Option<String>,
    /// `O`
    pub organization: Option<String>,
    /// `C`
    pub country: Option<String>,
    /// The whole name, as `openssl x509 -subject` prints it today.
    pub text: String,
}

/// Everything pushlab can tell about one certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateReport {
    /// Whom the certificate is for: for an APNs certificate, the app and the team.
    pub subject: NameFields,
    /// Who signed it: Apple's intermediate for a real APNs certificate.
    pub issuer: NameFields,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// SHA-1 fingerprint as Keychain and `openssl x509 -fingerprint` show it (`AB:CD:…`).
    pub sha1: String,
    /// SHA-256 fingerprint, in the same form as `sha1`.
    pub sha256: String,
    /// Valid from.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// Valid until: APNs refuses the certificate after this moment.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days until expiry; negative once expired.
    pub days_left: i64,
    /// Which APNs environments Apple's markers in the certificate allow (none: not a push
    /// certificate).
    pub environment: CertEnvironment,
    /// Topics from the topics extension, else the subject UID.
    pub topics: Vec<String>,
    /// The subject's UID, else the first topic: the app it pushes to.
    pub bundle_id: Option<String>,
    /// The subject's OU, where Apple puts the team id.
    pub team_id: Option<String>,
    /// e.g. "RSA 2048" or "EC P-256".
    pub public_key: String,
    /// A CA certificate (basic constraints), so not the one a provider sends with.
    pub is_ca: bool,
}

impl CertificateReport {
    /// Reads a certificate. Fails only if OpenSSL produced something x509-parser rejects.
    pub fn of(cert: &X509Ref, now: OffsetDateTime) -> Result<Self, CertError> {
        let der = cert
            .to_der()
            .map_err(|e| CertError::openssl("encoding a certificate", e))?;
        let (_, parsed) = X509Certificate::from_der(&der)
            .map_err(|e| CertError::openssl("reading a certificate", e))?;

        let mut development = false;
        let mut production = false;
        let mut topics = Vec::new();
        for ext in parsed.extensions() {
            match ext.oid.to_id_string().as_str() {
                apple::OID_APNS_DEVELOPMENT => development = true,
                apple::OID_APNS_PRODUCTION => production = true,
                apple::OID_APNS_TOPICS => topics = apple::parse_topics(ext.value),
                _ => {}
            }
        }
        let subject = name_fields(parsed.subject());
        let issuer = name_fields(parsed.issuer());
        let environment = CertEnvironment::from_markers(development, production);
        let bundle_id = subject.user_id.clone().or_else(|| topics.first().cloned());
        if topics.is_empty() && environment != CertEnvironment::None {
            topics.extend(bundle_id.clone());
        }
        let not_before = parsed.validity().not_before.to_datetime();
        let not_after = parsed.validity().not_after.to_datetime();
        let is_ca = parsed
            .basic_constraints()
            .ok()
            .flatten()
            .is_some_and(|bc| bc.value.ca);
        let public_key = match cert.public_key() {
            Ok(key) => describe_key(&key),
            Err(_) => "unknown".to_owned(),
        };
        Ok(CertificateReport {
            team_id: subject.organizational_unit.clone(),
            subject,
            issuer,
            serial: hex::encode_upper(parsed.raw_serial()),
            sha1: fingerprint(cert, MessageDigest::sha1())?,
            sha256: fingerprint(cert, MessageDigest::sha256())?,
            not_before,
            not_after,
            days_left: (not_after - now).whole_days(),
            environment,
            topics,
            bundle_id,
            public_key,
            is_ca,
        })
    }

    /// Findings about the certificate on its own: validity and whether it is for APNs.
    pub fn findings(&self, now: OffsetDateTime) -> Vec<CertIssue> {
        let mut out = Vec::new();
        let date = |t: OffsetDateTime| t.date().to_string();
        if self.not_after <= now {
            out.push(CertIssue::Expired {
                date: date(self.not_after),
                days_ago: -self.days_left,
            });
        } else if self.not_before > now {
            out.push(CertIssue::NotYetValid {
                date: date(self.not_before),
            });
        } else if self.days_left < 30 {
            out.push(CertIssue::ExpiresSoon {
                date: date(self.not_after),
                days: self.days_left,
            });
        }
        match self.environment {
            CertEnvironment::None if !self.is_ca => out.push(CertIssue::NotApns),
            CertEnvironment::Development => out.push(CertIssue::DevelopmentOnly),
            _ => {}
        }
        out
    }
}

/// Whether `key` is the private half of `cert`'s public key.
pub fn key_matches(cert: &X509Ref, key: &PKeyRef<Private>) -> bool {
    cert.public_key().is_ok_and(|public| public.public_eq(key))
}

/// A human description of a key: algorithm and size or curve.
pub fn describe_key<T: openssl::pkey::HasPublic>(key: &PKeyRef<T>) -> String {
    match key.id() {
        Id::RSA => format!("RSA {}", key.bits()),
        Id::EC => match key.ec_key().ok().and_then(|k| k.group().curve_name()) {
            Some(openssl::nid::Nid::X9_62_PRIME256V1) => "EC P-256".to_owned(),
            Some(openssl::nid::Nid::SECP384R1) => "EC P-384".to_owned(),
            Some(nid) => format!("EC {}", nid.short_name().unwrap_or("unknown curve")),
            None => "EC (unnamed curve)".to_owned(),
        },
        Id::ED25519 => "Ed25519".to_owned(),
        other => format!("key type {}", other.as_raw()),
    }
}

/// Whether a key is an EC P-256 key, the only kind APNs token auth (ES256) accepts.
pub fn is_p256<T: openssl::pkey::HasPublic>(key: &PKeyRef<T>) -> bool {
    key.id() == Id::EC
        && key
            .ec_key()
            .ok()
            .and_then(|k| k.group().curve_name())
            .is_some_and(|nid| nid == openssl::nid::Nid::X9_62_PRIME256V1)
}

fn fingerprint(cert: &X509Ref, md: MessageDigest) -> Result<String, CertError> {
    let digest = cert
        .digest(md)
        .map_err(|e| CertError::openssl("hashing a certificate", e))?;
    Ok(digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

fn name_fields(name: &x509_parser::x509::X509Name<'_>) -> NameFields {
    let mut fields = NameFields::default();
    let mut parts = Vec::new();
    for attr in name.iter_attributes() {
        let oid = attr.attr_type().to_id_string();
        let Ok(value) = attr.as_str() else { continue };
        let (short, slot) = match oid.as_str() {
            "2.5.4.3" => ("CN", Some(&mut fields.common_name)),
            apple::OID_USER_ID => ("UID", Some(&mut fields.user_id)),
            "2.5.4.11" => ("OU", Some(&mut fields.organizational_unit)),
            "2.5.4.10" => ("O", Some(&mut fields.organization)),
            "2.5.4.6" => ("C", Some(&mut fields.country)),
            "2.5.4.7" => ("L", None),
            "2.5.4.8" => ("ST", None),
            "1.2.840.113549.1.9.1" => ("emailAddress", None),
            _ => ("", None),
        };
        if let Some(slot) = slot
            && slot.is_none()
        {
            *slot = Some(value.to_owned());
        }
        if short.is_empty() {
            parts.push(format!("{oid} = {value}"));
        } else {
            parts.push(format!("{short} = {value}"));
        }
    }
    fields.text = parts.join(", ");
    fields
}

/// Facts about an APNs auth key (`.p8`).
#[derive(Debug, Clone, Serialize)]
pub struct AuthKeyReport {
    /// From the file name `AuthKey_<KEYID>.p8`, when present.
    pub key_id: Option<String>,
    /// e.g. "P-256".
    pub curve: String,
    /// Whether the key can sign ES256 tokens, the only algorithm APNs accepts.
    pub usable_for_es256: bool,
}

impl AuthKeyReport {
    /// Describes `key`; `key_id` comes from its file name, when that says.
    pub fn of(key: &PKey<Private>, key_id: Option<String>) -> Self {
        let usable = is_p256(key);
        AuthKeyReport {
            key_id,
            curve: if usable {
                "P-256".to_owned()
            } else {
                describe_key(key)
            },
            usable_for_es256: usable,
        }
    }
}

/// The certificate among `certs` that a credential is about: the one matching the key, else
/// the first that is not a CA, else the first.
pub fn pick_leaf<'a>(certs: &'a [X509], key: Option<&PKeyRef<Private>>) -> Option<&'a X509> {
    if let Some(key) = key
        && let Some(found) = certs.iter().find(|c| key_matches(c, key))
    {
        return Some(found);
    }
    certs.iter().find(|c| !is_ca(c)).or_else(|| certs.first())
}

fn is_ca(cert: &X509Ref) -> bool {
    let Ok(der) = cert.to_der() else { return false };
    X509Certificate::from_der(&der).is_ok_and(|(_, parsed)| {
        parsed
            .basic_constraints()
            .ok()
            .flatten()
            .is_some_and(|bc| bc.value.ca)
    })
}

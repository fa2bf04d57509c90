//! A local certificate authority: it issues test push certificates (so a newcomer can walk the
//! whole path before Apple is involved) and the simulator's server certificate.

use openssl::asn1::{Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameBuilder};

use super::apple::{self, CertEnvironment};
use super::{CertError, Credential};
use crate::der;

const DAY: i64 = 86_400;

/// What a test push certificate should look like.
#[derive(Debug, Clone)]
pub struct PushCertificateSpec {
    /// The app's bundle id: the subject UID, and part of the common name.
    pub bundle_id: String,
    /// The team id: the subject OU.
    pub team_id: String,
    /// The subject O, the team's name.
    pub organization: String,
    /// Sandbox, production or both, written as Apple's environment extensions.
    pub environment: CertEnvironment,
    /// Written to the topics extension when not empty (as "Sandbox & Production" certificates
    /// carry it).
    pub topics: Vec<String>,
    /// Validity, in seconds since the Unix epoch.
    pub not_before: i64,
    /// The end of its validity, in seconds since the Unix epoch.
    pub not_after: i64,
}

impl PushCertificateSpec {
    /// A certificate valid from yesterday for a year, like the portal issues.
    pub fn new(bundle_id: &str, environment: CertEnvironment) -> Self {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let topics = if environment == CertEnvironment::Universal {
            vec![
                bundle_id.to_owned(),
                format!("{bundle_id}.voip"),
                format!("{bundle_id}.complication"),
            ]
        } else {
            Vec::new()
        };
        PushCertificateSpec {
            bundle_id: bundle_id.to_owned(),
            team_id: "PUSHLAB123".to_owned(),
            organization: "Pushlab Test".to_owned(),
            environment,
            topics,
            not_before: now - DAY,
            not_after: now + 365 * DAY,
        }
    }

    /// Same certificate with another validity window.
    pub fn valid(mut self, not_before: i64, not_after: i64) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }
}

/// A CA that can issue push and server certificates.
#[derive(Clone)]
pub struct CertificateAuthority {
    /// The CA's own certificate, which clients must trust.
    pub certificate: X509,
    key: PKey<Private>,
}

impl std::fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateAuthority")
            .finish_non_exhaustive()
    }
}

fn ssl(action: &'static str) -> impl Fn(openssl::error::ErrorStack) -> CertError {
    move |e| CertError::openssl(action, e)
}

impl CertificateAuthority {
    /// Creates a new self-signed CA with an EC P-256 key, valid for ten years.
    pub fn generate(common_name: &str) -> Result<Self, CertError> {
        Self::generate_with(common_name, 3650, &[])
    }

    /// Creates a CA valid for `days` that may only vouch for `names` (host names and IP
    /// addresses; RFC 5280 name constraints, critical): whoever copies its key can
    /// impersonate those names and no others to a machine that trusts it. With no names, it
    /// is unconstrained.
    pub fn generate_with(common_name: &str, days: i64, names: &[&str]) -> Result<Self, CertError> {
        let err = ssl("creating a certificate authority");
        let key = new_ec_key()?;
        let name = simple_name(&[
            (Nid::COMMONNAME, common_name),
            (Nid::ORGANIZATIONNAME, "Pushlab"),
        ])?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut b = base_builder(&name, &name, &key, now - DAY, now + days * DAY)?;
        b.append_extension(
            BasicConstraints::new()
                .critical()
                .ca()
                .pathlen(0)
                .build()
                .map_err(&err)?,
        )
        .map_err(&err)?;
        if !names.is_empty() {
            let oid = Asn1Object::from_str("2.5.29.30").map_err(&err)?;
            let value = Asn1OctetString::new_from_bytes(&name_constraints(names)).map_err(&err)?;
            b.append_extension(X509Extension::new_from_der(&oid, true, &value).map_err(&err)?)
                .map_err(&err)?;
        }
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .map_err(&err)?,
        )
        .map_err(&err)?;
        b.sign(&key, MessageDigest::sha256()).map_err(&err)?;
        Ok(CertificateAuthority {
            certificate: b.build(),
            key,
        })
    }

    /// Uses an existing CA certificate and its key.
    pub fn from_parts(certificate: X509, key: PKey<Private>) -> Self {
        CertificateAuthority { certificate, key }
    }

    /// The CA's private key, for saving it beside the certificate.
    pub fn private_key(&self) -> &PKey<Private> {
        &self.key
    }

    /// Issues a push certificate shaped like Apple's, with a fresh RSA 2048 key.
    pub fn issue_push_certificate(
        &self,
        spec: &PushCertificateSpec,
    ) -> Result<Credential, CertError> {
        let key = PKey::from_rsa(Rsa::generate(2048).map_err(ssl("generating an RSA key"))?)
            .map_err(ssl("generating an RSA key"))?;
        self.issue_push_certificate_for_key(spec, key)
    }

    /// Issues a push certificate for an existing key.
    pub fn issue_push_certificate_for_key(
        &self,
        spec: &PushCertificateSpec,
        key: PKey<Private>,
    ) -> Result<Credential, CertError> {
        let err = ssl("issuing a push certificate");
        let cn = match spec.environment {
            CertEnvironment::Development => {
                format!("Apple Development IOS Push Services: {}", spec.bundle_id)
            }
            CertEnvironment::Production => {
                format!("Apple Production IOS Push Services: {}", spec.bundle_id)
            }
            _ => format!("Apple Push Services: {}", spec.bundle_id),
        };
        let mut nb = X509NameBuilder::new().map_err(&err)?;
        nb.append_entry_by_nid(Nid::USERID, &spec.bundle_id)
            .map_err(&err)?;
        nb.append_entry_by_nid(Nid::COMMONNAME, &cn).map_err(&err)?;
        nb.append_entry_by_nid(Nid::ORGANIZATIONALUNITNAME, &spec.team_id)
            .map_err(&err)?;
        nb.append_entry_by_nid(Nid::ORGANIZATIONNAME, &spec.organization)
            .map_err(&err)?;
        nb.append_entry_by_nid(Nid::COUNTRYNAME, "US")
            .map_err(&err)?;
        let subject = nb.build();
        let mut b = base_builder(
            &subject,
            self.certificate.subject_name(),
            &key,
            spec.not_before,
            spec.not_after,
        )?;
        b.append_extension(BasicConstraints::new().critical().build().map_err(&err)?)
            .map_err(&err)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .build()
                .map_err(&err)?,
        )
        .map_err(&err)?;
        b.append_extension(
            ExtendedKeyUsage::new()
                .client_auth()
                .build()
                .map_err(&err)?,
        )
        .map_err(&err)?;
        let null = [0x05u8, 0x00];
        if matches!(
            spec.environment,
            CertEnvironment::Development | CertEnvironment::Universal
        ) {
            b.append_extension(raw_extension(apple::OID_APNS_DEVELOPMENT, &null)?)
                .map_err(&err)?;
        }
        if matches!(
            spec.environment,
            CertEnvironment::Production | CertEnvironment::Universal
        ) {
            b.append_extension(raw_extension(apple::OID_APNS_PRODUCTION, &null)?)
                .map_err(&err)?;
        }
        if !spec.topics.is_empty() {
            let value = apple::encode_topics(&spec.topics, &spec.bundle_id);
            b.append_extension(raw_extension(apple::OID_APNS_TOPICS, &value)?)
                .map_err(&err)?;
        }
        b.sign(&self.key, MessageDigest::sha256()).map_err(&err)?;
        Ok(Credential {
            certificate: b.build(),
            chain: vec![self.certificate.clone()],
            private_key: Some(key),
            source: format!("test certificate for {}", spec.bundle_id),
        })
    }

    /// Issues a TLS server certificate for the given DNS names and IP addresses.
    pub fn issue_server_certificate(&self, names: &[&str]) -> Result<Credential, CertError> {
        let err = ssl("issuing a server certificate");
        let key = new_ec_key()?;
        let cn = names.first().copied().unwrap_or("localhost");
        let subject = simple_name(&[
            (Nid::COMMONNAME, cn),
            (Nid::ORGANIZATIONNAME, "Pushlab simulator"),
        ])?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut b = base_builder(
            &subject,
            self.certificate.subject_name(),
            &key,
            now - DAY,
            now + 825 * DAY,
        )?;
        let mut san = SubjectAlternativeName::new();
        for name in names {
            if name.parse::<std::net::IpAddr>().is_ok() {
                san.ip(name);
            } else {
                san.dns(name);
            }
        }
        let san = san
            .build(&b.x509v3_context(Some(&self.certificate), None))
            .map_err(&err)?;
        b.append_extension(san).map_err(&err)?;
        b.append_extension(BasicConstraints::new().critical().build().map_err(&err)?)
            .map_err(&err)?;
        b.append_extension(
            ExtendedKeyUsage::new()
                .server_auth()
                .build()
                .map_err(&err)?,
        )
        .map_err(&err)?;
        b.sign(&self.key, MessageDigest::sha256()).map_err(&err)?;
        Ok(Credential {
            certificate: b.build(),
            chain: vec![self.certificate.clone()],
            private_key: Some(key),
            source: format!("server certificate for {cn}"),
        })
    }
}

/// A fresh EC P-256 key: the kind a `.p8` auth key holds.
pub fn new_ec_key() -> Result<PKey<Private>, CertError> {
    let err = ssl("generating an EC key");
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).map_err(&err)?;
    PKey::from_ec_key(EcKey::generate(&group).map_err(&err)?).map_err(&err)
}

fn simple_name(entries: &[(Nid, &str)]) -> Result<X509Name, CertError> {
    let err = ssl("building a certificate name");
    let mut nb = X509NameBuilder::new().map_err(&err)?;
    for (nid, value) in entries {
        nb.append_entry_by_nid(*nid, value).map_err(&err)?;
    }
    Ok(nb.build())
}

fn base_builder(
    subject: &openssl::x509::X509NameRef,
    issuer: &openssl::x509::X509NameRef,
    key: &PKey<Private>,
    not_before: i64,
    not_after: i64,
) -> Result<X509Builder, CertError> {
    let err = ssl("building a certificate");
    let mut b = X509Builder::new().map_err(&err)?;
    b.set_version(2).map_err(&err)?;
    let mut serial = BigNum::new().map_err(&err)?;
    serial
        .rand(127, MsbOption::MAYBE_ZERO, false)
        .map_err(&err)?;
    let serial = serial.to_asn1_integer().map_err(&err)?;
    b.set_serial_number(&serial).map_err(&err)?;
    b.set_subject_name(subject).map_err(&err)?;
    b.set_issuer_name(issuer).map_err(&err)?;
    b.set_pubkey(key).map_err(&err)?;
    let not_before = Asn1Time::from_unix(not_before).map_err(&err)?;
    let not_after = Asn1Time::from_unix(not_after).map_err(&err)?;
    b.set_not_before(&not_before).map_err(&err)?;
    b.set_not_after(&not_after).map_err(&err)?;
    Ok(b)
}

/// The DER of a NameConstraints extension permitting exactly `names`: each host name as a
/// dNSName subtree, each IP address as itself (all-ones mask).
fn name_constraints(names: &[&str]) -> Vec<u8> {
    let mut subtrees = Vec::new();
    for name in names {
        let general_name = match name.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => {
                let mut v = ip.octets().to_vec();
                v.extend([0xff; 4]);
                der::encode(0x87, &v)
            }
            Ok(std::net::IpAddr::V6(ip)) => {
                let mut v = ip.octets().to_vec();
                v.extend([0xff; 16]);
                der::encode(0x87, &v)
            }
            Err(_) => der::encode(0x82, name.as_bytes()),
        };
        subtrees.extend(der::encode(der::TAG_SEQUENCE, &general_name));
    }
    der::encode(der::TAG_SEQUENCE, &der::encode(0xa0, &subtrees))
}

fn raw_extension(oid: &str, value: &[u8]) -> Result<X509Extension, CertError> {
    let err = ssl("adding an Apple extension");
    let oid = Asn1Object::from_str(oid).map_err(&err)?;
    let value = Asn1OctetString::new_from_bytes(value).map_err(&err)?;
    X509Extension::new_from_der(&oid, false, &value).map_err(&err)
}

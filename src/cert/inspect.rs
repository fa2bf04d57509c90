use serde::Serialize;
use time::OffsetDateTime;

use super::issue::{CertIssue, Severity};
use super::report::{AuthKeyReport, CertificateReport, describe_key};
use super::{CertError, FileKind, LoadedFile, P12Info, report};

/// Everything pushlab can say about one credential file (and the key file paired with it).
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// What the file is: certificate, private key, PKCS#12 or auth key.
    pub kind: FileKind,
    /// For a `.p12`: how it is encrypted.
    pub p12: Option<P12Info>,
    /// The certificate the credential is about.
    pub certificate: Option<CertificateReport>,
    /// The other certificates in the file.
    pub chain: Vec<CertificateReport>,
    /// Whether the files hold a private key.
    pub has_private_key: bool,
    /// e.g. "RSA 2048".
    pub private_key: Option<String>,
    /// `None` when there is no key, or no certificate to compare it with.
    pub key_matches: Option<bool>,
    /// For an auth key (`.p8`): what it is.
    pub auth_key: Option<AuthKeyReport>,
    /// Most severe first.
    pub findings: Vec<CertIssue>,
}

impl Inspection {
    /// The worst finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(CertIssue::severity).max()
    }

    /// The flat JSON record of `pushlab cert inspect --json` (schema in the README).
    pub fn to_json(&self, path: &str) -> serde_json::Value {
        let cert = self.certificate.as_ref();
        let rfc3339 = |t: time::OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        };
        serde_json::json!({
            "path": path,
            "kind": self.kind,
            "encryption": self.p12.as_ref().map(|p| p.encryption),
            "encryption_detail": self.p12.as_ref().map(|p| p.detail.clone()),
            "subject": cert.map(|c| &c.subject),
            "issuer": cert.map(|c| &c.issuer),
            "serial": cert.map(|c| &c.serial),
            "sha1": cert.map(|c| &c.sha1),
            "sha256": cert.map(|c| &c.sha256),
            "not_before": cert.and_then(|c| rfc3339(c.not_before)),
            "not_after": cert.and_then(|c| rfc3339(c.not_after)),
            "days_left": cert.map(|c| c.days_left),
            "environment": cert.map(|c| c.environment),
            "topics": cert.map(|c| c.topics.clone()).unwrap_or_default(),
            "bundle_id": cert.and_then(|c| c.bundle_id.clone()),
            "team_id": cert.and_then(|c| c.team_id.clone()),
            "public_key": cert.map(|c| &c.public_key),
            "has_private_key": self.has_private_key,
            "private_key": self.private_key,
            "key_matches": self.key_matches,
            "key_id": self.auth_key.as_ref().and_then(|a| a.key_id.clone()),
            "curve": self.auth_key.as_ref().map(|a| a.curve.clone()),
            "usable_for_es256": self.auth_key.as_ref().map(|a| a.usable_for_es256),
            "chain": self.chain.iter().map(|c| serde_json::json!({
                "subject": c.subject.text, "issuer": c.issuer.text, "sha256": c.sha256,
                "not_after": rfc3339(c.not_after),
            })).collect::<Vec<_>>(),
            "findings": self.findings,
        })
    }
}

/// Inspects a loaded file, optionally with a separately loaded key file, as of `now`.
pub fn inspect(
    file: &LoadedFile,
    key_file: Option<&LoadedFile>,
    now: OffsetDateTime,
) -> Result<Inspection, CertError> {
    let key = key_file
        .and_then(|k| k.private_key.clone())
        .or_else(|| file.private_key.clone());
    let leaf = report::pick_leaf(&file.certificates, key.as_deref());
    let mut findings = Vec::new();
    let certificate = leaf.map(|c| CertificateReport::of(c, now)).transpose()?;
    let leaf_der = leaf.and_then(|c| c.to_der().ok());
    let chain = file
        .certificates
        .iter()
        .filter(|c| c.to_der().ok() != leaf_der)
        .map(|c| CertificateReport::of(c, now))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(report) = &certificate {
        findings.extend(report.findings(now));
    }
    let key_matches = match (leaf, &key) {
        (Some(cert), Some(key)) => Some(report::key_matches(cert, key)),
        _ => None,
    };
    match (file.kind, key_matches) {
        (FileKind::Certificate, None) => findings.push(CertIssue::NoPrivateKey {
            in_p12: file.p12.is_some(),
        }),
        (_, Some(false)) => findings.push(CertIssue::KeyMismatch),
        (FileKind::PrivateKey, None) => findings.push(CertIssue::KeyOnly),
        _ => {}
    }
    if let Some(p12) = &file.p12
        && p12.encryption == super::P12Encryption::Legacy
    {
        findings.push(CertIssue::LegacyP12 {
            detail: p12.detail.clone(),
        });
    }
    let auth_key = match (file.kind, &file.private_key) {
        (FileKind::AuthKey, Some(k)) => Some(AuthKeyReport::of(k, file.key_id.clone())),
        _ => None,
    };
    if let Some(auth) = &auth_key
        && auth.key_id.is_none()
    {
        findings.push(CertIssue::NoKeyId);
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity()));
    Ok(Inspection {
        kind: if key_file.is_some() && key_matches == Some(true) {
            FileKind::Identity
        } else {
            file.kind
        },
        p12: file.p12.clone(),
        certificate,
        chain,
        has_private_key: key.is_some(),
        private_key: key.as_ref().map(|k| describe_key(k)),
        key_matches,
        auth_key,
        findings,
    })
}

//! Provider tokens for token-based connections: ES256 JSON Web Tokens signed with a `.p8` key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::pkey::{HasPublic, PKeyRef};
use openssl::sign::{Signer, Verifier};
use serde::{Deserialize, Serialize};

use crate::cert::AuthKey;

/// Why a provider token could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts separated by dots.
    #[error("the provider token is not three base64url parts separated by dots")]
    Malformed,
    /// The header or claims are not the JSON APNs expects (the parser's error).
    #[error("the provider token header or claims are not the JSON APNs expects ({0})")]
    BadJson(String),
    /// The header names an algorithm other than ES256 (the one named).
    #[error("the provider token uses {0}; APNs accepts only ES256")]
    UnsupportedAlgorithm(String),
    /// The signature does not verify with the key the token names.
    #[error("the provider token's signature does not verify with the key {key_id}")]
    BadSignature {
        /// The key's id.
        key_id: String,
    },
    /// OpenSSL could not sign (its error, as text).
    #[error("signing the provider token failed: {0}")]
    Signing(String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    kid: String,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    iat: i64,
}

/// What a token says, before its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// `kid` in the header: the auth key's id.
    pub key_id: String,
    /// `iss` in the claims: the team id.
    pub team_id: String,
    /// Seconds since the Unix epoch.
    pub issued_at: i64,
}

/// A token split into its parts, ready to have its signature checked.
#[derive(Debug, Clone)]
pub struct ParsedToken {
    /// What the token says.
    pub claims: TokenClaims,
    signing_input: String,
    signature: Vec<u8>,
}

/// Signs a provider token for `key` issued at `issued_at` (Unix seconds), with the raw 64-byte
/// r‖s signature JWS specifies.
pub fn sign(key: &AuthKey, issued_at: i64) -> Result<String, JwtError> {
    let err = |e: openssl::error::ErrorStack| JwtError::Signing(e.to_string());
    let header = serde_json::to_vec(&Header {
        alg: "ES256".to_owned(),
        kid: key.key_id.clone(),
    })
    .map_err(|e| JwtError::Signing(e.to_string()))?;
    let claims = serde_json::to_vec(&Claims {
        iss: key.team_id.clone(),
        iat: issued_at,
    })
    .map_err(|e| JwtError::Signing(e.to_string()))?;
    let input = format!("{}.{}", B64.encode(header), B64.encode(claims));
    let mut signer = Signer::new(MessageDigest::sha256(), &key.key).map_err(err)?;
    signer.update(input.as_bytes()).map_err(err)?;
    let der = signer.sign_to_vec().map_err(err)?;
    let sig = EcdsaSig::from_der(&der).map_err(err)?;
    let mut raw = sig.r().to_vec_padded(32).map_err(err)?;
    raw.extend(sig.s().to_vec_padded(32).map_err(err)?);
    Ok(format!("{input}.{}", B64.encode(raw)))
}

/// Splits and decodes a token without checking its signature.
pub fn parse(token: &str) -> Result<ParsedToken, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode = |p: &str| {
        B64.decode(p.trim_end_matches('='))
            .map_err(|_| JwtError::Malformed)
    };
    let header: Header =
        serde_json::from_slice(&decode(h)?).map_err(|e| JwtError::BadJson(e.to_string()))?;
    if header.alg != "ES256" {
        return Err(JwtError::UnsupportedAlgorithm(header.alg));
    }
    let claims: Claims =
        serde_json::from_slice(&decode(c)?).map_err(|e| JwtError::BadJson(e.to_string()))?;
    Ok(ParsedToken {
        claims: TokenClaims {
            key_id: header.kid,
            team_id: claims.iss,
            issued_at: claims.iat,
        },
        signing_input: format!("{h}.{c}"),
        signature: decode(s)?,
    })
}

impl ParsedToken {
    /// Checks the signature with the public key; accepts the raw r‖s form and the DER form
    /// (pushy and Apple's own sample send DER).
    pub fn verify<T: HasPublic>(&self, key: &PKeyRef<T>) -> Result<(), JwtError> {
        let bad = || JwtError::BadSignature {
            key_id: self.claims.key_id.clone(),
        };
        let der = if self.signature.len() == 64 {
            let r = BigNum::from_slice(&self.signature[..32]).map_err(|_| bad())?;
            let s = BigNum::from_slice(&self.signature[32..]).map_err(|_| bad())?;
            EcdsaSig::from_private_components(r, s)
                .and_then(|sig| sig.to_der())
                .map_err(|_| bad())?
        } else {
            self.signature.clone()
        };
        let mut verifier = Verifier::new(MessageDigest::sha256(), key).map_err(|_| bad())?;
        verifier
            .update(self.signing_input.as_bytes())
            .map_err(|_| bad())?;
        match verifier.verify(&der) {
            Ok(true) => Ok(()),
            _ => Err(bad()),
        }
    }
}

/// Signs a token with a DER signature instead of raw r‖s, as pushy does. For tests and for
/// checking that servers accept both.
pub fn sign_der(key: &AuthKey, issued_at: i64) -> Result<String, JwtError> {
    let raw = sign(key, issued_at)?;
    let parsed = parse(&raw)?;
    let r = BigNum::from_slice(&parsed.signature[..32])
        .map_err(|e| JwtError::Signing(e.to_string()))?;
    let s = BigNum::from_slice(&parsed.signature[32..])
        .map_err(|e| JwtError::Signing(e.to_string()))?;
    let der = EcdsaSig::from_private_components(r, s)
        .and_then(|sig| sig.to_der())
        .map_err(|e| JwtError::Signing(e.to_string()))?;
    Ok(format!("{}.{}", parsed.signing_input, B64.encode(der)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::AuthKey;

    fn key() -> AuthKey {
        let group =
            openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
        AuthKey {
            key: openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap())
                .unwrap(),
            key_id: "ABC123DEFG".to_owned(),
            team_id: "TEAM123456".to_owned(),
        }
    }

    #[test]
    fn raw_and_der_signatures_verify() {
        let k = key();
        for token in [
            sign(&k, 1_700_000_000).unwrap(),
            sign_der(&k, 1_700_000_000).unwrap(),
        ] {
            let parsed = parse(&token).unwrap();
            assert_eq!(parsed.claims.key_id, "ABC123DEFG");
            assert_eq!(parsed.claims.team_id, "TEAM123456");
            assert_eq!(parsed.claims.issued_at, 1_700_000_000);
            parsed.verify(&k.key).unwrap();
            assert!(
                parsed.verify(&key().key).is_err(),
                "another key must not verify"
            );
        }
    }

    #[test]
    fn tampering_and_garbage_are_refused() {
        let k = key();
        let token = sign(&k, 1).unwrap();
        let forged = token.replacen("eyJ", "eyK", 1);
        assert!(parse(&forged).is_err() || parse(&forged).unwrap().verify(&k.key).is_err());
        assert_eq!(parse("a.b").unwrap_err(), JwtError::Malformed);
        let hs = format!(
            "{}.{}.{}",
            B64.encode(br#"{"alg":"HS256","kid":"x"}"#),
            B64.encode(br#"{"iss":"t","iat":1}"#),
            "AA"
        );
        assert!(matches!(parse(&hs), Err(JwtError::UnsupportedAlgorithm(_))));
    }
}

//! How the client proves who it is: a push certificate, or provider tokens from a `.p8` key.

use std::sync::Mutex;

use crate::apns::jwt::{self, JwtError};
use crate::cert::{AuthKey, Credential};

/// Apple asks for a new token no more often than every 20 minutes and no less than every 60;
/// like pushy and apns2, renew at 50.
pub const TOKEN_RENEW_AFTER_SECS: i64 = 50 * 60;

/// A credential for connecting.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// TLS client certificate (with its key).
    Certificate(Credential),
    /// Provider tokens, made and cached per key.
    Token(std::sync::Arc<TokenSigner>),
}

impl ClientAuth {
    /// Token authentication with this auth key.
    pub fn token(key: AuthKey) -> Self {
        ClientAuth::Token(std::sync::Arc::new(TokenSigner::new(key)))
    }

    /// The bundle id the credential is for, when it says (certificate UID or first topic).
    pub fn default_topic(&self) -> Option<String> {
        match self {
            ClientAuth::Certificate(c) => {
                crate::cert::CertificateReport::of(&c.certificate, time::OffsetDateTime::now_utc())
                    .ok()
                    .and_then(|r| r.bundle_id)
            }
            ClientAuth::Token(_) => None,
        }
    }
}

/// Signs provider tokens and reuses each for 50 minutes.
pub struct TokenSigner {
    key: AuthKey,
    cached: Mutex<Option<(String, i64)>>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// A signer for this key, with no token made yet.
    pub fn new(key: AuthKey) -> Self {
        TokenSigner {
            key,
            cached: Mutex::new(None),
        }
    }

    /// The auth key tokens are signed with.
    pub fn key(&self) -> &AuthKey {
        &self.key
    }

    /// The token to use at `now` (Unix seconds) and its age in seconds.
    pub fn token_at(&self, now: i64) -> Result<(String, i64), JwtError> {
        let mut cached = self
            .cached
            .lock()
            .map_err(|_| JwtError::Signing("token cache poisoned".to_owned()))?;
        if let Some((token, issued)) = cached.as_ref()
            && now - issued < TOKEN_RENEW_AFTER_SECS
            && now >= *issued
        {
            return Ok((token.clone(), now - issued));
        }
        let token = jwt::sign(&self.key, now)?;
        *cached = Some((token.clone(), now));
        Ok((token, 0))
    }

    /// The current token, made now if needed.
    pub fn token(&self) -> Result<(String, i64), JwtError> {
        self.token_at(time::OffsetDateTime::now_utc().unix_timestamp())
    }

    /// Forgets the cached token (after `ExpiredProviderToken`), so the next request signs anew.
    pub fn invalidate(&self) {
        if let Ok(mut c) = self.cached.lock() {
            *c = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_for_fifty_minutes() {
        let group =
            openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
        let key = AuthKey {
            key: openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap())
                .unwrap(),
            key_id: "K".into(),
            team_id: "T".into(),
        };
        let s = TokenSigner::new(key);
        let (a, age) = s.token_at(1000).unwrap();
        assert_eq!(age, 0);
        let (b, age) = s.token_at(1000 + 49 * 60).unwrap();
        assert_eq!((a.as_str(), age), (b.as_str(), 49 * 60));
        let (c, age) = s.token_at(1000 + 50 * 60).unwrap();
        assert_ne!(a, c);
        assert_eq!(age, 0);
    }
}

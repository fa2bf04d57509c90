//! Provider-token rules the simulator enforces per connection, as Apple documents them.

use openssl::pkey::{PKey, Public};

use super::validate::Rejection;
use crate::apns::Environment;
use crate::apns::{Reason, jwt};
use crate::cert::AuthKey;

/// A token older than this is `ExpiredProviderToken`.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
/// A new token sooner than this after the last one on a connection is
/// `TooManyProviderTokenUpdates`.
pub const MIN_TOKEN_UPDATE_SECS: i64 = 20 * 60;
/// Tokens dated further ahead than this are refused (a client with a clock far ahead).
pub const MAX_CLOCK_AHEAD_SECS: i64 = 300;

/// An auth key the simulator accepts tokens from.
#[derive(Debug, Clone)]
pub struct RegisteredKey {
    /// The key's id, as in the token's `kid` header.
    pub key_id: String,
    /// The team the key belongs to, as in the token's `iss` claim.
    pub team_id: String,
    /// The public half, which token signatures are checked with.
    pub public_key: PKey<Public>,
    /// Bundle ids the key may push to; empty = any.
    pub topics: Vec<String>,
    /// The environment a team-scoped key is restricted to; `None` = both.
    pub environment: Option<Environment>,
}

/// The auth keys a running simulator accepts tokens from. A key can be added while it runs:
/// the app's first push with a new `.p8` no longer restarts the simulator (which emptied its
/// inbox and, on a port of 0, moved it).
#[derive(Debug, Default)]
pub struct TrustedKeys(std::sync::RwLock<Vec<RegisteredKey>>);

impl TrustedKeys {
    /// The keys given at start.
    pub fn new(keys: Vec<RegisteredKey>) -> Self {
        TrustedKeys(std::sync::RwLock::new(keys))
    }

    /// Accepts tokens signed by `key` from now on. A key id belongs to one team: a key of the
    /// same id replaces the one before it, in its place (a connection's accepted token keeps
    /// the index of its key, so keys never move).
    pub fn trust(&self, key: RegisteredKey) {
        let mut keys = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match keys.iter_mut().find(|k| k.key_id == key.key_id) {
            Some(old) => *old = key,
            None => keys.push(key),
        }
    }

    /// Whether tokens from this key id and team are accepted.
    pub fn trusts(&self, key_id: &str, team_id: &str) -> bool {
        self.read()
            .iter()
            .any(|k| k.key_id == key_id && k.team_id == team_id)
    }

    /// The keys as they stand.
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<RegisteredKey>> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl RegisteredKey {
    /// Registers the public half of an auth key.
    pub fn from_auth_key(key: &AuthKey) -> Result<Self, openssl::error::ErrorStack> {
        let der = key.key.public_key_to_der()?;
        Ok(RegisteredKey {
            key_id: key.key_id.clone(),
            team_id: key.team_id.clone(),
            public_key: PKey::public_key_from_der(&der)?,
            topics: Vec::new(),
            environment: None,
        })
    }
}

/// What one connection has seen of provider tokens.
#[derive(Debug, Default, Clone)]
pub struct TokenSession {
    current: Option<String>,
    current_iat: i64,
    /// When the current token was first accepted on this connection.
    accepted_at: i64,
    team: Option<String>,
    first_key: Option<String>,
    current_key: usize,
}

impl TokenSession {
    /// Whether a valid token has been accepted on this connection yet.
    pub fn is_authenticated(&self) -> bool {
        self.current.is_some()
    }

    /// Checks the `authorization` header of one request at time `now` (Unix seconds). Returns
    /// the index of the key in `keys`.
    pub fn check(
        &mut self,
        authorization: Option<&[u8]>,
        keys: &[RegisteredKey],
        env: Environment,
        now: i64,
        env_key_reason: &'static str,
    ) -> Result<usize, Rejection> {
        let invalid = || Rejection::from(Reason::InvalidProviderToken);
        let Some(token) = authorization
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| {
                h.strip_prefix("bearer ")
                    .or_else(|| h.strip_prefix("Bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Err(Reason::MissingProviderToken.into());
        };
        if self.current.as_deref() == Some(token) {
            // Same token as before: verified already, only its age can have changed.
            return if now.saturating_sub(self.current_iat) > TOKEN_LIFETIME_SECS {
                Err(Reason::ExpiredProviderToken.into())
            } else {
                Ok(self.current_key)
            };
        }
        let parsed = jwt::parse(token).map_err(|_| invalid())?;
        let claims = &parsed.claims;
        let Some(index) = keys.iter().position(|k| k.key_id == claims.key_id) else {
            return Err(invalid());
        };
        let key = &keys[index];
        parsed.verify(&key.public_key).map_err(|_| invalid())?;
        if key.team_id != claims.team_id || self.team.as_ref().is_some_and(|t| *t != claims.team_id)
        {
            return Err(invalid());
        }
        if key.environment.is_some_and(|e| e != env) {
            return Err(Rejection {
                status: 403,
                reason: env_key_reason,
                timestamp_ms: None,
            });
        }
        if self.first_key.as_ref().is_some_and(|k| *k != claims.key_id) {
            return Err(Reason::UnrelatedKeyIdInToken.into());
        }
        // `iat` comes from the client: any i64, so the age is computed without wrapping.
        if now.saturating_sub(claims.issued_at) > TOKEN_LIFETIME_SECS {
            return Err(Reason::ExpiredProviderToken.into());
        }
        if claims.issued_at.saturating_sub(now) > MAX_CLOCK_AHEAD_SECS {
            return Err(invalid());
        }
        if self.current.is_some() && now.saturating_sub(self.accepted_at) < MIN_TOKEN_UPDATE_SECS {
            return Err(Reason::TooManyProviderTokenUpdates.into());
        }
        self.current = Some(token.to_owned());
        self.current_iat = claims.issued_at;
        self.accepted_at = now;
        self.team = Some(claims.team_id.clone());
        self.first_key.get_or_insert_with(|| claims.key_id.clone());
        self.current_key = index;
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth_key(kid: &str, team: &str) -> AuthKey {
        let group =
            openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap();
        AuthKey {
            key: PKey::from_ec_key(openssl::ec::EcKey::generate(&group).unwrap()).unwrap(),
            key_id: kid.into(),
            team_id: team.into(),
        }
    }

    const ENV: Environment = Environment::Sandbox;
    const R: &str = "BadEnvironmentKeyIdInToken";

    fn bearer(t: &str) -> Vec<u8> {
        format!("bearer {t}").into_bytes()
    }

    #[test]
    fn token_rules() {
        let k1 = auth_key("KEY0000001", "TEAM000001");
        let k2 = auth_key("KEY0000002", "TEAM000001");
        let other_team = auth_key("KEY0000003", "TEAM000002");
        let keys: Vec<_> = [&k1, &k2, &other_team]
            .iter()
            .map(|k| RegisteredKey::from_auth_key(k).unwrap())
            .collect();
        let now = 1_800_000_000;
        let mut s = TokenSession::default();
        let reason = |r: Result<usize, Rejection>| r.unwrap_err().reason;

        assert_eq!(
            reason(s.check(None, &keys, ENV, now, R)),
            "MissingProviderToken"
        );
        assert_eq!(
            reason(s.check(Some(b"bearer x.y.z"), &keys, ENV, now, R)),
            "InvalidProviderToken"
        );
        let stale = jwt::sign(&k1, now - 3601).unwrap();
        assert_eq!(
            reason(s.check(Some(&bearer(&stale)), &keys, ENV, now, R)),
            "ExpiredProviderToken"
        );
        assert!(!s.is_authenticated());

        let t1 = jwt::sign(&k1, now - 10).unwrap();
        assert_eq!(s.check(Some(&bearer(&t1)), &keys, ENV, now, R), Ok(0));
        assert_eq!(s.check(Some(&bearer(&t1)), &keys, ENV, now + 100, R), Ok(0));
        assert_eq!(
            reason(s.check(Some(&bearer(&t1)), &keys, ENV, now + 3600, R)),
            "ExpiredProviderToken"
        );

        let t2 = jwt::sign_der(&k1, now + 60).unwrap();
        assert_eq!(
            reason(s.check(Some(&bearer(&t2)), &keys, ENV, now + 60, R)),
            "TooManyProviderTokenUpdates"
        );
        assert_eq!(
            s.check(Some(&bearer(&t2)), &keys, ENV, now + 1300, R),
            Ok(0),
            "a DER token after 20 min"
        );

        let other_key = jwt::sign(&k2, now + 1300).unwrap();
        assert_eq!(
            reason(s.check(Some(&bearer(&other_key)), &keys, ENV, now + 1300, R)),
            "UnrelatedKeyIdInToken"
        );
        let team2 = jwt::sign(&other_team, now + 1300).unwrap();
        assert_eq!(
            reason(s.check(Some(&bearer(&team2)), &keys, ENV, now + 1300, R)),
            "InvalidProviderToken"
        );

        let mut restricted = keys.clone();
        restricted[0].environment = Some(Environment::Production);
        let mut fresh = TokenSession::default();
        assert_eq!(
            reason(fresh.check(Some(&bearer(&t1)), &restricted, ENV, now, R)),
            R
        );
    }

    /// `iat` is whatever the client signed: the oldest and newest times do not wrap the age.
    #[test]
    fn extreme_issue_times_are_judged_not_panicked_on() {
        let k = auth_key("KEY0000001", "TEAM000001");
        let keys = vec![RegisteredKey::from_auth_key(&k).unwrap()];
        let now = 1_800_000_000;
        let mut s = TokenSession::default();
        let oldest = jwt::sign(&k, i64::MIN).unwrap();
        let r = s.check(Some(&bearer(&oldest)), &keys, ENV, now, R);
        assert_eq!(r.unwrap_err().reason, "ExpiredProviderToken");
        let newest = jwt::sign(&k, i64::MAX).unwrap();
        let _ = s.check(Some(&bearer(&newest)), &keys, ENV, i64::MIN, R);
    }
}

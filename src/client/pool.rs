//! Connections kept for reuse, one per server and credential *identity*: two `Push.p12` files
//! with the same name but different certificates, or one `.p8` used with two key ids, never
//! share a connection, so a push always goes out under the credential the user chose.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openssl::hash::MessageDigest;

use super::{ClientAuth, ConnectError, Connection, PushResponse, SendError, Target};
use crate::apns::Notification;

/// Who a credential is: the SHA-256 of the certificate, or of the auth key's public key with
/// its key id and team id. Equal only for the same secret used the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CredentialId(String);

impl CredentialId {
    /// The identity of `auth`.
    pub fn of(auth: &ClientAuth) -> CredentialId {
        match auth {
            ClientAuth::Certificate(c) => {
                let fingerprint = c
                    .certificate
                    .digest(MessageDigest::sha256())
                    .map(hex::encode)
                    .unwrap_or_default();
                CredentialId(format!("cert:{fingerprint}"))
            }
            ClientAuth::Token(signer) => {
                let key = signer.key();
                let fingerprint = key
                    .key
                    .public_key_to_der()
                    .ok()
                    .and_then(|der| openssl::hash::hash(MessageDigest::sha256(), &der).ok())
                    .map(hex::encode)
                    .unwrap_or_default();
                CredentialId(format!(
                    "token:{}:{}:{fingerprint}",
                    key.key_id, key.team_id
                ))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PoolKey {
    host: String,
    port: u16,
    server_name: String,
    /// A connection through one proxy is not one through another (or none).
    proxy: Option<String>,
    credential: CredentialId,
}

/// Why a single push got no answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SingleSendError {
    /// No connection could be opened.
    #[error("{0}")]
    Connect(#[from] ConnectError),
    /// A connection was there, but the push got no answer.
    #[error("{0}")]
    Send(#[from] SendError),
}

impl SingleSendError {
    /// Sent, and nobody knows whether APNs processed it.
    pub fn is_unconfirmed(&self) -> bool {
        matches!(self, SingleSendError::Send(e) if e.is_unconfirmed())
    }
}

/// A push turned away unprocessed (GOAWAY, REFUSED_STREAM) is sent again this often, each time
/// on a fresh connection if the old one is going away.
const UNPROCESSED_RESENDS: u32 = 3;

/// Connections by server and credential identity, shared by every send of the app or a
/// command; cloning shares the pool.
#[derive(Clone, Default)]
pub struct ConnectionPool {
    inner: Arc<Mutex<HashMap<PoolKey, Connection>>>,
}

impl std::fmt::Debug for ConnectionPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionPool")
            .field("connections", &self.len())
            .finish()
    }
}

impl ConnectionPool {
    /// An empty pool.
    pub fn new() -> Self {
        Self::default()
    }

    /// Open connections.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |m| m.len())
    }

    /// Whether no connection is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn key(target: &Target, auth: &ClientAuth) -> PoolKey {
        PoolKey {
            host: target.host.clone(),
            port: target.port,
            server_name: target.server_name.clone(),
            proxy: target.proxy.as_ref().map(|p| p.redacted()),
            credential: CredentialId::of(auth),
        }
    }

    /// A live connection for `target` and `auth`, opened if there is none.
    pub async fn connection(
        &self,
        target: &Target,
        auth: &ClientAuth,
        timeout: Duration,
    ) -> Result<Connection, ConnectError> {
        let key = Self::key(target, auth);
        let cached = self
            .inner
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
            .filter(Connection::is_alive);
        if let Some(c) = cached {
            return Ok(c);
        }
        let c = Connection::open(target, auth, timeout).await?;
        if let Ok(mut m) = self.inner.lock() {
            m.insert(key, c.clone());
        }
        Ok(c)
    }

    fn forget(&self, target: &Target, auth: &ClientAuth) {
        if let Ok(mut m) = self.inner.lock() {
            m.remove(&Self::key(target, auth));
        }
    }

    /// Sends one push by the same rules as a batch: sent again (on a new connection if
    /// needed) only when the server provably did not process it; a push that was written and
    /// got no answer comes back as an unconfirmed error, never sent twice.
    pub async fn send(
        &self,
        target: &Target,
        auth: &ClientAuth,
        n: &Notification,
        connect_timeout: Duration,
    ) -> Result<PushResponse, SingleSendError> {
        let mut resends = 0;
        loop {
            let conn = self.connection(target, auth, connect_timeout).await?;
            match conn.send(n).await {
                Ok(r) => return Ok(r),
                Err(e) => {
                    if e.ends_connection() {
                        self.forget(target, auth);
                    }
                    if e.is_unprocessed() && resends < UNPROCESSED_RESENDS {
                        resends += 1;
                        continue;
                    }
                    return Err(e.into());
                }
            }
        }
    }

    /// Closes the connections of every credential not in `keep` (after one was removed or
    /// replaced).
    /// Their TLS contexts, which hold the private keys, go too.
    pub fn retain_credentials(&self, keep: &[CredentialId]) {
        if let Ok(mut m) = self.inner.lock() {
            m.retain(|k, _| keep.contains(&k.credential));
        }
        super::tls_context::retain(keep);
    }

    /// Closes every connection and forgets every certificate's TLS context.
    pub fn clear(&self) {
        if let Ok(mut m) = self.inner.lock() {
            m.clear();
        }
        super::tls_context::retain(&[]);
    }
}

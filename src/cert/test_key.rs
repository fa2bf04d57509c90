//! A test APNs auth key (`.p8`): an EC P-256 key in PKCS#8 PEM, named as Apple names the ones
//! it hands out (`AuthKey_<KEYID>.p8`), so token-based authentication can be rehearsed against
//! the simulator without an Apple account. Only a simulator told to trust it accepts it.

use super::CertError;

/// Characters of a key id: Apple's are ten upper-case letters and digits.
const KEY_ID_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The team id a test auth key is used with when no one names another: ten letters and
/// digits, as Apple's are. The simulator checks only that a token's team is its key's.
pub const TEST_TEAM_ID: &str = "TESTTEAM01";

/// A test auth key and its key id.
pub struct TestAuthKey {
    /// Ten upper-case letters and digits, as Apple's key ids are.
    pub key_id: String,
    /// The private key, PKCS#8 PEM, as Apple's `.p8` files hold it.
    pub pem: Vec<u8>,
}

impl TestAuthKey {
    /// A new key with a random key id.
    pub fn generate() -> Result<Self, CertError> {
        let key = super::authority::new_ec_key()?;
        let pem = key
            .private_key_to_pem_pkcs8()
            .map_err(|e| CertError::openssl("writing the test auth key", e))?;
        let mut bytes = [0u8; 10];
        openssl::rand::rand_bytes(&mut bytes)
            .map_err(|e| CertError::openssl("choosing a key id", e))?;
        let key_id = bytes
            .iter()
            .map(|b| char::from(KEY_ID_CHARS[usize::from(*b) % KEY_ID_CHARS.len()]))
            .collect();
        Ok(TestAuthKey { key_id, pem })
    }

    /// The key as the client signs with it, for `team_id`.
    pub fn auth_key(&self, team_id: &str) -> Result<super::AuthKey, CertError> {
        let key = openssl::pkey::PKey::private_key_from_pem(&self.pem)
            .map_err(|e| CertError::openssl("reading the test auth key", e))?;
        Ok(super::AuthKey {
            key,
            key_id: self.key_id.clone(),
            team_id: team_id.to_owned(),
        })
    }

    /// `AuthKey_<KEYID>.p8`: the name Apple gives, which carries the key id.
    pub fn file_name(&self) -> String {
        format!("AuthKey_{}.p8", self.key_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_key_reads_as_an_auth_key_with_its_id_from_its_name() {
        let key = TestAuthKey::generate().unwrap();
        assert_eq!(key.key_id.len(), 10);
        assert!(
            key.key_id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
        assert_eq!(
            crate::cert::key_id_from_file_name(&key.file_name()).as_deref(),
            Some(key.key_id.as_str())
        );
        let pem = String::from_utf8(key.pem).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
        assert_ne!(TestAuthKey::generate().unwrap().key_id, key.key_id);
    }
}

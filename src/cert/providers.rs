//! OpenSSL 3 keeps RC2-40 and friends in its "legacy" provider, which is off by default; macOS
//! Keychain still exports `.p12` files with them. Loading it once, for the whole process, lets
//! those files open like any other.

use std::sync::OnceLock;

use openssl::provider::Provider;

static PROVIDERS: OnceLock<Result<(Provider, Provider), String>> = OnceLock::new();

/// Loads the legacy and default providers (once). Returns why the legacy one is unavailable.
pub fn ensure_legacy_provider() -> Result<(), String> {
    let loaded = PROVIDERS.get_or_init(|| {
        // Loading "legacy" alone would switch the default provider off: keep both.
        let legacy = Provider::try_load(None, "legacy", true).map_err(|e| e.to_string())?;
        let default = Provider::try_load(None, "default", true).map_err(|e| e.to_string())?;
        Ok((legacy, default))
    });
    loaded.as_ref().map(|_| ()).map_err(Clone::clone)
}

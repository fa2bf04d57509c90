//! Apple's two APNs environments, sandbox and production: where a push goes, which a
//! device token belongs to, which a certificate or key may reach.

use serde::Serialize;

/// An APNs server environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// `api.sandbox.push.apple.com`: apps installed from Xcode.
    Sandbox,
    /// `api.push.apple.com`: TestFlight and App Store builds.
    Production,
}

impl Environment {
    /// The word users see.
    pub fn label(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// Apple's other environment.
    pub fn other(self) -> Self {
        match self {
            Environment::Sandbox => Environment::Production,
            Environment::Production => Environment::Sandbox,
        }
    }
}

impl std::fmt::Display for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

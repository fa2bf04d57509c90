//! What the doctor tells the user to do, as values: one variant per fix with the facts it
//! quotes. `Display` is the English the CLI prints; the app words each variant in its own
//! language (a new variant without a message does not compile there).

/// One of the doctor's own fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    ExportAgain,
    ExportWithKey,
    NewCertificate,
    PushCertificate,
    ProductionCertificate,
    SandboxCertificate,
    CertificateForBundle,
    DownloadP8,
    KeyIdFromPortal,
    TeamIdFromPortal,
    GiveBundleId,
    LogTokenAsHex,
    CopyWholeToken,
    PasteHexToken,
    SmallerPayload,
    BackgroundPriority,
    FixPayload,
    UseProxy,
    CheckP8,
    RunAgain,
    CopyTokenAgain,
    SetClock,
    KeyForEnvironment,
    /// Send to the environment the token belongs to (`tokens`), or install a build whose
    /// tokens belong to `environment`.
    SendToTokenEnvironment {
        tokens: String,
        environment: String,
    },
    /// The connection check's own fix, in English (it has no sentence as data).
    Step {
        fix: String,
    },
    /// Add `bundle` to the key's topics.
    KeyForTopic {
        bundle: String,
    },
}

impl std::fmt::Display for Remedy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Remedy::ExportAgain => f.write_str("export the certificate with its private key again (a .p12 from Keychain Access), and check the passphrase"),
            Remedy::ExportWithKey => f.write_str("export the certificate together with its private key from Keychain Access (as .p12), or give the key made with the certificate request"),
            Remedy::NewCertificate => f.write_str("create a new Apple Push Notification service certificate for the App ID in the developer portal (or switch to a .p8 auth key, which does not expire)"),
            Remedy::PushCertificate => f.write_str("download the push certificate (Apple Push Notification service SSL) for your App ID, not a development or distribution signing certificate"),
            Remedy::ProductionCertificate => f.write_str("for production (TestFlight, App Store) use a production or \"Sandbox & Production\" certificate"),
            Remedy::SandboxCertificate => f.write_str("for the sandbox (apps run from Xcode) use a development or \"Sandbox & Production\" certificate"),
            Remedy::CertificateForBundle => f.write_str("use the certificate made for this app's bundle id, or check the bundle id (with the push type's suffix, e.g. .voip)"),
            Remedy::DownloadP8 => f.write_str("download the .p8 key from the developer portal's Keys page (it is EC P-256)"),
            Remedy::KeyIdFromPortal => f.write_str("use the key id shown beside the key in the developer portal (also in the file name AuthKey_<KEYID>.p8)"),
            Remedy::TeamIdFromPortal => f.write_str("copy the team id from the Membership page of the developer portal"),
            Remedy::GiveBundleId => f.write_str("give the app's bundle id"),
            Remedy::LogTokenAsHex => f.write_str("log the token as hex in the app: token.map { String(format: \"%02x\", $0) }.joined()"),
            Remedy::CopyWholeToken => f.write_str("copy the whole token again, exactly as the app logged it"),
            Remedy::PasteHexToken => f.write_str("paste the hex token the app logged in didRegisterForRemoteNotificationsWithDeviceToken"),
            Remedy::SmallerPayload => f.write_str("make the payload smaller: move data out of it and fetch it when the app opens"),
            Remedy::BackgroundPriority => f.write_str("send background pushes with apns-priority 5"),
            Remedy::FixPayload => f.write_str("fix the payload JSON as described"),
            Remedy::UseProxy => f.write_str("drop --no-proxy, or remove the host from NO_PROXY; or allow direct outgoing connections to Apple's 17.0.0.0/8 on 443 or 2197"),
            Remedy::CheckP8 => f.write_str("check the .p8 key"),
            Remedy::RunAgain => f.write_str("run the doctor again; if it persists, check the network path above"),
            Remedy::CopyTokenAgain => f.write_str("copy the token again from the app's log"),
            Remedy::SetClock => f.write_str("set this computer's clock automatically (NTP), then make a new provider token"),
            Remedy::KeyForEnvironment => f.write_str("use a key made for this environment (the developer portal's Keys page shows each key's environment), or a key for both environments"),
            Remedy::SendToTokenEnvironment {
                tokens,
                environment,
            } => write!(
                f,
                "send to {tokens}, or install a build whose tokens belong to {environment}"
            ),
            Remedy::Step { fix } => f.write_str(fix),
            Remedy::KeyForTopic { bundle } => write!(
                f,
                "add {bundle} to the key's topics in the developer portal's Keys page, or use a key for the whole team"
            ),
        }
    }
}

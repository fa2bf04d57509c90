//! What the doctor tells the user to do, as values: one variant per fix with the facts it
//! quotes. `Display` is the English the CLI prints; the app words each variant in its own
//! language (a new variant without a message does not compile there).

/// One of the doctor's own fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// The credential could not be read: export it again, most often a wrong passphrase or a
    /// `.p12` without its key.
    ExportAgain,
    /// The certificate came without its private key, or with another one.
    ExportWithKey,
    /// The certificate has expired or expires soon: make a new one, or move to an auth key.
    NewCertificate,
    /// The certificate is a signing certificate, not the push certificate APNs asks for.
    PushCertificate,
    /// A sandbox-only certificate used against production.
    ProductionCertificate,
    /// A production-only certificate used against the sandbox.
    SandboxCertificate,
    /// The push's topic is not among the certificate's: another app's certificate, or a
    /// wrong bundle id or suffix.
    CertificateForBundle,
    /// The auth key is not the EC P-256 `.p8` Apple issues.
    DownloadP8,
    /// The key id is not the 10 characters Apple shows beside the key.
    KeyIdFromPortal,
    /// The team id is not the 10 characters of the developer portal's Membership page.
    TeamIdFromPortal,
    /// An auth key needs the topic, and no bundle id was given.
    GiveBundleId,
    /// The token was pasted as iOS 13's `{length = …, bytes = 0x…}` description, which is
    /// cut short, instead of as hex.
    LogTokenAsHex,
    /// The token is too short, too long or of odd length: part of it was lost in copying.
    CopyWholeToken,
    /// The text is empty or not hex at all.
    PasteHexToken,
    /// The push type needs a token-based connection: an auth key, not a certificate.
    UseAuthKey,
    /// The payload is over the push type's size limit.
    SmallerPayload,
    /// A background push was given priority 10, which APNs refuses for that type.
    BackgroundPriority,
    /// Any other payload problem: the finding's evidence says which.
    FixPayload,
    /// Proxy variables are set but this server is reached directly (NO_PROXY or
    /// `--no-proxy`).
    UseProxy,
    /// A provider token could not be signed with the key.
    CheckP8,
    /// The test push got no answer: a passing network problem until it happens again.
    RunAgain,
    /// APNs calls the token bad in both environments: most likely it was copied wrong.
    CopyTokenAgain,
    /// This computer's clock is off from the server's, so its provider tokens are refused.
    SetClock,
    /// The auth key is limited to the other environment (a team-scoped key).
    KeyForEnvironment,
    /// Send to the environment the token belongs to (`tokens`), or install a build whose
    /// tokens belong to `environment`.
    SendToTokenEnvironment {
        /// The environment the token belongs to, as its name.
        tokens: String,
        /// The environment pushes go to now, as its name.
        environment: String,
    },
    /// The connection check's own fix, in English (it has no sentence as data).
    Step {
        /// The check step's fix as the connection check words it.
        fix: String,
    },
    /// Add `bundle` to the key's topics.
    KeyForTopic {
        /// The app's bundle id, without the push type's suffix: the developer portal lists
        /// bundle ids.
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
            Remedy::UseAuthKey => f.write_str("send these with an auth key (.p8) from the developer portal's Keys page, with its key id and team id"),
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

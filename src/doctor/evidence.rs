//! What the doctor saw, as values: each finding's evidence is one of these, beside its English
//! for the CLI. The app words them by matching them exhaustively, so a new kind of evidence
//! without its words does not compile.

use super::AppBuild;
use crate::apns::Environment;
use crate::apns::{PayloadIssue, Reason, TokenError};
use crate::cert::{self, CertEnvironment};
use crate::client::StepSentence;

/// What pushlab saw for one line of the doctor's checklist.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// No certificate or auth key was given.
    CredentialMissing,
    /// The credential could not be read.
    CredentialUnreadable {
        /// Why, as the reader words it.
        error: String,
    },
    /// The certificate in the credential could not be read.
    CertificateUnreadable {
        /// Why.
        error: String,
    },
    /// The certificate was read.
    CredentialReadable {
        /// Its name.
        name: String,
        /// Which environments it is for.
        environment: CertEnvironment,
        /// Days until it expires (negative: since).
        days: i64,
    },
    /// The private key is the certificate's.
    CertificateKey,
    /// The private key is not the certificate's.
    CertificateKeyMismatch,
    /// There is no private key with the certificate.
    CertificateKeyMissing,
    /// The certificate works with the destination's environment.
    CertificateEnvironmentOk {
        /// Which environments it is for.
        certificate: CertEnvironment,
        /// Where pushes go.
        environment: Environment,
    },
    /// The certificate does not work with the destination's environment.
    CertificateEnvironment {
        /// Which environments it is for.
        certificate: CertEnvironment,
        /// Where pushes go.
        environment: Environment,
    },
    /// The topic is one the certificate covers.
    TopicInCertificate {
        /// The topic.
        topic: String,
        /// The certificate's topics, comma-separated.
        topics: String,
    },
    /// The topic is not one the certificate covers.
    TopicNotInCertificate {
        /// The topic.
        topic: String,
        /// The certificate's topics, comma-separated.
        topics: String,
    },
    /// The auth key was read.
    AuthKeyReadable {
        /// Its key id.
        key: String,
    },
    /// The auth key is not on the P-256 curve.
    AuthKeyCurve {
        /// The curve it is on.
        curve: String,
    },
    /// The key id does not look like Apple's.
    AuthKeyId {
        /// The key id given.
        key: String,
    },
    /// The team id looks like Apple's.
    AuthKeyTeamIdOk {
        /// The team id.
        team: String,
    },
    /// The team id does not look like Apple's.
    AuthKeyTeamId {
        /// The team id given.
        team: String,
    },
    /// An auth key needs a topic and none was given.
    TopicMissing,
    /// A key's scope is shown by the server's answer.
    AuthKeyScope,
    /// No device token was given.
    TokenMissing,
    /// The token is well formed.
    TokenOk {
        /// Its length in bytes.
        bytes: usize,
    },
    /// The token is well formed once tidied (brackets, spaces, case).
    TokenTidied {
        /// Its length in bytes.
        bytes: usize,
    },
    /// The token is not a device token.
    Token(TokenError),
    /// The app's build and the destination agree.
    TokenEnvironmentOk {
        /// How the app was built.
        build: AppBuild,
        /// The environment its tokens belong to.
        tokens: Environment,
        /// Where pushes go.
        environment: Environment,
    },
    /// The app's build and the destination do not agree.
    TokenEnvironment {
        /// How the app was built.
        build: AppBuild,
        /// The environment its tokens belong to.
        tokens: Environment,
        /// Where pushes go.
        environment: Environment,
    },
    /// The payload has errors.
    PayloadErrors(Vec<PayloadIssue>),
    /// The payload is within its limit.
    PayloadOk {
        /// Its size in bytes.
        size: usize,
        /// The limit for its push type.
        limit: usize,
        /// Apple's name of the push type.
        push_type: &'static str,
    },
    /// A warning about the payload.
    Payload(PayloadIssue),
    /// A certificate, for a push type Apple takes only over a token-based connection.
    NeedsToken {
        /// Apple's name of the push type.
        push_type: &'static str,
    },
    /// The topic's suffix names the push type.
    TopicSuffix {
        /// The topic.
        topic: String,
        /// Its suffix.
        suffix: &'static str,
    },
    /// Background pushes are throttled by iOS.
    BackgroundThrottled,
    /// `apns-expiration 0`: an offline phone never gets the push.
    ExpirationZero,
    /// A collapse id replaces earlier pushes with the same id.
    CollapseId {
        /// The collapse id.
        id: String,
    },
    /// The phone's settings can hide a delivered push.
    PhoneSettings,
    /// The network path was not checked.
    NetworkSkipped,
    /// The server refused the probe for this reason.
    ServerRefused {
        /// Apple's reason.
        reason: Reason,
    },
    /// A step of the connection check, in its words.
    Step(StepSentence),
    /// An offline finding the server then confirmed.
    ServerConfirms {
        /// The offline finding's evidence.
        first: Box<Evidence>,
        /// The server's.
        then: Box<Evidence>,
    },
    /// The connection goes through a proxy.
    ProxyInUse {
        /// The proxy, its password hidden.
        proxy: String,
        /// The destination's host.
        host: String,
    },
    /// Proxy variables are set but not used for this host.
    ProxyVariables {
        /// The variables set, comma-separated.
        variables: String,
        /// The destination's host.
        host: String,
    },
    /// The alternate port answers.
    AlternatePort {
        /// The host.
        host: String,
        /// The port.
        port: u16,
    },
    /// The alternate port does not answer.
    AlternatePortBlocked {
        /// The host.
        host: String,
        /// The port.
        port: u16,
        /// Why.
        error: String,
    },
    /// A provider token was signed.
    ProviderToken {
        /// Its age in seconds.
        age: i64,
        /// After how many minutes pushlab signs a new one.
        minutes: i64,
    },
    /// No provider token could be signed.
    ProviderTokenUnsigned {
        /// Why.
        error: String,
    },
    /// The test push got no answer.
    NoAnswer {
        /// Why.
        error: String,
    },
    /// The test push was delivered (a 200).
    Delivered {
        /// Where it went.
        server: crate::client::TargetLabel,
        /// The `apns-id` of the answer, or `-`.
        id: String,
    },
    /// APNs refused the test push with a reason it documents.
    ApnsAnswered {
        /// The status and reason, as answered.
        answer: String,
        /// Apple's reason.
        reason: Reason,
    },
    /// The server refused the test push with something else.
    ServerAnswered {
        /// The status and reason, as answered.
        answer: String,
    },
    /// The other environment was not asked about a BadDeviceToken.
    OtherEnvironmentNotAsked {
        /// The evidence so far.
        first: Box<Evidence>,
    },
    /// The token belongs to the other environment.
    TokenOfOtherEnvironment {
        /// Where it was accepted.
        there: Environment,
        /// Where it was refused.
        here: Environment,
    },
    /// The token is valid in neither environment.
    TokenInNeither,
    /// The other environment answered something else.
    OtherEnvironmentAnswered {
        /// The evidence so far.
        first: Box<Evidence>,
        /// The other environment.
        there: Environment,
        /// Its answer.
        answer: String,
    },
    /// The other environment could not be asked.
    OtherEnvironmentUnreachable {
        /// The evidence so far.
        first: Box<Evidence>,
        /// The other environment.
        there: Environment,
        /// Why.
        error: String,
    },
    /// This computer's clock is within a minute of the server's.
    ClockOk,
    /// This computer's clock is off, enough for provider tokens to be refused.
    ClockRefusesTokens {
        /// By how many minutes.
        minutes: u64,
        /// Ahead of the server's.
        ahead: bool,
    },
    /// This computer's clock is off.
    Clock {
        /// By how many minutes.
        minutes: u64,
        /// Ahead of the server's.
        ahead: bool,
    },
    /// The auth key is limited to the other environment.
    KeyOtherEnvironment {
        /// The key id.
        key: String,
        /// Where pushes go, when known.
        environment: Option<Environment>,
    },
    /// The auth key is limited to other topics.
    KeyOtherTopics {
        /// The key id.
        key: String,
        /// The topic refused.
        topic: String,
    },
    /// A finding of the certificate's own inspection.
    Certificate(cert::CertIssue),
}

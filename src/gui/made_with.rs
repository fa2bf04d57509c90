//! What a result on screen was made with, so no screen shows a pass, a verdict or an answer
//! for a route it did not test: when the route (server, proxy, trust, credential, bundle id)
//! or the push changes, the result is shown as stale, "made with … — run it again".

use crate::client::{RouteId, RouteWarning};
use crate::gui::i18n::msg;
use crate::gui::theme::Palette;
use crate::gui::widgets::notice;

/// The route a result was made with, and the credential as the pickers name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeWith {
    /// Which route: what a result depends on, without secrets.
    pub id: RouteId,
    /// The credential's name, as "made with …" says it.
    pub credential: String,
}

/// The route a screen's result was made with, and whether the current one still matches.
/// `extra` is what else the result depends on (the push: token, type, payload) as a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultOrigin {
    /// The route.
    pub made: MadeWith,
    /// The digest of what else the result depends on (0: nothing else).
    pub extra: u64,
}

impl ResultOrigin {
    /// A result made with `made`, and with what `extra` is the digest of.
    pub fn new(made: MadeWith, extra: u64) -> Self {
        ResultOrigin { made, extra }
    }

    /// Whether a result made this way still describes `now` (the current route and push).
    pub fn is_current(&self, now: Option<&ResultOrigin>) -> bool {
        now == Some(self)
    }
}

/// A digest of what else a result depends on.
pub fn digest(parts: &[&str]) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The line that replaces a stale result's verdict: what it was made with, and that the
/// settings changed since. Its text is also what a screen reader hears.
pub fn stale_notice(ui: &mut egui::Ui, origin: &ResultOrigin) -> egui::Response {
    stale_notice_saying(ui, &msg::result_stale(origin.made.credential.clone()))
}

/// [`stale_notice`] in a screen's own words (a batch's also depend on its recipients).
pub fn stale_notice_saying(ui: &mut egui::Ui, words: &str) -> egui::Response {
    let p = Palette::of(ui);
    notice(ui, "⟲", words, p.warning)
}

/// A route warning in the app's language (the CLI prints the library's English).
pub fn warning_text(w: &RouteWarning) -> String {
    match w {
        RouteWarning::Expired { days } => msg::route_warning_expired(*days),
        RouteWarning::NotYetValid { days } => msg::route_warning_not_yet_valid(*days),
        // A development certificate fails only against production, a production one only
        // against the sandbox: the certificate's kind says which server it was.
        RouteWarning::WrongEnvironment { certificate, .. } => match certificate {
            crate::cert::CertEnvironment::Production => msg::route_warning_production_certificate(),
            _ => msg::route_warning_development_certificate(),
        },
        RouteWarning::NeedsToken { push_type } => {
            msg::route_warning_needs_token(push_type.as_str())
        }
        RouteWarning::TopicNotCovered { topic, topics } => {
            msg::route_warning_topic(topic.clone(), topics.join(", "))
        }
    }
}

/// The warnings beside a Send button, one notice each; nothing when the route is fine. A push
/// type that needs an auth key offers a test one when pushes go to the simulator.
pub fn warnings_ui(
    ui: &mut egui::Ui,
    route: &RouteView,
    commands: &mut Vec<crate::gui::app::Command>,
) {
    let p = Palette::of(ui);
    for w in &route.warnings {
        notice(ui, "⚠", &warning_text(w), p.warning);
        if matches!(w, RouteWarning::NeedsToken { .. })
            && route.to_simulator
            && ui
                .button(crate::gui::i18n::msg::credentials_generate_test_key())
                .clicked()
        {
            commands.push(crate::gui::app::Command::GenerateTestAuthKey { use_it: true });
        }
    }
}

/// What the Compose and Batch screens show of the current route: the "To … with …" line,
/// the credential whose bundle id the bundle field edits, and the warnings before sending.
#[derive(Debug, Clone, Default)]
pub struct RouteView {
    /// Where pushes go, in a line ("To … with …").
    pub destination: String,
    /// The chosen credential's file (the bundle id typed on Compose belongs to it).
    pub credential: Option<std::path::PathBuf>,
    /// The certificate's own bundle id, shown as the bundle field's hint.
    pub certificate_bundle: Option<String>,
    /// What will go wrong with the current push type, known before sending.
    pub warnings: Vec<RouteWarning>,
    /// Pushes go to the embedded simulator (which trusts the app's test keys).
    pub to_simulator: bool,
    /// The current route, for telling a result made with another one.
    pub made: Option<MadeWith>,
}

/// A digest of the push a result was made with: token, type, payload and headers.
pub fn draft_digest(draft: &crate::gui::state::Draft) -> u64 {
    digest(&[
        &draft.token,
        draft.push_type.as_str(),
        &draft.payload,
        &format!(
            "{:?}|{:?}|{}|{}",
            draft.priority, draft.expiration, draft.collapse_id, draft.apns_id
        ),
    ])
}

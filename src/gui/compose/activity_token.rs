//! The two tokens of a Live Activity as Compose follows them. A start goes to the app's
//! push-to-start token; the phone gives the new activity an update token of its own, the app
//! sends it to its server, and updates and ends go there. Against the embedded simulator the
//! app learns that token as a backend would, and sends the next step to it.

use serde_json::{Map, Value};

use super::ComposePanel;
use super::live::FieldNames;
use super::templates::set_push_type;
use crate::apns::{DeviceToken, LiveActivityEvent, LiveActivityPush, PushType};
use crate::gui::state::{LiveTokenKind, State};

/// The update token the simulated phone made for an activity a push started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Followed {
    /// The push-to-start token the start went to (hex).
    pub start: Option<String>,
    /// The activity's update token (hex).
    pub update: String,
    /// The saved device that now remembers the update token, if one had the start's token.
    pub device: Option<String>,
}

impl ComposePanel {
    /// The push-to-start token (hex) and the simulator's address of a start the embedded
    /// simulator accepted; once.
    pub fn take_started(&mut self) -> Option<(String, std::net::SocketAddr)> {
        self.started.take()
    }

    /// The simulator's phone made `update` for the activity a start to `start` began: the
    /// next step goes there, and a saved device with that push-to-start token remembers it.
    pub fn follow_started(&mut self, state: &mut State, start: &str, update: &str) {
        let previous = DeviceToken::parse(start)
            .ok()
            .and_then(|t| state.devices.find_any(&t))
            .and_then(|d| d.activity_token.as_ref())
            .map(DeviceToken::to_hex);
        let device = remember_on_device(state, Some(start), update);
        // The next step went to the push-to-start token, or to the update token the saved
        // device had for its last activity: either way, now to this one's.
        let stale = |typed: &str| {
            same_token(typed, start) || previous.as_deref().is_some_and(|p| same_token(typed, p))
        };
        if state.compose.push_type == PushType::LiveActivity
            && self.live.event != LiveActivityEvent::Start
            && stale(&state.compose.token)
        {
            state.compose.token = update.to_owned();
            self.normalised = false;
        }
        self.followed = Some(Followed {
            start: Some(start.to_owned()),
            update: update.to_owned(),
            device,
        });
    }

    /// Compose an update to the simulator's activity with update token `update`, carrying on
    /// from its content state; a saved device whose push-to-start token started it
    /// remembers the update token.
    pub fn update_activity(
        &mut self,
        state: &mut State,
        update: &str,
        start: Option<&str>,
        content_state: Map<String, Value>,
    ) {
        let device = remember_on_device(state, start, update);
        if state.compose.push_type != PushType::LiveActivity {
            self.payloads_by_type
                .insert(state.compose.push_type, state.compose.payload.clone());
            let push = LiveActivityPush::new(LiveActivityEvent::Update, self.live.next_timestamp());
            set_push_type(&mut state.compose, PushType::LiveActivity, push.to_json());
            self.kept_payload = false;
        }
        self.live.read(&state.compose.payload);
        self.live.continue_activity(&content_state);
        self.live.write(&mut state.compose, &FieldNames::new());
        state.compose.token = update.to_owned();
        self.normalised = false;
        self.followed = Some(Followed {
            start: start.map(str::to_owned),
            update: update.to_owned(),
            device,
        });
    }

    /// What Compose learned of the activity its token now points at, while it does.
    pub(super) fn followed_now(&self, state: &State) -> Option<&Followed> {
        self.followed
            .as_ref()
            .filter(|f| same_token(&state.compose.token, &f.update))
    }
}

/// Whether `typed` is the token `hex`, however it was pasted.
fn same_token(typed: &str, hex: &str) -> bool {
    match (DeviceToken::parse(typed), DeviceToken::parse(hex)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The saved device whose push-to-start token is `start` keeps `update` as its activity's
/// token, as the app would tell its server; its name, if there is one.
fn remember_on_device(state: &mut State, start: Option<&str>, update: &str) -> Option<String> {
    let start = DeviceToken::parse(start?).ok()?;
    let update = DeviceToken::parse(update).ok()?;
    let device = state
        .devices
        .iter_mut()
        .find(|d| d.push_to_start_token.as_ref() == Some(&start))?;
    device.set_live_token(LiveTokenKind::Activity, Some(update));
    Some(device.name.clone())
}

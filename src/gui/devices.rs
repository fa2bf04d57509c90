//! Saved devices as the app remembers them in `app.ron`: a name, a group, the device token and
//! the Live Activity tokens, read leniently so a bad token is shown, not fatal, and not lost.

use serde::{Deserialize, Serialize};

use crate::apns::Environment;
use crate::apns::{DeviceToken, TokenError};

/// A device the user named ("Alice's iPhone") and grouped ("shared: Bob's iPad").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDevice {
    /// What the user called it; lists and History show this.
    pub name: String,
    /// The device token its pushes go to.
    pub token: DeviceToken,
    /// The APNs environment the token belongs to: a sandbox token is refused in production.
    pub environment: Environment,
    /// e.g. "Alice's account" or "shared"; empty: no group.
    pub group: String,
    /// The app's push-to-start token (iOS 17.2+): where a Live Activity start goes.
    pub push_to_start_token: Option<DeviceToken>,
    /// The running activity's update token: where its updates and end go.
    pub activity_token: Option<DeviceToken>,
    /// Live Activity tokens in `app.ron` that do not parse: shown with why, and written back as
    /// they were until the user types a new one.
    pub unreadable_tokens: Vec<UnreadableToken>,
}

impl SavedDevice {
    /// A device with no Live Activity tokens.
    pub fn new(name: String, token: DeviceToken, environment: Environment, group: String) -> Self {
        SavedDevice {
            name,
            token,
            environment,
            group,
            push_to_start_token: None,
            activity_token: None,
            unreadable_tokens: Vec::new(),
        }
    }

    /// The Live Activity token of this kind.
    pub fn live_token(&self, kind: LiveTokenKind) -> Option<&DeviceToken> {
        match kind {
            LiveTokenKind::PushToStart => self.push_to_start_token.as_ref(),
            LiveTokenKind::Activity => self.activity_token.as_ref(),
        }
    }

    /// Sets (or clears) the Live Activity token of this kind; an unreadable one it replaces
    /// is dropped.
    pub fn set_live_token(&mut self, kind: LiveTokenKind, token: Option<DeviceToken>) {
        self.unreadable_tokens.retain(|u| u.kind != kind);
        match kind {
            LiveTokenKind::PushToStart => self.push_to_start_token = token,
            LiveTokenKind::Activity => self.activity_token = token,
        }
    }

    /// Whether the token is this device's token or one of its Live Activity tokens.
    pub fn has_token(&self, token: &DeviceToken) -> bool {
        &self.token == token
            || self.push_to_start_token.as_ref() == Some(token)
            || self.activity_token.as_ref() == Some(token)
    }
}

/// Which Live Activity token of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveTokenKind {
    /// The app's push-to-start token: where a Live Activity start goes.
    PushToStart,
    /// A running activity's update token: where its updates and end go.
    Activity,
}

/// A Live Activity token as `app.ron` held it, and why it is not a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableToken {
    /// Which of the device's tokens it was.
    pub kind: LiveTokenKind,
    /// The text as saved, written back unchanged.
    pub text: String,
    /// Why it does not parse, for the screen.
    pub error: TokenError,
}

/// A saved device as `app.ron` holds it: the tokens as text, so one that no longer parses (a
/// hand-edited file, a rule that became stricter) can be read, kept and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredDevice {
    /// What the user called it.
    pub name: String,
    /// Lower-case hex when pushlab wrote it.
    pub token: String,
    /// The APNs environment the token belongs to.
    pub environment: Environment,
    /// The group it is listed under; empty: none.
    pub group: String,
    /// The push-to-start token as text, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_to_start_token: Option<String>,
    /// The running activity's update token as text, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_token: Option<String>,
}

impl Default for StoredDevice {
    fn default() -> Self {
        StoredDevice {
            name: String::new(),
            token: String::new(),
            environment: Environment::Sandbox,
            group: String::new(),
            push_to_start_token: None,
            activity_token: None,
        }
    }
}

impl StoredDevice {
    fn of(d: &SavedDevice) -> Self {
        let text = |kind: LiveTokenKind| {
            d.live_token(kind).map(DeviceToken::to_hex).or_else(|| {
                d.unreadable_tokens
                    .iter()
                    .find(|u| u.kind == kind)
                    .map(|u| u.text.clone())
            })
        };
        StoredDevice {
            name: d.name.clone(),
            token: d.token.to_hex(),
            environment: d.environment,
            group: d.group.clone(),
            push_to_start_token: text(LiveTokenKind::PushToStart),
            activity_token: text(LiveTokenKind::Activity),
        }
    }
}

/// The saved devices, read leniently: an entry whose token does not parse is set aside, not
/// allowed to fail the whole state file, and written back as it was so nothing is lost.
/// Reads and edits as the list of good devices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedDevices {
    devices: Vec<SavedDevice>,
    unreadable: Vec<(StoredDevice, TokenError)>,
}

impl SavedDevices {
    /// Entries whose token is not a token, with why.
    pub fn unreadable(&self) -> &[(StoredDevice, TokenError)] {
        &self.unreadable
    }

    /// The device with this token.
    pub fn find(&self, token: &DeviceToken) -> Option<&SavedDevice> {
        self.devices.iter().find(|d| &d.token == token)
    }

    /// The device whose token is this text, as pasted.
    pub fn find_text(&self, token: &str) -> Option<&SavedDevice> {
        DeviceToken::parse(token).ok().and_then(|t| self.find(&t))
    }

    /// The device that has this token as its device or a Live Activity token.
    pub fn find_any(&self, token: &DeviceToken) -> Option<&SavedDevice> {
        self.find(token)
            .or_else(|| self.devices.iter().find(|d| d.has_token(token)))
    }
}

impl From<Vec<StoredDevice>> for SavedDevices {
    fn from(stored: Vec<StoredDevice>) -> Self {
        let mut out = SavedDevices::default();
        for d in stored {
            let token = match DeviceToken::parse(&d.token) {
                Ok(token) => token,
                Err(e) => {
                    out.unreadable.push((d, e));
                    continue;
                }
            };
            let mut device = SavedDevice::new(d.name, token, d.environment, d.group);
            for (kind, text) in [
                (LiveTokenKind::PushToStart, d.push_to_start_token),
                (LiveTokenKind::Activity, d.activity_token),
            ] {
                let Some(text) = text else { continue };
                match DeviceToken::parse(&text) {
                    Ok(token) => device.set_live_token(kind, Some(token)),
                    Err(error) => {
                        device
                            .unreadable_tokens
                            .push(UnreadableToken { kind, text, error })
                    }
                }
            }
            out.devices.push(device);
        }
        out
    }
}

impl std::ops::Deref for SavedDevices {
    type Target = Vec<SavedDevice>;
    fn deref(&self) -> &Self::Target {
        &self.devices
    }
}

impl std::ops::DerefMut for SavedDevices {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.devices
    }
}

impl<'a> IntoIterator for &'a SavedDevices {
    type Item = &'a SavedDevice;
    type IntoIter = std::slice::Iter<'a, SavedDevice>;
    fn into_iter(self) -> Self::IntoIter {
        self.devices.iter()
    }
}

impl Serialize for SavedDevices {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.devices.len() + self.unreadable.len()))?;
        for d in &self.devices {
            seq.serialize_element(&StoredDevice::of(d))?;
        }
        for (d, _) in &self.unreadable {
            seq.serialize_element(d)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for SavedDevices {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<StoredDevice>::deserialize(d)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::state::State;

    #[test]
    fn live_activity_tokens_are_saved_and_a_bad_one_is_kept_as_it_was() {
        let (device, start, update, old) = (
            "a".repeat(64),
            "b".repeat(64),
            "c".repeat(64),
            "d".repeat(64),
        );
        let json = format!(
            r#"{{"devices":[
                {{"name":"Alice","token":"{device}","push_to_start_token":"{start}","activity_token":"{update}"}},
                {{"name":"Bob","token":"{update}","push_to_start_token":"not hex"}},
                {{"name":"Old","token":"{old}"}}]}}"#
        );
        let state: State = serde_json::from_str(&json).unwrap();
        let alice = &state.devices[0];
        assert_eq!(alice.push_to_start_token.as_ref().unwrap().to_hex(), start);
        assert_eq!(alice.activity_token.as_ref().unwrap().to_hex(), update);
        let bob = &state.devices[1];
        assert_eq!(bob.push_to_start_token, None);
        assert_eq!(bob.unreadable_tokens[0].kind, LiveTokenKind::PushToStart);
        assert!(matches!(
            bob.unreadable_tokens[0].error,
            TokenError::NotHex { .. }
        ));
        let old = &state.devices[2];
        assert_eq!(
            (&old.push_to_start_token, &old.activity_token),
            (&None, &None)
        );

        let again = serde_json::to_value(&state).unwrap();
        assert_eq!(again["devices"][0]["push_to_start_token"], start);
        assert_eq!(again["devices"][1]["push_to_start_token"], "not hex");
        assert!(again["devices"][2].get("activity_token").is_none());
        let back: State = serde_json::from_value(again).unwrap();
        assert_eq!(back, state);
        let found = state
            .devices
            .find_any(&DeviceToken::parse(&start).unwrap())
            .unwrap();
        assert_eq!(found.name, "Alice", "found by its push-to-start token");

        let mut bob = state.devices[1].clone();
        bob.set_live_token(
            LiveTokenKind::PushToStart,
            Some(DeviceToken::parse(&start).unwrap()),
        );
        assert!(
            bob.unreadable_tokens.is_empty(),
            "a new token replaces the bad one"
        );
    }
}

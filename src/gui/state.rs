//! What the app remembers between runs (in eframe's `app.ron`). Never passphrases or key
//! material: only where files are and what the user called them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::app::Section;
use super::theme::Appearance;

/// The saved state. New fields need `#[serde(default)]` semantics (the struct has it), so an
/// older `app.ron` still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub section: Section,
    pub settings: Settings,
    pub credentials: Vec<SavedCredential>,
    /// The folder of the last import or export, where dialogs open next time.
    pub last_folder: Option<PathBuf>,
    /// What the "Generate test certificate" form held.
    pub test_bundle_id: String,
}

/// The user's preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub appearance: Appearance,
}

/// One entry of the credential list: a file and, when the key is in another file, that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCredential {
    /// What the list shows: the file name, or a name the app chose for generated certificates.
    pub name: String,
    pub path: PathBuf,
    #[serde(default)]
    pub key_path: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_or_partial_state_still_loads() {
        let state: State =
            serde_json::from_str(r#"{"credentials":[{"name":"a","path":"/a.p12"}]}"#).unwrap();
        assert_eq!(state.credentials[0].key_path, None);
        assert_eq!(state.settings, Settings::default());
        let back: State = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
        assert_eq!(back, state);
    }
}

//! The saved state as the fuzzer feeds it: any bytes read the way the app reads `app.ron`,
//! then the screens that show what was saved (History, with each kind of entry chosen) drawn
//! in a headless egui context. A panic is a bug: `app.ron` is a file a user can edit.

use super::app::Command;
use super::history::HistoryPanel;
use super::state::State;

/// `app.ron` in memory, read and written through eframe's own `get_value` and `set_value`
/// (RON), as the app does; the tests of what the state keeps use it too.
pub(crate) struct OneFile(pub(crate) String);

impl eframe::Storage for OneFile {
    fn get_string(&self, key: &str) -> Option<String> {
        (key == eframe::APP_KEY).then(|| self.0.clone())
    }
    fn set_string(&mut self, _key: &str, value: String) {
        self.0 = value;
    }
    fn remove_string(&mut self, _key: &str) {
        self.0.clear();
    }
    fn flush(&mut self) {}
}

/// Reads `data` as a saved state and, when it is one, draws History with no entry, the first
/// and the last chosen, then saves it again and reads that back.
pub fn saved_state(data: &[u8]) {
    let file = OneFile(String::from_utf8_lossy(data).into_owned());
    let Some(mut state) = eframe::get_value::<State>(&file, eframe::APP_KEY) else {
        return;
    };
    let ctx = egui::Context::default();
    let last = state.history.len().checked_sub(1);
    for selected in [None, Some(0), last] {
        let mut panel = HistoryPanel::choosing(selected);
        let mut commands: Vec<Command> = Vec::new();
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            panel.ui(ui, &mut state, &mut commands);
        });
        // No renderer here to take the font atlas.
        output.textures_delta.clear();
    }
    let mut again = OneFile(String::new());
    eframe::set_value(&mut again, eframe::APP_KEY, &state);
    let back: Option<State> = eframe::get_value(&again, eframe::APP_KEY);
    assert!(back.is_some(), "a state pushlab wrote reads back");
}

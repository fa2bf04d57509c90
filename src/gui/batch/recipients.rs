//! Who a batch goes to: tokens pasted or imported (read by the library's one token-list
//! reader), saved devices and groups picked, without duplicates; and the lines that are not
//! tokens, which become "invalid input" results.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use egui::RichText;

use super::input::TokenFile;
use super::paste::Paste;
use crate::apns::DeviceToken;
use crate::apns::token_list::{InvalidLine, TokenListReader};
use crate::client::InvalidInput;
use crate::gui::app::Command;
use crate::gui::i18n::msg;
use crate::gui::state::{LiveTokenKind, State};
use crate::gui::theme::{ITEM_GAP, Palette};
use crate::gui::widgets::notice;
use crate::gui::worker::Worker;

/// One recipient: a token and the name people know it by.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// Where the push goes.
    pub token: DeviceToken,
    /// The saved device's name, or the name on the token's line.
    pub name: Option<String>,
    /// Its line in the pasted text or imported file.
    pub line: Option<u64>,
}

/// What a batch goes to: pushes, and the input lines that could not become one (each gets
/// an "invalid input" result).
#[derive(Debug, Default)]
pub struct Recipients {
    /// The lists the pushes come from.
    pub recipients: RecipientSources,
    /// How many distinct recipients the sources hold (counted when they last changed).
    pub count: usize,
    /// Lines that are not tokens, each sent as an "invalid input" result.
    pub invalid: Vec<InvalidInput>,
}

/// The lists a batch's recipients come from, in the order they count: pasted, imported,
/// then picked saved devices.
#[derive(Debug, Default, Clone)]
pub struct RecipientSources {
    /// Tokens pasted on the Batch screen.
    pub pasted: Arc<Parsed>,
    /// Tokens from an imported file, when there is one.
    pub imported: Option<Arc<Parsed>>,
    /// Saved devices picked on the Batch screen.
    pub saved: Vec<Recipient>,
}

impl RecipientSources {
    fn all(&self) -> impl Iterator<Item = &Recipient> {
        self.pasted
            .recipients
            .iter()
            .chain(self.imported.iter().flat_map(|p| p.recipients.iter()))
            .chain(self.saved.iter())
    }

    /// How many distinct tokens the sources hold, without copying any.
    pub fn count(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        self.all()
            .filter(|r| seen.insert(r.token.as_bytes()))
            .count()
    }

    /// Every recipient once, the first occurrence kept.
    pub fn merge(&self) -> Vec<Recipient> {
        let mut seen = std::collections::HashSet::new();
        self.all()
            .filter(|r| seen.insert(r.token.as_bytes()))
            .cloned()
            .collect()
    }
}

/// Most invalid lines kept to show and send as results; the rest are counted.
const MAX_INVALID_KEPT: usize = 10_000;

/// Tokens read from text, and the lines that are not tokens.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Every line that holds a token, in order (duplicates kept: merging drops them).
    pub recipients: Vec<Recipient>,
    /// Lines that are not tokens, with their numbers and why (the first 10,000: a file of
    /// junk does not fill the memory; the rest are only counted).
    pub invalid: Vec<InvalidLine>,
    /// How many lines are not tokens, kept or not.
    pub invalid_count: usize,
    /// Lines read as Latin-1 because they were not UTF-8.
    pub latin1_lines: usize,
    /// Lines that hold a token or should have.
    pub lines: usize,
}

impl Parsed {
    /// The first few invalid lines as warnings, each with why, then how many more there are:
    /// a file of 100,000 lines with 4 that are not tokens showed 3 of them and said nothing
    /// of the fourth.
    pub fn problems_ui(&self, ui: &mut egui::Ui, p: crate::gui::theme::Palette) {
        const SHOWN: usize = 3;
        for problem in self.problems().take(SHOWN) {
            crate::gui::widgets::notice(ui, "⚠", &problem, p.warning);
        }
        let more = self.invalid_count.saturating_sub(SHOWN);
        if more > 0 {
            ui.label(egui::RichText::new(msg::batch_more_invalid_lines(more)).color(p.muted));
        }
    }

    /// One sentence per invalid line, for notices.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.invalid
            .iter()
            .map(|bad| msg::batch_invalid_line(bad.line, invalid_reason(bad)))
    }
}

/// Why a line is not a token, in the app's language when the library says which token error
/// it is (its other reasons are rare and stay in English).
fn invalid_reason(bad: &InvalidLine) -> String {
    match &bad.error {
        Some(e) => crate::gui::i18n::token_error(e),
        None => bad.reason.clone(),
    }
}

/// Reads pasted text or a file's bytes with the library's one token-list reader.
pub fn parse_tokens(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    for entry in TokenListReader::new(bytes) {
        parsed.lines += 1;
        match entry {
            Ok(listed) => {
                parsed.latin1_lines += usize::from(listed.latin1);
                parsed.recipients.push(Recipient {
                    name: listed.name().map(str::to_owned),
                    line: Some(listed.line),
                    token: listed.token,
                });
            }
            Err(bad) => {
                parsed.invalid_count += 1;
                if parsed.invalid.len() < MAX_INVALID_KEPT {
                    parsed.invalid.push(bad);
                }
            }
        }
    }
    parsed
}

/// The recipients being entered: pasted, imported from a file, saved devices and groups
/// picked.
#[derive(Default)]
pub(super) struct RecipientInput {
    paste: Paste,
    file: TokenFile,
    picked: BTreeSet<String>,
    /// Bumped when the recipients may have changed; the count is cached per generation.
    generation: u64,
    /// `(generation, saved devices, Live Activity token used, count)` when last counted.
    counted: Option<(u64, usize, Option<LiveTokenKind>, usize)>,
}

impl RecipientInput {
    /// Changes when the recipients may have changed.
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn is_busy(&self) -> bool {
        self.file.is_reading() || self.paste.is_reading()
    }

    pub(super) fn is_reading_paste(&self) -> bool {
        self.paste.is_reading()
    }

    pub(super) fn pick_file(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.file.pick(start, worker);
    }

    pub(super) fn read_pasted(&mut self, worker: &Worker) {
        self.paste.read(worker);
    }

    pub(super) fn import(&mut self, path: PathBuf, worker: &Worker) {
        self.file.import(path, worker);
    }

    pub(super) fn poll(&mut self, commands: &mut Vec<Command>) {
        if self.paste.poll() {
            self.generation += 1;
        }
        if self.file.poll(commands) {
            self.generation += 1;
        }
    }

    /// The paste box, the token file and the saved devices to pick.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, state: &State, commands: &mut Vec<Command>) {
        if self.paste.ui(ui, commands) {
            self.generation += 1;
        }
        ui.add_space(ITEM_GAP);
        if self.file.ui(ui, commands) {
            self.generation += 1;
        }
        if !state.devices.is_empty() {
            ui.add_space(ITEM_GAP);
            self.saved_ui(ui, state);
        }
    }

    /// Saved groups and devices, one checkbox each, and the environments they will be refused
    /// in.
    fn saved_ui(&mut self, ui: &mut egui::Ui, state: &State) {
        let p = Palette::of(ui);
        ui.label(RichText::new(msg::batch_saved()).strong());
        let groups: BTreeSet<&str> = state
            .devices
            .iter()
            .map(|d| d.group.as_str())
            .filter(|g| !g.is_empty())
            .collect();
        for warning in self.environment_warnings(state) {
            notice(ui, "⚠", &warning, p.warning);
        }
        if let Some(warning) = self.live_token_warning(state) {
            notice(ui, "⚠", &warning, p.warning);
        }
        ui.horizontal_wrapped(|ui| {
            for group in groups {
                let key = group_key(group);
                let mut on = self.picked.contains(&key);
                if ui
                    .checkbox(&mut on, msg::batch_group(group.to_string()))
                    .changed()
                {
                    self.toggle(key, on);
                }
            }
            for device in &state.devices {
                let key = device_key(&device.name);
                let mut on = self.picked.contains(&key);
                if ui.checkbox(&mut on, &device.name).changed() {
                    self.toggle(key, on);
                }
            }
        });
    }

    fn toggle(&mut self, key: String, on: bool) {
        if on {
            self.picked.insert(key);
        } else {
            self.picked.remove(&key);
        }
        self.generation += 1;
    }

    fn is_picked(&self, device: &crate::gui::devices::SavedDevice) -> bool {
        self.picked.contains(&device_key(&device.name))
            || (!device.group.is_empty() && self.picked.contains(&group_key(&device.group)))
    }

    /// Where the batch's recipients come from now: the pasted and imported lists shared,
    /// not copied, and the picked saved devices. [`RecipientSources::merge`] (run on the
    /// worker: a list can hold a million tokens) removes duplicates.
    pub(super) fn sources(&self, state: &State) -> RecipientSources {
        // A Live Activity goes to each device's Live Activity token for the step, as Compose
        // sends it; a device without one is left out (and said so), not sent to its device
        // token, which no activity listens on.
        let kind = live_kind(state);
        let saved = state
            .devices
            .iter()
            .filter(|d| self.is_picked(d))
            .filter_map(|d| {
                let token = match kind {
                    None => &d.token,
                    Some(kind) => d.live_token(kind)?,
                };
                Some(Recipient {
                    token: token.clone(),
                    name: Some(d.name.clone()),
                    line: None,
                })
            })
            .collect();
        RecipientSources {
            pasted: self.paste.parsed().clone(),
            imported: self.file.imported().map(|i| i.parsed.clone()),
            saved,
        }
    }

    /// The pasted and imported lines that are not tokens: each becomes an "invalid input"
    /// result with its line number, so the summary accounts for every line.
    pub(super) fn invalid_inputs(&self) -> Vec<InvalidInput> {
        let pasted_words = msg::batch_source_pasted();
        let pasted = self
            .paste
            .parsed()
            .invalid
            .iter()
            .map(|bad| (bad, pasted_words.as_str()));
        let imported = self.file.imported().into_iter().flat_map(|i| {
            i.parsed
                .invalid
                .iter()
                .map(move |bad| (bad, i.name.as_str()))
        });
        pasted
            .chain(imported)
            .map(|(bad, source)| InvalidInput {
                line: Some(bad.line),
                text: bad.text.clone(),
                reason: msg::batch_invalid_input_at(bad.line, invalid_reason(bad), source),
            })
            .collect()
    }

    /// For a Live Activity: the picked devices left out for want of the token the step needs.
    fn live_token_warning(&self, state: &State) -> Option<String> {
        let kind = live_kind(state)?;
        let names: Vec<&str> = state
            .devices
            .iter()
            .filter(|d| self.is_picked(d) && d.live_token(kind).is_none())
            .map(|d| d.name.as_str())
            .collect();
        if names.is_empty() {
            return None;
        }
        let kind_words = match kind {
            LiveTokenKind::PushToStart => msg::compose_push_to_start_token(),
            LiveTokenKind::Activity => msg::compose_activity_token(),
        };
        let shown = names.iter().take(4).copied().collect::<Vec<_>>().join(", ");
        Some(msg::batch_live_token_missing(
            names.len(),
            kind_words,
            shown,
        ))
    }

    /// Picked saved devices whose tokens the destination will refuse, one sentence per
    /// environment.
    fn environment_warnings(&self, state: &State) -> Vec<String> {
        let mut by_environment: BTreeMap<&str, (crate::apns::Environment, Vec<&str>)> =
            BTreeMap::new();
        for d in state.devices.iter().filter(|d| self.is_picked(d)) {
            by_environment
                .entry(d.environment.label())
                .or_insert_with(|| (d.environment, Vec::new()))
                .1
                .push(&d.name);
        }
        by_environment
            .into_values()
            .filter_map(|(environment, names)| {
                let subject = match names.as_slice() {
                    [one] => msg::batch_token_of_one(one.to_string()),
                    [first @ .., last] if names.len() <= 4 => {
                        msg::batch_tokens_of_some(last.to_string(), first.join(", "))
                    }
                    _ => msg::batch_tokens_of_many(names.len() - 3, names[..3].join(", ")),
                };
                crate::gui::connection::environment_warning(
                    &subject,
                    environment,
                    &state.connection,
                )
            })
            .collect()
    }

    /// How many recipients there are, recounted only when the inputs changed.
    pub(super) fn count(&mut self, state: &State) -> usize {
        let kind = live_kind(state);
        match self.counted {
            Some((generation, devices, counted_kind, count))
                if generation == self.generation
                    && devices == state.devices.len()
                    && counted_kind == kind =>
            {
                count
            }
            _ => {
                let count = self.sources(state).count();
                self.counted = Some((self.generation, state.devices.len(), kind, count));
                count
            }
        }
    }
}

/// For a Live Activity, which of a saved device's tokens the batch goes to: the push-to-start
/// token for a start, the activity's update token for an update or end. `None` for other
/// push types (the device token).
fn live_kind(state: &State) -> Option<LiveTokenKind> {
    if state.compose.push_type != crate::apns::PushType::LiveActivity {
        return None;
    }
    let start = serde_json::from_str::<serde_json::Value>(&state.compose.payload)
        .ok()
        .and_then(|v| {
            v.pointer("/aps/event")
                .and_then(|e| e.as_str())
                .map(|e| e == "start")
        })
        .unwrap_or(false);
    Some(if start {
        LiveTokenKind::PushToStart
    } else {
        LiveTokenKind::Activity
    })
}

fn device_key(name: &str) -> String {
    format!("device:{name}")
}

fn group_key(group: &str) -> String {
    format!("group:{group}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_merge_once_each_keeping_the_first_name() {
        let (a, b, c) = ("aa".repeat(32), "bb".repeat(32), "cc".repeat(32));
        let pasted = parse_tokens(format!("{a} pasted A\n{b}\n").as_bytes());
        let imported = parse_tokens(format!("{b} imported B\n{c}\n{a}\n").as_bytes());
        let sources = RecipientSources {
            pasted: Arc::new(pasted),
            imported: Some(Arc::new(imported)),
            saved: vec![Recipient {
                token: DeviceToken::parse(&c).unwrap(),
                name: Some("saved C".into()),
                line: None,
            }],
        };
        let merged = sources.merge();
        assert_eq!(sources.count(), 3);
        assert_eq!(merged.len(), 3);
        let hex: Vec<String> = merged.iter().map(|r| r.token.to_hex()).collect();
        assert_eq!(hex, [a, b, c]);
        assert_eq!(merged[0].name.as_deref(), Some("pasted A"));
        assert_eq!(merged[1].name, None, "the pasted B came first");
        assert_eq!(merged[2].line, Some(2), "the imported C, not the saved one");
    }

    #[test]
    fn token_lines_in_every_shape() {
        let t = "ab".repeat(32);
        let text =
            format!("# comment\n{t}\n{t} Alice's iPhone\nBob's iPad,{t}\n<{t}>\nnot a token\n\n");
        let parsed = parse_tokens(text.as_bytes());
        assert_eq!(parsed.recipients.len(), 4);
        assert_eq!(parsed.recipients[1].name.as_deref(), Some("Alice's iPhone"));
        assert_eq!(parsed.recipients[2].name.as_deref(), Some("Bob's iPad"));
        assert_eq!(parsed.invalid.len(), 1);
        assert!(parsed.problems().next().unwrap().starts_with("line 6"));
    }
}

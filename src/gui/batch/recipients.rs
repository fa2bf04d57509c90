//! Who a batch goes to: tokens pasted or imported (read by the library's one token-list
//! reader), saved devices and groups picked, without duplicates; and the lines that are not
//! tokens, which become "invalid input" results.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::BatchPanel;
use crate::apns::DeviceToken;
use crate::apns::token_list::{InvalidLine, TokenListReader};
use crate::client::InvalidInput;
use crate::gui::i18n::msg;
use crate::gui::state::State;

/// One recipient: a token and the name people know it by.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub token: DeviceToken,
    pub name: Option<String>,
    /// Its line in the pasted text or imported file.
    pub line: Option<u64>,
}

/// What a batch goes to: pushes, and the input lines that could not become one (each gets
/// an "invalid input" result).
#[derive(Debug, Default)]
pub struct Recipients {
    pub recipients: RecipientSources,
    /// How many distinct recipients the sources hold (counted when they last changed).
    pub count: usize,
    pub invalid: Vec<InvalidInput>,
}

/// The lists a batch's recipients come from, in the order they count: pasted, imported,
/// then picked saved devices.
#[derive(Debug, Default, Clone)]
pub struct RecipientSources {
    pub pasted: Arc<Parsed>,
    pub imported: Option<Arc<Parsed>>,
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
    pub recipients: Vec<Recipient>,
    /// Lines that are not tokens, with their numbers and why (the first
    /// [`MAX_INVALID_KEPT`]).
    pub invalid: Vec<InvalidLine>,
    pub invalid_count: usize,
    /// Lines read as Latin-1 because they were not UTF-8.
    pub latin1_lines: usize,
    /// Lines that hold a token or should have.
    pub lines: usize,
}

impl Parsed {
    /// One sentence per invalid line, for notices.
    pub fn problems(&self) -> impl Iterator<Item = String> + '_ {
        self.invalid
            .iter()
            .map(|bad| msg::batch_invalid_line(bad.line, invalid_reason(bad)))
    }
}

/// Reads pasted text or a file's bytes with the library's one token-list reader.
/// Why a line is not a token, in the app's language when the library says which token error
/// it is (its other reasons are rare and stay in English).
fn invalid_reason(bad: &InvalidLine) -> String {
    match &bad.error {
        Some(e) => crate::gui::i18n::token_error(e),
        None => bad.reason.clone(),
    }
}

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

impl BatchPanel {
    /// Where the batch's recipients come from now: the pasted and imported lists shared,
    /// not copied, and the picked saved devices. [`RecipientSources::merge`] (run on the
    /// worker: a list can hold a million tokens) removes duplicates.
    pub fn recipient_sources(&self, state: &State) -> RecipientSources {
        let saved = state
            .devices
            .iter()
            .filter(|d| {
                self.picked.contains(&device_key(&d.name))
                    || (!d.group.is_empty() && self.picked.contains(&group_key(&d.group)))
            })
            .map(|d| Recipient {
                token: d.token.clone(),
                name: Some(d.name.clone()),
                line: None,
            })
            .collect();
        RecipientSources {
            pasted: self.pasted_parsed.clone(),
            imported: self.imported.as_ref().map(|i| i.parsed.clone()),
            saved,
        }
    }

    /// The pasted and imported lines that are not tokens: each becomes an "invalid input"
    /// result with its line number, so the summary accounts for every line.
    pub fn invalid_inputs(&self) -> Vec<InvalidInput> {
        let pasted_words = msg::batch_source_pasted();
        let pasted = self
            .pasted_parsed
            .invalid
            .iter()
            .map(|bad| (bad, pasted_words.as_str()));
        let imported = self.imported.iter().flat_map(|i| {
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

    /// Picked saved devices whose tokens the destination will refuse, one sentence per
    /// environment.
    pub(super) fn environment_warnings(&self, state: &State) -> Vec<String> {
        let mut by_environment: BTreeMap<&str, (crate::cert::Environment, Vec<&str>)> =
            BTreeMap::new();
        for d in &state.devices {
            let picked = self.picked.contains(&device_key(&d.name))
                || (!d.group.is_empty() && self.picked.contains(&group_key(&d.group)));
            if picked {
                by_environment
                    .entry(d.environment.label())
                    .or_insert_with(|| (d.environment, Vec::new()))
                    .1
                    .push(&d.name);
            }
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
    pub fn recipient_count(&mut self, state: &State) -> usize {
        match self.recipient_count {
            Some((generation, devices, count))
                if generation == self.generation && devices == state.devices.len() =>
            {
                count
            }
            _ => {
                let count = self.recipient_sources(state).count();
                self.recipient_count = Some((self.generation, state.devices.len(), count));
                count
            }
        }
    }
}

pub(super) fn device_key(name: &str) -> String {
    format!("device:{name}")
}

pub(super) fn group_key(group: &str) -> String {
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

//! The app's one translation layer: every user-facing string of the GUI is a Project Fluent
//! message in `i18n/<language>/pushlab.ftl` (embedded at build time), worded by the function
//! `build.rs` generates for it in [`msg`] (`msg::batch_tokens_pasted(n)`), so ids and
//! variables are checked by the compiler. Plurals and number formats come from Fluent
//! selectors and `NUMBER`, never from string glue. The library below `gui/` never sees this
//! module: it returns types and Apple's spellings, and the GUI translates what it shows.
//!
//! The library's sentences are typed values (enums with their fields); each is worded here by
//! one exhaustive `match` (`library.rs`, `check_words.rs`, `doctor_words.rs`), so a new
//! variant without its words does not compile.

mod cert_errors;
mod check_words;
mod doctor_words;
mod file_errors;
mod language;
mod library;
pub mod msg;
mod reasons;
mod send_errors;

use std::cell::{Cell, RefCell};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

pub use cert_errors::{cert_error, subject_error};
pub use check_words::{connect_error, proxy_error, step_fix, step_sentence};
pub use doctor_words::{doctor_fix, evidence};
pub use file_errors::file_error;
pub use language::{Language, LanguageChoice};
pub use library::{
    apns_environment, cert_environment, cert_finding, channel_id_error, channel_note, destination,
    destination_label, header_error, outcome, payload_issue, remedy, token_error, verdict_sentence,
};
pub use reasons::{reason_fix, reason_meaning};
pub use send_errors::{batch_stop, result_error, send_error};

/// The Fluent sources, by language (the order of [`Language::ALL`]).
pub const SOURCES: [(Language, &str); 2] = [
    (
        Language::English,
        include_str!("../../../i18n/en/pushlab.ftl"),
    ),
    (
        Language::ChineseSimplified,
        include_str!("../../../i18n/zh-CN/pushlab.ftl"),
    ),
];

thread_local! {
    // Per thread: the UI runs on one thread, and tests that run several apps on parallel
    // threads each keep their own language. The worker's threads have none (English): they
    // return data, and the UI thread words it (see `gui::JobError`).
    static CURRENT: Cell<Option<Language>> = const { Cell::new(None) };
    static BUNDLES: RefCell<Option<Vec<FluentBundle<FluentResource>>>> =
        const { RefCell::new(None) };
}

/// Sets the language the [`msg`] functions answer in on this thread (the app does so every frame).
pub fn set_language(language: Language) {
    CURRENT.with(|c| c.set(Some(language)));
}

/// The language the [`msg`] functions answer in on this thread (English on threads that never set one).
pub fn language() -> Language {
    CURRENT.with(Cell::get).unwrap_or(Language::English)
}

/// Runs `f` with the [`msg`] functions answering in `language` on this thread, then goes back
/// to the language before: for text the app wrote in another language (an untouched template
/// made before the language changed).
pub fn in_language<T>(language: Language, f: impl FnOnce() -> T) -> T {
    let before = CURRENT.with(Cell::get);
    CURRENT.with(|c| c.set(Some(language)));
    let out = f();
    CURRENT.with(|c| c.set(before));
    out
}

/// Words the message `id` with its variables in the current language; only [`msg`]'s
/// generated functions call it, so `id` and the variables' names are the file's own.
fn format_message(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let fluent_args = fluent_args(args);
    lookup(id, Some(&fluent_args)).unwrap_or_else(|| id.to_owned())
}

fn fluent_args<'a>(args: &[(&str, FluentValue<'a>)]) -> FluentArgs<'a> {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(name.to_string(), value.clone());
    }
    fluent_args
}

/// The message `id`, looked up at run time (for tests, and for the library sentences still
/// worded from a kind and a code); `None` when no language has it. The app calls [`msg`].
pub fn message(id: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
    let fluent_args = fluent_args(args);
    lookup(id, Some(&fluent_args))
}

/// The message `id` in `language` alone, with Fluent's errors (an unknown variable, a bad
/// selector) instead of its fallbacks: for the test that formats every message.
pub fn format_strictly(
    language: Language,
    id: &str,
    args: &[(&str, FluentValue<'_>)],
) -> Result<String, String> {
    let fluent_args = fluent_args(args);
    BUNDLES.with(|cell| {
        let mut bundles = cell.borrow_mut();
        let bundles = bundles.get_or_insert_with(build_bundles);
        let index = Language::ALL.iter().position(|l| *l == language);
        let bundle = index
            .and_then(|i| bundles.get(i))
            .ok_or_else(|| format!("no bundle for {}", language.tag()))?;
        let pattern = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| format!("{}: no message {id}", language.tag()))?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if errors.is_empty() {
            Ok(text.into_owned())
        } else {
            Err(format!("{}: {id}: {errors:?}", language.tag()))
        }
    })
}

/// The message `id` in the current language, English when that language lacks it; `None`
/// when no language has it.
fn lookup(id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let language = language();
    BUNDLES.with(|cell| {
        let mut bundles = cell.borrow_mut();
        let bundles = bundles.get_or_insert_with(build_bundles);
        let wanted = Language::ALL.iter().position(|l| *l == language);
        let english = Language::ALL.iter().position(|l| *l == Language::English);
        for index in [wanted, english].into_iter().flatten() {
            let Some(bundle) = bundles.get(index) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            return Some(
                bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned(),
            );
        }
        None
    })
}

/// One bundle per language. A source that does not parse keeps the entries that do (the test
/// of the messages fails on it, so a release never has one).
fn build_bundles() -> Vec<FluentBundle<FluentResource>> {
    SOURCES
        .iter()
        .map(|(language, source)| {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
            let mut bundle = FluentBundle::new(vec![language.langid()]);
            // Isolation marks (U+2068/U+2069) around variables would be drawn as boxes.
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(group_digits));
            // NUMBER() is Fluent's, but the bundle only knows it once asked to.
            let _ = bundle.add_builtins();
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect()
}

/// Whole numbers with thousands separators ("2,000"), as both languages write them; Fluent
/// leaves grouping to the formatter. `NUMBER($n, useGrouping: "false")` turns it off.
fn group_digits<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    if !number.options.use_grouping
        || number.value.fract() != 0.0
        || number.value.abs() < 1000.0
        || number.options.minimum_fraction_digits.is_some()
    {
        return None;
    }
    // Whole and at least 1,000 (checked above); past u64 it saturates, which no count reaches.
    let grouped = crate::gui::widgets::group_digits(number.value.abs() as u64);
    Some(if number.value < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    })
}

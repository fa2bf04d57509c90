//! Every screen holds at the sizes people use (800×600, 1024×640, 1366×768), in English and
//! in Chinese: no two controls overlap, and every control is inside the window or scrolled
//! out of sight inside a scroll area (clipped, reachable by scrolling). Judged from egui's own
//! record of the last frame's widgets, with their clip rectangles applied. And every control
//! is named by its words, not by an icon drawn before them.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;

use egui::Rect;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::i18n::{Language, LanguageChoice};
use pushlab::gui::state::{BatchProblem, BatchRecord, Draft, HistoryEntry, SavedCredential, State};
use pushlab::sim::SimIdentity;
use support::gui::step_until;

const SIZES: [[f32; 2]; 3] = [[800.0, 600.0], [1024.0, 640.0], [1366.0, 768.0]];

const SECTIONS: [Section; 8] = [
    Section::Credentials,
    Section::Connection,
    Section::Doctor,
    Section::Compose,
    Section::Batch,
    Section::Channels,
    Section::History,
    Section::Simulator,
];

/// A control a person clicks or types into.
fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::SpinButton
            | Role::Slider
            | Role::Link
            | Role::Tab
            | Role::MenuItem
    )
}

/// The names of the controls on screen that start with an icon (an arrow, a symbol, an
/// emoji): a screen reader reads the icon out as a word of its own ("incoming envelope,
/// Batch"), and a person, or a test, looks for the words.
fn named_with_an_icon(harness: &Harness<'_, App>) -> Vec<String> {
    let icon = |c: char| matches!(u32::from(c), 0x2190..=0x2BFF | 0x1F000..=0x1FAFF);
    harness
        .query_all(by().predicate(|n| interactive(n.role())))
        .filter_map(|n| n.accesskit_node().label())
        .filter(|name| name.trim_start().starts_with(icon))
        .collect()
}

struct Shown {
    label: String,
    /// The visible part.
    rect: Rect,
    /// The whole widget, visible or not.
    full: Rect,
    layer: egui::LayerId,
}

/// The controls of the last frame, each with the part of it that is visible.
fn controls(harness: &Harness<'_, App>) -> Vec<Shown> {
    harness.ctx.viewport(|vp| {
        let widgets = &vp.prev_pass.widgets;
        let mut out = Vec::new();
        for (layer, rects) in widgets.layers() {
            for w in rects {
                let Some(info) = widgets.info(w.id) else {
                    continue;
                };
                // A control clipped away entirely still counts: past the window's side it is
                // out of reach (the screens scroll up and down only).
                if !interactive(info.role) || !w.rect.is_positive() {
                    continue;
                }
                out.push(Shown {
                    label: format!(
                        "{:?} {:?}",
                        info.role,
                        info.label.clone().unwrap_or_default()
                    ),
                    rect: w.interact_rect,
                    full: w.rect,
                    layer: *layer,
                });
            }
        }
        out
    })
}

fn problems(harness: &Harness<'_, App>, size: [f32; 2]) -> Vec<String> {
    let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1])).expand(0.5);
    let shown = controls(harness);
    let mut out = Vec::new();
    for s in &shown {
        if s.full.max.x > window.max.x || s.full.min.x < window.min.x {
            out.push(format!(
                "{} at {:?} runs past the window's side",
                s.label, s.full
            ));
            continue;
        }
        if !s.rect.is_positive() {
            // Scrolled out of sight up or down: reachable by scrolling.
            continue;
        }
        if !window.contains_rect(s.rect) {
            out.push(format!("{} at {:?} is outside the window", s.label, s.rect));
        }
        // Cut at the top or bottom is a scroll area's doing (scroll to reach it); cut at a side
        // is a control nobody can see whole.
        if s.full.min.x < s.rect.min.x - 0.5 || s.full.max.x > s.rect.max.x + 0.5 {
            out.push(format!(
                "{} at {:?} is cut to {:?} at the side",
                s.label, s.full, s.rect
            ));
        }
    }
    for (i, a) in shown.iter().enumerate() {
        for b in &shown[i + 1..] {
            if a.layer != b.layer {
                continue;
            }
            let both = a.rect.intersect(b.rect);
            // A shared edge or a pixel of rounding is not an overlap.
            if both.width() > 1.0 && both.height() > 1.0 {
                out.push(format!(
                    "{} at {:?} overlaps {} at {:?}",
                    a.label, a.rect, b.label, b.rect
                ));
            }
        }
    }
    out
}

/// One wheel turn over the middle of the screen.
fn scroll(harness: &mut Harness<'_, App>, size: [f32; 2]) {
    let middle = egui::pos2(190.0 + (size[0] - 190.0) / 2.0, size[1] / 2.0);
    harness
        .input_mut()
        .events
        .push(egui::Event::PointerMoved(middle));
    harness.input_mut().events.push(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -size[1] * 0.6),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run_steps(3);
}

fn credential(data: &Path) -> std::path::PathBuf {
    let ca = SimIdentity::load_or_create(&data.join("simulator"))
        .unwrap()
        .ca;
    let cred = ca
        .issue_push_certificate(&PushCertificateSpec::new(
            "com.example.doorbell",
            CertEnvironment::Development,
        ))
        .unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    support::write(data, "Push.pem", &pem)
}

/// A single send and a batch cancelled halfway, as History keeps them.
fn history() -> Vec<HistoryEntry> {
    let send = HistoryEntry {
        time: 1_764_460_800,
        destination: "local simulator (sandbox, 127.0.0.1:2197)".into(),
        credential: "Push.pem · com.example.doorbell".into(),
        draft: Draft {
            token: "ab".repeat(32),
            ..Draft::default()
        },
        topic: Some("com.example.doorbell".into()),
        status: Some(200),
        apns_id: Some("7c5a4e1d-0d2c-4c43-9a8e-2a1f3b6c9d01".into()),
        latency_ms: Some(12.5),
        ..HistoryEntry::default()
    };
    let mut reasons = std::collections::BTreeMap::new();
    reasons.insert("BadDeviceToken".to_owned(), 3);
    let batch = HistoryEntry {
        time: 1_764_460_900,
        device: Some("Batch of 300,000 devices".into()),
        batch: Some(BatchRecord {
            total: 300_000,
            delivered: 183_370,
            rejected: 3,
            not_sent: 116_627,
            bad_device_tokens: 3,
            reasons,
            cancelled: true,
            problems: vec![BatchProblem {
                token: "cd".repeat(32),
                name: Some("Alice's iPhone".into()),
                reason: "BadDeviceToken".into(),
                why: None,
            }],
            seconds: 7.0,
            ..BatchRecord::default()
        }),
        ..send.clone()
    };
    vec![send, batch]
}

fn check_every_screen(language: Language) {
    let mut failures = Vec::new();
    for size in SIZES {
        let data = tempfile::tempdir().unwrap();
        let cert = credential(data.path());
        let mut state = State {
            credentials: vec![SavedCredential {
                name: "Push.pem".into(),
                path: cert.clone(),
                key_path: None,
            }],
            ..State::default()
        };
        state.settings.language = LanguageChoice::Fixed(Language::English);
        state.connection.credential = Some(cert);
        // History with a send and a stopped batch, so its list and detail are drawn.
        state.history = history();
        let mut harness = support::gui::app_with_state(data.path(), size, state);
        step_until(&mut harness, "the app settling", |h| {
            h.state().fonts().is_ready()
                && h.state().simulator().simulator().is_some()
                && h.state()
                    .credentials()
                    .entries()
                    .iter()
                    .all(|e| e.loaded().is_some())
        });
        // A batch's results, so its table and charts are drawn (the simulator answers). Sent
        // in a tall window, where Send is on screen to be pressed; judged at `size` below.
        harness.set_size(egui::vec2(size[0], 2400.0));
        harness.state_mut().show_section(Section::Batch);
        harness.run();
        let tokens: String = (1..=30u32)
            .map(|i| format!("{i:064x} Device {i}\n"))
            .chain(["not-a-token\n".to_owned()])
            .collect();
        support::gui::send_batch_and_wait(&mut harness, &tokens);
        harness.set_size(egui::vec2(size[0], size[1]));
        harness.run();
        if language == Language::ChineseSimplified {
            // Chinese once the system's CJK font is in (the first frames draw English).
            harness.get_by_label("Language").click();
            harness.run();
            harness.get_by_label("简体中文").click();
            harness.run();
        }
        // egui keeps each widget's role and label beside its rectangle only with this debug
        // option (debug builds); it paints outlines, which headless frames do not mind.
        harness
            .ctx
            .all_styles_mut(|s| s.debug.show_interactive_widgets = true);
        let mut seen = 0;
        for section in SECTIONS {
            harness.state_mut().show_section(section);
            harness.run_steps(3);
            if section == Section::Credentials {
                // The detail card of a credential, not the empty welcome.
                harness
                    .get_by_label_contains("Push.pem · com.example")
                    .click();
                harness.run_steps(3);
            }
            seen += controls(&harness).len();
            if size == SIZES[0] {
                for name in named_with_an_icon(&harness) {
                    failures.push(format!(
                        "{language:?} {section:?}: {name:?} is named with its icon"
                    ));
                }
            }
            // The whole page, a screenful at a time, as a person scrolls it.
            for _ in 0..8 {
                for p in problems(&harness, size) {
                    let p = format!("{language:?} {size:?} {section:?}: {p}");
                    if !failures.contains(&p) {
                        failures.push(p);
                    }
                }
                scroll(&mut harness, size);
            }
        }
        assert!(seen > 100, "the controls are found ({seen})");
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_screen_holds_at_every_size_in_english() {
    check_every_screen(Language::English);
}

#[test]
fn every_screen_holds_at_every_size_in_chinese() {
    check_every_screen(Language::ChineseSimplified);
}

/// Whether a node named with `text` is drawn inside a window of `size`.
fn in_view(harness: &Harness<'_, App>, text: &str, size: [f32; 2]) -> bool {
    harness.query_all_by_label_contains(text).any(|n| {
        n.accesskit_node().bounding_box().is_some_and(|b| {
            b.x0 >= 0.0 && b.y0 >= 0.0 && b.x1 <= f64::from(size[0]) && b.y1 <= f64::from(size[1])
        })
    })
}

#[test]
fn a_short_window_keeps_every_section_reachable() {
    let size = [800.0, 420.0];
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app_with_state(data.path(), size, State::default());
    step_until(&mut harness, "the fonts", |h| h.state().fonts().is_ready());
    harness
        .ctx
        .all_styles_mut(|s| s.debug.show_interactive_widgets = true);
    harness.run_steps(2);
    let mut failures = problems(&harness, size);
    // Scrolled over the navigation, its last entries and the settings come into view.
    let over_nav = egui::pos2(90.0, size[1] / 2.0);
    for _ in 0..4 {
        harness
            .input_mut()
            .events
            .push(egui::Event::PointerMoved(over_nav));
        harness.input_mut().events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        harness.run_steps(3);
        failures.extend(problems(&harness, size));
    }
    assert!(failures.is_empty(), "{failures:#?}");
    for last in ["Simulator", "Language"] {
        assert!(in_view(&harness, last, size), "{last} reachable");
    }
    harness.get_by_label("Simulator").click();
    harness.run();
    assert_eq!(harness.state().state().section, Section::Simulator);
}

#[test]
fn the_answer_to_a_send_comes_into_view() {
    let size = [1024.0, 640.0];
    let data = tempfile::tempdir().unwrap();
    let cert = credential(data.path());
    let mut state = State {
        section: Section::Compose,
        credentials: vec![SavedCredential {
            name: "Push.pem".into(),
            path: cert.clone(),
            key_path: None,
        }],
        ..State::default()
    };
    state.connection.credential = Some(cert);
    state.compose.token = "ab".repeat(32);
    state.guide_hidden = true;
    let mut harness = support::gui::app_with_state(data.path(), size, state);
    step_until(&mut harness, "the simulator and the credential", |h| {
        h.state().simulator().simulator().is_some()
            && h.state()
                .credentials()
                .entries()
                .iter()
                .all(|e| e.loaded().is_some())
    });
    assert!(!in_view(&harness, "200 Delivered", size));
    harness.get_by_label("Send").click();
    harness.step();
    step_until(&mut harness, "the answer", |h| {
        h.state().compose().last().is_some()
    });
    harness.run_steps(4);
    assert!(
        in_view(&harness, "200 Delivered", size),
        "the answer scrolled into view"
    );
}

/// At 800×600 the credential list sits above the chosen credential and shows a row or two:
/// one imported now is brought into view there, so the list and the card below it name the
/// same file (three `Push.pem` are told apart by their folders).
#[test]
fn a_credential_imported_into_a_short_list_is_scrolled_to() {
    let size = [800.0, 600.0];
    let data = tempfile::tempdir().unwrap();
    let mut saved = Vec::new();
    for folder in ["first", "second", "third"] {
        let dir = data.path().join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        saved.push(SavedCredential {
            name: "Push.pem".into(),
            path: credential(&dir),
            key_path: None,
        });
    }
    let fourth = data.path().join("fourth");
    std::fs::create_dir_all(&fourth).unwrap();
    let new = credential(&fourth);
    let state = State {
        section: Section::Credentials,
        credentials: saved,
        ..State::default()
    };
    let mut harness = support::gui::app_with_state(data.path(), size, state);
    step_until(&mut harness, "the three credentials read", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .all(|e| e.loaded().is_some())
    });
    harness.get_by_label("File path").focus();
    harness.run();
    harness
        .get_by_label("File path")
        .type_text(&new.display().to_string());
    harness.run();
    harness.get_by_label("Import").click();
    step_until(&mut harness, "the fourth read and shown", |h| {
        h.state().credentials().entries().len() == 4
            && h.state()
                .credentials()
                .entries()
                .iter()
                .all(|e| e.loaded().is_some())
    });
    harness.run_steps(3);
    // The list's row (a button "Show Push.pem · … · folder"), not the card's file row.
    let row = harness
        .get_all_by_role(Role::Button)
        .find(|n| {
            n.accesskit_node().label().is_some_and(|l| {
                l.starts_with("Show Push.pem") && l.ends_with(&fourth.display().to_string())
            })
        })
        .expect("the new credential's row");
    let b = row.accesskit_node().bounding_box().unwrap();
    // Above the card of the credential chosen, which begins with its Remove button.
    let card = harness
        .get_by_label("Remove from list")
        .accesskit_node()
        .bounding_box()
        .unwrap();
    assert!(
        b.y0 >= 0.0 && b.y1 <= card.y0,
        "the new row is on screen, above the card at {card:?}: {b:?}"
    );
}

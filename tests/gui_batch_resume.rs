//! The app's Batch screen resumes a batch interrupted by closing the window: the server (an
//! HTTP/2 peer written in this test, whose own record is the truth) stops answering halfway,
//! the window goes away with pushes answered, pushes sent without an answer and pushes never
//! sent; the next start offers the batch, and "Resume" sends exactly the ones never sent. By
//! the peer's record every token was processed exactly once.
//!
//! One test in this file: it waits for the closed window's worker threads to end (by their
//! name), which other windows in the same process would keep alive.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::gui::App;
use pushlab::gui::app::Section;
use pushlab::gui::state::{Destination, SavedCredential, State};
use support::gui::step_until;
use support::h2peer::{Misbehaviour, Peer};

use support::gui::TOKENS_FIELD;
const BUNDLE: &str = "com.example.resume";
const TOTAL: u64 = 3_000;
const ANSWERED: u64 = 500;
/// Pushes in flight at once: when the server stops answering, this many more reach it and
/// then the app waits, writing nothing.
const IN_FLIGHT: u64 = 200;

fn token(i: u64) -> String {
    format!("{:064x}", 0xabc0_0000_u64 + i)
}

/// A combined PEM for `BUNDLE`; the peer takes any client certificate.
fn push_pem(dir: &Path) -> PathBuf {
    let ca = pushlab::cert::CertificateAuthority::generate("resume test CA").unwrap();
    let cred = ca
        .issue_push_certificate(&PushCertificateSpec::new(
            BUNDLE,
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
    support::write(dir, "Push.pem", &pem)
}

fn state(peer: &Peer, cert: &Path, ca: &Path) -> State {
    let mut state = State {
        section: Section::Batch,
        credentials: vec![SavedCredential {
            name: "Push.pem".to_owned(),
            path: cert.to_owned(),
            key_path: None,
        }],
        ..State::default()
    };
    state.connection.destination = Destination::Custom;
    state.connection.custom_host = peer.addr.to_string();
    state.connection.custom_ca = ca.display().to_string();
    state.connection.credential = Some(cert.to_owned());
    state.compose.bundle_id = BUNDLE.to_owned();
    state.batch.connections = 1;
    state.batch.max_in_flight = IN_FLIGHT as usize;
    state
}

fn app(data: &Path, state: State) -> Harness<'static, App> {
    let mut harness = support::gui::app_with_state(data, [1024.0, 640.0], state);
    step_until(&mut harness, "the credential loaded", |h| {
        h.state()
            .credentials()
            .entries()
            .iter()
            .any(|e| e.loaded().is_some())
    });
    harness
}

/// 2300 as the app writes it in English: "2,300".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Threads of the app's worker runtime still alive in this process.
fn worker_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .flatten()
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|name| name.trim() == "pushlab-tokio")
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn a_batch_cut_off_by_closing_the_window_is_resumed_on_the_next_start() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let holding = Arc::new(AtomicBool::new(true));
    let peer = rt.block_on(Peer::start(Misbehaviour {
        hold_after: Some((ANSWERED, holding.clone())),
        ..Misbehaviour::default()
    }));
    let files = tempfile::tempdir().unwrap();
    let cert = push_pem(files.path());
    let ca = support::write(files.path(), "peer-ca.pem", &peer.ca.to_pem().unwrap());
    let data = files.path().join("data");

    // The first window: 3,000 tokens; the server answers 500 and then nothing.
    let mut first = app(&data, state(&peer, &cert, &ca));
    let paste: String = (0..TOTAL).map(|i| format!("{}\n", token(i))).collect();
    first.get_by_label(TOKENS_FIELD).focus();
    first.run();
    first.get_by_label(TOKENS_FIELD).type_text(&paste);
    first.run();
    first.get_by_label("Send batch").click();
    let deadline = Instant::now() + Duration::from_secs(60);
    while (peer.processed().len() as u64) < ANSWERED + IN_FLIGHT {
        assert!(Instant::now() < deadline, "the batch never got going");
        first.step();
    }
    // Closed mid-batch: the window and its worker go away.
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(30);
    while worker_threads() > 0 {
        assert!(
            Instant::now() < deadline,
            "the closed window's worker never ended"
        );
        std::thread::yield_now();
    }
    let before = peer.processed();
    let sent_first = before.len() as u64;
    assert_eq!(
        sent_first,
        ANSWERED + IN_FLIGHT,
        "the app waited for answers with its window full"
    );
    assert!(before.values().all(|&n| n == 1));

    // The next start offers it; the server answers again.
    holding.store(false, Ordering::SeqCst);
    let mut second = app(&data, state(&peer, &cert, &ca));
    step_until(&mut second, "the unfinished batch offered", |h| {
        !h.state().batch().interrupted().is_empty()
    });
    second.run();
    let offered = &second.state().batch().interrupted()[0];
    let (left, unconfirmed) = (offered.to_send, offered.unconfirmed);
    assert_eq!(
        left,
        TOTAL - sent_first,
        "exactly the ones never sent are left"
    );
    // Answered results may still have been in memory (written out every half second): those
    // count as sent without an answer too, never as not sent.
    assert!(
        unconfirmed >= IN_FLIGHT && unconfirmed <= sent_first,
        "{unconfirmed}"
    );
    assert!(
        second
            .query_by_label_contains("A batch was not finished")
            .is_some()
    );
    second
        .get_by_label_contains(&format!("Resume: send the {} not sent", grouped(left)))
        .click();
    step_until(&mut second, "the resumed batch finishing", |h| {
        h.state().batch().summary().is_some()
    });

    // The peer's own record: every token once, none twice.
    let after = peer.processed();
    assert_eq!(after.len() as u64, TOTAL, "every token reached the server");
    let twice: Vec<_> = after.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    // What the app says agrees: the rest delivered, the ones cut off unconfirmed.
    let summary = second.state().batch().summary().unwrap().clone();
    assert_eq!(summary.delivered, left, "{summary:?}");
    assert_eq!(summary.unconfirmed, unconfirmed, "{summary:?}");
    // Every push has its result: nothing more to offer, the journal is gone.
    assert!(second.state().batch().interrupted().is_empty());
    let journals: Vec<_> = std::fs::read_dir(data.join("batches"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(journals.is_empty(), "left behind: {journals:?}");
}

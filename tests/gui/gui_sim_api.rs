//! The app's embedded simulator exposes the control API and web inbox when its switch is on:
//! the Simulator screen shows where, an HTTP client outside the app is answered there, and
//! switched off and applied, the port is closed.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::io::{Read as _, Write as _};

use egui_kittest::kittest::Queryable as _;
use pushlab::gui::app::Section;
use pushlab::gui::state::State;
use support::gui::step_until;

/// A plain HTTP/1.1 GET, written here (not pushlab's), answered with status line and body.
fn get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    let mut tcp = std::net::TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    tcp.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn the_simulator_screen_switches_the_control_api_on_and_off() {
    let data = tempfile::tempdir().unwrap();
    let mut state = State {
        section: Section::Simulator,
        ..State::default()
    };
    state.simulator.api_enabled = true;
    let mut harness = support::gui::app_with_state(data.path(), [1366.0, 900.0], state);
    step_until(&mut harness, "the API", |h| {
        h.state().simulator().api_addr().is_some()
    });
    harness.state_mut().show_section(Section::Simulator);
    harness.run_ok();
    let addr = harness.state().simulator().api_addr().unwrap();
    let _ = harness.get_by_label("Control API and web inbox");
    let url = format!("http://{addr}/");
    let _ = harness.get_by_label(&url);
    let _ = harness.get_by_label("API port");
    let answer = get(addr, "/api/v1/simulator").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let apns = harness.state().simulator().simulator().unwrap().addr();
    assert!(answer.contains(&apns.to_string()), "{answer}");

    harness.get_by_label("Control API and web inbox").click();
    harness.run_ok();
    assert!(
        !harness.state().state().simulator.api_enabled,
        "the switch is off"
    );
    harness.get_by_label("Apply and restart").click();
    step_until(&mut harness, "the API closed", |h| {
        h.state().simulator().api_addr().is_none() && h.state().simulator().simulator().is_some()
    });
    assert!(
        get(addr, "/api/v1/simulator").is_err(),
        "the port is closed"
    );
}

//! The Connection screen's Proxy field, driven headless by accessibility label: a check of the
//! embedded simulator through an HTTP proxy written in the test (which wants a password),
//! judged by the proxy's own record.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use crate::support::gui::{shows, type_into};
use egui_kittest::kittest::Queryable as _;
use support::gui::step_until;
use support::proxy::{Behaviour, Proxy};

const PASSWORD: &str = "gui-proxy-Pa55";

#[test]
fn the_connection_check_goes_through_the_proxy_field() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let proxy = runtime.block_on(Proxy::start(Behaviour::Http {
        login: Some(("alice", PASSWORD)),
    }));
    let data = tempfile::tempdir().unwrap();
    let mut harness = support::gui::app(data.path(), [1400.0, 2400.0]);
    support::gui::until_simulator_runs(&mut harness);
    let sim = harness.state().simulator().simulator().unwrap().addr();
    harness.get_by_label("Connection").click();
    harness.run();
    harness.get_by_label("Generate a test certificate").click();
    support::gui::until_a_credential_is_loaded(&mut harness);

    type_into(
        &mut harness,
        "Proxy (optional)",
        &format!("http://alice@{}", proxy.addr),
    );
    type_into(&mut harness, "Proxy password", PASSWORD);
    harness.get_by_label("Check connection").click();
    step_until(&mut harness, "the check finishing", |h| {
        h.state().connection().report().is_some()
    });
    let report = harness.state().connection().report().unwrap();
    assert!(report.passed(), "{report:#?}");
    for step in [
        "DNS lookup",
        "Proxy connection",
        "Tunnel through the proxy",
        "TLS handshake",
        "Authenticated request",
    ] {
        assert!(shows(&harness, &format!("{step} — passed")), "{step}");
    }
    assert!(!shows(&harness, "TCP connection"));
    assert!(!shows(&harness, PASSWORD));
    let record = proxy.record();
    assert_eq!(record.connects.len(), 1, "{record:?}");
    assert_eq!(record.connects[0].0, format!("CONNECT {sim} HTTP/1.1"));
    assert!(record.connects[0].1.is_some());
}

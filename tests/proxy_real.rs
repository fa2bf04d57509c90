//! `pushlab check` through a real HTTP proxy pushlab did not write: Debian's `tinyproxy`
//! (`apt-get install tinyproxy`), with basic authentication and a CONNECT port rule. Skipped,
//! saying so, where tinyproxy is not installed; `proxy_truth.rs` covers the same paths with
//! proxies written in the test everywhere.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use pushlab::cert::{CertEnvironment, Environment, PushCertificateSpec};
use pushlab::sim::{SimConfig, SimIdentity, Simulator};
use serde_json::Value;
use support::cli::{Running, spawn_with_lines};

const PASSWORD: &str = "tiny-Pa55-9f3";

fn tinyproxy_installed() -> bool {
    Command::new("tinyproxy")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts tinyproxy on a free port, allowing CONNECT to `allowed_port` only; returns it
/// (killed when dropped) and its port, once it accepts connections.
fn tinyproxy(dir: &Path, allowed_port: u16) -> (Running, u16) {
    let port = free_port();
    let conf = dir.join(format!("tinyproxy-{port}.conf"));
    std::fs::write(
        &conf,
        format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 10\nAllow 127.0.0.1\nBasicAuth alice {PASSWORD}\nConnectPort {allowed_port}\nLogLevel Info\n"
        ),
    )
    .unwrap();
    let mut cmd = Command::new("tinyproxy");
    cmd.arg("-d").arg("-c").arg(&conf);
    let (running, mut lines) = spawn_with_lines(cmd);
    lines.wait_for(|l| l.contains("Accepting connections"));
    (running, port)
}

fn check(dir: &Path, env: &str, proxy: &str) -> (Option<i32>, Value, String) {
    let mut cmd = support::pushlab();
    for v in ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        cmd.env_remove(v);
    }
    let out = cmd
        .args([
            "check",
            "--json",
            "--timeout",
            "5",
            "--env",
            env,
            "--proxy",
            proxy,
        ])
        .arg("--cert")
        .arg(dir.join("ck.pem"))
        .arg("--ca")
        .arg(dir.join("ca.pem"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));
    let json =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (out.status.code(), json, stderr)
}

fn failed_detail(json: &Value) -> (String, String) {
    let step = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "failed")
        .unwrap_or_else(|| panic!("nothing failed: {json:#}"));
    (
        step["name"].as_str().unwrap().to_owned(),
        step["detail"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn check_through_tinyproxy() {
    if !tinyproxy_installed() {
        eprintln!("skipped: tinyproxy is not installed (apt-get install tinyproxy)");
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let identity = SimIdentity::ephemeral().unwrap();
    let sim = runtime
        .block_on(Simulator::start(SimConfig::new(
            Environment::Sandbox,
            identity.clone(),
        )))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cred = identity
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(
            "com.example.doorbell",
            CertEnvironment::Development,
        ))
        .unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .as_ref()
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    support::write(dir.path(), "ck.pem", &pem);
    support::write(
        dir.path(),
        "ca.pem",
        &identity.ca.certificate.to_pem().unwrap(),
    );
    let sim_port = sim.addr().port();
    let (_proxy, port) = tinyproxy(dir.path(), sim_port);
    let env = format!("localhost:{sim_port}");

    let (code, json, stderr) = check(
        dir.path(),
        &env,
        &format!("http://alice:{PASSWORD}@127.0.0.1:{port}"),
    );
    assert_eq!(code, Some(0), "{json:#}\n{stderr}");
    let names: Vec<_> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dns", "proxy", "tunnel", "tls", "http2", "auth"]);

    let (code, json, _) = check(
        dir.path(),
        &env,
        &format!("http://alice:wrong@127.0.0.1:{port}"),
    );
    assert_eq!(code, Some(1));
    let (step, detail) = failed_detail(&json);
    assert_eq!(step, "tunnel");
    // tinyproxy answers 401 rather than 407 to CONNECT with a wrong password.
    assert!(
        detail.contains("rejected the user name and password"),
        "{detail}"
    );

    // A port the proxy's ConnectPort rule does not allow.
    let (code, json, _) = check(
        dir.path(),
        &format!("localhost:{}", free_port()),
        &format!("http://alice:{PASSWORD}@127.0.0.1:{port}"),
    );
    assert_eq!(code, Some(1));
    let (step, detail) = failed_detail(&json);
    assert_eq!(step, "tunnel");
    assert!(detail.contains("403"), "{detail}");
    runtime.block_on(sim.shutdown());
}

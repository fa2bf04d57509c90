//! `pushlab check` through real proxies pushlab did not write: Debian's `tinyproxy` (HTTP,
//! basic authentication, a CONNECT port rule) and `danted` (dante-server: SOCKS5, a ruleset
//! that blocks a port). Each is skipped, saying so, where it is not installed; `proxy_truth.rs` covers the same paths with
//! proxies written in the test everywhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::path::Path;
use std::process::Command;

use pushlab::apns::Environment;
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
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
            "--server",
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
    write_credential(dir.path(), &identity);
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

/// Dante (`danted`, Debian's dante-server) run by the test: ended with SIGTERM, on which it
/// ends its own child processes too, then waited for.
struct Dante(Running);

impl Drop for Dante {
    fn drop(&mut self) {
        let pid = self.0.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.0.0.wait();
    }
}

#[test]
fn check_through_dante_socks5() {
    if Command::new("danted").arg("-v").output().is_err() {
        eprintln!("skipped: danted is not installed (apt-get install dante-server)");
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
    write_credential(dir.path(), &identity);
    let sim_port = sim.addr().port();
    let blocked = free_port();
    let port = free_port();
    let conf = dir.path().join("danted.conf");
    std::fs::write(
        &conf,
        format!(
            "logoutput: stdout\ninternal: 127.0.0.1 port = {port}\nexternal: 127.0.0.1\nsocksmethod: none\nclientmethod: none\nuser.unprivileged: nobody\nclient pass {{ from: 127.0.0.0/8 to: 0.0.0.0/0 }}\nsocks block {{ from: 0.0.0.0/0 to: 0.0.0.0/0 port = {blocked} }}\nsocks pass {{ from: 127.0.0.0/8 to: 0.0.0.0/0 }}\n"
        ),
    )
    .unwrap();
    let mut cmd = Command::new("danted");
    cmd.arg("-f").arg(&conf).args(["-N", "1"]);
    let (running, mut lines) = spawn_with_lines(cmd);
    let _dante = Dante(running);
    lines.wait_for(|l| l.contains("running"));

    let proxy = format!("socks5h://127.0.0.1:{port}");
    let (code, json, stderr) = check(dir.path(), &format!("localhost:{sim_port}"), &proxy);
    assert_eq!(code, Some(0), "{json:#}\n{stderr}");
    assert_eq!(json["steps"][2]["name"], "tunnel");
    assert!(
        json["steps"][2]["detail"]
            .as_str()
            .unwrap()
            .contains("resolved the name")
    );

    // Dante's ruleset blocks this port: SOCKS reply 0x02.
    let (code, json, _) = check(dir.path(), &format!("localhost:{blocked}"), &proxy);
    assert_eq!(code, Some(1));
    let (step, detail) = failed_detail(&json);
    assert_eq!(step, "tunnel");
    assert!(
        detail.contains("0x02") && detail.contains("ruleset"),
        "{detail}"
    );
    runtime.block_on(sim.shutdown());
}

fn write_credential(dir: &Path, identity: &SimIdentity) {
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
    support::write(dir, "ck.pem", &pem);
    support::write(dir, "ca.pem", &identity.ca.certificate.to_pem().unwrap());
}

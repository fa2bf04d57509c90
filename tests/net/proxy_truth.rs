//! Pushlab through proxies written here, judged by their own record: an HTTP CONNECT proxy
//! (with basic authentication) and a SOCKS5 proxy (with user name and password) that tunnel
//! to an in-process simulator, and proxies that refuse, ask for credentials, forbid, answer
//! garbage or never answer. `check`, `send`, `legacy-send` and `feedback` run as processes;
//! the proxies' records show what reached them, and no output ever shows the password.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;
use std::time::Duration;

use base64::Engine as _;
use pushlab::apns::Environment;
use serde_json::Value;
use support::proxy::{BUNDLE, Behaviour, Lab, Proxy};
use tokio::net::TcpListener;

const PASSWORD: &str = "s3cret-Pa55";
const TOKEN: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.lines().next().unwrap_or_default())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }

    /// The check's steps as (name, status).
    fn steps(&self) -> Vec<(String, String)> {
        self.json()["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_owned(),
                    s["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// The step that failed: (name, detail, fix).
    fn failed(&self) -> (String, String, String) {
        let report = self.json();
        let step = report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["status"] == "failed")
            .unwrap_or_else(|| panic!("nothing failed: {report}"))
            .clone();
        (
            step["name"].as_str().unwrap().to_owned(),
            step["detail"].as_str().unwrap().to_owned(),
            step["fix"].as_str().unwrap_or_default().to_owned(),
        )
    }
}

async fn run(mut cmd: tokio::process::Command) -> Ran {
    let out = cmd.output().await.unwrap();
    let ran = Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !ran.stdout.contains(PASSWORD) && !ran.stderr.contains(PASSWORD),
        "the proxy password was shown:\n{}\n{}",
        ran.stdout,
        ran.stderr
    );
    ran
}

fn http_url(p: &Proxy) -> String {
    format!("http://alice:{PASSWORD}@{}", p.addr)
}

const THROUGH_PROXY: [&str; 6] = ["dns", "proxy", "tunnel", "tls", "http2", "auth"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_and_send_through_an_http_connect_proxy_with_credentials() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Http {
        login: Some(("alice", PASSWORD)),
    })
    .await;
    let url = http_url(&proxy);
    let env = lab.env();

    let ran = run(lab.pushlab(&["check", "--server", &env, "--json", "--proxy", &url])).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    let steps = ran.steps();
    let names: Vec<_> = steps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, THROUGH_PROXY);
    assert!(steps.iter().all(|(_, s)| s == "passed"), "{steps:?}");
    assert_eq!(
        ran.json()["proxy"],
        format!("http://alice:***@{}", proxy.addr)
    );

    let ran = run(lab.pushlab(&[
        "send", "--server", &env, "--json", "--token", TOKEN, "--alert", "Ding", "--proxy", &url,
    ]))
    .await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    assert_eq!(ran.json()["status"], 200);
    assert!(ran.stderr.contains("through the proxy http://alice:***@"));
    let delivered = lab.sim.inbox().deliveries();
    assert_eq!(delivered.len(), 1, "{delivered:?}");

    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}"))
    );
    let record = proxy.record();
    assert_eq!(record.connects.len(), 2, "{record:?}");
    for (line, auth) in &record.connects {
        assert_eq!(line, &format!("CONNECT {env} HTTP/1.1"));
        assert_eq!(auth.as_deref(), Some(expected_auth.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_through_a_socks5_proxy_that_resolves_the_name() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Socks {
        reply: 0,
        login: Some(("bob", PASSWORD)),
    })
    .await;
    let env = lab.env();
    for scheme in ["socks5", "socks5h"] {
        let url = format!("{scheme}://bob:{PASSWORD}@{}", proxy.addr);
        let ran = run(lab.pushlab(&[
            "send", "--server", &env, "--json", "--token", TOKEN, "--proxy", &url,
        ]))
        .await;
        assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
        assert_eq!(ran.json()["status"], 200);
    }
    assert_eq!(lab.sim.inbox().deliveries().len(), 2);
    let record = proxy.record();
    // Address type 3: the name itself went to the proxy, for both spellings.
    assert_eq!(
        record.socks,
        vec![(3, "localhost".to_owned()), (3, "localhost".to_owned())]
    );
    assert_eq!(
        record.socks_logins[0],
        ("bob".to_owned(), PASSWORD.to_owned())
    );
}

/// A host this machine cannot resolve still works: only the proxy looks it up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_never_resolves_the_host_itself_behind_socks() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Socks {
        reply: 0,
        login: None,
    })
    .await;
    let identity_ca = lab.sim.ca_certificate().clone();
    let mut target =
        pushlab::client::Target::simulator(lab.sim.addr(), identity_ca, Environment::Sandbox);
    target.host = "apns.pushlab.invalid".to_owned();
    target.proxy = Some(pushlab::proxy::Proxy::parse(&format!("socks5://{}", proxy.addr)).unwrap());
    let auth = pushlab::client::ClientAuth::Certificate(
        pushlab::cert::Credential::from_files(
            &pushlab::cert::load_file(&lab.cert, None).unwrap(),
            None,
        )
        .unwrap(),
    );
    let mut ignore = |_: &pushlab::client::Step| {};
    let report = pushlab::client::check(
        &target,
        &auth,
        Some(BUNDLE),
        Duration::from_secs(10),
        &mut ignore,
    )
    .await;
    assert!(report.passed(), "{report:#?}");
    assert!(report.steps[0].detail.contains("resolved by the proxy"));
    assert_eq!(
        proxy.record().socks,
        vec![(3, "apns.pushlab.invalid".to_owned())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_proxy_failure_says_what_it_means() {
    let lab = Lab::start().await;
    let env = lab.env();
    let check = |url: String| {
        let env = env.clone();
        let lab = &lab;
        async move {
            let ran = run(lab.pushlab(&[
                "check",
                "--server",
                &env,
                "--json",
                "--timeout",
                "2",
                "--proxy",
                &url,
            ]))
            .await;
            assert_eq!(ran.code, Some(1), "{}\n{}", ran.stdout, ran.stderr);
            let names: Vec<_> = ran.steps().into_iter().map(|(n, _)| n).collect();
            assert_eq!(names, THROUGH_PROXY);
            ran.failed()
        }
    };

    // Nothing listens where the proxy should be.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let (step, detail, fix) = check(format!("http://alice:{PASSWORD}@127.0.0.1:{port}")).await;
    assert_eq!(step, "proxy");
    assert!(detail.contains("refused the connection"), "{detail}");
    assert!(fix.contains("--no-proxy"), "{fix}");

    // 407: no credentials, then wrong ones.
    let p = Proxy::start(Behaviour::Http {
        login: Some(("alice", "other")),
    })
    .await;
    let (step, detail, fix) = check(format!("http://{}", p.addr)).await;
    assert_eq!(step, "tunnel");
    assert!(
        detail.contains("407") && detail.contains("needs a user name and password"),
        "{detail}"
    );
    assert!(fix.contains("USER:PASSWORD@"), "{fix}");
    let (_, detail, _) = check(http_url(&p)).await;
    assert!(
        detail.contains("rejected the user name and password"),
        "{detail}"
    );
    // A proxy that wants a scheme pushlab does not speak says which.
    let p = Proxy::start(Behaviour::HttpAnswer(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\n\r\n",
    ))
    .await;
    let (_, detail, _) = check(http_url(&p)).await;
    assert!(detail.contains("asks for NTLM"), "{detail}");

    // 403: the proxy forbids the port.
    let p = Proxy::start(Behaviour::HttpAnswer("HTTP/1.1 403 Forbidden\r\n\r\n")).await;
    let (step, detail, fix) = check(http_url(&p)).await;
    assert_eq!(step, "tunnel");
    assert!(
        detail.contains("403 Forbidden") && detail.contains(&env),
        "{detail}"
    );
    assert!(fix.contains("2197"), "{fix}");

    // Something that is not an HTTP proxy.
    let p = Proxy::start(Behaviour::HttpAnswer("SSH-2.0-OpenSSH_9.2\r\n")).await;
    let (_, detail, _) = check(http_url(&p)).await;
    assert!(
        detail.contains("did not answer as an HTTP proxy"),
        "{detail}"
    );

    // A proxy that never answers: the check's timeout, not a hang.
    let p = Proxy::start(Behaviour::Silent).await;
    let started = std::time::Instant::now();
    let (step, detail, _) = check(http_url(&p)).await;
    assert_eq!(step, "tunnel");
    assert!(
        detail.contains("no answer from the proxy") && detail.contains("CONNECT"),
        "{detail}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));

    // SOCKS refusals, by their code.
    for (code, words) in [
        (0x02, "not allowed by the proxy's ruleset"),
        (0x04, "host unreachable"),
        (0x05, "connection refused by the target host"),
    ] {
        let p = Proxy::start(Behaviour::Socks {
            reply: code,
            login: None,
        })
        .await;
        let (step, detail, _) = check(format!("socks5h://{}", p.addr)).await;
        assert_eq!(step, "tunnel");
        assert!(
            detail.contains(words) && detail.contains(&format!("{code:#04x}")),
            "{detail}"
        );
    }
    // A SOCKS proxy that wants credentials nobody gave, then wrong ones.
    let p = Proxy::start(Behaviour::Socks {
        reply: 0,
        login: Some(("bob", "right")),
    })
    .await;
    let (_, detail, fix) = check(format!("socks5://{}", p.addr)).await;
    assert!(
        detail.contains("rejected the authentication methods"),
        "{detail}"
    );
    assert!(fix.contains("USER:PASSWORD@"), "{fix}");
    let (_, detail, _) = check(format!("socks5://bob:{PASSWORD}@{}", p.addr)).await;
    assert!(
        detail.contains("rejected the user name and password"),
        "{detail}"
    );

    // The SOCKS proxy is really an HTTP one (which answers a request it cannot parse).
    let p = Proxy::start(Behaviour::Blurt("HTTP/1.1 400 Bad Request\r\n\r\n")).await;
    let (_, detail, fix) = check(format!("socks5://{}", p.addr)).await;
    assert!(
        detail.contains("did not answer as a SOCKS5 proxy"),
        "{detail}"
    );
    assert!(fix.contains("http://"), "{fix}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_is_used_unless_no_proxy_or_the_flag_says_otherwise() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Http { login: None }).await;
    let env = lab.env();
    let url = format!("http://{}", proxy.addr);
    let dead = "http://127.0.0.1:1";
    let names = |ran: &Ran| -> Vec<String> { ran.steps().into_iter().map(|(n, _)| n).collect() };

    // HTTPS_PROXY with no flag: through the proxy.
    let mut cmd = lab.pushlab(&["check", "--server", &env, "--json"]);
    cmd.env("HTTPS_PROXY", &url);
    let ran = run(cmd).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    assert_eq!(names(&ran), THROUGH_PROXY);
    assert_eq!(proxy.record().connects.len(), 1);

    // ALL_PROXY (lower case) too.
    let mut cmd = lab.pushlab(&["check", "--server", &env, "--json"]);
    cmd.env("all_proxy", &url);
    assert_eq!(run(cmd).await.code, Some(0));
    assert_eq!(proxy.record().connects.len(), 2);

    // NO_PROXY naming the host: direct.
    let mut cmd = lab.pushlab(&["check", "--server", &env, "--json"]);
    cmd.env("HTTPS_PROXY", dead)
        .env("NO_PROXY", "example.org,localhost");
    let ran = run(cmd).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    assert_eq!(names(&ran), ["dns", "tcp", "tls", "http2", "auth"]);

    // --proxy wins over the environment; --no-proxy and --proxy none ignore it.
    let mut cmd = lab.pushlab(&["check", "--server", &env, "--json", "--proxy", &url]);
    cmd.env("HTTPS_PROXY", dead);
    assert_eq!(run(cmd).await.code, Some(0));
    assert_eq!(proxy.record().connects.len(), 3);
    for flag in [&["--no-proxy"][..], &["--proxy", "none"]] {
        let mut cmd = lab.pushlab(&["check", "--server", &env, "--json"]);
        cmd.args(flag).env("HTTPS_PROXY", dead);
        let ran = run(cmd).await;
        assert_eq!(
            ran.code,
            Some(0),
            "{flag:?}: {}\n{}",
            ran.stdout,
            ran.stderr
        );
        assert_eq!(names(&ran)[1], "tcp");
    }

    // A proxy variable that does not parse is named, its value (and password) not shown.
    let mut cmd = lab.pushlab(&["check", "--server", &env, "--json"]);
    cmd.env("HTTPS_PROXY", format!("ftp://u:{PASSWORD}@h"));
    let ran = run(cmd).await;
    assert_eq!(ran.code, Some(2));
    assert!(ran.stderr.contains("HTTPS_PROXY"), "{}", ran.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_send_and_feedback_go_through_the_proxy() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Http {
        login: Some(("alice", PASSWORD)),
    })
    .await;
    let url = http_url(&proxy);
    let gateway = lab.sim.legacy_addr().unwrap().to_string();
    let feedback = lab.sim.feedback_addr().unwrap().to_string();

    let ran = run(lab.pushlab(&[
        "legacy-send",
        "--server",
        &gateway,
        "--token",
        TOKEN,
        "--alert",
        "Ding",
        "--json",
        "--proxy",
        &url,
    ]))
    .await;
    assert!(
        matches!(ran.code, Some(0 | 1)),
        "{}\n{}",
        ran.stdout,
        ran.stderr
    );
    let ran =
        run(lab.pushlab(&["feedback", "--server", &feedback, "--json", "--proxy", &url])).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);

    let lines: Vec<_> = proxy
        .record()
        .connects
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert!(
        lines.contains(&format!("CONNECT {gateway} HTTP/1.1")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&format!("CONNECT {feedback} HTTP/1.1")),
        "{lines:?}"
    );

    // A proxy that refuses: the legacy command says so, with the fix.
    let p = Proxy::start(Behaviour::HttpAnswer("HTTP/1.1 403 Forbidden\r\n\r\n")).await;
    let ran =
        run(lab.pushlab(&["feedback", "--server", &feedback, "--proxy", &http_url(&p)])).await;
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("403 Forbidden") && ran.stderr.contains("2197"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_names_the_proxy_and_blames_it_when_it_refuses() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Http {
        login: Some(("alice", PASSWORD)),
    })
    .await;
    let env = lab.env();
    let doctor = |url: String| {
        let env = env.clone();
        let lab = &lab;
        async move {
            let ran = run(lab.pushlab(&[
                "doctor",
                "--json",
                "--no-send",
                "--timeout",
                "5",
                "--environment",
                "sandbox",
                "--server",
                &env,
                "--proxy",
                &url,
            ]))
            .await;
            serde_json::from_str::<Value>(ran.stdout.trim())
                .unwrap_or_else(|e| panic!("{e}: {}\n{}", ran.stdout, ran.stderr))
        }
    };
    let json = doctor(http_url(&proxy)).await;
    let causes: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["cause"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        causes.contains(&("proxy_in_use".to_owned(), "info".to_owned())),
        "{json:#}"
    );
    assert!(
        causes.contains(&("tunnel".to_owned(), "passed".to_owned())),
        "{json:#}"
    );
    assert_eq!(proxy.record().connects.len(), 1);

    // Proxy variables set, but NO_PROXY names the host: a warning that says so.
    let mut cmd = lab.pushlab(&[
        "doctor",
        "--json",
        "--no-send",
        "--timeout",
        "5",
        "--environment",
        "sandbox",
        "--server",
        &env,
    ]);
    cmd.env("HTTPS_PROXY", "http://127.0.0.1:1")
        .env("NO_PROXY", "localhost");
    let ran = run(cmd).await;
    let json: Value = serde_json::from_str(ran.stdout.trim()).unwrap();
    let warning = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == "proxy_variables")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(warning["status"], "warning");
    assert!(
        warning["evidence"]
            .as_str()
            .unwrap()
            .contains("HTTPS_PROXY")
    );

    let forbidding = Proxy::start(Behaviour::HttpAnswer("HTTP/1.1 403 Forbidden\r\n\r\n")).await;
    let json = doctor(http_url(&forbidding)).await;
    assert_eq!(json["verdict"]["cause"], "tunnel", "{json:#}");
    assert!(json["verdict"]["fix"].as_str().unwrap().contains("2197"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_goes_through_the_proxy() {
    let lab = Lab::start().await;
    let proxy = Proxy::start(Behaviour::Socks {
        reply: 0,
        login: None,
    })
    .await;
    let tokens = lab.dir.path().join("tokens.txt");
    std::fs::write(&tokens, format!("{TOKEN}\n{}\n", "ab".repeat(32))).unwrap();
    let env = lab.env();
    let url = format!("socks5h://{}", proxy.addr);
    let mut cmd = lab.pushlab(&["batch", "--server", &env, "--json", "--alert", "Ding"]);
    cmd.arg("--tokens").arg(&tokens).env("ALL_PROXY", &url);
    let ran = run(cmd).await;
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    assert_eq!(lab.sim.inbox().deliveries().len(), 2);
    assert!(!proxy.record().socks.is_empty());
    assert!(
        proxy
            .record()
            .socks
            .iter()
            .all(|(atyp, name)| *atyp == 3 && name == "localhost")
    );
}

//! The OpenAPI document, the web inbox (plain GET and a real browser), and the README's examples.

use super::*;

#[test]
fn the_openapi_document_lists_every_route() {
    let lab = start(&[]);
    let doc = lab.get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in pushlab::sim::api::ROUTES {
        let method = route.method.as_str().to_lowercase();
        assert!(
            doc["paths"][route.path][&method].is_object(),
            "{method} {} is served but not described",
            route.path
        );
        // Served: no route of the table answers 404 (405 or 400 for a bad parameter is fine).
        let path = route
            .path
            .replace("{apns_id}", "00000000-0000-0000-0000-000000000000")
            .replace("{token}", &token(1))
            .replace("{bundle}", BUNDLE)
            .replace("{channel}", "bm9uZQ%3D%3D");
        if route.path == "/api/v1/events" || method != "get" {
            continue;
        }
        let wait = route.path.ends_with("/wait");
        let status = lab
            .get(&format!("{path}{}", if wait { "?timeout=1" } else { "" }))
            .status;
        assert!(
            status == 200 || (status == 404 && route.path.contains('{')) || (status == 408 && wait),
            "{path}: {status}"
        );
    }
    assert_eq!(lab.get("/api/v2/deliveries").status, 404);
}

#[test]
fn the_web_inbox_lists_deliveries_without_javascript_and_escapes_payloads() {
    let lab = start(&[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut c = lab.client().await;
        let hostile = r#"{"aps":{"alert":{"title":"<script>alert(1)</script>","body":"<img src=x onerror=alert(2)> & \"quoted\""}},"x":"</pre><script>alert(3)</script>"}"#;
        assert_eq!(push(&mut c, &token(1), "alert", hostile).await.status, 200);
        assert_eq!(push(&mut c, &token(2), "alert", ALERT).await.status, 200);
        // A Live Activity start whose iOS 18 channel request is hostile text.
        let topic = format!("{BUNDLE}.push-type.liveactivity");
        let start = r#"{"aps":{"event":"start","timestamp":1764460800,"attributes-type":"Match","attributes":{},"content-state":{},"alert":{"title":"Kick-off"},"input-push-token":1,"input-push-channel":"<b>c</b>"}}"#;
        let headers = [
            ("apns-topic", topic.as_str()),
            ("apns-push-type", "liveactivity"),
        ];
        assert_eq!(c.post(&token(3), &headers, start).await.status, 200);
    });
    let page = lab.get("/");
    assert_eq!(page.status, 200);
    let html = page.body;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;"));
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("Someone rang"));
    assert!(
        html.contains("start asked to follow channel &lt;b&gt;c&lt;/b&gt;"),
        "{html}"
    );
    assert!(html.contains("start asked for its own update token"));
    assert!(!html.contains("<b>c</b>"));
    let activities = lab.get("/api/v1/activities").json();
    let started = &activities["items"][0];
    assert_eq!(started["channel"], "<b>c</b>", "{activities}");
    assert_eq!(started["token_requested"], true);
    // The filter works on the server too.
    let filtered = lab.get(&format!("/?token={}", token(2))).body;
    assert!(filtered.contains("Someone rang"));
    assert!(!filtered.contains("alert(1)"));
    // Nothing inline may run even if escaping failed: the page's policy allows only its own
    // script file.
    let headers = Command::new("curl")
        .args(["-sS", "-D", "-", "-o", "/dev/null"])
        .arg(format!("{}/", lab.api))
        .output()
        .unwrap();
    let headers = String::from_utf8_lossy(&headers.stdout).to_lowercase();
    assert!(headers.contains("content-security-policy: default-src 'none'; script-src 'self'"));
}

/// The README's three examples (shell + curl, Python, Node), run as a backend's CI would.
#[test]
fn the_readme_examples_pass_in_shell_python_and_node() {
    let lab = start(&[]);
    let data = lab.dir.path().join("sim");
    let cred = lab
        .identity
        .ca
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
    let cert = support::write(&data, "ck.pem", &pem);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let runs = [
        ("sh", "sim-api-test.sh", 11),
        ("python3", "sim_api_test.py", 12),
        ("node", "sim-api-test.mjs", 13),
    ];
    for (program, script, device) in runs {
        if Command::new(program).arg("--version").output().is_err() && program != "sh" {
            eprintln!("{program} is not installed: {script} not run");
            continue;
        }
        let out = Command::new(program)
            .arg(examples.join(script))
            .env("API", &lab.api)
            .env("APNS", lab.apns.to_string())
            .env("CERT", &cert)
            .env("CA", data.join("ca.pem"))
            .env("TOPIC", BUNDLE)
            .env("TOKEN", token(device))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("ok: delivered, then 410"));
    }
    // The Live Activity rehearsal: a start, an update missent to the push-to-start token,
    // then the update at the activity's own token.
    let out = Command::new("sh")
        .arg(examples.join("sim-live-activity-test.sh"))
        .env("API", &lab.api)
        .env("APNS", lab.apns.to_string())
        .env("KEY", &lab.key_file)
        .env("KEY_ID", support::doctor::KEY_ID)
        .env("TEAM_ID", support::doctor::TEAM_ID)
        .env("CA", data.join("ca.pem"))
        .env("TOPIC", BUNDLE)
        .env("TOKEN", token(14))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok: started, then updated"),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The web inbox in a real browser: headless chromium (driven by `support/browser.mjs` over
/// the DevTools protocol) loads the page, a push is sent, and the rendered DOM shows it
/// without a reload — its hostile title as text, not as markup.
#[tokio::test(flavor = "multi_thread")]
async fn the_web_inbox_shows_a_new_push_live_in_a_real_browser() {
    use std::io::{BufRead as _, Write as _};
    let have = |p: &str| Command::new(p).arg("--version").output().is_ok();
    if !have("chromium") || !have("node") {
        eprintln!("chromium or node is not installed: the browser test is skipped");
        return;
    }
    let lab = start(&[]);
    let mut c = lab.client().await;
    assert_eq!(push(&mut c, &token(1), "alert", ALERT).await.status, 200);
    let shot = std::env::var_os("PUSHLAB_INBOX_SCREENSHOT");
    let mut browser = Command::new("node")
        .arg("--experimental-websocket")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser.mjs"))
        .env("URL", format!("{}/", lab.api))
        .env("WANT", "Live push arrived")
        .env("SHOT", shot.unwrap_or_default())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(browser.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the page's event stream went live");
    // A Live Activity started, then an update missent to its push-to-start token: the live
    // card names the update token and why the update was dropped (before the alert, so the
    // page has them when the alert shows).
    let topic = format!("{BUNDLE}.push-type.liveactivity");
    let headers = [
        ("apns-topic", topic.as_str()),
        ("apns-push-type", "liveactivity"),
        ("apns-priority", "10"),
    ];
    let start = r#"{"aps":{"event":"start","timestamp":1764460800,"content-state":{"home":0},"attributes-type":"Score","attributes":{},"alert":{"title":"Kick-off"}}}"#;
    let update = r#"{"aps":{"event":"update","timestamp":1764460900,"content-state":{"home":1}}}"#;
    assert_eq!(c.post(&token(5), &headers, start).await.status, 200);
    assert_eq!(c.post(&token(5), &headers, update).await.status, 200);
    let live = r#"{"aps":{"alert":{"title":"<script>alert(9)</script>","body":"Live push arrived"},"badge":3}}"#;
    assert_eq!(push(&mut c, &token(2), "alert", live).await.status, 200);
    let mut stdin = browser.stdin.take().unwrap();
    writeln!(stdin, "pushed").unwrap();
    let mut dom = String::new();
    std::io::Read::read_to_string(&mut out, &mut dom).unwrap();
    assert!(browser.wait().unwrap().success(), "{dom}");
    assert!(dom.contains("Live push arrived"), "{dom}");
    assert!(
        dom.contains("Someone rang"),
        "the server-rendered one is still there"
    );
    assert!(
        dom.contains("&lt;script&gt;alert(9)&lt;/script&gt;"),
        "{dom}"
    );
    assert!(dom.contains("scripts-in-list:0"), "{dom}");
    let update_token = lab
        .get(&format!("/api/v1/activities?start_token={}", token(5)))
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        dom.contains(&format!(
            "started by a push to {}; update token {update_token}",
            token(5)
        )),
        "{dom}"
    );
    assert!(
        dom.contains("last ignored: sent to the push-to-start token"),
        "{dom}"
    );
    assert!(!dom.contains("[object Object]"), "{dom}");
}

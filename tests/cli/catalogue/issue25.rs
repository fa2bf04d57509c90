//! Rows from issue 25: inputs that never end (case 11) and outputs over inputs (case 5).

use super::*;

/// Runs pushlab with standard input from `stdin` (a file, `/dev/zero`, or nothing); it must
/// end within 30 s with `code`. Standard output and error together.
fn cli_ends(args: &[&str], stdin: Option<&str>, code: i32) -> String {
    use std::process::Stdio;
    let started = std::time::Instant::now();
    let input = match stdin {
        Some(path) => Stdio::from(std::fs::File::open(path).unwrap()),
        None => Stdio::null(),
    };
    let mut child = pushlab()
        .args(args)
        .stdin(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Polled with a deadline: a command reading forever is killed and the case fails.
    let deadline = started + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} did not end within 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
    text
}

/// Issue 25 case 5: an output never replaces an input or a file pushlab owns, `--force` or
/// not: standard input fed from the list, passphrase files, the simulator's CA key, a token
/// list given as the simulator's log, a list named as a folder (`list.txt/`).
pub(super) fn outputs_over_inputs(dir: &std::path::Path) -> Vec<Case> {
    let p = |n: &str| dir.join(n).to_str().unwrap().to_owned();
    let list = format!("{}\n", "ab".repeat(32));
    std::fs::write(p("guard-list.txt"), &list).unwrap();
    std::fs::write(p("pw.txt"), "secret\n").unwrap();
    std::fs::write(p("newpw.txt"), "fresh\n").unwrap();
    let credential = push_cert(&ca(), "com.example.app", CertEnvironment::Development);
    std::fs::write(
        p("guard-ck.pem"),
        credential.export(ExportFormat::Pem, None).unwrap(),
    )
    .unwrap();
    let data = dir.join("guard-data");
    let ca_key = data.join("pushlab/simulator/ca-key.pem");
    std::fs::create_dir_all(ca_key.parent().unwrap()).unwrap();
    std::fs::write(&ca_key, b"the simulator's CA key").unwrap();
    let with_data = |args: &[&str]| {
        let out = pushlab()
            .args(args)
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let cases = vec![
        case(
            "standard input fed from the list named as the dead-token list",
            cli_ends(
                &[
                    "batch",
                    "--tokens",
                    "-",
                    "--alert",
                    "x",
                    "--dead-tokens",
                    &p("guard-list.txt"),
                    "--force",
                ],
                Some(&p("guard-list.txt")),
                2,
            ),
            "is also an input (/dev/stdin)",
        ),
        case(
            "the input passphrase file as the output",
            cli_ends(
                &[
                    "cert",
                    "convert",
                    &p("guard-ck.pem"),
                    "--out",
                    &p("pw.txt"),
                    "--password-file",
                    &p("pw.txt"),
                    "--force",
                ],
                None,
                2,
            ),
            "pw.txt is also an input",
        ),
        case(
            "the new file's passphrase file as the output",
            cli_ends(
                &[
                    "cert",
                    "convert",
                    &p("guard-ck.pem"),
                    "--to",
                    "p12",
                    "--out",
                    &p("newpw.txt"),
                    "--out-password-file",
                    &p("newpw.txt"),
                ],
                None,
                2,
            ),
            "newpw.txt is also an input",
        ),
        case(
            "the simulator's CA key as an output",
            with_data(&[
                "cert",
                "convert",
                &p("guard-ck.pem"),
                "--out",
                ca_key.to_str().unwrap(),
                "--force",
            ]),
            "guard-data/pushlab",
        ),
        case(
            "the simulator's token list as its log",
            cli_ends(
                &[
                    "sim",
                    "--port",
                    "0",
                    "--tokens",
                    &p("guard-list.txt"),
                    "--log",
                    &p("guard-list.txt"),
                ],
                None,
                2,
            ),
            "--log: ",
        ),
        case(
            "a token list named as a folder",
            cli_ends(
                &[
                    "batch",
                    "--tokens",
                    &p("guard-list.txt"),
                    "--alert",
                    "x",
                    "--dead-tokens",
                    &format!("{}/", p("guard-list.txt")),
                ],
                None,
                2,
            ),
            "that is a folder",
        ),
    ];
    assert_eq!(std::fs::read_to_string(p("guard-list.txt")).unwrap(), list);
    assert_eq!(std::fs::read_to_string(p("pw.txt")).unwrap(), "secret\n");
    assert_eq!(std::fs::read_to_string(p("newpw.txt")).unwrap(), "fresh\n");
    assert_eq!(std::fs::read(&ca_key).unwrap(), b"the simulator's CA key");
    cases
}

/// Issue 25 case 11: small inputs are read with a cap; folders and devices are refused
/// before reading ("could not start", exit 2); a stream with no line end stops.
pub(super) fn endless_inputs(dir: &std::path::Path) -> Vec<Case> {
    let p = |n: &str| dir.join(n).to_str().unwrap().to_owned();
    std::fs::write(p("list.txt"), format!("{}\n", "ab".repeat(32))).unwrap();
    std::fs::write(p("huge.json"), vec![b' '; 2 << 20]).unwrap();
    std::fs::create_dir_all(p("folder")).unwrap();
    let credential = push_cert(&ca(), "com.example.app", CertEnvironment::Development);
    std::fs::write(
        p("ck.pem"),
        credential.export(ExportFormat::Pem, None).unwrap(),
    )
    .unwrap();
    let token = "ab".repeat(32);
    let zero = "/dev/zero";
    vec![
        case(
            "a payload that never ends",
            cli_ends(&["send", "--token", &token, "--payload", zero], None, 2),
            "the payload /dev/zero is a device",
        ),
        case(
            "a payload file of 2 MB",
            cli_ends(
                &["send", "--token", &token, "--payload", &p("huge.json")],
                None,
                2,
            ),
            "holds more than 1 MiB",
        ),
        case(
            "a payload on standard input that never ends",
            cli_ends(
                &["send", "--token", &token, "--payload", "-"],
                Some(zero),
                2,
            ),
            "the payload - holds more than 1 MiB",
        ),
        case(
            "a passphrase file that never ends",
            cli_ends(
                &["cert", "inspect", &p("list.txt"), "--password-file", zero],
                None,
                2,
            ),
            "the passphrase file /dev/zero is a device",
        ),
        case(
            "a passphrase line on standard input that never ends",
            cli_ends(
                &["cert", "inspect", &p("list.txt"), "--password-stdin"],
                Some(zero),
                2,
            ),
            "longer than 64 KiB without a line end",
        ),
        case(
            "an output passphrase file that is a folder",
            cli_ends(
                &[
                    "cert",
                    "convert",
                    &p("list.txt"),
                    "--to",
                    "p12",
                    "--out",
                    &p("o.p12"),
                    "--out-password-file",
                    &p("folder"),
                ],
                None,
                2,
            ),
            "the passphrase file",
        ),
        case(
            "a simulator token list that never ends",
            cli_ends(&["sim", "--tokens", zero, "--port", "0"], None, 2),
            "the simulator's token list /dev/zero is a device",
        ),
        case(
            "a legacy token list that never ends",
            cli_ends(
                &[
                    "legacy-send",
                    "--tokens",
                    zero,
                    "--alert",
                    "x",
                    "--cert",
                    &p("ck.pem"),
                ],
                None,
                2,
            ),
            "the tokens file /dev/zero is a device",
        ),
        case(
            "a batch token list that never ends",
            cli_ends(&["batch", "--tokens", zero, "--alert", "x"], None, 2),
            "--tokens /dev/zero is a device, not a file",
        ),
        case(
            "a batch payloads file that never ends",
            cli_ends(
                &["batch", "--tokens", &p("list.txt"), "--payloads", zero],
                None,
                2,
            ),
            "--payloads /dev/zero is a device",
        ),
        case(
            "a folder as the batch's token list",
            cli_ends(
                &["batch", "--tokens", &p("folder"), "--alert", "x"],
                None,
                2,
            ),
            "is a folder: give the file inside it",
        ),
        case(
            "a token list on standard input with no line end",
            cli_ends(
                &["batch", "--tokens", "-", "--alert", "x", "--no-journal"],
                Some(zero),
                1,
            ),
            "no line end in 16 MiB",
        ),
    ]
}

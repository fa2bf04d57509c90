//! What the doctor's tests set up, for the CLI and the GUI alike: a `pushlab sim` process of
//! one environment (its tokens file says which token is whose, or its faults say how it
//! misbehaves), certificates from its CA, and servers that are not APNs (nothing listening,
//! a CA nobody trusts, `openssl s_server` without HTTP/2).

use std::path::{Path, PathBuf};

use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::sim::SimIdentity;

use super::cli::{Lines, Running, addr_in, spawn_with_lines};

/// The app every doctor test pushes to.
pub const BUNDLE: &str = "com.example.doorbell";

/// The iOS 13+ description of a token, which is not a token.
pub const IOS13_DESCRIPTION: &str =
    "{length = 32, bytes = 0x740f4707 bebcf74f ... 462c7eaf 61bb78ad}";

/// A 32-byte token made of the byte `n`.
pub fn token(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

/// A `pushlab sim` of one environment, its CA, and certificates for [`BUNDLE`] it issued.
pub struct Sim {
    pub env: &'static str,
    _running: Running,
    /// What the simulator printed: one line per request it judged.
    pub lines: Lines,
    pub addr: String,
    pub ca: PathBuf,
    pub data: PathBuf,
}

/// A simulator of `env` whose tokens file is `tokens` (`TOKEN [sandbox|unregistered]` lines).
pub fn sim(dir: &Path, name: &str, env: &'static str, tokens: &str) -> Sim {
    let data = dir.join(name);
    std::fs::create_dir_all(&data).unwrap();
    let tokens_file = super::write(&data, "tokens.txt", tokens.as_bytes());
    let tokens_file = tokens_file.to_str().unwrap();
    sim_with(
        dir,
        name,
        env,
        &["--environment", env, "--tokens", tokens_file],
    )
}

/// A simulator of `env` with these extra arguments (faults, tokens).
pub fn sim_with(dir: &Path, name: &str, env: &'static str, extra: &[&str]) -> Sim {
    let data = dir.join(name);
    let mut command = super::pushlab();
    command
        .args(["sim", "--port", "0", "--duration", "300"])
        .args(extra)
        .arg("--data-dir")
        .arg(&data);
    let (running, mut lines) = spawn_with_lines(command);
    let addr = addr_in(&lines.wait_for(|l| l.starts_with("listening on ")));
    Sim {
        env,
        _running: running,
        lines,
        addr,
        ca: data.join("ca.pem"),
        data,
    }
}

/// A production and a sandbox simulator sharing one CA (the sandbox one reads the
/// production one's), both with `tokens`: what the probe of the other environment needs.
pub fn twin_sims(dir: &Path, tokens: &str) -> (Sim, Sim) {
    let production = sim(dir, "production", "production", tokens);
    let sandbox_data = dir.join("sandbox");
    std::fs::create_dir_all(&sandbox_data).unwrap();
    for f in ["ca.pem", "ca-key.pem"] {
        std::fs::copy(production.data.join(f), sandbox_data.join(f)).unwrap();
    }
    let sandbox = sim(dir, "sandbox", "sandbox", tokens);
    (production, sandbox)
}

impl Sim {
    /// A certificate from this simulator's CA, written as a combined PEM named `name`.
    pub fn cert(&self, name: &str, spec: &PushCertificateSpec) -> PathBuf {
        issue(&self.data, name, spec)
    }

    /// A development certificate for [`BUNDLE`].
    pub fn dev_cert(&self) -> PathBuf {
        self.cert(
            "dev.pem",
            &PushCertificateSpec::new(BUNDLE, CertEnvironment::Development),
        )
    }
}

/// A certificate from the CA kept in the simulator data folder `data` (made there if there is
/// none yet: the app's own simulator then uses it), written as a combined PEM in `data`.
pub fn issue(data: &Path, name: &str, spec: &PushCertificateSpec) -> PathBuf {
    let identity = SimIdentity::load_or_create(data).unwrap();
    let cred = identity.ca.issue_push_certificate(spec).unwrap();
    let mut pem = cred.certificate.to_pem().unwrap();
    pem.extend(
        cred.private_key
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    super::write(data, name, &pem)
}

/// `127.0.0.1:PORT` where nothing listens.
pub fn closed_port() -> String {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    closed.local_addr().unwrap().to_string()
}

/// Some other CA's certificate, which did not issue the simulator's server certificate.
pub fn untrusted_ca(dir: &Path) -> PathBuf {
    let other = SimIdentity::ephemeral().unwrap();
    super::write(dir, "other-ca.pem", &other.ca.certificate.to_pem().unwrap())
}

/// A TLS server that does not speak HTTP/2 (`openssl s_server`, written by others) with
/// `sim`'s server certificate; stopped when dropped.
pub struct NoHttp2 {
    server: std::process::Child,
    /// `localhost:PORT`, matching the certificate's name.
    pub addr: String,
}

impl NoHttp2 {
    pub fn start(sim: &Sim) -> Self {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let server = std::process::Command::new("openssl")
            .args(["s_server", "-quiet", "-accept", &port.to_string(), "-cert"])
            .arg(sim.data.join("server.pem"))
            .arg("-key")
            .arg(sim.data.join("server-key.pem"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "openssl s_server never listened"
            );
            std::thread::yield_now();
        }
        NoHttp2 {
            server,
            addr: format!("localhost:{port}"),
        }
    }
}

impl Drop for NoHttp2 {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The key id and team of [`auth_key`].
pub const KEY_ID: &str = "ABCDE12345";
pub const TEAM_ID: &str = "TEAM123456";

/// An APNs auth key, written as Apple names it (`AuthKey_<KEYID>.p8`) in `dir`.
pub fn auth_key(dir: &Path) -> PathBuf {
    let key = super::ec_key();
    super::write(
        dir,
        &format!("AuthKey_{KEY_ID}.p8"),
        &key.private_key_to_pem_pkcs8().unwrap(),
    )
}

/// A simulator of `env` that accepts tokens signed with `key`, limited by `scope`
/// (`--key-environment ENV`, `--key-topic BUNDLE_ID`).
pub fn sim_with_key(dir: &Path, env: &'static str, key: &Path, scope: &[&str]) -> Sim {
    let mut args = vec![
        "--environment",
        env,
        "--auth-key",
        key.to_str().unwrap(),
        "--team-id",
        TEAM_ID,
    ];
    args.extend_from_slice(scope);
    sim_with(dir, "keyed", env, &args)
}

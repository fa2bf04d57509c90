//! Proxies written in the tests, keeping a record of what reached them: an HTTP CONNECT proxy
//! (basic authentication), a SOCKS5 proxy (user name and password), and ones that answer
//! whatever they are told to, or nothing. Every name they are asked for is this machine. And
//! a [`Lab`]: a simulator with a push certificate on disk for `pushlab` processes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use pushlab::apns::Environment;
use pushlab::cert::{CertEnvironment, PushCertificateSpec};
use pushlab::sim::{SimConfig, SimIdentity, Simulator};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// The bundle id of the [`Lab`]'s push certificate.
pub const BUNDLE: &str = "com.example.doorbell";

/// What a proxy saw.
#[derive(Debug, Default, Clone)]
pub struct Record {
    /// HTTP: each CONNECT request line, with its Proxy-Authorization header.
    pub connects: Vec<(String, Option<String>)>,
    /// SOCKS5: each request's address type and address (a name for type 3).
    pub socks: Vec<(u8, String)>,
    /// SOCKS5: each user name and password it was given.
    pub socks_logins: Vec<(String, String)>,
}

#[derive(Clone)]
pub enum Behaviour {
    /// Tunnel, asking for these credentials (407 without them).
    Http {
        login: Option<(&'static str, &'static str)>,
    },
    /// Answer the CONNECT with these bytes and close.
    HttpAnswer(&'static str),
    /// Say these bytes as soon as a client connects, whatever it asks.
    Blurt(&'static str),
    /// Accept and never say a word.
    Silent,
    /// SOCKS5 with this reply code (0 tunnels); asks for these credentials when given.
    Socks {
        reply: u8,
        login: Option<(&'static str, &'static str)>,
    },
}

pub struct Proxy {
    pub addr: SocketAddr,
    record: Arc<Mutex<Record>>,
}

impl Proxy {
    pub async fn start(behaviour: Behaviour) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let record = Arc::new(Mutex::new(Record::default()));
        let rec = record.clone();
        tokio::spawn(async move {
            // Silent connections are held here so they stay open and unanswered.
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                match behaviour.clone() {
                    Behaviour::Silent => held.push(stream),
                    b => {
                        tokio::spawn(serve(stream, b, rec.clone()));
                    }
                }
            }
        });
        Proxy { addr, record }
    }

    pub fn record(&self) -> Record {
        self.record.lock().unwrap().clone()
    }
}

/// Where the proxy connects for a requested host: every name here is this machine.
async fn upstream(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).await.unwrap()
}

async fn serve(mut s: TcpStream, behaviour: Behaviour, rec: Arc<Mutex<Record>>) {
    match behaviour {
        Behaviour::Http { login } => {
            let head = read_head(&mut s).await;
            let line = head.lines().next().unwrap_or_default().to_owned();
            let auth = head
                .lines()
                .find_map(|l| l.strip_prefix("Proxy-Authorization: "))
                .map(str::to_owned);
            rec.lock()
                .unwrap()
                .connects
                .push((line.clone(), auth.clone()));
            if let Some((u, p)) = login {
                let want = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
                );
                if auth.as_deref() != Some(want.as_str()) {
                    let _ = s
                        .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    return;
                }
            }
            let target = line.split(' ').nth(1).unwrap_or_default();
            let port: u16 = target.rsplit(':').next().unwrap().parse().unwrap();
            let mut up = upstream(port).await;
            s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await
                .unwrap();
            let _ = tokio::io::copy_bidirectional(&mut s, &mut up).await;
        }
        Behaviour::HttpAnswer(answer) => {
            let head = read_head(&mut s).await;
            let line = head.lines().next().unwrap_or_default().to_owned();
            rec.lock().unwrap().connects.push((line, None));
            let _ = s.write_all(answer.as_bytes()).await;
        }
        Behaviour::Blurt(bytes) => {
            let _ = s.write_all(bytes.as_bytes()).await;
            let mut sink = [0u8; 1024];
            while matches!(s.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Behaviour::Silent => {}
        Behaviour::Socks { reply, login } => {
            let mut hello = [0u8; 2];
            s.read_exact(&mut hello).await.unwrap();
            let mut methods = vec![0u8; hello[1] as usize];
            s.read_exact(&mut methods).await.unwrap();
            if let Some((u, p)) = login {
                if !methods.contains(&2) {
                    s.write_all(&[5, 0xFF]).await.unwrap();
                    return;
                }
                s.write_all(&[5, 2]).await.unwrap();
                let mut v = [0u8; 2];
                s.read_exact(&mut v).await.unwrap();
                let mut user = vec![0u8; v[1] as usize];
                s.read_exact(&mut user).await.unwrap();
                let plen = s.read_u8().await.unwrap();
                let mut pass = vec![0u8; plen as usize];
                s.read_exact(&mut pass).await.unwrap();
                let (user, pass) = (
                    String::from_utf8(user).unwrap(),
                    String::from_utf8(pass).unwrap(),
                );
                let ok = user == u && pass == p;
                rec.lock().unwrap().socks_logins.push((user, pass));
                s.write_all(&[1, if ok { 0 } else { 1 }]).await.unwrap();
                if !ok {
                    return;
                }
            } else {
                s.write_all(&[5, 0]).await.unwrap();
            }
            let mut req = [0u8; 4];
            s.read_exact(&mut req).await.unwrap();
            let address = match req[3] {
                1 => {
                    let mut a = [0u8; 4];
                    s.read_exact(&mut a).await.unwrap();
                    std::net::Ipv4Addr::from(a).to_string()
                }
                3 => {
                    let n = s.read_u8().await.unwrap();
                    let mut a = vec![0u8; n as usize];
                    s.read_exact(&mut a).await.unwrap();
                    String::from_utf8(a).unwrap()
                }
                _ => panic!("address type {}", req[3]),
            };
            let port = s.read_u16().await.unwrap();
            rec.lock().unwrap().socks.push((req[3], address));
            if reply != 0 {
                let _ = s.write_all(&[5, reply, 0, 1, 0, 0, 0, 0, 0, 0]).await;
                return;
            }
            let mut up = upstream(port).await;
            s.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90])
                .await
                .unwrap();
            let _ = tokio::io::copy_bidirectional(&mut s, &mut up).await;
        }
    }
}

/// The request head, up to the blank line (bounded: a test proxy reads no more than 8 KiB).
async fn read_head(s: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match s.read_u8().await {
            Ok(b) => head.push(b),
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A simulator (HTTP/2, legacy gateway and feedback) and a push certificate for it on disk.
pub struct Lab {
    pub sim: Simulator,
    pub dir: tempfile::TempDir,
    pub cert: PathBuf,
    pub ca: PathBuf,
}

impl Lab {
    pub async fn start() -> Lab {
        let identity = SimIdentity::ephemeral().unwrap();
        let mut config = SimConfig::new(Environment::Sandbox, identity.clone());
        config.legacy_gateway_port = Some(0);
        config.feedback_port = Some(0);
        let cred = identity
            .ca
            .issue_push_certificate(&PushCertificateSpec::new(
                BUNDLE,
                CertEnvironment::Development,
            ))
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut pem = cred.certificate.to_pem().unwrap();
        pem.extend(
            cred.private_key
                .as_ref()
                .unwrap()
                .private_key_to_pem_pkcs8()
                .unwrap(),
        );
        let cert = super::write(dir.path(), "ck.pem", &pem);
        let ca = super::write(
            dir.path(),
            "ca.pem",
            &identity.ca.certificate.to_pem().unwrap(),
        );
        Lab {
            sim: Simulator::start(config).await.unwrap(),
            dir,
            cert,
            ca,
        }
    }

    /// The simulator by name, so the proxy has a name to resolve.
    pub fn env(&self) -> String {
        format!("localhost:{}", self.sim.addr().port())
    }

    /// `pushlab ARGS --cert … --ca …`, with no proxy variable from the test's own environment.
    pub fn pushlab(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = super::pushlab();
        for v in [
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
            "no_proxy",
            "NO_PROXY",
        ] {
            cmd.env_remove(v);
        }
        cmd.args(args).arg("--cert").arg(&self.cert);
        cmd.arg("--ca").arg(&self.ca);
        tokio::process::Command::from(cmd)
    }
}

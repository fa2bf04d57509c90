//! The same request as a `curl` command line, for people who want to reproduce a push outside
//! pushlab. Secrets never appear in it: the certificate passphrase and the provider token are
//! left as shell variables (the proxy's password too).

use super::{ClientAuth, Target};
use crate::apns::Notification;

/// A `curl --http2` command that sends `n` to `target`. `local_simulator` adds `--cacert
/// simulator-ca.pem` and addresses the simulator as `localhost` (the name its certificate has).
pub fn curl_command(
    target: &Target,
    auth: &ClientAuth,
    local_simulator: bool,
    n: &Notification,
) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut parts = vec!["curl --http2".to_owned()];
    match auth {
        ClientAuth::Certificate(_) => {
            parts.push("--cert ck.pem --pass \"$PEM_PASSPHRASE\"".to_owned())
        }
        ClientAuth::Token(_) => {
            parts.push("-H \"authorization: bearer $PROVIDER_TOKEN\"".to_owned())
        }
    }
    if local_simulator {
        parts.push("--cacert simulator-ca.pem".to_owned());
    }
    if let Some(proxy) = &target.proxy {
        parts.push(format!(
            "--proxy {}",
            quote(&proxy.url_without_credentials())
        ));
        if let Some(c) = &proxy.credentials {
            // The password stays a shell variable, like every other secret here.
            parts.push(format!(
                "--proxy-user {}\"$PROXY_PASSWORD\"",
                quote(&format!("{}:", c.user))
            ));
        }
    }
    for (k, v) in n.headers() {
        parts.push(format!("-H {}", quote(&format!("{k}: {v}"))));
    }
    parts.push(format!(
        "--data {}",
        quote(&String::from_utf8_lossy(&n.payload))
    ));
    let host = if local_simulator {
        format!("localhost:{}", target.port)
    } else {
        target.authority()
    };
    // The host may be anything a person typed as a custom destination: quoted like the rest,
    // so pasting the command can never run something else.
    parts.push(quote(&format!("https://{host}{}", n.path())));
    parts.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::{DeviceToken, PushType};
    use crate::cert::{CertEnvironment, CertificateAuthority, PushCertificateSpec};

    #[test]
    fn quotes_the_payload_and_keeps_secrets_out() {
        let ca = CertificateAuthority::generate("t").unwrap();
        let cred = ca
            .issue_push_certificate(&PushCertificateSpec::new(
                "com.example.a",
                CertEnvironment::Development,
            ))
            .unwrap();
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let mut n = Notification::new(token, PushType::Alert, r#"{"aps":{"alert":"it's"}}"#);
        n.topic = Some("com.example.a".into());
        let target = Target::apple(crate::apns::Environment::Sandbox, 443);
        let cmd = curl_command(&target, &ClientAuth::Certificate(cred), false, &n);
        assert!(cmd.contains("'apns-topic: com.example.a'"));
        assert!(cmd.contains(r#"it'\''s"#));
        assert!(cmd.ends_with(&format!("'https://api.sandbox.push.apple.com{}'", n.path())));
        assert!(cmd.contains("$PEM_PASSPHRASE"));
        assert!(!cmd.contains("--proxy"));
    }

    #[test]
    fn a_proxy_goes_along_without_its_password() {
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let n = Notification::new(token, PushType::Alert, &b"{}"[..]);
        let mut target = Target::apple(crate::apns::Environment::Sandbox, 443);
        target.proxy =
            Some(crate::proxy::Proxy::parse("socks5://bob:hunter2@gw.corp:1080").unwrap());
        let auth = ClientAuth::Certificate(
            CertificateAuthority::generate("t")
                .unwrap()
                .issue_push_certificate(&PushCertificateSpec::new(
                    "com.example.a",
                    CertEnvironment::Development,
                ))
                .unwrap(),
        );
        let cmd = curl_command(&target, &auth, false, &n);
        assert!(cmd.contains("--proxy 'socks5h://gw.corp:1080'"), "{cmd}");
        assert!(
            cmd.contains("--proxy-user 'bob:'\"$PROXY_PASSWORD\""),
            "{cmd}"
        );
        assert!(!cmd.contains("hunter2"));
    }

    /// A custom host typed with shell syntax in it stays one quoted word.
    #[test]
    fn a_hostile_host_is_quoted() {
        let token = DeviceToken::parse(&"ab".repeat(32)).unwrap();
        let n = Notification::new(token, PushType::Alert, &b"{}"[..]);
        let mut target = Target::custom("gw.corp:8443").unwrap();
        target.server_name = "x$(touch /tmp/pwned);'y".to_owned();
        let auth = ClientAuth::token(crate::cert::AuthKey {
            key: {
                let g = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1)
                    .unwrap();
                openssl::pkey::PKey::from_ec_key(openssl::ec::EcKey::generate(&g).unwrap()).unwrap()
            },
            key_id: "KEY".into(),
            team_id: "TEAM".into(),
        });
        let cmd = curl_command(&target, &auth, false, &n);
        let last = cmd.lines().last().unwrap().trim();
        assert!(
            last.starts_with("'https://x$(touch /tmp/pwned);'\\''y:8443/"),
            "{last}"
        );
        assert!(last.ends_with('\''), "{last}");
    }
}

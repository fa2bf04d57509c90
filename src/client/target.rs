//! Where pushes go: Apple's two environments, the local simulator, or any `host:port`.

use openssl::x509::X509;

use crate::apns::{PRODUCTION_HOST, SANDBOX_HOST};
use crate::cert::Environment;
use crate::proxy::Proxy;
use crate::words::Said;

/// Every code of a [`Target::label_said`].
pub const DESTINATION_CODES: &[&str] = &["apple", "apple-channels", "simulator", "custom"];

/// The label of Apple's server, as text and as data; `code` is `apple` for the push hosts and
/// `apple-channels` for the channel management hosts.
fn apple_label(
    environment: Environment,
    host: &str,
    port: u16,
    code: &'static str,
) -> (String, Said) {
    let what = if code == "apple-channels" {
        "channel management "
    } else {
        ""
    };
    (
        format!("Apple {environment} {what}({host}:{port})"),
        Said::new("destination", code)
            .arg("environment", environment.label())
            .arg("host", host)
            .arg("port", port.to_string()),
    )
}

/// A server to connect to.
#[derive(Clone)]
pub struct Target {
    /// Host name or IP address to connect to.
    pub host: String,
    pub port: u16,
    /// The name the server certificate must carry (and the SNI), usually `host`.
    pub server_name: String,
    /// Extra trusted roots (the simulator's CA, a corporate proxy's CA), besides the system's.
    pub extra_roots: Vec<X509>,
    /// Whether to trust the system's roots too.
    pub system_roots: bool,
    /// The APNs environment the server is, when known.
    pub environment: Option<Environment>,
    /// A name for people: "Apple production", "local simulator", "gateway.corp:8443".
    pub label: String,
    /// `label` as data (kind `destination`: `apple`, `simulator` or `custom`), for front
    /// ends that word it in another language.
    pub label_said: Said,
    /// The proxy every connection to this server goes through; `None` connects directly.
    /// The proxy resolves `host` itself.
    pub proxy: Option<Proxy>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("environment", &self.environment)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// Apple's server for `environment`, on port 443 or 2197.
    pub fn apple(environment: Environment, port: u16) -> Self {
        let host = match environment {
            Environment::Production => PRODUCTION_HOST,
            Environment::Sandbox => SANDBOX_HOST,
        };
        Self::apple_host(host, port, environment, "apple")
    }

    /// Apple's channel management server for `environment` (iOS 18 broadcast channels).
    pub fn apple_channels(environment: Environment) -> Self {
        let (host, port) = crate::apns::channel::manage_host(environment);
        Self::apple_host(host, port, environment, "apple-channels")
    }

    /// One of Apple's hosts, trusted through the system's roots.
    fn apple_host(host: &str, port: u16, environment: Environment, code: &'static str) -> Self {
        let (label, label_said) = apple_label(environment, host, port, code);
        Target {
            host: host.to_owned(),
            port,
            server_name: host.to_owned(),
            extra_roots: Vec::new(),
            system_roots: true,
            environment: Some(environment),
            label,
            label_said,
            proxy: None,
        }
    }

    /// The same Apple host on Apple's other port (2197 for 443, 443 for 2197), with the same
    /// trust and proxy: where a firewall that blocks one port shows. `None` for other hosts.
    pub fn other_apple_port(&self) -> Option<Target> {
        let environment = self.environment?;
        if self.host != PRODUCTION_HOST && self.host != SANDBOX_HOST {
            return None;
        }
        let port = if self.port == crate::apns::ALTERNATE_PORT {
            443
        } else {
            crate::apns::ALTERNATE_PORT
        };
        let (label, label_said) = apple_label(environment, &self.host, port, "apple");
        Some(Target {
            port,
            label,
            label_said,
            ..self.clone()
        })
    }

    /// A simulator listening at `addr`, trusted through its CA.
    pub fn simulator(addr: std::net::SocketAddr, ca: X509, environment: Environment) -> Self {
        Target {
            host: addr.ip().to_string(),
            port: addr.port(),
            server_name: "localhost".to_owned(),
            extra_roots: vec![ca],
            system_roots: false,
            environment: Some(environment),
            label: format!("local simulator ({environment}, {addr})"),
            label_said: Said::new("destination", "simulator")
                .arg("environment", environment.label())
                .arg("addr", addr.to_string()),
            proxy: None,
        }
    }

    /// Parses `host:port` (or `[v6]:port`, or `host` alone for port 443).
    pub fn custom(spec: &str) -> Result<Self, String> {
        let (host, port) = if let Some(rest) = spec.strip_prefix('[') {
            let (h, p) = rest
                .split_once(']')
                .ok_or_else(|| format!("'{spec}': an IPv6 address needs a closing ]"))?;
            (h.to_owned(), p.strip_prefix(':').unwrap_or("443"))
        } else {
            match spec.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), p),
                None => (spec.to_owned(), "443"),
            }
        };
        if host.is_empty() {
            return Err(format!("'{spec}' has no host name"));
        }
        let port: u16 = port
            .parse()
            .map_err(|_| format!("'{spec}': the port must be a number from 1 to 65535"))?;
        let environment = match host.as_str() {
            PRODUCTION_HOST => Some(Environment::Production),
            SANDBOX_HOST | crate::apns::SANDBOX_HOST_ALIAS => Some(Environment::Sandbox),
            _ => None,
        };
        Ok(Target {
            server_name: host.clone(),
            label: format!("{host}:{port}"),
            label_said: Said::new("destination", "custom")
                .arg("host", host.as_str())
                .arg("port", port.to_string()),
            host,
            port,
            extra_roots: Vec::new(),
            system_roots: true,
            environment,
            proxy: None,
        })
    }

    /// `host:port` as the `:authority` of requests.
    pub fn authority(&self) -> String {
        if self.port == 443 {
            self.server_name.clone()
        } else {
            format!("{}:{}", self.server_name, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_custom_targets() {
        let t = Target::custom("gateway.corp:8443").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("gateway.corp", 8443));
        assert_eq!(
            Target::custom("api.push.apple.com").unwrap().environment,
            Some(Environment::Production)
        );
        let v6 = Target::custom("[::1]:2197").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 2197));
        assert!(Target::custom("host:99999").is_err());
        assert!(Target::custom(":443").is_err());
    }
}

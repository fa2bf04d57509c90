//! Where pushes go: Apple's two environments, the local simulator, or any `host:port`.

use openssl::x509::X509;

use crate::apns::Environment;
use crate::apns::{PRODUCTION_HOST, SANDBOX_HOST};
use crate::proxy::Proxy;

/// A name for people of the server a [`Target`] connects to. `Display` is the English ("Apple
/// production (api.push.apple.com:443)"); the app words each variant in its own language, and
/// keeps it as data (History) to word it again in the language on screen later.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetLabel {
    /// One of Apple's push hosts.
    Apple {
        /// Sandbox or production.
        environment: Environment,
        /// The host connected to.
        host: String,
        /// 443 or 2197.
        port: u16,
    },
    /// One of Apple's channel management hosts.
    AppleChannels {
        /// Sandbox or production.
        environment: Environment,
        /// The host connected to.
        host: String,
        /// Its port (Apple's differ by environment).
        port: u16,
    },
    /// A simulator listening at `addr`.
    Simulator {
        /// The environment the simulator plays.
        environment: Environment,
        /// Where it listens.
        addr: std::net::SocketAddr,
    },
    /// Any other `host:port`.
    Custom {
        /// The host name or address, as typed.
        host: String,
        /// Its port.
        port: u16,
    },
}

impl std::fmt::Display for TargetLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetLabel::Apple {
                environment,
                host,
                port,
            } => write!(f, "Apple {environment} ({host}:{port})"),
            TargetLabel::AppleChannels {
                environment,
                host,
                port,
            } => write!(f, "Apple {environment} channel management ({host}:{port})"),
            TargetLabel::Simulator { environment, addr } => {
                write!(f, "local simulator ({environment}, {addr})")
            }
            TargetLabel::Custom { host, port } => write!(f, "{host}:{port}"),
        }
    }
}

/// A server to connect to.
#[derive(Clone)]
pub struct Target {
    /// Host name or IP address to connect to.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The name the server certificate must carry (and the SNI), usually `host`.
    pub server_name: String,
    /// Extra trusted roots (the simulator's CA, a corporate proxy's CA), besides the system's.
    pub extra_roots: Vec<X509>,
    /// Whether to trust the system's roots too.
    pub system_roots: bool,
    /// The APNs environment the server is, when known.
    pub environment: Option<Environment>,
    /// A name for people: "Apple production (…)", "local simulator (…)", "gateway.corp:8443".
    pub label: TargetLabel,
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
        let label = TargetLabel::Apple {
            environment,
            host: host.to_owned(),
            port,
        };
        Self::apple_host(host, port, environment, label)
    }

    /// Apple's channel management server for `environment` (iOS 18 broadcast channels).
    pub fn apple_channels(environment: Environment) -> Self {
        let (host, port) = crate::apns::channel::manage_host(environment);
        let label = TargetLabel::AppleChannels {
            environment,
            host: host.to_owned(),
            port,
        };
        Self::apple_host(host, port, environment, label)
    }

    /// One of Apple's hosts, trusted through the system's roots.
    fn apple_host(host: &str, port: u16, environment: Environment, label: TargetLabel) -> Self {
        Target {
            host: host.to_owned(),
            port,
            server_name: host.to_owned(),
            extra_roots: Vec::new(),
            system_roots: true,
            environment: Some(environment),
            label,
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
        Some(Target {
            port,
            label: TargetLabel::Apple {
                environment,
                host: self.host.clone(),
                port,
            },
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
            label: TargetLabel::Simulator { environment, addr },
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
            label: TargetLabel::Custom {
                host: host.clone(),
                port,
            },
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

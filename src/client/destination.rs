//! Where pushes go, as a person names it: Apple's production or sandbox service, the local
//! simulator, or any `host:port`. The CLI's `--server` and the app's Connection screen both turn
//! into a [`Destination`], and both get their [`Target`] from it.

use std::net::SocketAddr;

use openssl::x509::X509;

use super::Target;
use crate::apns::Environment;

/// Where pushes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Apple's service for this environment (api.push.apple.com or api.sandbox.push.apple.com).
    Apple(Environment),
    /// The embedded simulator, wherever it listens.
    LocalSimulator,
    /// Any other server: a company gateway, a `pushlab sim` on another machine. Checked when
    /// made, so it always names a host and a valid port.
    Custom(CustomHost),
}

/// A `host:port` (or `[v6]:port`, or `host` for port 443) that parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomHost(String);

impl CustomHost {
    /// Checks that `spec` names a host and a valid port.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let spec = spec.trim();
        Target::custom(spec)?;
        Ok(CustomHost(spec.to_owned()))
    }

    /// The spec as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The simulator a [`Destination::LocalSimulator`] resolves to once it runs.
#[derive(Debug, Clone)]
pub struct RunningSimulator {
    /// The address the simulator listens on.
    pub addr: SocketAddr,
    /// The simulator's CA, which a client must trust.
    pub ca: X509,
    /// The environment the simulator plays.
    pub environment: Environment,
}

impl std::str::FromStr for Destination {
    type Err = String;

    /// `production`, `sandbox`, `local`, or `HOST:PORT`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "production" => Ok(Destination::Apple(Environment::Production)),
            "sandbox" | "development" => Ok(Destination::Apple(Environment::Sandbox)),
            "local" => Ok(Destination::LocalSimulator),
            "" => Err("name a destination: production, sandbox, local or HOST:PORT".to_owned()),
            other => CustomHost::parse(other).map(Destination::Custom),
        }
    }
}

impl Destination {
    /// The APNs environment, when the destination itself says (Apple's hosts, and custom
    /// hosts that are Apple's by name).
    pub fn environment(&self) -> Option<Environment> {
        match self {
            Destination::Apple(env) => Some(*env),
            Destination::Custom(host) => Target::custom(host.as_str())
                .ok()
                .and_then(|t| t.environment),
            Destination::LocalSimulator => None,
        }
    }

    /// Apple's other environment: where a token that got `BadDeviceToken` may belong.
    pub fn other_environment(&self) -> Option<Destination> {
        match self.environment()? {
            Environment::Production => Some(Destination::Apple(Environment::Sandbox)),
            Environment::Sandbox => Some(Destination::Apple(Environment::Production)),
        }
    }

    /// The server to connect to. `port` overrides Apple's 443 (2197 for firewalls) or a
    /// custom host's; `extra_roots` are trusted besides the system's (the simulator is
    /// trusted through its own CA only). The local simulator needs to be running.
    pub fn target(
        &self,
        port: Option<u16>,
        extra_roots: Vec<X509>,
        simulator: Option<&RunningSimulator>,
    ) -> Result<Target, String> {
        let mut target = match self {
            Destination::Apple(env) => Target::apple(*env, port.unwrap_or(443)),
            Destination::Custom(host) => {
                let mut t = Target::custom(host.as_str())?;
                if let Some(port) = port {
                    t.port = port;
                }
                t
            }
            Destination::LocalSimulator => {
                let sim = simulator.ok_or_else(|| {
                    "the local simulator is not running: start it first".to_owned()
                })?;
                return Ok(Target::simulator(sim.addr, sim.ca.clone(), sim.environment));
            }
        };
        target.extra_roots.extend(extra_roots);
        Ok(target)
    }
}

impl Destination {
    /// Where channel management requests go: Apple's management host for Apple's
    /// environments; any other server (the simulator, a gateway) serves both APIs on the
    /// address pushes go to, so it is [`Destination::target`].
    pub fn channels_target(
        &self,
        port: Option<u16>,
        extra_roots: Vec<X509>,
        simulator: Option<&RunningSimulator>,
    ) -> Result<Target, String> {
        match self {
            Destination::Apple(env) => {
                let mut t = Target::apple_channels(*env);
                if let Some(port) = port {
                    t.port = port;
                }
                t.extra_roots.extend(extra_roots);
                Ok(t)
            }
            _ => self.target(port, extra_roots, simulator),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_way_people_name_a_destination() {
        assert_eq!(
            "production".parse(),
            Ok(Destination::Apple(Environment::Production))
        );
        assert_eq!(
            "sandbox".parse(),
            Ok(Destination::Apple(Environment::Sandbox))
        );
        assert_eq!("local".parse(), Ok(Destination::LocalSimulator));
        let custom: Destination = "gateway.corp:8443".parse().unwrap();
        assert_eq!(custom.environment(), None);
        assert!("host:99999".parse::<Destination>().is_err());
        assert!("".parse::<Destination>().is_err());
        let apple_by_name: Destination = "api.push.apple.com:2197".parse().unwrap();
        assert_eq!(
            apple_by_name.other_environment(),
            Some(Destination::Apple(Environment::Sandbox))
        );
    }

    #[test]
    fn targets() {
        let t = Destination::Apple(Environment::Sandbox)
            .target(Some(2197), Vec::new(), None)
            .unwrap();
        assert_eq!(
            (t.host.as_str(), t.port),
            ("api.sandbox.push.apple.com", 2197)
        );
        let t = "gw.corp:8443"
            .parse::<Destination>()
            .unwrap()
            .target(None, Vec::new(), None)
            .unwrap();
        assert_eq!(t.port, 8443);
        assert!(
            Destination::LocalSimulator
                .target(None, Vec::new(), None)
                .unwrap_err()
                .contains("not running")
        );
    }
}

//! Proxies, as networks have them: an HTTP proxy that opens a tunnel with `CONNECT`, or a
//! SOCKS5 proxy, each with optional credentials. Every connection pushlab makes (the HTTP/2
//! client, the connection check, the legacy gateway and feedback service) can go through one.
//!
//! - [`Proxy`]: a parsed proxy URL (`http://[user:pass@]host:port`, `socks5://…`,
//!   `socks5h://…`) whose `Display` and `Debug` never show the password;
//! - [`from_environment`]: the proxy `HTTPS_PROXY` / `ALL_PROXY` name for a host, unless
//!   `NO_PROXY` excludes it, as curl reads them;
//! - [`tunnel`]: reaching the proxy and its handshake, each step timed out and every answer
//!   read into a bounded buffer, so a proxy that answers garbage or never answers gives an
//!   error, never a hang.

pub mod tunnel;

pub use tunnel::{ProxyError, TunnelOpened, connect, handshake, reach, resolve};

/// The kind of proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    /// An HTTP proxy: `CONNECT host:port`, optional basic authentication.
    Http,
    /// A SOCKS5 proxy (RFC 1928), optional user name and password (RFC 1929). The host name
    /// is always sent to the proxy to resolve (as `socks5h://` does in curl), for `socks5://`
    /// too: behind a proxy the local machine often cannot resolve Apple's hosts at all.
    Socks5,
}

/// A user name and password for the proxy. Never shown: `Debug` prints the user only.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyCredentials {
    /// The user name, percent-decoded.
    pub user: String,
    /// The password, percent-decoded.
    pub password: String,
}

impl std::fmt::Debug for ProxyCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:***", self.user)
    }
}

/// A proxy to connect through. Parsed once from a URL; holds only what parsed.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// HTTP `CONNECT` or SOCKS5.
    pub kind: ProxyKind,
    /// How the URL spelled the scheme (`http`, `socks5`, `socks5h`), to show it back.
    scheme: &'static str,
    /// The proxy's host name or address.
    pub host: String,
    /// The proxy's port (80 or 1080 when the URL named none).
    pub port: u16,
    /// User and password, when the URL had them.
    pub credentials: Option<ProxyCredentials>,
}

impl Proxy {
    /// Parses `http://[user:pass@]host[:port]`, `socks5://…` or `socks5h://…` (a URL without a
    /// scheme is an HTTP proxy, as curl takes it). The port defaults to 80 for HTTP and 1080
    /// for SOCKS. User and password may be percent-encoded. Errors never quote the password.
    pub fn parse(url: &str) -> Result<Proxy, String> {
        let url = url.trim();
        let (scheme, rest) = match url.split_once("://") {
            Some((s, rest)) => (s.to_ascii_lowercase(), rest),
            None => ("http".to_owned(), url),
        };
        let (kind, scheme, default_port) = match scheme.as_str() {
            "http" => (ProxyKind::Http, "http", 80),
            "socks5" => (ProxyKind::Socks5, "socks5", 1080),
            "socks5h" => (ProxyKind::Socks5, "socks5h", 1080),
            "https" => {
                return Err(
                    "https:// proxies (TLS to the proxy itself) are not supported: use http:// — the tunnel to Apple is TLS either way".to_owned(),
                );
            }
            "socks4" | "socks4a" => {
                return Err(
                    "SOCKS4 proxies are not supported: use socks5:// or socks5h://".to_owned(),
                );
            }
            other => {
                return Err(format!(
                    "unknown proxy scheme '{other}': use http://, socks5:// or socks5h://"
                ));
            }
        };
        // Only the authority counts: a trailing slash or path (`http://proxy:3128/`) is ignored.
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        // An `@` after the cut means the cut was inside the user name or password
        // (`http://alice:12345#secret@proxy`): read as written, the host would be `alice` and
        // the rest of the password a fragment. Refused, without showing either.
        if rest[authority.len()..].contains('@') {
            return Err(
                "the proxy URL has a /, ? or # before its @: write those characters in the user name or password as %2F, %3F and %23".to_owned(),
            );
        }
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let credentials = match userinfo {
            None => None,
            Some(u) => {
                let (user, password) = u.split_once(':').unwrap_or((u, ""));
                let user = percent_decode(user)
                    .ok_or("the proxy's user name has a bad %-escape".to_owned())?;
                let password = percent_decode(password)
                    .ok_or("the proxy's password has a bad %-escape".to_owned())?;
                Some(ProxyCredentials { user, password })
            }
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, p) = v6
                .split_once(']')
                .ok_or("the proxy's IPv6 address needs a closing ]".to_owned())?;
            (h, p.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err("the proxy URL names no host, e.g. http://proxy.corp:3128".to_owned());
        }
        let port =
            match port {
                None | Some("") => default_port,
                // Not quoted: a password with an unencoded `/` or `@` can end up here.
                Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0).ok_or(
                    "the proxy's port is not a number from 1 to 65535 (in a password, write / @ : %-encoded)",
                )?,
            };
        Ok(Proxy {
            kind,
            scheme,
            host: host.to_owned(),
            port,
            credentials,
        })
    }

    /// `host:port` of the proxy, for messages.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL without credentials, as curl's `--proxy` takes it; a SOCKS proxy as
    /// `socks5h://`, since pushlab always lets it resolve the host.
    pub fn url_without_credentials(&self) -> String {
        let scheme = match self.kind {
            ProxyKind::Http => "http",
            ProxyKind::Socks5 => "socks5h",
        };
        format!("{scheme}://{}", self.address())
    }

    /// The URL with the password replaced by `***`: safe to print, log and save.
    pub fn redacted(&self) -> String {
        self.to_string()
    }
}

/// `url` as it may be saved: without a password (`http://alice@proxy:3128`). A URL that does
/// not parse loses everything between `://` and its last `@`, so a password is never kept.
pub fn without_password(url: &str) -> String {
    let url = url.trim();
    match Proxy::parse(url) {
        Ok(p) => {
            let user = p
                .credentials
                .as_ref()
                .map(|c| format!("{}@", percent_encode(&c.user)))
                .unwrap_or_default();
            format!("{}://{user}{}", p.scheme, p.address())
        }
        Err(_) => {
            let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
            let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            if scheme.is_empty() {
                rest.to_owned()
            } else {
                format!("{scheme}://{rest}")
            }
        }
    }
}

impl std::fmt::Display for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(c) = &self.credentials {
            write!(f, "{}:***@", percent_encode(&c.user))?;
        }
        write!(f, "{}", self.address())
    }
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({self})")
    }
}

impl std::str::FromStr for Proxy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Proxy::parse(s)
    }
}

/// Where a proxy setting came from, to say so in a check or the doctor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxySource {
    /// `--proxy` or the app's setting.
    Given,
    /// The named environment variable.
    Environment(&'static str),
}

/// The variables read for a proxy, in order: lower case first, as curl does.
pub const PROXY_VARIABLES: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];

/// The proxy the environment names for connections to `host`: the first of
/// [`PROXY_VARIABLES`] that is set, unless `NO_PROXY` / `no_proxy` excludes `host`.
/// `Ok(None)` for no proxy; `Err` when the variable does not parse (saying which, never the
/// value, which may hold a password).
pub fn from_environment(host: &str) -> Result<Option<(Proxy, ProxySource)>, String> {
    from_variables(host, |name| std::env::var(name).ok())
}

/// [`from_environment`] with the variables read through `var` (for tests).
pub fn from_variables(
    host: &str,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<(Proxy, ProxySource)>, String> {
    let Some((name, value)) = PROXY_VARIABLES
        .iter()
        .find_map(|n| var(n).filter(|v| !v.trim().is_empty()).map(|v| (*n, v)))
    else {
        return Ok(None);
    };
    let no_proxy = var("no_proxy")
        .or_else(|| var("NO_PROXY"))
        .unwrap_or_default();
    if bypasses(&no_proxy, host) {
        return Ok(None);
    }
    let proxy = Proxy::parse(&value).map_err(|e| format!("{name}: {e}"))?;
    Ok(Some((proxy, ProxySource::Environment(name))))
}

/// Whether a `NO_PROXY` list excludes `host`: `*` excludes all; an entry excludes the host
/// itself and its subdomains (`example.com` and `.example.com` both exclude
/// `api.example.com`); an IP address excludes that address; `10.0.0.0/8` a range. Ports in
/// entries are ignored, as curl ignores them.
pub fn bypasses(no_proxy: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    no_proxy.split([',', ' ']).map(str::trim).any(|entry| {
        if entry.is_empty() {
            return false;
        }
        if entry == "*" {
            return true;
        }
        if let Some((net, bits)) = entry.split_once('/') {
            return in_range(&host, net, bits);
        }
        let entry = strip_port(entry).to_ascii_lowercase();
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        let entry = entry.trim_end_matches('.');
        !entry.is_empty()
            && (host == entry
                || (host.len() > entry.len()
                    && host.ends_with(entry)
                    && host.as_bytes()[host.len() - entry.len() - 1] == b'.'))
    })
}

fn strip_port(entry: &str) -> &str {
    if let Some(v6) = entry.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    match entry.rsplit_once(':') {
        // One colon: host:port. More: a bare IPv6 address.
        Some((h, p)) if !h.contains(':') && p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => entry,
    }
}

fn in_range(host: &str, net: &str, bits: &str) -> bool {
    use std::net::IpAddr;
    let (Ok(host), Ok(net), Ok(bits)) = (
        host.parse::<IpAddr>(),
        net.parse::<IpAddr>(),
        bits.parse::<u32>(),
    ) else {
        return false;
    };
    match (host, net) {
        (IpAddr::V4(h), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(h) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(h), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(h) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_in_the_password_is_refused_not_read_as_a_fragment() {
        let err = Proxy::parse("http://alice:12345#secret@proxy.corp:3128").unwrap_err();
        assert!(err.contains("%23"), "{err}");
        assert!(!err.contains("secret") && !err.contains("12345"), "{err}");
        let ok = Proxy::parse("http://alice:12345%23secret@proxy.corp:3128").unwrap();
        assert_eq!(ok.credentials.unwrap().password, "12345#secret");
        assert!(Proxy::parse("http://proxy.corp:3128/#top").is_ok());
    }

    #[test]
    fn parses_every_form() {
        let p = Proxy::parse("http://alice:s%40cret@proxy.corp:3128/").unwrap();
        assert_eq!(p.kind, ProxyKind::Http);
        assert_eq!((p.host.as_str(), p.port), ("proxy.corp", 3128));
        let c = p.credentials.clone().unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("alice", "s@cret"));
        assert_eq!(p.to_string(), "http://alice:***@proxy.corp:3128");
        assert_eq!(format!("{p:?}"), "Proxy(http://alice:***@proxy.corp:3128)");
        assert!(!format!("{c:?}").contains("cret"));
        let s = Proxy::parse("socks5h://[::1]:1081").unwrap();
        assert_eq!(
            (s.kind, s.host.as_str(), s.port),
            (ProxyKind::Socks5, "::1", 1081)
        );
        assert_eq!(s.to_string(), "socks5h://[::1]:1081");
        assert_eq!(
            Proxy::parse("proxy:8080").unwrap().to_string(),
            "http://proxy:8080"
        );
        assert_eq!(Proxy::parse("socks5://h").unwrap().port, 1080);
        assert_eq!(Proxy::parse("HTTP://h").unwrap().port, 80);
        for bad in [
            "",
            "http://",
            "http://h:0",
            "http://h:99999",
            "ftp://h",
            "https://h:1",
            "socks4://h",
            "http://u:%zz@h",
        ] {
            assert!(Proxy::parse(bad).is_err(), "{bad}");
        }
        let err = Proxy::parse("http://u:topsecret@h:nope").unwrap_err();
        assert!(!err.contains("topsecret"), "{err}");
        let err = Proxy::parse("http://u:top/secret@h:1").unwrap_err();
        assert!(!err.contains("top"), "{err}");
    }

    #[test]
    fn saved_forms_have_no_password() {
        assert_eq!(
            without_password("http://alice:pw@h:3128/"),
            "http://alice@h:3128"
        );
        assert_eq!(without_password("socks5h://h"), "socks5h://h:1080");
        assert_eq!(without_password("ftp://u:pw@h"), "ftp://h");
        assert_eq!(without_password("u:pw@h:bad"), "h:bad");
        assert_eq!(without_password(""), "");
    }

    #[test]
    fn no_proxy_matches_like_curl() {
        assert!(bypasses("*", "api.push.apple.com"));
        assert!(bypasses("apple.com", "api.push.apple.com"));
        assert!(bypasses(".apple.com", "api.push.apple.com"));
        assert!(bypasses(
            "localhost, api.push.apple.com:443",
            "api.push.apple.com"
        ));
        assert!(!bypasses("pple.com", "api.push.apple.com"));
        assert!(!bypasses("", "api.push.apple.com"));
        assert!(bypasses("127.0.0.1", "127.0.0.1"));
        assert!(bypasses("10.0.0.0/8", "10.1.2.3"));
        assert!(!bypasses("10.0.0.0/8", "11.1.2.3"));
        assert!(bypasses("::1", "::1"));
        assert!(bypasses("[::1]:443", "[::1]"));
    }

    #[test]
    fn environment_precedence() {
        let vars = |list: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                list.iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let got = from_variables(
            "api.push.apple.com",
            vars(&[("HTTPS_PROXY", "http://p:1"), ("ALL_PROXY", "socks5://s:2")]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(got.0.to_string(), "http://p:1");
        assert_eq!(got.1, ProxySource::Environment("HTTPS_PROXY"));
        let got = from_variables("h", vars(&[("ALL_PROXY", "socks5://s:2")]))
            .unwrap()
            .unwrap();
        assert_eq!(got.0.kind, ProxyKind::Socks5);
        let got = from_variables(
            "api.push.apple.com",
            vars(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", "apple.com")]),
        )
        .unwrap();
        assert!(got.is_none());
        assert!(from_variables("h", vars(&[])).unwrap().is_none());
        let err = from_variables("h", vars(&[("https_proxy", "ftp://u:pw@x")])).unwrap_err();
        assert!(
            err.starts_with("https_proxy") && !err.contains("pw"),
            "{err}"
        );
    }
}

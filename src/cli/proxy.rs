//! `--proxy URL` and `--no-proxy`, shared by every command that connects, and how they combine
//! with `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY`: the flag wins, then the environment.

use anyhow::bail;
use clap::Args;
use pushlab::proxy::{self, Proxy, ProxySource};

#[derive(Debug, Clone, Default, Args)]
pub struct ProxyArgs {
    /// Connect through a proxy: http://[USER:PASS@]HOST:PORT (HTTP CONNECT) or
    /// socks5://[USER:PASS@]HOST:PORT (socks5h:// too; the proxy resolves Apple's host).
    /// `none` connects directly. Default: HTTPS_PROXY, else ALL_PROXY (lower case first),
    /// unless NO_PROXY lists the host.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Ignore the proxy variables (HTTPS_PROXY, ALL_PROXY) and connect directly.
    #[arg(long, conflicts_with = "proxy")]
    pub no_proxy: bool,
}

impl ProxyArgs {
    /// The proxy for connections to `host`: `--proxy`, else the environment's (which
    /// `NO_PROXY` may exclude). Errors never quote the URL: it may hold a password.
    pub fn for_host(&self, host: &str) -> anyhow::Result<Option<(Proxy, ProxySource)>> {
        if let Some(given) = self.given()? {
            return Ok(given);
        }
        proxy::from_environment(host).map_err(anyhow::Error::msg)
    }

    /// What `--proxy` / `--no-proxy` say, when they say anything: `Some(None)` for a direct
    /// connection.
    pub fn given(&self) -> anyhow::Result<Option<Option<(Proxy, ProxySource)>>> {
        if self.no_proxy {
            return Ok(Some(None));
        }
        match self.proxy.as_deref().map(str::trim) {
            None => Ok(None),
            Some("none" | "direct" | "") => Ok(Some(None)),
            Some(url) => match Proxy::parse(url) {
                Ok(p) => Ok(Some(Some((p, ProxySource::Given)))),
                Err(e) => bail!("--proxy: {e}"),
            },
        }
    }

    /// For the simulator this command starts in its own process: only an explicit `--proxy`
    /// applies (a proxy from the environment could not reach this machine's loopback).
    pub fn for_local(&self) -> anyhow::Result<Option<(Proxy, ProxySource)>> {
        Ok(self.given()?.flatten())
    }
}

/// One line for people: which proxy, and from where.
pub fn describe(proxy: &Proxy, source: &ProxySource) -> String {
    match source {
        ProxySource::Given => format!("through the proxy {proxy} (--proxy)"),
        ProxySource::Environment(name) => format!("through the proxy {proxy} (from {name})"),
    }
}

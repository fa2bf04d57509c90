//! The SOCKS5 handshake (RFC 1928, with RFC 1929's user name and password): the greeting,
//! the CONNECT request (a name is left to the proxy to resolve), and the reply read within
//! its bounds.

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::{ProxyError, TunnelOpened, authority, io_err};
use crate::proxy::Proxy;

/// What a SOCKS5 reply code means (RFC 1928 §6).
pub fn socks_reply_meaning(code: u8) -> &'static str {
    match code {
        0x01 => "general SOCKS server failure",
        0x02 => "connection not allowed by the proxy's ruleset",
        0x03 => "network unreachable from the proxy",
        0x04 => "host unreachable from the proxy (it could not resolve or reach it)",
        0x05 => "connection refused by the target host",
        0x06 => "TTL expired",
        0x07 => "command not supported by the proxy",
        0x08 => "address type not supported by the proxy",
        _ => "an unknown SOCKS reply code",
    }
}

pub(super) async fn socks5_connect(
    stream: &mut TcpStream,
    proxy: &Proxy,
    host: &str,
    port: u16,
) -> Result<TunnelOpened, ProxyError> {
    let err = io_err(proxy, "waiting for its SOCKS5 answer");
    socks5_authenticate(stream, proxy).await?;
    stream
        .write_all(&socks5_request(proxy, host, port)?)
        .await
        .map_err(&err)?;
    let mut reply = [0u8; 4];
    stream.read_exact(&mut reply).await.map_err(&err)?;
    if reply[0] != 5 {
        return Err(not_socks(
            proxy,
            format!("its reply began with {}", hex::encode(reply)),
        ));
    }
    let target = authority(host, port);
    if reply[1] != 0 {
        return Err(ProxyError::SocksRefused {
            proxy: proxy.address(),
            target,
            code: reply[1],
            meaning: socks_reply_meaning(reply[1]),
        });
    }
    // The bound address, read and dropped: its length is fixed or at most 255 + 2 bytes.
    let rest = match reply[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => usize::from(stream.read_u8().await.map_err(&err)?) + 2,
        other => {
            return Err(not_socks(
                proxy,
                format!("address type {other:#04x} in its reply"),
            ));
        }
    };
    let mut bound = [0u8; 257];
    stream.read_exact(&mut bound[..rest]).await.map_err(&err)?;
    Ok(TunnelOpened::Socks5 {
        target,
        resolved_name: host.parse::<std::net::IpAddr>().is_err(),
    })
}

fn not_socks(proxy: &Proxy, what: String) -> ProxyError {
    ProxyError::NotSocks {
        proxy: proxy.address(),
        what,
    }
}

/// The greeting, and the user name and password when the proxy asks for them.
async fn socks5_authenticate(stream: &mut TcpStream, proxy: &Proxy) -> Result<(), ProxyError> {
    let err = io_err(proxy, "waiting for its SOCKS5 answer");
    // Greeting: offer "no authentication", and user/password only when we have them.
    let greeting: &[u8] = if proxy.credentials.is_some() {
        &[5, 2, 0x00, 0x02]
    } else {
        &[5, 1, 0x00]
    };
    stream.write_all(greeting).await.map_err(&err)?;
    let mut choice = [0u8; 2];
    stream.read_exact(&mut choice).await.map_err(&err)?;
    if choice[0] != 5 {
        return Err(not_socks(
            proxy,
            format!("it began with {}", hex::encode(choice)),
        ));
    }
    match (choice[1], &proxy.credentials) {
        (0x00, _) => Ok(()),
        (0x02, Some(c)) => {
            let (user, pass) = (c.user.as_bytes(), c.password.as_bytes());
            let (Ok(ulen), Ok(plen)) = (u8::try_from(user.len()), u8::try_from(pass.len())) else {
                return Err(ProxyError::Invalid {
                    proxy: proxy.address(),
                    message: "the user name or password is longer than 255 bytes".to_owned(),
                });
            };
            let mut auth = Vec::with_capacity(3 + user.len() + pass.len());
            auth.extend_from_slice(&[1, ulen]);
            auth.extend_from_slice(user);
            auth.push(plen);
            auth.extend_from_slice(pass);
            stream.write_all(&auth).await.map_err(&err)?;
            let mut status = [0u8; 2];
            stream.read_exact(&mut status).await.map_err(&err)?;
            if status[1] != 0 {
                return Err(ProxyError::SocksAuthFailed {
                    proxy: proxy.address(),
                });
            }
            Ok(())
        }
        (0xFF, creds) => Err(ProxyError::SocksMethodRejected {
            proxy: proxy.address(),
            offered: if creds.is_some() {
                "none, and user name and password"
            } else {
                "none: it may need a user name and password"
            },
        }),
        (other, _) => Err(not_socks(
            proxy,
            format!("it chose authentication method {other:#04x}, which was not offered"),
        )),
    }
}

/// The CONNECT request: an IP address as one, any other name for the proxy to resolve (ATYP 3).
fn socks5_request(proxy: &Proxy, host: &str, port: u16) -> Result<Vec<u8>, ProxyError> {
    let mut request = vec![5, 1, 0];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            request.push(1);
            request.extend_from_slice(&ip.octets());
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            request.push(4);
            request.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            let Ok(len) = u8::try_from(host.len()) else {
                return Err(ProxyError::Invalid {
                    proxy: proxy.address(),
                    message: "the host name is longer than 255 bytes".to_owned(),
                });
            };
            request.push(3);
            request.push(len);
            request.extend_from_slice(host.as_bytes());
        }
    }
    request.extend_from_slice(&port.to_be_bytes());
    Ok(request)
}

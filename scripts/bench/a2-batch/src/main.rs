//! Sends one alert to every token of a file with the `a2` crate, over N connections (one
//! `a2::Client` each: its hyper client keeps one HTTP/2 connection per host), at most
//! --in-flight pushes in flight on each, on tokio's current-thread runtime (where a2 is
//! fastest). Prints one JSON line: {"client":"a2","sent":N,"ok":N,"failed":N,"seconds":S,…}.
//!
//! a2-batch --tokens FILE --cert COMBINED_PEM [--topic ID] [--connections N] [--in-flight N]
//!
//! a2 talks only to api.development.push.apple.com:443: run it where that name points at the
//! bench server (scripts/bench-connections.sh maps it in a private mount namespace).
use std::collections::BTreeMap;
use std::time::Instant;

use a2::{
    Client, ClientConfig, DefaultNotificationBuilder, Endpoint, NotificationBuilder as _,
    NotificationOptions,
};
use futures::StreamExt as _;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let tokens_file = arg(&args, "--tokens").expect("--tokens FILE");
    let pem = std::fs::read(arg(&args, "--cert").expect("--cert PEM")).expect("--cert");
    let topic = arg(&args, "--topic").unwrap_or_else(|| "com.example.bench".to_owned());
    let connections: usize =
        arg(&args, "--connections").map_or(1, |n| n.parse().expect("--connections"));
    let in_flight: usize =
        arg(&args, "--in-flight").map_or(1000, |n| n.parse().expect("--in-flight"));
    let tokens: Vec<String> = std::fs::read_to_string(tokens_file)
        .expect("--tokens")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let clients: Vec<Client> = (0..connections.max(1))
        .map(|_| {
            let mut config = ClientConfig::new(Endpoint::Sandbox);
            config.request_timeout_secs = Some(60);
            Client::certificate_parts(&pem, &pem, config).expect("a2 client")
        })
        .collect();
    let started = Instant::now();
    // Token i goes over connection i mod N, as node-apn's MultiProvider spreads them.
    let per_connection = clients.iter().enumerate().map(|(c, client)| {
        let (tokens, topic) = (&tokens, &topic);
        futures::stream::iter(tokens.iter().skip(c).step_by(clients.len()))
            .map(move |token| async move {
                let options = NotificationOptions {
                    apns_topic: Some(topic),
                    ..Default::default()
                };
                let payload = DefaultNotificationBuilder::new()
                    .set_body("bench")
                    .build(token, options);
                match client.send(payload).await {
                    Ok(r) => r.code.to_string(),
                    Err(a2::Error::ResponseError(r)) => r.code.to_string(),
                    Err(e) => e.to_string(),
                }
            })
            .buffer_unordered(in_flight)
            .collect::<Vec<String>>()
    });
    let answers: Vec<String> = futures::future::join_all(per_connection)
        .await
        .into_iter()
        .flatten()
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    for a in &answers {
        *statuses.entry(a.clone()).or_default() += 1;
    }
    let ok = statuses.get("200").copied().unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({
            "client": "a2",
            "version": "0.10.0",
            "connections": clients.len(),
            "sent": answers.len(),
            "ok": ok,
            "failed": answers.len() as u64 - ok,
            "statuses": statuses,
            "seconds": seconds,
            "per_second": answers.len() as f64 / seconds,
        })
    );
}

//! The fuzz targets' bodies, in the library so that `fuzz/` (cargo-fuzz, nightly) and the
//! stable test that replays the committed corpus (`tests/cli/fuzz_corpus.rs`) run the same code.
//! Each takes any bytes; a panic is a bug. Not part of the API.

use crate::apns::token_list::{LinesByNumber, TokenListReader};
use crate::apns::{BundleId, DeviceToken, Expiration, Headers, PushType, check_payload, jwt};
use crate::cert::{Passphrase, load_bytes};
use crate::legacy::frame::{Decoded, Decoder, ErrorResponse, FeedbackDecoder};
use crate::sim::validate::{check_body, check_head};

/// A target's body: any bytes in, a panic is a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its corpus folder (`gui_state` only with the `gui` feature).
pub fn targets() -> Vec<(&'static str, Target)> {
    #[cfg_attr(not(feature = "gui"), allow(unused_mut))]
    let mut all: Vec<(&'static str, Target)> = vec![
        ("token_list", token_list),
        ("credential_import", credential_import),
        ("push_input", push_input),
        ("legacy_frames", legacy_frames),
        ("sim_request", sim_request),
        ("outside_text", outside_text),
        ("hostile_files", hostile_files),
    ];
    #[cfg(feature = "gui")]
    all.push(("gui_state", gui_state));
    #[cfg(feature = "gui")]
    all.push(("app_batch_entries", app_batch_entries));
    all
}

/// The app's saved state (`app.ron`, which a user can edit) read and shown.
#[cfg(feature = "gui")]
pub fn gui_state(data: &[u8]) {
    crate::gui::fuzz::saved_state(data);
}

/// The app's batch entries file (`app-….entries.jsonl`), as a crash may leave it cut short or
/// a person may edit it: read whole or refused with its line, never a panic; what is read
/// holds only valid tokens.
#[cfg(feature = "gui")]
pub fn app_batch_entries(data: &[u8]) {
    if let Ok(entries) = crate::gui::batch::resume::read_entries(data, "entries") {
        // Read means every line was an entry (a push's token valid by its type).
        assert_eq!(
            entries.len(),
            std::io::BufRead::lines(data).count(),
            "one entry a line"
        );
    }
}

/// A token list and a payloads file: one entry per line that is not blank or a comment, line
/// numbers that only go up.
pub fn token_list(data: &[u8]) {
    let mut last = 0;
    let mut payloads = LinesByNumber::new(data);
    for entry in TokenListReader::new(data) {
        let line = match &entry {
            Ok(t) => t.line,
            Err(e) => e.line,
        };
        assert!(line > last, "line numbers go up");
        last = line;
        let _ = payloads.line(line);
    }
    // However the input arrives (a pipe gives a few bytes at a time), the lines are the same:
    // a UTF-16 code unit or a UTF-8 character split between two reads is joined.
    let trickled: Vec<_> =
        TokenListReader::new(std::io::BufReader::with_capacity(3, data)).collect();
    let whole: Vec<_> = TokenListReader::new(data).collect();
    assert_eq!(trickled, whole, "the same lines whatever the reads' sizes");
}

const FILE_NAMES: [&str; 6] = [
    "Push.p12",
    "ck.pem",
    "aps.cer",
    "AuthKey_ABC123DEFG.p8",
    "key.key",
    "request.certSigningRequest",
];

/// A credential file of any kind, with or without a passphrase (NUL bytes and any encoding
/// included): the first byte picks the file name and the passphrase's length.
pub fn credential_import(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = FILE_NAMES[usize::from(selector) % FILE_NAMES.len()];
    let passphrase = (selector & 0x80 != 0).then(|| {
        let len = usize::from(selector & 0x0f).min(bytes.len());
        Passphrase::new(String::from_utf8_lossy(&bytes[..len]).into_owned())
    });
    let _ = load_bytes(name, bytes, passphrase.as_ref());
}

/// What a person types for one push, five lines: token, expiration, bundle id, collapse id
/// (also tried as an apns-id), payload; checked for every push type and priority, then built.
pub fn push_input(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(5, '\n');
    let mut next = || parts.next().unwrap_or_default().to_owned();
    let (token, expiration, bundle, collapse, payload) = (next(), next(), next(), next(), next());
    for push_type in PushType::ALL {
        for priority in [None, Some(10), Some(5), Some(1), Some(0)] {
            let _ = check_payload(payload.as_bytes(), push_type, priority);
        }
    }
    live_activity_fields(&payload, data.len() as i64);
    let push_type = PushType::ALL[data.len() % PushType::ALL.len()];
    let headers = Headers {
        topic: BundleId::parse(&bundle).ok().map(|b| b.topic(push_type)),
        priority: data.first().copied(),
        expiration: Expiration::parse(&expiration).unwrap_or_default(),
        collapse_id: Some(collapse.clone()),
        apns_id: Some(collapse),
    };
    if let Ok(token) = DeviceToken::parse(&token) {
        let now = data
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, i64::from_le_bytes);
        if let Ok(n) = headers.notification(token, push_type, payload.into_bytes(), now) {
            let _ = n.headers();
            let _ = n.path();
        }
    }
}

/// A payload typed by hand, read into the Live Activity composer's fields and written back,
/// and stamped as a send stamps it: whatever it holds, the fields keep every key they do not
/// show, and what they write reads back to the same fields.
fn live_activity_fields(payload: &str, seconds: i64) {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(payload) else {
        return;
    };
    if let Some(push) = crate::apns::LiveActivityPush::from_json(&value) {
        let written = push.to_json();
        let again = crate::apns::LiveActivityPush::from_json(&written);
        assert_eq!(
            again.map(|p| p.to_json()).as_ref(),
            Some(&written),
            "written twice, the same payload"
        );
        for (key, kept) in &push.kept.outside {
            assert_eq!(written.get(key), Some(kept), "kept beside aps: {key}");
        }
    }
    let stamped = crate::apns::set_timestamp(&mut value, seconds);
    assert_eq!(
        stamped,
        value.get("aps").is_some_and(serde_json::Value::is_object)
    );
}

/// Bytes off the binary interface's wire in chunks (the first byte sets their size): the
/// gateway's frame decoder, the client's error-packet reader, the feedback record reader.
pub fn legacy_frames(data: &[u8]) {
    let chunk = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let mut decoder = Decoder::new();
    let mut feedback = FeedbackDecoder::new();
    for piece in data.chunks(chunk) {
        decoder.push(piece);
        feedback.push(piece);
        for _ in 0..64 {
            match decoder.next_frame() {
                Decoded::NeedMore | Decoded::Invalid(_) => break,
                Decoded::Notification(_) => {}
            }
        }
        while feedback.next_record().is_some() {}
        let _ = ErrorResponse::decode(piece);
    }
    let _ = feedback.finish();
}

const HEADER_NAMES: [&str; 10] = [
    "apns-push-type",
    "apns-topic",
    "apns-priority",
    "apns-expiration",
    "apns-collapse-id",
    "apns-id",
    "authorization",
    "content-length",
    "apns-channel-id",
    "apns-request-id",
];

/// A request as the simulator judges it: the path on the first line, header values on the
/// next (named in a fixed order), a blank line, the body; a `bearer` value is parsed and
/// verified as a provider token.
pub fn sim_request(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.split('\n');
    let path = lines.next().unwrap_or_default();
    let mut headers = http::HeaderMap::new();
    for (i, line) in lines.enumerate() {
        if let Ok(value) = http::HeaderValue::from_str(line) {
            headers.append(HEADER_NAMES[i % HEADER_NAMES.len()], value);
        }
        if let Some(token) = line.strip_prefix("bearer ")
            && let Ok(parsed) = jwt::parse(token)
            && let Some(key) = verification_key()
        {
            let _ = parsed.verify(&key);
        }
    }
    let _ = check_head(&http::Method::POST, path, &headers);
    for push_type in [PushType::Alert, PushType::Voip, PushType::LiveActivity] {
        let _ = check_body(body.as_bytes(), push_type);
    }
    live_activity_applied_twice(body);
    channel_request(path, &headers, body.as_bytes());
}

/// A body applied to a simulated Live Activity twice, as a phone gets a push sent again: the
/// second changes nothing but the count of pushes unless it starts a new activity (an update
/// of the same second is applied again, as Apple ignores only older ones, to the same
/// effect), and what a start asked for (iOS
/// 18's `input-push-token`, `input-push-channel`) is only ever recorded from a start. Once a
/// token has started an activity, a push there starts another or changes none.
fn live_activity_applied_twice(body: &str) {
    let Ok(payload) = serde_json::from_str::<serde_json::Value>(body) else {
        return;
    };
    let activities = crate::sim::Activities::default();
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let first = activities.apply_to("a", "t", &payload, at);
    let after_first = activities.get("a");
    activities.apply_to("a", "t", &payload, at);
    let started = first.started();
    if !started {
        // What a person would see of it; the count of pushes it took may differ.
        let seen = |a: Option<crate::sim::Activity>| {
            a.map(|mut a| {
                a.pushes = 0;
                a.last_ignored = None;
                a
            })
        };
        assert!(
            seen(after_first) == seen(activities.get("a")),
            "an update applied twice changed the activity twice: {payload}"
        );
    }
    for a in activities.snapshot() {
        if a.channel.is_some() || a.token_requested {
            assert!(a.started_by_push, "only a start records its requests");
        }
    }
    // After a start, "a" is a push-to-start token: the same body sent there again either
    // starts another activity or changes none.
    if started {
        let before = activities.snapshot();
        let again = activities.apply_to("a", "t", &payload, at);
        let after = activities.snapshot();
        if again.started() {
            assert_eq!(after.len(), before.len() + 1, "a start adds one activity");
        } else {
            let content = |all: &[crate::sim::Activity]| {
                all.iter()
                    .map(|a| (a.id.clone(), a.content_state.clone(), a.pushes))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                content(&before),
                content(&after),
                "a push to a push-to-start token changed an activity: {payload}"
            );
        }
    }
}

/// The same request as the simulator's channel API takes it, with each method; a create that
/// is accepted adds exactly one channel, and a channel id that parses reads back as sent.
fn channel_request(path: &str, headers: &http::HeaderMap, body: &[u8]) {
    use crate::sim::channel_api::{ChannelContext, ChannelPath, answer, check_route};
    for value in headers.get_all("apns-channel-id") {
        if let Ok(text) = value.to_str()
            && let Ok(id) = crate::apns::ChannelId::parse(text)
        {
            assert_eq!(id.as_str(), text.trim(), "a channel id is kept as sent");
        }
    }
    let Some(route) = ChannelPath::of(path) else {
        return;
    };
    let store = crate::sim::ChannelStore::new();
    store.set_limit(4);
    store.ensure(&crate::apns::ChannelId::random(), None);
    let registry = crate::sim::DeviceRegistry::new();
    let identity = crate::sim::validate::Identity::Token {
        team_id: "TEAM".to_owned(),
        topics: Vec::new(),
    };
    let cx = ChannelContext {
        store: &store,
        registry: &registry,
        environment: crate::apns::Environment::Sandbox,
        identity: &identity,
        auth: crate::sim::AuthKind::Token,
    };
    for method in [http::Method::POST, http::Method::GET, http::Method::DELETE] {
        if check_route(&route, &method).is_err() {
            continue;
        }
        let before = store.all().len();
        let created = answer(&route, &method, headers, body, &cx).is_ok_and(|a| {
            a.headers.iter().any(|(k, _)| *k == "apns-channel-id") && a.status == 201
        });
        if created {
            assert_eq!(store.all().len(), before + 1, "a create adds one channel");
        }
    }
}

fn verification_key() -> Option<openssl::pkey::PKey<openssl::pkey::Private>> {
    let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).ok()?;
    let key = openssl::ec::EcKey::generate(&group).ok()?;
    openssl::pkey::PKey::from_ec_key(key).ok()
}

/// Short texts from outside that this library reads: a server's `date` header and reason, a
/// proxy URL and `NO_PROXY` list, a signing request's subject, `--built-with`. The first byte
/// picks which; invariants are checked, not just "no panic".
pub fn outside_text(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match selector % 6 {
        0 => {
            // The client's reading of a server's `date`: any text, no panic, and a date it
            // reads is one the simulator's writer writes back the same.
            if let Some(t) = crate::client::date_seconds(&text)
                && let Ok(secs) = u64::try_from(t)
            {
                let again = httpdate::fmt_http_date(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs),
                );
                assert_eq!(
                    crate::client::date_seconds(&again),
                    Some(t),
                    "a date reads back"
                );
            }
        }
        1 => {
            let reason = crate::apns::ServerReason::from_wire(&text);
            assert!(reason.len() <= crate::apns::MAX_REASON_BYTES);
            assert!(
                text.starts_with(reason.as_str()),
                "a reason is kept as sent"
            );
        }
        2 => {
            if let Ok(proxy) = crate::proxy::Proxy::parse(&text) {
                let shown = proxy.redacted();
                if let Some(c) = &proxy.credentials
                    && !c.password.is_empty()
                    // A password of "***" looks like the mask itself.
                    && c.password != "***"
                {
                    let leak = format!(":{}@", c.password);
                    assert!(!shown.contains(&leak), "the password is never shown");
                }
            }
            let _ = crate::proxy::without_password(&text);
        }
        3 => {
            let (no_proxy, host) = text
                .split_once('\n')
                .unwrap_or((&text, "api.push.apple.com"));
            let _ = crate::proxy::bypasses(no_proxy, host);
        }
        4 => {
            let mut parts = text.splitn(3, '\n');
            let (email, name, country) = (parts.next(), parts.next(), parts.next());
            let _ =
                crate::cert::RequestSubject::new(email.unwrap_or(""), name.unwrap_or(""), country);
        }
        _ => {
            let _ = text.parse::<crate::doctor::AppBuild>();
        }
    }
}

/// Files a hostile hand can give (issue 25): a `.p12`'s iteration counts read before OpenSSL
/// runs, a batch journal read back for `--resume`, and any text made safe for a terminal.
/// The first byte picks which; none may panic, and terminal text must end up inert.
pub fn hostile_files(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => {
            let _ = crate::cert::p12_iterations(rest);
        }
        1 => {
            if let Ok(state) = crate::client::JournalState::from_reader(rest) {
                for index in 0..64 {
                    let _ = state.earlier(index);
                }
            }
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            let shown = crate::words::for_terminal(&text);
            assert!(
                !shown
                    .chars()
                    .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "terminal text is inert"
            );
        }
    }
}

//! Broadcast channels over a [`Connection`]: the management API (create, read, list, delete)
//! and broadcasts. What the server answered is typed; a success whose answer cannot be read
//! says so rather than guessing, and an unanswered request is unconfirmed like any push.

use std::time::Instant;

use bytes::Bytes;
use serde::Serialize;

use super::{Connection, SendError};
use crate::apns::{
    Broadcast, BundleId, ChannelConfig, ChannelId, ChannelRequest, Reason, ServerReason,
};

/// The largest answer read from the management API: a list of every channel (10,000 ids of
/// about 24 characters) fits with room to spare; more is cut off.
pub const MAX_CHANNEL_LIST_BYTES: usize = 1 << 20;

/// What the server did with a channel management request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChannelOutcome {
    /// 201, with the new channel's id.
    Created {
        /// The id APNs gave it (`apns-channel-id`).
        channel_id: ChannelId,
    },
    /// 200, with the channel's settings.
    Read {
        /// The channel's message storage policy.
        #[serde(flatten)]
        config: ChannelConfig,
    },
    /// 200, with every channel's id.
    Listed {
        /// The ids, as listed.
        channels: Vec<ChannelId>,
    },
    /// 204: the channel is gone.
    Deleted,
    /// The server refused the request.
    Rejected {
        /// The HTTP status.
        status: u16,
        /// Apple's reason, as sent.
        reason: Option<ServerReason>,
    },
    /// The server said yes, but its answer is not what the API returns (a create without a
    /// channel id, a list that is not JSON). For a create, the channel may exist: list them.
    Unreadable {
        /// The HTTP status.
        status: u16,
        /// What is wrong with the answer.
        why: String,
    },
}

/// A channel management answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelResponse {
    /// What the request did.
    #[serde(flatten)]
    pub outcome: ChannelOutcome,
    /// `apns-request-id`, which Apple asks for when reporting a problem.
    pub request_id: Option<String>,
    /// Time from sending the request to the answer, in milliseconds.
    pub latency_ms: f64,
}

impl ChannelResponse {
    /// Whether the server did what was asked (not rejected, answer readable).
    pub fn is_success(&self) -> bool {
        !matches!(
            self.outcome,
            ChannelOutcome::Rejected { .. } | ChannelOutcome::Unreadable { .. }
        )
    }

    /// The reason, if it is one Apple documents.
    pub fn known_reason(&self) -> Option<Reason> {
        match &self.outcome {
            ChannelOutcome::Rejected { reason, .. } => reason.as_ref().and_then(|r| r.known()),
            _ => None,
        }
    }
}

/// What APNs answered to a broadcast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BroadcastResponse {
    /// The HTTP status: 200 when accepted.
    pub status: u16,
    /// Apple's reason, as sent, when refused.
    pub reason: Option<ServerReason>,
    /// `apns-id`, which Apple's broadcast page says the answer carries.
    pub apns_id: Option<String>,
    /// `apns-request-id`, which Apple asks for when reporting a problem.
    pub request_id: Option<String>,
    /// `apns-unique-id` (sandbox only).
    pub apns_unique_id: Option<String>,
    /// Time from sending the broadcast to the answer, in milliseconds.
    pub latency_ms: f64,
}

impl BroadcastResponse {
    /// Whether APNs accepted the broadcast (status 200).
    pub fn is_success(&self) -> bool {
        self.status == 200
    }

    /// The reason, if it is one Apple documents.
    pub fn known_reason(&self) -> Option<Reason> {
        self.reason.as_ref().and_then(ServerReason::known)
    }
}

fn header(parts: &http::response::Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn reason_of(data: &[u8]) -> Option<ServerReason> {
    let json: serde_json::Value = serde_json::from_slice(data).ok()?;
    json.get("reason")
        .and_then(|r| r.as_str())
        .map(ServerReason::from_wire)
}

impl Connection {
    /// Sends one channel management request for `bundle`. The connection must be to a
    /// management host (or a simulator, which serves both APIs).
    pub async fn manage_channel(
        &self,
        bundle: &BundleId,
        request: &ChannelRequest,
        request_id: Option<&str>,
    ) -> Result<ChannelResponse, SendError> {
        let bearer = self.bearer()?;
        let req = request
            .to_request(self.authority(), bundle, bearer.as_deref(), request_id)
            .map_err(|e| SendError::Request(e.to_string()))?;
        let start = Instant::now();
        let (parts, data) = self
            .exchange(req, Bytes::from(request.body()), MAX_CHANNEL_LIST_BYTES)
            .await
            .map_err(|_| self.timed_out())??;
        let status = parts.status.as_u16();
        let unreadable = |why: String| ChannelOutcome::Unreadable { status, why };
        let outcome = if status == request.success_status() {
            match request {
                ChannelRequest::Create(_) => match header(&parts, "apns-channel-id") {
                    Some(id) => match ChannelId::parse(&id) {
                        Ok(channel_id) => ChannelOutcome::Created { channel_id },
                        Err(e) => unreadable(format!("apns-channel-id: {e}")),
                    },
                    None => unreadable(
                        "the answer has no apns-channel-id: the channel may exist; list the channels to find it".to_owned(),
                    ),
                },
                ChannelRequest::Read(_) => match serde_json::from_slice::<ChannelConfig>(&data) {
                    Ok(config) => ChannelOutcome::Read { config },
                    Err(e) => unreadable(format!("the channel's settings do not read: {e}")),
                },
                ChannelRequest::ListAll => match serde_json::from_slice::<ChannelList>(&data) {
                    Ok(list) => ChannelOutcome::Listed {
                        channels: list.channels,
                    },
                    Err(e) => unreadable(format!("the list of channels does not read: {e}")),
                },
                ChannelRequest::Delete(_) => ChannelOutcome::Deleted,
            }
        } else if (200..300).contains(&status) {
            unreadable(format!(
                "status {status}, where APNs answers {} to this request",
                request.success_status()
            ))
        } else {
            ChannelOutcome::Rejected {
                status,
                reason: reason_of(&data),
            }
        };
        let response = ChannelResponse {
            outcome,
            request_id: header(&parts, "apns-request-id"),
            latency_ms: start.elapsed().as_secs_f64() * 1000.0,
        };
        self.note_reason(response.known_reason());
        Ok(response)
    }

    /// Sends one push on a channel.
    pub async fn broadcast(&self, b: &Broadcast) -> Result<BroadcastResponse, SendError> {
        let bearer = self.bearer()?;
        let req = b
            .to_request(self.authority(), bearer.as_deref())
            .map_err(|e| SendError::Request(e.to_string()))?;
        let start = Instant::now();
        let (parts, data) = self
            .exchange(req, b.payload.clone(), super::connection::MAX_RESPONSE_BODY)
            .await
            .map_err(|_| self.timed_out())??;
        let response = BroadcastResponse {
            status: parts.status.as_u16(),
            reason: reason_of(&data),
            apns_id: header(&parts, "apns-id"),
            request_id: header(&parts, "apns-request-id"),
            apns_unique_id: header(&parts, "apns-unique-id"),
            latency_ms: start.elapsed().as_secs_f64() * 1000.0,
        };
        self.note_reason(response.known_reason());
        Ok(response)
    }
}

#[derive(serde::Deserialize)]
struct ChannelList {
    channels: Vec<ChannelId>,
}

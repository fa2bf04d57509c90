//! The simulator's legacy binary interface: the gateway (port 2195 at Apple) and the feedback
//! service (2196), both driven by the simulator's device registry and recording into its
//! inbox, so the two interfaces agree about every token.
//!
//! Apple retired this interface on 31 March 2021; the simulator offers it for old senders.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::inbox::Inbox;
use super::records::{AuthKind, Delivery, Interface, RequestEvent};
use super::registry::{DeviceRegistry, TokenState};
use super::validate::{self, Head};
use super::{SimConfig, SimError};
use crate::apns::Environment;
use crate::apns::{DeviceToken, PushType, new_uuid};
use crate::legacy::{
    DeviceDirectory, FeedbackConfig, FeedbackRecord, FeedbackServer, FeedbackSource, Gateway,
    GatewayConfig, Peer, ReceivedNotification, ServerTls,
};

/// The legacy listeners a simulator runs, each optional.
#[derive(Debug, Default)]
pub(crate) struct LegacyListeners {
    pub(crate) gateway: Option<Gateway>,
    pub(crate) feedback: Option<FeedbackServer>,
}

impl LegacyListeners {
    /// Starts what the config asks for, with the simulator's server certificate and the same
    /// client CAs as the HTTP/2 side.
    pub(crate) async fn start(config: &SimConfig, inbox: &Inbox) -> Result<Self, SimError> {
        if config.legacy_gateway_port.is_none() && config.feedback_port.is_none() {
            return Ok(LegacyListeners::default());
        }
        let mut client_ca = vec![config.identity.ca.certificate.clone()];
        client_ca.extend(config.client_cas.iter().cloned());
        let tls = ServerTls::new(config.identity.server.clone(), client_ca);
        let ip = config.bind.ip();
        let mut listeners = LegacyListeners::default();
        if let Some(port) = config.legacy_gateway_port {
            let mut gateway = GatewayConfig::new(tls.clone()).devices(Arc::new(RegistryDevices {
                registry: config.registry.clone(),
                environment: config.environment,
                accept_unknown_tokens: config.accept_unknown_tokens,
                inbox: inbox.clone(),
            }));
            gateway.ip = ip;
            gateway.port = port;
            gateway.keep_inbox = false;
            gateway.error_delay = config.legacy_error_delay;
            listeners.gateway = Some(Gateway::start(gateway).await?);
        }
        if let Some(port) = config.feedback_port {
            let mut feedback = FeedbackConfig::new(tls);
            feedback.ip = ip;
            feedback.port = port;
            feedback.source = Some(Arc::new(RegistryFeedback {
                registry: config.registry.clone(),
                environment: config.environment,
                reported: Mutex::new(HashSet::new()),
            }));
            listeners.feedback = Some(FeedbackServer::start(feedback).await?);
        }
        Ok(listeners)
    }

    pub(crate) fn gateway_addr(&self) -> Option<SocketAddr> {
        self.gateway.as_ref().map(Gateway::local_addr)
    }

    pub(crate) fn feedback_addr(&self) -> Option<SocketAddr> {
        self.feedback.as_ref().map(FeedbackServer::local_addr)
    }

    pub(crate) async fn stop(self) {
        if let Some(gateway) = self.gateway {
            gateway.stop().await;
        }
        if let Some(feedback) = self.feedback {
            feedback.stop().await;
        }
    }
}

/// The gateway's view of the registry: the same token checks as the HTTP/2 side, with the
/// certificate's bundle id as the topic; accepted notifications go to the simulator's inbox.
#[derive(Debug)]
struct RegistryDevices {
    registry: Arc<DeviceRegistry>,
    environment: Environment,
    accept_unknown_tokens: bool,
    inbox: Inbox,
}

impl RegistryDevices {
    fn topic(peer: &Peer) -> String {
        peer.bundle_id().unwrap_or_default().to_owned()
    }
}

impl DeviceDirectory for RegistryDevices {
    fn check(&self, peer: &Peer, received: &ReceivedNotification) -> Result<(), String> {
        let n = &received.notification;
        let topic = Self::topic(peer);
        let head = Head {
            token_hex: n.token_hex(),
            push_type: PushType::Alert,
            priority: n.priority,
            topic: Some(topic.clone()),
            apns_id: None,
            collapse_id: None,
            expiration: None,
        };
        let Err(rejection) = validate::check_device(
            &head,
            &topic,
            &self.registry,
            self.environment,
            self.accept_unknown_tokens,
        ) else {
            return Ok(());
        };
        self.inbox.event(RequestEvent {
            status: rejection.status,
            reason: Some(rejection.reason),
            token: head.token_hex,
            topic: Some(topic),
            push_type: Some(PushType::Alert),
            apns_id: new_uuid(),
            auth: Some(AuthKind::Certificate),
            interface: Interface::Legacy,
            channel: None,
            live_activity: None,
        });
        Err(format!(
            "the HTTP/2 API answers {} {} for this token",
            rejection.status, rejection.reason
        ))
    }

    fn accepted(&self, peer: &Peer, received: &ReceivedNotification) {
        let n = &received.notification;
        let topic = Self::topic(peer);
        let apns_id = new_uuid();
        let payload = serde_json::from_slice(&n.payload)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&n.payload).into_owned()));
        self.inbox.event(RequestEvent {
            status: 200,
            reason: None,
            token: n.token_hex(),
            topic: Some(topic.clone()),
            push_type: Some(PushType::Alert),
            apns_id: apns_id.clone(),
            auth: Some(AuthKind::Certificate),
            interface: Interface::Legacy,
            channel: None,
            live_activity: None,
        });
        // The gateway checked the token's 32 bytes before it accepted the frame.
        let Ok(token) = DeviceToken::from_bytes(n.token.clone()) else {
            return;
        };
        self.inbox.record(Delivery {
            time: time::OffsetDateTime::now_utc(),
            token,
            topic,
            push_type: PushType::Alert,
            priority: n.priority,
            apns_id,
            collapse_id: None,
            expiration: (n.expiry != 0).then_some(i64::from(n.expiry)),
            auth: AuthKind::Certificate,
            headers: Vec::new(),
            payload,
            interface: Interface::Legacy,
            channel: None,
            live_activity: None,
        });
    }
}

/// The feedback service's view of the registry: every token unregistered for this environment
/// (and for the connecting app, when the registry names one), each unregistration once.
#[derive(Debug)]
struct RegistryFeedback {
    registry: Arc<DeviceRegistry>,
    environment: Environment,
    /// Token and unregistration time of every record handed out, so a token unregistered
    /// again later (after being registered anew) is reported again.
    reported: Mutex<HashSet<(Vec<u8>, i64)>>,
}

impl FeedbackSource for RegistryFeedback {
    fn take(&self, peer: &Peer) -> Vec<FeedbackRecord> {
        let app = peer.bundle_id();
        let mut reported = self
            .reported
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut records = Vec::new();
        for (token, entry) in self.registry.entries() {
            let TokenState::Unregistered { since_ms } = entry.state else {
                continue;
            };
            if entry.environment.is_some_and(|e| e != self.environment) {
                continue;
            }
            if entry.topic.as_deref().is_some_and(|t| Some(t) != app) {
                continue;
            }
            if reported.insert((token.as_bytes().to_vec(), since_ms)) {
                let secs = since_ms.div_euclid(1000).clamp(0, i64::from(u32::MAX));
                let secs = u32::try_from(secs).unwrap_or(u32::MAX);
                records.push(FeedbackRecord::new(secs, token.as_bytes().to_vec()));
            }
        }
        records.sort_by_key(|r| r.time);
        records
    }
}

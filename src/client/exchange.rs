//! One request and its answer on a [`Connection`], whatever the API: the provider token, the
//! `:authority`, and the exchange with its bounded read and the errors that say whether the
//! server may have processed it.

use bytes::Bytes;

use super::ClientAuth;
use super::connection::{Connection, SendError, Unprocessed, in_flight_err, unwritten};
use crate::apns::Reason;

impl Connection {
    /// The provider token to send, for token authentication.
    pub(crate) fn bearer(&self) -> Result<Option<String>, SendError> {
        match &self.auth {
            ClientAuth::Token(signer) => Ok(Some(
                signer
                    .token()
                    .map_err(|e| SendError::Token(e.to_string()))?
                    .0,
            )),
            ClientAuth::Certificate(_) => Ok(None),
        }
    }

    /// The `:authority` of every request on this connection.
    pub(crate) fn uri_authority(&self) -> Result<http::uri::Authority, SendError> {
        match &self.uri_authority {
            Some(a) => Ok(a.clone()),
            None => self
                .authority
                .parse()
                .map_err(|e: http::uri::InvalidUri| SendError::Request(e.to_string())),
        }
    }

    /// After `ExpiredProviderToken` the next request makes a new provider token.
    pub(crate) fn note_reason(&self, reason: Option<Reason>) {
        if reason == Some(Reason::ExpiredProviderToken)
            && let ClientAuth::Token(signer) = &self.auth
        {
            signer.invalidate();
        }
    }

    /// `host:port` as requests name it.
    pub(crate) fn authority(&self) -> &str {
        &self.authority
    }

    /// Sends one request with its body and reads the answer: the status and headers, and at
    /// most `max_body` bytes of body, within the request timeout (`Err(Elapsed)`: see
    /// [`Connection::timed_out`]). What the server provably did not process, and what it may
    /// have, come back as the [`SendError`]s that say so.
    ///
    /// A plain function returning the timed future rather than an `async fn`: a batch moves
    /// each push's future as it nests, and one level less is one copy less per push.
    pub(crate) fn exchange(
        &self,
        req: http::Request<()>,
        body: Bytes,
        max_body: usize,
    ) -> tokio::time::Timeout<
        impl std::future::Future<Output = Result<(http::response::Parts, Vec<u8>), SendError>> + '_,
    > {
        let exchange = async move {
            let mut send = self.send.clone().ready().await.map_err(unwritten)?;
            let end_with_headers = body.is_empty() && req.method() != http::Method::POST;
            let (response, mut stream) = send
                .send_request(req, end_with_headers)
                .map_err(unwritten)?;
            // The headers are queued but END_STREAM is not: if the body cannot follow (the
            // server reset the stream or is closing the connection meanwhile, which another
            // thread can see first), the server never got a complete request to process.
            if !end_with_headers {
                stream
                    .send_data(body, true)
                    .map_err(|e| SendError::NotProcessed {
                        cause: if e.is_go_away() {
                            Unprocessed::GoAway
                        } else if e.reason() == Some(h2::Reason::REFUSED_STREAM) {
                            Unprocessed::RefusedStream
                        } else {
                            Unprocessed::NeverWritten
                        },
                        message: format!("the request body was never sent: {e}"),
                    })?;
            }
            let response = response.await.map_err(in_flight_err)?;
            let (parts, mut body) = response.into_parts();
            let mut data = Vec::new();
            // The status line is the server's answer: a body cut short by a reset or a lost
            // connection only loses the reason text, not the fact that it answered.
            // A server that sends more than `max_body` is cut off (dropping the body resets
            // the stream) rather than read for ever.
            while let Some(Ok(chunk)) = body.data().await {
                let _ = body.flow_control().release_capacity(chunk.len());
                let room = max_body - data.len();
                data.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if data.len() >= max_body {
                    break;
                }
            }
            Ok::<_, SendError>((parts, data))
        };
        tokio::time::timeout(self.request_timeout, exchange)
    }

    /// The error of an exchange that got no answer within the request timeout.
    pub(crate) fn timed_out(&self) -> SendError {
        SendError::Timeout(self.request_timeout.as_secs())
    }
}

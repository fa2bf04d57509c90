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
            // The headers are queued but END_STREAM is not: the body may find the stream
            // already ended (see `answer_without_body`).
            let unsent = if end_with_headers {
                None
            } else {
                stream.send_data(body, true).err()
            };
            let response = match unsent {
                None => response.await.map_err(in_flight_err)?,
                Some(unsent) => answer_without_body(unsent, response)?,
            };
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

/// The answer to a request whose body found its stream already ended, the server having
/// reset it or closing the connection meanwhile (on a runtime with several threads, the
/// connection's task can read that between the headers and the body). A server may answer
/// from the headers alone and then stop the body with RST_STREAM(NO_ERROR), as RFC 9113 §8.1
/// allows and nginx does for `return 200`: its answer is then the truth, a 200 is delivered,
/// and the push must not be sent again. Without an answer the server got an incomplete
/// request, which it cannot have processed.
fn answer_without_body(
    unsent: h2::Error,
    mut response: h2::client::ResponseFuture,
) -> Result<http::Response<h2::RecvStream>, SendError> {
    use futures_util::FutureExt as _;
    // An answer that came is already in: the stream has ended, nothing more will arrive.
    if let Some(Ok(answer)) = (&mut response).now_or_never() {
        return Ok(answer);
    }
    Err(SendError::NotProcessed {
        cause: if unsent.is_go_away() {
            Unprocessed::GoAway
        } else if unsent.reason() == Some(h2::Reason::REFUSED_STREAM) {
            Unprocessed::RefusedStream
        } else {
            Unprocessed::NeverWritten
        },
        message: format!("the request body was never sent: {unsent}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client and an in-memory `h2` server whose one request is handled by `answer`; the
    /// request's body is tried only once the client has read the server's RST_STREAM.
    async fn body_after_reset(
        answer: fn(h2::server::SendResponse<Bytes>),
    ) -> (
        h2::Reason,
        Result<http::Response<h2::RecvStream>, SendError>,
    ) {
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            let mut conn = h2::server::handshake(server_io).await.unwrap();
            if let Some(Ok((request, respond))) = conn.accept().await {
                // The request's body is never read: dropped, as a server answering from the
                // headers drops it.
                drop(request);
                answer(respond);
            }
            while conn.accept().await.is_some() {}
        });
        let (send, conn) = h2::client::handshake(client_io).await.unwrap();
        tokio::spawn(conn);
        let mut send = send.ready().await.unwrap();
        let request = http::Request::post("https://127.0.0.1/3/device/00")
            .body(())
            .unwrap();
        let (response, mut stream) = send.send_request(request, false).unwrap();
        let reset = std::future::poll_fn(|cx| stream.poll_reset(cx))
            .await
            .unwrap();
        let unsent = stream
            .send_data(Bytes::from_static(b"{}"), true)
            .unwrap_err();
        (reset, answer_without_body(unsent, response))
    }

    #[tokio::test]
    async fn an_answer_sent_before_the_body_was_read_is_the_answer() {
        // h2's server stops an unread body with NO_ERROR after a whole response, as nginx does.
        let (reset, answer) = body_after_reset(|mut respond| {
            let ok = http::Response::builder().status(200).body(()).unwrap();
            respond.send_response(ok, true).unwrap();
        })
        .await;
        assert_eq!(reset, h2::Reason::NO_ERROR);
        let answer = answer.expect("the server answered: that is the truth, not a resend");
        assert_eq!(answer.status(), 200);
    }

    #[tokio::test]
    async fn a_stream_reset_before_its_body_without_an_answer_was_not_processed() {
        let (reset, answer) = body_after_reset(|mut respond| {
            respond.send_reset(h2::Reason::CANCEL);
        })
        .await;
        assert_eq!(reset, h2::Reason::CANCEL);
        let err = answer.expect_err("no answer came");
        assert!(err.is_unprocessed(), "{err:?}");
    }
}

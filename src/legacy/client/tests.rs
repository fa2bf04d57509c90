//! Tests only: declared `#[cfg(test)]` in `src/legacy/client.rs`, so none of this is built into
//! pushlab. Each `unwrap`/`expect` here is an assertion of the test it is in (clippy's
//! `unwrap_used`/`expect_used` are denied everywhere else).

use super::*;
use crate::cert::CertificateAuthority;
use crate::legacy::frame::{Decoded, Decoder};

const MARKER_ID: u32 = u32::MAX;

fn client() -> LegacyClient {
    let ca = CertificateAuthority::generate("unit").unwrap();
    let cred = ca.issue_server_certificate(&["127.0.0.1"]).unwrap();
    LegacyClient::new(Endpoint::new("127.0.0.1", 9, cred))
        .confirm_timeout(Duration::from_millis(50))
}

fn frames(count: u32) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            let n = Notification::new(vec![i as u8; 32], b"{}".to_vec()).with_identifier(i);
            frame::encode(Command::Framed, &n).unwrap()
        })
        .collect()
}

fn marker() -> Marker {
    Marker {
        identifier: MARKER_ID,
        bytes: frame::end_of_batch(Command::Framed, MARKER_ID).unwrap(),
    }
}

#[tokio::test]
async fn a_silent_gateway_leaves_everything_unconfirmed() {
    // The far end neither answers nor closes: only the confirmation timeout ends the wait,
    // and silence confirms nothing.
    let (near, _far) = tokio::io::duplex(1 << 20);
    let (written, end) = client()
        .run_connection(near, &[0, 1, 2], &frames(3), Some(&marker()))
        .await;
    assert_eq!(written, vec![0, 1, 2]);
    assert!(matches!(end, End::Silent(_)));
}

#[tokio::test]
async fn the_answer_to_the_marker_ends_the_connection() {
    let (near, mut far) = tokio::io::duplex(1 << 20);
    // A gateway in miniature: decodes until the first refused frame, answers it.
    let gateway = tokio::spawn(async move {
        let mut decoder = Decoder::new();
        let mut accepted = 0;
        let mut buf = [0u8; 256];
        loop {
            let n = far.read(&mut buf).await.unwrap();
            decoder.push(&buf[..n]);
            loop {
                match decoder.next_frame() {
                    Decoded::NeedMore => break,
                    Decoded::Notification(_) => accepted += 1,
                    Decoded::Invalid(refusal) => {
                        far.write_all(&refusal.response().encode()).await.unwrap();
                        return (accepted, refusal);
                    }
                }
            }
        }
    });
    let (written, end) = client()
        .confirm_timeout(Duration::from_secs(30))
        .run_connection(near, &[0, 1, 2], &frames(3), Some(&marker()))
        .await;
    let (accepted, refusal) = gateway.await.unwrap();
    assert_eq!(accepted, 3);
    assert!(refusal.end_of_batch);
    assert_eq!(written, vec![0, 1, 2]);
    assert!(matches!(
        end,
        End::Packet(ErrorResponse {
            status: Status::MissingDeviceToken,
            identifier: MARKER_ID
        })
    ));
}

#[tokio::test]
async fn a_close_after_the_marker_is_lost_not_confirmed() {
    let (near, mut far) = tokio::io::duplex(1 << 20);
    let expected = frames(2).concat().len() + marker().bytes.len();
    let gateway = tokio::spawn(async move {
        let mut got = 0;
        let mut buf = [0u8; 256];
        while got < expected {
            got += far.read(&mut buf).await.unwrap();
        }
        drop(far);
    });
    let (written, end) = client()
        .confirm_timeout(Duration::from_secs(30))
        .run_connection(near, &[0, 1], &frames(2), Some(&marker()))
        .await;
    gateway.await.unwrap();
    assert_eq!(written, vec![0, 1]);
    assert!(matches!(end, End::Lost(_)));
}

#[tokio::test]
async fn command_0_can_never_be_confirmed() {
    let (near, mut far) = tokio::io::duplex(1 << 20);
    // The far end reads to the end (our half-close) and closes: still nothing confirmed.
    let gateway = tokio::spawn(async move {
        let mut sink = Vec::new();
        far.read_to_end(&mut sink).await.unwrap();
        sink.len()
    });
    let (written, end) = client()
        .confirm_timeout(Duration::from_secs(30))
        .run_connection(near, &[0, 1], &frames(2), None)
        .await;
    assert_eq!(gateway.await.unwrap(), frames(2).concat().len());
    assert_eq!(written, vec![0, 1]);
    assert!(matches!(end, End::Unanswerable));
}

#[tokio::test]
async fn an_early_error_packet_stops_the_writing() {
    let (near, mut far) = tokio::io::duplex(1 << 20);
    far.write_all(&ErrorResponse::new(Status::InvalidToken, 0).encode())
        .await
        .unwrap();
    let (written, end) = client()
        .run_connection(near, &[0, 1, 2], &frames(3), Some(&marker()))
        .await;
    assert!(written.is_empty());
    assert!(matches!(
        end,
        End::Packet(ErrorResponse {
            status: Status::InvalidToken,
            identifier: 0
        })
    ));
}

#[tokio::test]
async fn garbage_or_a_close_mid_batch_is_lost() {
    let (near, mut far) = tokio::io::duplex(1 << 20);
    far.write_all(b"HTTP/1.1 400").await.unwrap();
    let (_, end) = client()
        .run_connection(near, &[0], &frames(1), Some(&marker()))
        .await;
    assert!(matches!(end, End::Lost(_)));

    // A tiny buffer nobody reads: the writer blocks, then the peer goes away.
    let (near, far) = tokio::io::duplex(8);
    let reader = tokio::spawn(async move { drop(far) });
    let (_, end) = client()
        .run_connection(near, &[0, 1], &frames(2), Some(&marker()))
        .await;
    reader.await.unwrap();
    assert!(matches!(end, End::Lost(_)));
}

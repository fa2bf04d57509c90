//! Tests only: declared `#[cfg(test)]` in `src/legacy/frame/mod.rs`, so none of this is built into
//! pushlab. Each `unwrap`/`expect` here is an assertion of the test it is in (clippy's
//! `unwrap_used`/`expect_used` are denied everywhere else).

use super::*;

fn token(seed: u8) -> Vec<u8> {
    (0..32).map(|i| seed.wrapping_add(i)).collect()
}

fn sample() -> Notification {
    Notification::new(token(1), br#"{"aps":{"alert":"Ding dong"}}"#.to_vec())
        .with_identifier(0x0102_0304)
}

fn decode_all(bytes: &[u8]) -> Decoded {
    let mut d = Decoder::new();
    d.push(bytes);
    d.next_frame()
}

fn status_of(bytes: &[u8]) -> (Status, u32) {
    match decode_all(bytes) {
        Decoded::Invalid(f) => (f.status, f.identifier),
        other => panic!("expected an invalid frame, got {other:?}"),
    }
}

#[test]
fn simple_layout() {
    let n = sample();
    let bytes = encode(Command::Simple, &n).unwrap();
    let mut expected = vec![0, 0, 32];
    expected.extend_from_slice(&n.token);
    expected.extend_from_slice(&(n.payload.len() as u16).to_be_bytes());
    expected.extend_from_slice(&n.payload);
    assert_eq!(bytes, expected);
}

#[test]
fn enhanced_layout() {
    let n = sample().with_expiry(0x0a0b_0c0d);
    let bytes = encode(Command::Enhanced, &n).unwrap();
    assert_eq!(
        &bytes[..11],
        &[1, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0, 32]
    );
    assert_eq!(&bytes[11..43], &n.token[..]);
    assert_eq!(&bytes[43..45], &(n.payload.len() as u16).to_be_bytes());
    assert_eq!(&bytes[45..], &n.payload[..]);
}

#[test]
fn framed_layout_leaves_out_default_expiry_and_priority() {
    let n = sample();
    let bytes = encode(Command::Framed, &n).unwrap();
    let items_len = 3 + 32 + 3 + n.payload.len() + 3 + 4;
    assert_eq!(bytes[0], 2);
    assert_eq!(&bytes[1..5], &(items_len as u32).to_be_bytes());
    assert_eq!(bytes.len(), 5 + items_len);
    assert_eq!(&bytes[5..8], &[1, 0, 32]);
    assert_eq!(&bytes[8..40], &n.token[..]);
    assert_eq!(bytes[40], 2);
    let p_end = 43 + n.payload.len();
    assert_eq!(&bytes[43..p_end], &n.payload[..]);
    assert_eq!(&bytes[p_end..], &[3, 0, 4, 1, 2, 3, 4]);
}

#[test]
fn framed_layout_with_expiry_and_priority() {
    let n = sample().with_expiry(7).with_priority(5);
    let bytes = encode(Command::Framed, &n).unwrap();
    assert!(bytes.ends_with(&[3, 0, 4, 1, 2, 3, 4, 4, 0, 4, 0, 0, 0, 7, 5, 0, 1, 5]));
}

#[test]
fn every_command_round_trips_byte_by_byte() {
    let n = sample().with_expiry(99).with_priority(5);
    for command in [Command::Simple, Command::Enhanced, Command::Framed] {
        let bytes = encode(command, &n).unwrap();
        let mut d = Decoder::new();
        let mut got = None;
        for (i, byte) in bytes.iter().enumerate() {
            d.push(std::slice::from_ref(byte));
            match d.next_frame() {
                Decoded::NeedMore => assert!(i + 1 < bytes.len(), "{command:?}"),
                Decoded::Notification(r) => got = Some(r),
                Decoded::Invalid(e) => panic!("{command:?}: {e:?}"),
            }
        }
        let got = got.unwrap();
        assert_eq!(got.command, command);
        assert_eq!(got.notification.token, n.token);
        assert_eq!(got.notification.payload, n.payload);
        match command {
            Command::Simple => {
                assert_eq!(got.notification.identifier, 0);
                assert_eq!(got.notification.expiry, 0);
                assert_eq!(got.notification.priority, 10);
            }
            Command::Enhanced => {
                assert_eq!(got.notification.identifier, n.identifier);
                assert_eq!(got.notification.expiry, 99);
                assert_eq!(got.notification.priority, 10);
            }
            Command::Framed => assert_eq!(got.notification, n),
        }
        assert_eq!(d.buffered(), 0);
    }
}

#[test]
fn several_frames_in_one_chunk() {
    let mut bytes = Vec::new();
    for id in 0..3 {
        bytes.extend(encode(Command::Framed, &sample().with_identifier(id)).unwrap());
    }
    bytes.extend(encode(Command::Enhanced, &sample().with_identifier(3)).unwrap());
    bytes.extend_from_slice(&[2, 0]); // start of the next frame
    let mut d = Decoder::new();
    d.push(&bytes);
    for id in 0..4 {
        let Decoded::Notification(r) = d.next_frame() else {
            panic!("frame {id}");
        };
        assert_eq!(r.notification.identifier, id);
    }
    assert_eq!(d.next_frame(), Decoded::NeedMore);
    assert_eq!(d.buffered(), 2);
}

#[test]
fn unknown_command_is_a_processing_error() {
    assert_eq!(status_of(&[7, 0, 0]), (Status::ProcessingError, 0));
    assert_eq!(status_of(&[8]), (Status::ProcessingError, 0));
}

#[test]
fn classic_token_and_payload_errors() {
    for command in [Command::Simple, Command::Enhanced] {
        let n = sample();
        let id = if command == Command::Enhanced {
            n.identifier
        } else {
            0
        };
        let mut empty_token = n.clone();
        empty_token.token.clear();
        let bytes = encode(command, &empty_token).unwrap();
        assert_eq!(status_of(&bytes), (Status::MissingDeviceToken, id));
        let mut short_token = n.clone();
        short_token.token.truncate(31);
        let bytes = encode(command, &short_token).unwrap();
        assert_eq!(status_of(&bytes), (Status::InvalidTokenSize, id));
        let mut empty_payload = n.clone();
        empty_payload.payload.clear();
        let bytes = encode(command, &empty_payload).unwrap();
        assert_eq!(status_of(&bytes), (Status::MissingPayload, id));
        let mut big = n.clone();
        big.payload = vec![b'x'; 257];
        let bytes = encode(command, &big).unwrap();
        // Refused as soon as the length is known, without waiting for the payload.
        assert_eq!(
            status_of(&bytes[..bytes.len() - 200]),
            (Status::InvalidPayloadSize, id)
        );
        big.payload.truncate(256);
        assert!(matches!(
            decode_all(&encode(command, &big).unwrap()),
            Decoded::Notification(_)
        ));
    }
}

#[test]
fn framed_errors() {
    let n = sample();
    let id = n.identifier;
    let mut bad = n.clone();
    bad.token = vec![1; 33];
    assert_eq!(
        status_of(&encode(Command::Framed, &bad).unwrap()),
        (Status::InvalidTokenSize, id)
    );
    let mut bad = n.clone();
    bad.payload = vec![b'x'; 2049];
    assert_eq!(
        status_of(&encode(Command::Framed, &bad).unwrap()),
        (Status::InvalidPayloadSize, id)
    );
    bad.payload.truncate(2048);
    assert!(matches!(
        decode_all(&encode(Command::Framed, &bad).unwrap()),
        Decoded::Notification(_)
    ));
    let mut bad = n.clone();
    bad.payload.clear();
    assert_eq!(
        status_of(&encode(Command::Framed, &bad).unwrap()),
        (Status::MissingPayload, id)
    );
    let bad = n.clone().with_priority(7);
    assert_eq!(
        status_of(&encode(Command::Framed, &bad).unwrap()),
        (Status::ProcessingError, id)
    );
    // Frames built by hand: no token item; no payload item; an item running past the end.
    let only_payload = [2, 0, 0, 0, 11, 2, 0, 1, b'x', 3, 0, 4, 0, 0, 0, 9];
    assert_eq!(status_of(&only_payload), (Status::MissingDeviceToken, 9));
    let mut only_token = vec![2, 0, 0, 0, 35, 1, 0, 32];
    only_token.extend_from_slice(&token(3));
    assert_eq!(status_of(&only_token), (Status::MissingPayload, 0));
    let overrun = [2, 0, 0, 0, 4, 2, 0, 9, b'x'];
    assert_eq!(status_of(&overrun), (Status::ProcessingError, 0));
    let empty = [2, 0, 0, 0, 0];
    assert_eq!(status_of(&empty), (Status::MissingDeviceToken, 0));
    let huge = [2, 0x7f, 0, 0, 0];
    assert_eq!(status_of(&huge), (Status::InvalidPayloadSize, 0));
}

#[test]
fn end_of_batch_marker_is_refused_for_its_missing_token() {
    assert_eq!(end_of_batch(Command::Simple, 7), None);
    for command in [Command::Enhanced, Command::Framed] {
        let bytes = end_of_batch(command, 0xfeed_f00d).unwrap();
        // Byte by byte: the decoder never answers before the marker is complete.
        let mut d = Decoder::new();
        for (i, byte) in bytes.iter().enumerate() {
            d.push(std::slice::from_ref(byte));
            let step = d.next_frame();
            if i + 1 < bytes.len() {
                assert_eq!(step, Decoded::NeedMore, "{command:?} at byte {i}");
            } else {
                let Decoded::Invalid(f) = step else {
                    panic!("{command:?}: {step:?}");
                };
                assert_eq!(
                    (f.status, f.identifier),
                    (Status::MissingDeviceToken, 0xfeed_f00d)
                );
                assert!(f.end_of_batch, "{command:?}");
                assert_eq!(f.command, command.code());
            }
        }
    }
    // Command 2: identifier item first, then the payload, then a token item of length 0.
    let framed = end_of_batch(Command::Framed, 1).unwrap();
    assert_eq!(
        &framed[..12],
        &[
            2,
            0,
            0,
            0,
            7 + 3 + END_OF_BATCH_PAYLOAD.len() as u8 + 3,
            3,
            0,
            4,
            0,
            0,
            0,
            1
        ]
    );
    assert!(framed.ends_with(&[1, 0, 0]));
    // Command 1 is Apple's layout with token length 0.
    let enhanced = end_of_batch(Command::Enhanced, 1).unwrap();
    assert_eq!(&enhanced[..11], &[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&enhanced[13..], END_OF_BATCH_PAYLOAD);
    // A real notification without a token is a mistake, not a marker.
    for command in [Command::Enhanced, Command::Framed] {
        let mut n = sample();
        n.token.clear();
        let Decoded::Invalid(f) = decode_all(&encode(command, &n).unwrap()) else {
            panic!("{command:?}");
        };
        assert_eq!(f.status, Status::MissingDeviceToken);
        assert!(!f.end_of_batch);
    }
}

#[test]
fn decoder_stays_failed() {
    let mut d = Decoder::new();
    d.push(&[9]);
    assert!(matches!(d.next_frame(), Decoded::Invalid(_)));
    d.push(&encode(Command::Framed, &sample()).unwrap());
    assert!(matches!(d.next_frame(), Decoded::Invalid(_)));
}

#[test]
fn check_applies_apple_limits() {
    let n = sample();
    assert_eq!(check(Command::Framed, &n), Ok(()));
    let mut big = n.clone();
    big.payload = vec![b'x'; 300];
    assert_eq!(
        check(Command::Simple, &big),
        Err(Status::InvalidPayloadSize)
    );
    assert_eq!(
        check(Command::Enhanced, &big),
        Err(Status::InvalidPayloadSize)
    );
    assert_eq!(check(Command::Framed, &big), Ok(()));
    let mut short = n.clone();
    short.token.pop();
    assert_eq!(
        check(Command::Framed, &short),
        Err(Status::InvalidTokenSize)
    );
    assert_eq!(
        encode(
            Command::Framed,
            &Notification::new(vec![0; 70_000], b"x".to_vec())
        ),
        Err(Status::InvalidTokenSize)
    );
}

#[test]
fn error_response_round_trip() {
    let r = ErrorResponse::new(Status::InvalidToken, 0xdead_beef);
    assert_eq!(r.encode(), [8, 8, 0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(ErrorResponse::decode(&r.encode()), Ok(r));
    assert_eq!(
        ErrorResponse::decode(&[8, 8, 0]),
        Err(PacketError::Length(3))
    );
    assert_eq!(
        ErrorResponse::decode(&[7, 8, 0, 0, 0, 0]),
        Err(PacketError::Command(7))
    );
    assert_eq!(
        ErrorResponse::decode(&[8, 42, 0, 0, 0, 1]).map(|r| r.status),
        Ok(Status::Other(42))
    );
}

#[test]
fn status_codes_and_explanations() {
    let codes = [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 10, 255];
    for code in codes {
        let s = Status::from_code(code);
        assert!(!matches!(s, Status::Other(_)), "{code}");
        assert_eq!(s.code(), code);
        assert!(s.explanation().len() > 30);
    }
    assert_eq!(Status::from_code(9), Status::Other(9));
    assert_eq!(Status::InvalidToken.to_string(), "Invalid token (8)");
}

#[test]
fn feedback_records_round_trip_in_chunks() {
    let a = FeedbackRecord::new(1_600_000_000, token(1));
    let b = FeedbackRecord::new(1_600_000_001, token(2));
    let ea = a.encode();
    assert_eq!(ea.len(), FEEDBACK_RECORD_LEN);
    assert_eq!(&ea[..6], &[0x5f, 0x5e, 0x10, 0x00, 0, 32]);
    let mut bytes = ea.clone();
    bytes.extend(b.encode());
    let mut d = FeedbackDecoder::new();
    let mut got = Vec::new();
    for chunk in bytes.chunks(5) {
        d.push(chunk);
        while let Some(r) = d.next_record() {
            got.push(r);
        }
    }
    assert_eq!(got, vec![a, b]);
    assert_eq!(d.finish(), Ok(()));
    d.push(&ea[..20]);
    assert_eq!(d.next_record(), None);
    assert_eq!(d.finish(), Err(PacketError::TruncatedRecord(20)));
}

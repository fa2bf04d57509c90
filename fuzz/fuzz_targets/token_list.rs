//! Any bytes as a token list (and as the payloads file beside it): no panic, one entry per
//! line that is not blank or a comment, line numbers that only go up, memory bounded per line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pushlab::apns::token_list::{LinesByNumber, TokenListReader};

fuzz_target!(|data: &[u8]| {
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
});

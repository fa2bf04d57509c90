//! See `pushlab::fuzzing::outside_text`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::outside_text(data));

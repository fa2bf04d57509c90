//! See `pushlab::fuzzing::sim_request`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::sim_request(data));

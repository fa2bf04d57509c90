//! See `pushlab::fuzzing::app_batch_entries`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::app_batch_entries(data));

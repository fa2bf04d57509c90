//! See `pushlab::fuzzing::hostile_files`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::hostile_files(data));

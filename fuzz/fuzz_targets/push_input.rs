//! See `pushlab::fuzzing::push_input`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::push_input(data));

//! See `pushlab::fuzzing::gui_state`: the same code runs in the stable suite over the corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pushlab::fuzzing::gui_state(data));

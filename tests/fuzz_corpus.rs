//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) in the stable test suite, so what the
//! fuzzer once found stays fixed: each input must parse without a panic and keep the
//! target's invariants.

use std::path::Path;

use pushlab::apns::token_list::{LinesByNumber, TokenListReader};

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn token_list_corpus_replays() {
    let inputs = corpus("token_list");
    assert!(inputs.len() >= 5, "the corpus is in the repository");
    for (name, data) in inputs {
        let lines = data.split(|b| *b == b'\n').count() as u64;
        let mut last = 0;
        let mut payloads = LinesByNumber::new(&data[..]);
        for entry in TokenListReader::new(&data[..]) {
            let line = match &entry {
                Ok(t) => t.line,
                Err(e) => e.line,
            };
            assert!(line > last, "{name}: line numbers go up");
            assert!(line <= lines.max(1), "{name}: line {line} of {lines}");
            last = line;
            let _ = payloads.line(line);
        }
    }
}

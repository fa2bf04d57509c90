//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) in the stable test suite through the
//! same functions the fuzz targets call (`pushlab::fuzzing`), so what the fuzzer once found
//! stays fixed and CI guards it without a nightly toolchain.

use std::path::Path;

#[test]
fn every_corpus_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, run) in pushlab::fuzzing::targets() {
        let dir = root.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        inputs.sort();
        assert!(
            inputs.len() >= 3,
            "{target}: the corpus is in the repository"
        );
        for path in inputs {
            let data = std::fs::read(&path).unwrap_or_default();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panics", path.display());
        }
    }
}

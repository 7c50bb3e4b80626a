//! The browser's Monte Carlo against the server's: compiled for wasm32 only, this runs
//! the reference run in a JavaScript engine and compares its figures, to the bit (the
//! digest) and as shown (the fingerprint), with the file the native tests hold
//! (`tests/data/uncertainty-fingerprint.txt`, checked by `tests/uncertainty.rs`).
//!
//!     CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!       cargo test -p lakeplan-models --target wasm32-unknown-unknown --test wasm
//!
//! (`wasm-bindgen-test-runner` comes with wasm-bindgen-cli, which the set-up installs;
//! it runs the test in Node.js.)
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

const NATIVE: &str = include_str!("data/uncertainty-fingerprint.txt");

#[wasm_bindgen_test]
fn the_browser_run_matches_the_server_run() {
    let here =
        lakeplan_models::whatif::uncertainty::reference_fingerprint().expect("the reference run");
    let (digest, _) = here.split_once('\n').expect("a digest line");
    let (native_digest, _) = NATIVE.split_once('\n').expect("a digest line");
    assert_eq!(here, NATIVE, "figures differ");
    assert_eq!(digest, native_digest, "bits differ");
}

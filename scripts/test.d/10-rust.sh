# Rust: format, lints, every crate's tests (incl. the conformance vectors), and the core
# built for wasm32-unknown-unknown.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo build -p testrelay --target wasm32-unknown-unknown
cargo test --workspace

# WASM: the wasm32 target, wasm-bindgen-cli matching the pinned crate, npm packages of
# bindings-wasm (binaryen's wasm-opt, playwright-core) and Debian's chromium.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# The standard library's source: build.sh builds std with the modules (-Zbuild-std).
rustup component list --installed | grep -qx rust-src || rustup component add rust-src
wasm_bindgen_version="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p}' "$ROOT/Cargo.lock")"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  # No --locked (fails on a missing webpki-roots version); no default features (faster).
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --no-default-features
fi
if [ ! -x "$ROOT/bindings-wasm/node_modules/.bin/wasm-opt" ] \
  || [ ! -d "$ROOT/bindings-wasm/node_modules/playwright-core" ]; then
  (cd "$ROOT/bindings-wasm" && npm install --no-audit --no-fund)
fi
apt_install chromium

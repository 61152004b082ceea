#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit tests (Vitest) and end-to-end tests (Playwright in Debian's
# Chromium). Ends with one line `N passed, N failed, N skipped` totalled over Vitest and
# Playwright, and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" FORCE_COLOR=0
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the end-to-end tests (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null || { echo "apt-get install chromium failed"; exit 1; }
  else
    echo "Chromium is missing at $CHROMIUM. Install it with: sudo apt-get install chromium" >&2
    echo "(or point CHROMIUM_PATH at a Chromium/Chrome binary)" >&2
    exit 1
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error

status=0
step() { echo "::: $1"; }

# Live backend tests (src/backends/contract.test.ts, e2e/backends.spec.ts) run when the local
# Jaeger, Zipkin and Tempo of scripts/backends.sh are all up (.ci/run starts them); the
# preview server then proxies them (SPANGLASS_BACKENDS). SPANGLASS_BACKENDS_LIVE=0 turns them off.
if [ "${SPANGLASS_BACKENDS_LIVE:-}" != 0 ] && bash scripts/backends.sh status >/dev/null 2>&1; then
  eval "$(bash scripts/backends.sh env)"
  export SPANGLASS_JAEGER_URL SPANGLASS_JAEGER_OTLP_URL SPANGLASS_ZIPKIN_URL SPANGLASS_TEMPO_URL SPANGLASS_TEMPO_OTLP_URL
  export SPANGLASS_BACKENDS_LIVE=1
  export SPANGLASS_BACKENDS="${SPANGLASS_BACKENDS:-jaeger=$SPANGLASS_JAEGER_URL,zipkin=$SPANGLASS_ZIPKIN_URL,tempo=$SPANGLASS_TEMPO_URL}"
  echo "::: live backends: on (SPANGLASS_BACKENDS=$SPANGLASS_BACKENDS)"
else
  echo "::: live backends: off (start them with: bash scripts/backends.sh start)"
fi
step typecheck; tsc -b --noEmit || { echo "typecheck FAILED"; status=1; }
step lint; eslint . --max-warnings=0 || { echo "lint FAILED"; status=1; }

R="$(mktemp -d)"
step unit
vitest run --reporter=default --reporter=json --outputFile.json="$R/unit.json" || status=1
step e2e
PLAYWRIGHT_JSON_OUTPUT_FILE="$R/e2e.json" playwright test --reporter=list,json || status=1

node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")) } catch { return undefined } };
const u = read(process.argv[1]), e = read(process.argv[2])?.stats;
let passed = 0, failed = 0, skipped = 0;
if (u) { passed += u.numPassedTests; failed += u.numFailedTests; skipped += u.numPendingTests + u.numTodoTests }
else { failed += 1; console.error("no Vitest report") }
if (e) { passed += e.expected + e.flaky; failed += e.unexpected; skipped += e.skipped }
else { failed += 1; console.error("no Playwright report") }
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);' "$R/unit.json" "$R/e2e.json" || status=1
exit $status

#!/usr/bin/env bash
# npm test: every suite, in order of cost, then one line adding them up.
#   type check → tracker build (size budget) → Next build → unit →
#   integration (real Kafka broker + chdb) → end-to-end (Playwright, Chromium)
# Integration tests start their own throw-away Kafka brokers (scripts/kafka).
set -uo pipefail
cd "$(dirname "$0")/.."

# Not test-results/: Playwright empties that folder when it starts.
results=.reports
rm -rf "$results" && mkdir -p "$results"
export NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
failed_steps=()

step() {
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium not found at ${CHROMIUM_PATH:-/usr/bin/chromium}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi

step typecheck npx tsc --noEmit -p .
step tracker npm run --silent build:tracker
step build env NEXT_SKIP_TYPECHECK=1 npx next build
step unit npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json"
step integration npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$results/integration.json"
step e2e env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json

# Add up every suite; a step that failed before writing results counts as one failure.
node - "$results" "${failed_steps[@]}" <<'JS'
const fs = require('fs');
const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const read = (f) => { try { return JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')); } catch { return null; } };
for (const f of ['unit.json', 'integration.json']) {
  const r = read(f);
  if (!r) continue;
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed to load has no tests but still failed.
  for (const s of r.testResults ?? []) if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) failed += 1;
}
const e2e = read('e2e.json');
if (e2e) { passed += e2e.stats.expected + e2e.stats.flaky; failed += e2e.stats.unexpected; skipped += e2e.stats.skipped; }
const suites = { unit: read('unit.json'), integration: read('integration.json'), e2e };
for (const step of failedSteps) {
  if (!(step in suites) || !suites[step]) { failed += 1; console.error(`step failed: ${step}`); }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
JS

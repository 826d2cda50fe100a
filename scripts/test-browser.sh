#!/usr/bin/env bash
# Imports the sample bills and reports them with the demo configuration (which allocates,
# checks the tag policy and sizes commitments first), then opens the months index, the
# October finance summary, payments' team page and the unallocated bucket's page in headless
# Chromium: fails when Chromium logs any console message (a fetch the CSP blocked, a script
# error, a failed load) or when a page or its screenshot is missing or empty. The screenshots
# stay in test-artifacts/ for a human to look at.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "test-browser: need root or sudo to install chromium" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "test-browser: installing chromium" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi

swift build
tally="$PWD/.build/debug/tally"
artifacts="$PWD/test-artifacts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$artifacts/reports"
mkdir -p "$artifacts"

# The demo configuration has policy, allocation and commitments sections, so `tally report`
# runs those stages first and every section of the month page is filled in.
db="$work/tally.sqlite"
config=demo/tally.yaml
"$tally" --db "$db" import sample-bills/aws-cur-2026-09.csv \
  sample-bills/aws-cur/tally-cur/20261001-20261101/tally-cur-Manifest.json \
  sample-bills/focus-azure-2026-10.csv >/dev/null
"$tally" --config "$config" --db "$db" report --month 2026-09 --out "$artifacts/reports" >/dev/null
"$tally" --config "$config" --db "$db" report --out "$artifacts/reports" >/dev/null

status=0
shoot() { # name, page[, window height]
  local name="$1" page="$2" height="${3:-2400}" log="$work/$1.log" png="$artifacts/$1.png"
  rm -f "$png"
  if [ ! -f "$page" ]; then echo "test-browser: no page $page" >&2; status=1; return; fi
  chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --window-size=1280,"$height" --screenshot="$png" "file://$page" 2>"$log" >/dev/null || true
  if grep -q "INFO:CONSOLE" "$log"; then
    echo "test-browser: console messages on $name:" >&2
    grep "INFO:CONSOLE" "$log" >&2
    status=1
  fi
  if [ ! -s "$png" ]; then echo "test-browser: no screenshot of $name" >&2; status=1; fi
}

shoot month-index "$artifacts/reports/index.html"
# The whole month page, down to the commitments section and its savings curves.
shoot month "$artifacts/reports/2026-10/index.html" 9000
if ! grep -q "Commitments owned in 2026-10" "$artifacts/reports/2026-10/index.html" ||
  ! grep -q 'aria-label="Savings curve: ' "$artifacts/reports/2026-10/index.html"; then
  echo "test-browser: the month page has no stored commitment results" >&2
  status=1
fi
# A team's page and the unallocated bucket's (the demo allocates by the team tag).
shoot team-payments "$artifacts/reports/2026-10/teams/payments.html" 4000
shoot team-unallocated "$artifacts/reports/2026-10/teams/unallocated.html" 4000

[ "$status" -eq 0 ] && echo "test-browser: ok, screenshots in test-artifacts/" >&2
exit "$status"

#!/usr/bin/env bash
# Imports the sample bills, allocates and checks them with the demo configuration, renders the
# reports, and opens the months index, the October finance summary and payments' team page in
# headless Chromium: fails when Chromium logs any console message (a fetch the CSP blocked, a
# script error, a failed load) or when a page or its screenshot is missing or empty. The
# screenshots stay in test-artifacts/ for a human to look at.
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

db="$work/tally.sqlite"
run() { "$tally" --db "$db" --config demo/tally.yaml "$@" >/dev/null; }
run import sample-bills/aws-cur-2026-09.csv \
  sample-bills/aws-cur/tally-cur/20261001-20261101/tally-cur-Manifest.json \
  sample-bills/focus-azure-2026-10.csv
run allocate --all
run check --month 2026-09
run check --month 2026-10
run report --month 2026-09 --out "$artifacts/reports"
run report --month 2026-10 --out "$artifacts/reports"

status=0
shoot() { # name, page
  local name="$1" page="$2" log="$work/$1.log" png="$artifacts/$1.png"
  rm -f "$png"
  if [ ! -f "$page" ]; then echo "test-browser: no page $page" >&2; status=1; return; fi
  chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --window-size=1280,2400 --screenshot="$png" "file://$page" 2>"$log" >/dev/null || true
  if grep -q "INFO:CONSOLE" "$log"; then
    echo "test-browser: console messages on $name:" >&2
    grep "INFO:CONSOLE" "$log" >&2
    status=1
  fi
  if [ ! -s "$png" ]; then echo "test-browser: no screenshot of $name" >&2; status=1; fi
}

shoot month-index "$artifacts/reports/index.html"
shoot month "$artifacts/reports/2026-10/index.html"
shoot team-payments "$artifacts/reports/2026-10/teams/payments.html"
shoot team-unallocated "$artifacts/reports/2026-10/teams/unallocated.html"

[ "$status" -eq 0 ] && echo "test-browser: ok, screenshots in test-artifacts/" >&2
exit "$status"

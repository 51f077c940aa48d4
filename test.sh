#!/usr/bin/env bash
# The README's test command: installs or checks everything the tests need, then runs every test.
# On a fresh Debian machine with the .NET SDK and Node.js this is the whole set-up; .ci/run calls exactly it.
# A prerequisite it cannot install stops the run here with the command to run, so no test fails or is
# skipped later for something missing.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() {
  echo "test.sh: $*" >&2
  exit 1
}

command -v dotnet >/dev/null 2>&1 || fail ".NET SDK 10 not found; install it (https://dot.net), then run ./test.sh again."
command -v node >/dev/null 2>&1 || fail "Node.js not found; install Node.js 22 (or 20) and npm, e.g. 'apt-get install -y nodejs npm', then run ./test.sh again."
command -v npm >/dev/null 2>&1 || fail "npm not found; install it ('apt-get install -y npm'), then run ./test.sh again."

# azurite 3.37.0 declares Node 22+; Node 20 runs it and every test (npm ci then warns EBADENGINE).
# Older releases cannot run the emulators at all.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  fail "Node.js $(node --version) is too old; the emulators need Node.js 22 (20 works). Install a newer Node.js, then run ./test.sh again."
fi

# The emulators (Azurite, aws-ses-v2-local) and the SMTP test server come from node_modules.
npm ci --no-audit --no-fund --loglevel=error

# The browser tests (tests/Comms.BrowserTests) drive Debian's Chromium through Playwright's ExecutablePath;
# Playwright never downloads a browser of its own. COMMS_CHROMIUM names another build.
chromium="${COMMS_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -n "${COMMS_CHROMIUM:-}" ]; then
    fail "COMMS_CHROMIUM=$COMMS_CHROMIUM is not an executable; unset it or point it at Chromium."
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "Chromium is missing and sudo is not available; as root run 'apt-get install -y chromium', then ./test.sh again."
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "Chromium is missing at $chromium; install it (Debian: 'apt-get install -y chromium') or set COMMS_CHROMIUM, then run ./test.sh again."
  echo "test.sh: installing Chromium for the browser tests (apt-get install -y chromium)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ] || fail "apt-get did not install $chromium; run 'apt-get install -y chromium' and look at its output."
fi

# Every test project in the solution; extra arguments (e.g. --filter ...) go to dotnet test. The TRX results
# let the last lines of the log name every failed test with its message (a CI log is often cut to its end).
results="TestResults/run-$(date -u +%Y%m%dT%H%M%S)"
status=0
dotnet test Comms.sln --logger trx --results-directory "$results" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "test.sh: dotnet test failed (exit $status); the failed tests:" >&2
  node tests/tools/failed-tests.mjs "$results" >&2 || true
fi
exit "$status"

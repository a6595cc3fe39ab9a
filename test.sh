#!/usr/bin/env bash
# Runs the whole test suite from a fresh checkout: installs the Debian packages the tests use,
# builds everything (including the nano checks of the portable code), runs every test project,
# and ends with one line of totals over all of them: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

configuration=${CONFIGURATION:-Release}
results_dir=${RESULTS_DIR:-"$PWD/artifacts/test-results"}

# Real peers the tests talk to: Mosquitto (MQTT broker), socat + pymodbus (a Modbus RTU slave on a
# pty pair), headless Chromium (renders the simulator's report offline), promtool from the prometheus
# package (checks the alert rules in deploy/), systemd-analyze (checks the units in deploy/), curl (the docs' commands use it). Tests start them themselves
# on loopback / private ptys / file URLs; here we only install them. Packages are installed without
# their "recommends", so everything the peers import is named here: python3-pymodbus 3.0 only
# recommends its serial support (python3-serial-asyncio, which brings python3-serial).
debian_packages=(mosquitto socat python3 python3-pymodbus python3-serial python3-serial-asyncio chromium prometheus curl systemd)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The packaged broker starts a system-wide service on 1883 on some machines (prometheus on 9090); the tests
# never use them.

# Prove on the spot that every peer the tests start can run, before spending minutes on a build:
# one line naming what is missing instead of a handful of failed tests later.
build/check-test-peers.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# `dotnet test` of a solution builds only test projects and what they reference, so build the
# whole solution first: that is what runs the nano checks of the portable projects.
dotnet build CommunityGrid.sln -c "$configuration" -nologo

rm -rf "$results_dir"
mkdir -p "$results_dir"
set +e
dotnet test CommunityGrid.sln -c "$configuration" --no-build --nologo \
  --logger "trx" --results-directory "$results_dir"
test_exit=$?
set -e

# The release build a host installs (build/publish.sh): the self-contained, single-file, trimmed linux-x64 cgrid
# must publish without a trim warning and run what a trimmed-away type would break (build/check-published.sh).
# Only that one (linux-arm64 and cgrid-meter publish the same way) to keep the suite fast.
# Counted in the totals as one check.
publish_log="$results_dir/publish.log"
if build/publish.sh --only cgrid linux-x64 >"$publish_log" 2>&1 && build/check-published.sh artifacts/publish/linux-x64/cgrid >>"$publish_log" 2>&1; then
  publish_passed=1; publish_failed=0
  echo "publish check passed: $(tail -n 1 "$publish_log")"
else
  publish_passed=0; publish_failed=1
  echo "publish check FAILED (build/publish.sh --only cgrid linux-x64, then build/check-published.sh on it); the log's end:"
  tail -n 20 "$publish_log"
fi

passed=0; failed=0; skipped=0; files=0
for trx in "$results_dir"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed)
  errors=$(value error); timeouts=$(value timeout); aborted=$(value aborted)
  passed=$((passed + p))
  failed=$((failed + f + errors + timeouts + aborted))
  skipped=$((skipped + total - executed))
done

passed=$((passed + publish_passed))
failed=$((failed + publish_failed))
echo "Test result files: $files (plus the publish check)"
if [ "$files" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "No test ran: that is a failure, not a pass."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed or a project that could not run leaves no failed test in any TRX file.
  echo "dotnet test exited with $test_exit although no TRX file records a failed test (a crashed test host?): counted as one failure."
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -ne 0 ]; then
  exit 1
fi

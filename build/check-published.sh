#!/usr/bin/env bash
# Runs a published cgrid (build/publish.sh; trimmed) through the paths a trimmed-away type would break at run time:
# key and genesis files, a small simulation with its report (JSON), `cgrid verify` of it (text and --json), and a
# read-only gateway answering HTTP API, problem and web app requests. ./test.sh runs it after publishing.
#
#   build/check-published.sh artifacts/publish/linux-x64/cgrid
#
# Exit 0 when every step gave what it should; otherwise 1 with the step that failed and its output.
set -euo pipefail
cgrid=$(realpath "${1:?usage: build/check-published.sh PATH/cgrid}")
work=$(mktemp -d)
gateway_pid=
cleanup() {
  [ -z "$gateway_pid" ] || kill "$gateway_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "check-published: $1" >&2; [ -z "${2:-}" ] || tail -n 20 "$2" >&2; exit 1; }
# Runs cgrid with the given arguments, its output in $work/out; fails the check on a non-zero exit.
run() { "$cgrid" "$@" >"$work/out" 2>&1 || fail "cgrid $* exited $?" "$work/out"; }
expect() { grep -q -- "$1" "$work/out" || fail "$2: no '$1' in its output" "$work/out"; }

run --version
run keys new --out "$work/gateway.key"
key=$(cat "$work/out")
run community init --out "$work/genesis.json" --id check --name "Check Street" --installer "$key" --treasurer "$key" \
  --validator "$key@127.0.0.1:7001" --member "h1=$key" --json
expect '"chainId": "check"' "community init --json"
grep -q '"intervalSeconds": 900' "$work/genesis.json" || fail "the genesis file lacks its interval" "$work/genesis.json"

# The smallest simulation: 3 houses, one day; writes report.json through the report's JSON context.
run simulate --houses 3 --days 1 --out "$work/sim"
grep -q '"chainId": "sim-community"' "$work/sim/report.json" || fail "report.json lacks the community" "$work/sim/report.json"
run verify --data "$work/sim"
expect '^VALID' "verify"
run verify --data "$work/sim" --json
expect '"valid": true' "verify --json"

# A read-only gateway on the simulated chain; port 0 lets the system pick a free one, which the log names.
"$cgrid" gateway run --read-only --data "$work/sim" --http 127.0.0.1:0 >"$work/gateway.log" 2>&1 &
gateway_pid=$!
address=
for _ in $(seq 1 100); do
  address=$(grep -o 'gateway ready read-only .* http=[0-9.:]*' "$work/gateway.log" | grep -o '[0-9.]*:[0-9]*$' || true)
  [ -n "$address" ] && break
  kill -0 "$gateway_pid" 2>/dev/null || fail "the read-only gateway stopped" "$work/gateway.log"
  sleep 0.2
done
[ -n "$address" ] || fail "the read-only gateway did not get ready in 20 s" "$work/gateway.log"
get() { curl -s -o "$work/out" -w '%{http_code}' "http://$address$1"; }
[ "$(get /status)" = 200 ] || fail "GET /status" "$work/out"
expect '"chainId": "sim-community"' "GET /status"
[ "$(get /houses/h001/statement)" = 200 ] || fail "GET /houses/h001/statement" "$work/out"
[ "$(get /proposals)" = 200 ] || fail "GET /proposals" "$work/out"
[ "$(get /blocks/x)" = 400 ] || fail "GET /blocks/x (a malformed height)" "$work/out"
expect '"type": "urn:communitygrid:problem:' "GET /blocks/x"
[ "$(get /app/)" = 200 ] || fail "GET /app/" "$work/out"
[ "$(get /metrics)" = 200 ] || fail "GET /metrics" "$work/out"
kill "$gateway_pid"
wait "$gateway_pid" || true
gateway_pid=
echo "check-published: $("$cgrid" --version) ran keys, community init, simulate, verify and a read-only gateway's HTTP API"

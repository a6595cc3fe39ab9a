#!/usr/bin/env bash
# Self-contained, single-file builds of the two programs a host installs, for the Linux machines a community
# runs on (a PC or server: linux-x64; a Raspberry Pi 3/4/5 with a 64-bit OS: linux-arm64). Nothing needs to be
# installed on the target (no .NET runtime); copy the file and run it.
#
#   build/publish.sh                      # cgrid and cgrid-meter for linux-x64 and linux-arm64
#   build/publish.sh linux-arm64          # only these runtimes
#   build/publish.sh --only cgrid linux-x64
#
# Output: artifacts/publish/<runtime>/cgrid and artifacts/publish/<runtime>/cgrid-meter.
# cgrid is trimmed. ./test.sh runs `build/publish.sh --only cgrid linux-x64` and build/check-published.sh on the
# result (keys, genesis, a small simulation, verify, a read-only gateway's HTTP API).
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A projects=(
  [cgrid]=gateway/CommunityGrid.Cli/CommunityGrid.Cli.csproj
  [cgrid-meter]=firmware/CommunityGrid.Meter.Linux/CommunityGrid.Meter.Linux.csproj
)
programs=(cgrid cgrid-meter)
runtimes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) [ -n "${projects[${2:-}]+x}" ] || { echo "build/publish.sh: --only takes cgrid or cgrid-meter" >&2; exit 2; }
            programs=("$2"); shift 2 ;;
    linux-x64|linux-arm64) runtimes+=("$1"); shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build/publish.sh: unknown argument '$1' (runtimes: linux-x64, linux-arm64; --only cgrid|cgrid-meter)" >&2; exit 2 ;;
  esac
done
[ ${#runtimes[@]} -gt 0 ] || runtimes=(linux-x64 linux-arm64)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for runtime in "${runtimes[@]}"; do
  out="artifacts/publish/$runtime"
  for program in "${programs[@]}"; do
    echo "publishing $program for $runtime into $out"
    # cgrid is trimmed (docs/operations.md "Trimmed publish": 37 instead of 113 MB, and the gateway maps less memory);
    # every trim warning is shown on its own (TrimmerSingleWarn=false) and fails the publish (warnings are errors),
    # and ./test.sh runs build/check-published.sh on the result. cgrid-meter is not trimmed: not audited.
    trim=()
    [ "$program" = cgrid ] && trim=(-p:PublishTrimmed=true -p:TrimmerSingleWarn=false)
    # Single file with the native SQLite and libsodium inside (extracted on first start); no .pdb beside it.
    dotnet publish "${projects[$program]}" -c Release -r "$runtime" --self-contained \
      -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none "${trim[@]}" \
      -o "$out" -nologo -v quiet
  done
done
ls -l artifacts/publish/*/cgrid* 2>/dev/null

#!/usr/bin/env bash
# Runs every test of the repository: the README's test command, and what .ci/run calls.
# It builds with warnings as errors first, so a warning fails the run as it fails CI.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build Serverless.sln -c Release -warnaserror

# Integration tests talk to real PostgreSQL and Azurite; start them (installing them the first time).
scripts/services.sh start
# shellcheck source=/dev/null
source .ci-services/env

log=$(mktemp)
trap 'rm -f "$log"; scripts/services.sh stop' EXIT
status=0
dotnet test Serverless.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects' own summaries.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' FS='[ ,]+' "$log"
exit "$status"

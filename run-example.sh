#!/usr/bin/env bash
# The main job: checks the example project, then runs its region_reports pipeline end to end on the embedded
# SQLite store (.duraflow/ in examples/), with live progress, and shows the run afterwards.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Quiet when the build is fine; on failure, build again loudly to show why.
dotnet build src/Cli -c Release -v quiet -nologo > /dev/null || dotnet build src/Cli -c Release -nologo
duraflow() { dotnet "src/Cli/bin/Release/net10.0/duraflow.dll" "$@"; }
duraflow validate examples
duraflow graph region_reports --project examples
duraflow run region_reports --project examples --param day="$(date +%F)"
duraflow runs list --project examples --limit 3

#!/usr/bin/env bash
# The main job: checks the example project, then runs its pipelines end to end on the embedded SQLite store
# (.duraflow/ in examples/), with live progress:
#   orders          CSV -> C# script -> SQL over the script's table -> CSV export to Azure Blob Storage (Azurite)
#   region_reports  fan-out and fan-in of C# scripts, run twice: the second run takes every block from the cache
#   backfill        orders' schedule over the last three days, a run per daily tick
# Azurite (npm) is started for the export and stopped at the end; the runs stay in examples/.duraflow.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Quiet when the build is fine; on failure, build again loudly to show why.
dotnet build src/Cli -c Release -v quiet -nologo > /dev/null || dotnet build src/Cli -c Release -nologo
duraflow() { dotnet "src/Cli/bin/Release/net10.0/duraflow.dll" "$@"; }

scripts/services.sh start azurite
trap 'scripts/services.sh stop' EXIT
# The example's io_config.yaml reads the lake's connection string from the environment; here it is Azurite.
export LAKE_CONNECTION_STRING=UseDevelopmentStorage=true

duraflow validate examples
duraflow graph orders --project examples
duraflow run orders --project examples --param currency=EUR
duraflow run region_reports --project examples --param day="$(date +%F)"
duraflow run region_reports --project examples --param day="$(date +%F)"
duraflow cache list --project examples --pipeline region_reports
# The three days before today of orders' daily schedule, one at a time (its concurrency); run again, it would start nothing.
duraflow backfill orders --project examples --from "$(date -d '3 days ago' +%F)" --to "$(date +%F)"
duraflow runs list --project examples --limit 3

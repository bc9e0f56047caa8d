#!/usr/bin/env bash
# The main job: checks the example project, then runs its pipelines end to end on the embedded SQLite store
# (.duraflow/ in examples/), with live progress:
#   orders          CSV -> C# script -> SQL over the script's table -> CSV export to Azure Blob Storage (Azurite)
#   region_reports  fan-out and fan-in of C# scripts, run twice: the second run takes every block from the cache
#   backfill        orders' schedule over the last three days, a run per daily tick
#   new_orders      an incremental read: a run, then a file lands, and the next run reads that file alone
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
# Incremental: the first run ever reads both landed files (later ones none), then a new file lands and the next run
# reads it alone; the files watermark is a checkpoint of the pipeline.
duraflow run new_orders --project examples
# It landed ten seconds ago: a file younger than incremental's settle time (5 s) may still be written, and waits.
arrived="examples/data/landing/arrived-$(date +%Y%m%dT%H%M%S).csv"
printf 'order_id,customer,amount\n%s,Dana Lee,42.00\n' "$(date +%s)" > "$arrived"
touch -d '10 seconds ago' "$arrived"
duraflow run new_orders --project examples
duraflow checkpoints list --project examples --pipeline new_orders
duraflow runs list --project examples --limit 3

#!/usr/bin/env bash
# The main job: checks the example project and shows the orders pipeline's graph.
# (Runs through the durable engine replace the graph step once `duraflow run` lands.)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Quiet when the build is fine; on failure, build again loudly to show why.
dotnet build src/Cli -c Release -v quiet -nologo > /dev/null || dotnet build src/Cli -c Release -nologo
duraflow() { dotnet "src/Cli/bin/Release/net10.0/duraflow.dll" "$@"; }
duraflow validate examples
duraflow graph orders --project examples
duraflow graph orders --project examples --format mermaid

#!/usr/bin/env bash
# Builds the zip to deploy to an Azure Functions app (Flex Consumption, runtime `dotnet-isolated` 10.0): host.json,
# the .NET isolated worker for linux-x64 with functions.metadata, worker.config.json, extensions.json and
# .azurefunctions/ (the queue extension the host loads), and the Duraflow project under project/, without its
# .duraflow/, output/ or secrets.local.yaml. Needs only the .NET SDK.
#   scripts/package.sh [PROJECT_DIR] [OUTPUT_ZIP]      defaults: examples  artifacts/duraflow-app.zip
# Paths are relative to the current folder. The app settings then name the project: Duraflow__Project=project.
set -euo pipefail
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
project=$(absolute "${1:-examples}")
zip=$(absolute "${2:-artifacts/duraflow-app.zip}")
cd "$(dirname "$0")/.."

# A fresh folder, so nothing of an earlier publish (a removed function, another project) ends up in the zip.
publish="$PWD/artifacts/publish"
rm -rf "$publish"
dotnet publish src/Functions/Functions.csproj -c Release -o "$publish" --nologo -v q \
  -p:DuraflowProject="$project/" -p:DuraflowPackage="$zip"

echo "$zip ($(du -h "$zip" | cut -f1))"

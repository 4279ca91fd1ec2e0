#!/usr/bin/env bash
# Runs a complete federated training run on the embedded default: coordinator, in-process workers,
# SQLite event log and blob store under ./fed-data, and a private anvil chain that pays every round's
# rewards (installed by scripts/provision/chain.sh). Extra arguments go to `fed demo` (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required (https://dot.net)" >&2; exit 2; }
bash scripts/provision/chain.sh >&2
echo "building fed (Release)..." >&2
dotnet build src/Federated.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet src/Federated.Cli/bin/Release/net10.0/fed.dll demo "$@"

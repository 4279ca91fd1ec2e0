#!/usr/bin/env bash
# Builds the solution and runs every test project. Installs and starts whatever the tests need;
# prints one closing line "N passed, N failed" for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required (https://dot.net)" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== provision (PostgreSQL, RabbitMQ, anvil + solc; each is silent when already installed)"
bash scripts/provision/postgres.sh
bash scripts/provision/rabbitmq.sh
bash scripts/provision/chain.sh

echo "== docker (docker.io, dockerd with host networking only, stopped at exit; the images of docker/build.sh)"
source scripts/provision/docker.sh

echo "== build"
dotnet build Federated.sln -c Release -nologo -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
set +e
dotnet test Federated.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test assembly.
read -r passed failed < <(grep -E '(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi

#!/usr/bin/env bash
# Regenerates tests/Federated.Chain.Tests/Vectors/cast-vectors.json with Foundry's cast, an independent
# implementation of everything in src/Federated.Chain. The JSON is committed, so tests and CI need no cast.
# Usage: tools/chain_vectors.sh   (installs cast into tools/node_modules, which git ignores)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="1.7.1"
cast="$here/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
if [[ ! -x "$cast" ]] || ! "$cast" --version | grep -q "$version"; then
    (cd "$here" && npm install --no-save --no-audit --no-fund "@foundry-rs/cast-linux-amd64@$version" >/dev/null)
fi
out="$here/../tests/Federated.Chain.Tests/Vectors/cast-vectors.json"
CAST="$cast" node "$here/chain_vectors.mjs" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(realpath "$out")"

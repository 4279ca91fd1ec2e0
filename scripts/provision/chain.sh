#!/usr/bin/env bash
# Installs what the chain tests need into contracts/node_modules (git ignores it): anvil 1.7.1,
# solc-js 0.8.37 and @openzeppelin/contracts 5.7.0, exactly as contracts/package-lock.json pins them.
# Idempotent: does nothing (and prints nothing) when the pinned versions are already installed.
set -euo pipefail
contracts="$(cd "$(dirname "$0")/../../contracts" && pwd)"
command -v npm >/dev/null || { echo "error: Node.js 20+ with npm is required to provision contracts/" >&2; exit 2; }

installed() {
    local anvil="$contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
    [[ -x "$anvil" ]] && "$anvil" --version 2>/dev/null | grep -q "Version: 1.7.1" || return 1
    grep -q '"version": "0.8.37"' "$contracts/node_modules/solc/package.json" 2>/dev/null || return 1
    grep -q '"version": "5.7.0"' "$contracts/node_modules/@openzeppelin/contracts/package.json" 2>/dev/null || return 1
}

if ! installed; then
    (cd "$contracts" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    installed || { echo "error: npm ci in $contracts did not install anvil 1.7.1, solc 0.8.37 and OpenZeppelin 5.7.0" >&2; exit 1; }
    echo "provisioned contracts/node_modules (anvil 1.7.1, solc 0.8.37, @openzeppelin/contracts 5.7.0)"
fi

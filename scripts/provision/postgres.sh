#!/usr/bin/env bash
# Installs PostgreSQL 15 (Debian's postgresql package) for the PostgreSQL event store tests and benchmark.
# Idempotent, and silent when it is already installed. Tests and the benchmark start their own private
# server (initdb + pg_ctl on a free port, 127.0.0.1 only), so the system cluster is never left running.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

if [ ! -x "$PG_BIN/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: PostgreSQL 15 is missing and installing it needs root: sudo bash $0" >&2
    exit 2
  fi
  echo "== installing PostgreSQL 15 (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "error: $PG_BIN/initdb is still missing after installing 'postgresql' (not version 15?)" >&2
    exit 1
  fi
fi

# The package starts its cluster on port 5432 where it can; stop it so no test can come to depend on it.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters --no-header 2>/dev/null | while read -r version name _port status _rest; do
    case "$status" in
      online*) echo "== stopping the system cluster $version/$name"; pg_ctlcluster "$version" "$name" stop || true ;;
    esac
  done
fi

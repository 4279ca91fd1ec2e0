#!/bin/sh
# Creates the cluster on first start (and the database FED_POSTGRES_DB), then becomes postgres.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    initdb -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C --no-instructions >/dev/null
    if [ -n "${FED_POSTGRES_DB:-}" ] && [ "$FED_POSTGRES_DB" != postgres ]; then
        echo "CREATE DATABASE \"$FED_POSTGRES_DB\"" | postgres --single -D "$PGDATA" postgres >/dev/null
    fi
fi
exec postgres -D "$PGDATA" -p "$PGPORT" -k /tmp -c listen_addresses=127.0.0.1

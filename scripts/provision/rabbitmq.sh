#!/usr/bin/env bash
# Installs Debian's rabbitmq-server for the tests, which start their own private broker
# (tests/Federated.Testing/RabbitMqServer.cs). The system instance that the package starts is
# stopped and disabled so that no test ever talks to it by accident. Idempotent; silent on success.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "error: scripts/provision/rabbitmq.sh must run as root (it uses apt-get)" >&2
  exit 2
fi

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d = 101 tells the package's maintainer scripts not to start the service.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  if ! { apt-get update -qq && apt-get install -y -qq rabbitmq-server; } >"$log" 2>&1; then
    [ "$policy_added" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
    echo "error: installing rabbitmq-server failed; apt output follows" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  [ "$policy_added" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  rm -f "$log"
  # The package's scripts leave an epmd daemon on the default port (4369, all interfaces); with no node
  # registered it serves nothing, and the test nodes run their own epmd on ports of their own.
  if command -v epmd >/dev/null 2>&1 && ! epmd -names 2>/dev/null | grep -q '^name '; then
    epmd -kill >/dev/null 2>&1 || true
  fi
fi

# Whatever started the system instance (a previous install, an init system), stop it and keep it off.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now rabbitmq-server >/dev/null 2>&1 || true
else
  service rabbitmq-server stop >/dev/null 2>&1 || true
  command -v update-rc.d >/dev/null 2>&1 && update-rc.d rabbitmq-server disable >/dev/null 2>&1 || true
fi
# The default node (rabbit@<host>) may also have been started by hand; stop it if epmd knows it.
# (Asking epmd first: a bare rabbitmqctl call would itself start an epmd daemon.)
if command -v epmd >/dev/null 2>&1 && epmd -names 2>/dev/null | grep -q '^name rabbit '; then
  rabbitmqctl -q stop >/dev/null 2>&1 || true
fi
exit 0

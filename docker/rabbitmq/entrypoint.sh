#!/bin/sh
# Writes the node's configuration from the environment, then becomes rabbitmq-server.
set -eu
[ -n "${FED_RABBITMQ_PASSWORD:-}" ] || { echo "error: set FED_RABBITMQ_PASSWORD (the password of user ${FED_RABBITMQ_USER})" >&2; exit 2; }
conf=/var/lib/rabbitmq/fed
mkdir -p "$conf"
cat > "$conf/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:${RABBITMQ_NODE_PORT}
loopback_users = none
default_user = ${FED_RABBITMQ_USER}
default_pass = ${FED_RABBITMQ_PASSWORD}
default_vhost = ${FED_RABBITMQ_VHOST}
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = true
log.console.level = info
log.file = false
CONF
echo '[].' > "$conf/enabled_plugins"
: > "$conf/rabbitmq-env.conf"
echo '[].' > "$conf/advanced.config"
export RABBITMQ_CONFIG_FILE="$conf/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$conf/enabled_plugins" \
    RABBITMQ_CONF_ENV_FILE="$conf/rabbitmq-env.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$conf/advanced.config"
exec /usr/lib/rabbitmq/bin/rabbitmq-server

#!/usr/bin/env bash
# Creates the RabbitMQ vhost, users and permissions a Federated deployment should run with, so that a worker's
# broker credential can do what a worker does and nothing more. Idempotent: run it again to add workers.
#
#   scripts/provision/rabbitmq-users.sh [--vhost fed] [--secrets DIR] [--coordinator-user fed-coordinator] WORKER_ID...
#
#   RABBITMQCTL  the rabbitmqctl command to use (default: rabbitmqctl), e.g. "rabbitmqctl -n rabbit@broker"
#
# Passwords: DIR/<user>.password is used when it exists; otherwise a random one is made and written there (mode 0600).
# Hand each worker its own file; it connects as rabbitmq://fed-worker-<id>:<password>@host:5672/<vhost>.
# (rabbitmqctl takes the password as an argument, so it shows in the process list while the command runs: run this
# on the broker host, not on a shared machine.)
#
# What each user may do on the vhost (RabbitMQ matches one regex per kind against queue AND exchange names):
#
#   fed-coordinator     configure .*  write .*  read .*
#       The coordinator declares its queue fed-coordinator, binds the message exchanges to it, and sends TrainShard
#       to each worker's queue. `fed launch` (an admin's tool) uses this credential too.
#
#   fed-worker-<id>     configure ^(fed-worker-<id>(_error|_skipped)?|Federated\.Contracts:(WorkerAvailable|WorkerLeaving|ShardTrained|ShardFailed))$
#                       write     the same
#                       read      ^fed-worker-<id>(_error|_skipped)?$
#       A worker declares and consumes only its own queue fed-worker-<id> (and the exchange of the same name that
#       MassTransit binds to it, and the _error/_skipped pair MassTransit moves failed messages to), and publishes
#       its four messages to their message-type exchanges (MassTransit declares an exchange before publishing to it,
#       hence configure). It has read on nothing else, so it can neither consume fed-coordinator or another worker's
#       queue nor bind any queue to the coordinator's exchanges (queue.bind needs read on the source exchange): it
#       cannot copy anyone's traffic. The worker's endpoint is set up for this (src/Federated.Worker/WorkerEndpoint.cs):
#       it binds no message-type exchange to its queue (tasks are sent to the queue, not published) and publishes no
#       Fault<TrainShard>; MassTransit 8 opens the bus's own temporary endpoint only for request clients, which a
#       worker has none of. tests/Federated.Distributed.Tests/BrokerPermissionTests.cs runs a whole run with these
#       users and checks that the broker refuses a worker's every way to read others' messages (ACCESS_REFUSED).
#
# Residual: configure on a message-type exchange also allows deleting it; a worker that deletes e.g.
# Federated.Contracts:ShardTrained cuts every worker's submissions off until the coordinator restarts (its endpoint
# binds the exchanges again on start). That is a denial of service, not a leak; RabbitMQ has no declare-only right.
set -euo pipefail

vhost=fed
secrets=rabbitmq-secrets
coordinator=fed-coordinator
workers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --vhost) vhost=$2; shift 2 ;;
    --secrets) secrets=$2; shift 2 ;;
    --coordinator-user) coordinator=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d;s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) workers+=("$1"); shift ;;
  esac
done

read -r -a ctl <<< "${RABBITMQCTL:-rabbitmqctl}"

# Worker ids are what `fed worker --id` accepts: letters, digits, '-', '_' and '.'.
for id in "${workers[@]}"; do
  if ! [[ "$id" =~ ^[A-Za-z0-9._-]+$ ]]; then
    echo "error: bad worker id '$id': use letters, digits, '-', '_' or '.'" >&2
    exit 2
  fi
done
if ! [[ "$vhost" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "error: bad vhost '$vhost': use letters, digits, '-', '_' or '.'" >&2
  exit 2
fi

mkdir -p "$secrets"
chmod 700 "$secrets"

password_of() {
  local file="$secrets/$1.password"
  if [ ! -s "$file" ]; then
    (umask 077; od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$file")
  fi
  cat "$file"
}

ensure_user() {
  local user=$1 password
  password=$(password_of "$user")
  if "${ctl[@]}" -q list_users --no-table-headers 2>/dev/null | cut -f1 | grep -qxF "$user"; then
    "${ctl[@]}" -q change_password "$user" "$password" >/dev/null
  else
    "${ctl[@]}" -q add_user "$user" "$password" >/dev/null
  fi
}

# A regex matching exactly this text ('.' is the only metacharacter a worker id or vhost may hold).
escape() { printf '%s' "${1//./\\.}"; }

if ! "${ctl[@]}" -q list_vhosts --no-table-headers 2>/dev/null | grep -qxF "$vhost"; then
  "${ctl[@]}" -q add_vhost "$vhost" >/dev/null
fi

ensure_user "$coordinator"
"${ctl[@]}" -q set_permissions -p "$vhost" "$coordinator" '.*' '.*' '.*' >/dev/null
echo "user $coordinator: configure, write and read on vhost $vhost"

published='Federated\.Contracts:(WorkerAvailable|WorkerLeaving|ShardTrained|ShardFailed)'
for id in "${workers[@]}"; do
  user="fed-worker-$id"
  own="fed-worker-$(escape "$id")(_error|_skipped)?"
  ensure_user "$user"
  "${ctl[@]}" -q set_permissions -p "$vhost" "$user" "^($own|$published)\$" "^($own|$published)\$" "^$own\$" >/dev/null
  echo "user $user: its own queue fed-worker-$id, publishes to the coordinator; password in $secrets/$user.password"
done

#!/usr/bin/env bash
# CI wiring for the container tests (issue 13). SOURCE it from scripts/test.sh:  source scripts/provision/docker.sh
#  1. installs Debian's docker.io, debootstrap and docker-compose when missing (as root; silent when installed);
#  2. starts a Docker engine when none answers: dockerd with no bridge and no iptables (every container uses the host
#     network), data under $FED_DOCKER_ROOT (default /var/lib/fed-docker); an EXIT trap stops the engine it started
#     (an engine that was already running is left alone);
#  3. builds the images with docker/build.sh (the base image by debootstrap on the first run; later runs reuse the
#     engine's cache).
# Set FED_SKIP_DOCKER=1 to skip all of it (the container tests then fail, naming what is missing).
if [[ ${FED_SKIP_DOCKER:-} == 1 ]]; then
    echo "docker: skipped (FED_SKIP_DOCKER=1)"
    return 0 2>/dev/null || exit 0
fi
_fed_docker_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

_fed_docker_missing=()
command -v dockerd >/dev/null || _fed_docker_missing+=(docker.io)
command -v debootstrap >/dev/null || _fed_docker_missing+=(debootstrap)
command -v docker-compose >/dev/null || _fed_docker_missing+=(docker-compose)
if [[ ${#_fed_docker_missing[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || { echo "error: ${_fed_docker_missing[*]} missing; install them as root (apt-get install ${_fed_docker_missing[*]})" >&2; exit 2; }
    echo "installing ${_fed_docker_missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_fed_docker_missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] || { echo "error: no Docker engine answers and starting one needs root" >&2; exit 2; }
    _fed_dockerd_data=${FED_DOCKER_ROOT:-/var/lib/fed-docker}
    _fed_dockerd_log=$(mktemp /tmp/fed-dockerd.XXXXXX.log)
    mkdir -p "$_fed_dockerd_data"
    dockerd --bridge=none --iptables=false --ip-masq=false --data-root "$_fed_dockerd_data" \
        --pidfile "$_fed_dockerd_data.pid" >"$_fed_dockerd_log" 2>&1 &
    _fed_dockerd_pid=$!
    # Stop the engine this script started when the caller exits (containers the tests left are removed with it).
    trap 'kill "$_fed_dockerd_pid" 2>/dev/null && wait "$_fed_dockerd_pid" 2>/dev/null' EXIT
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { tail -20 "$_fed_dockerd_log" >&2; echo "error: dockerd did not answer within 60 s (log $_fed_dockerd_log)" >&2; exit 1; }
    echo "docker: started dockerd (pid $_fed_dockerd_pid, data $_fed_dockerd_data, no bridge: host networking only)"
fi

_fed_images_start=$SECONDS
bash "$_fed_docker_root/docker/build.sh"
echo "docker: images built in $((SECONDS - _fed_images_start)) s"

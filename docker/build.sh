#!/usr/bin/env bash
# Builds every Federated image (see docker/README.md) against a locally built Debian base, so nothing is
# ever pulled from a registry:
#   fed-debian:bookworm   debootstrap minbase + ca-certificates, libssl3 (made here when absent)
#   fed-worker, fed-coordinator, fed-rabbitmq, fed-postgres, fed-anvil   (tag :local)
# Usage: docker/build.sh [IMAGE...]      (no arguments: all images; e.g. docker/build.sh fed-worker)
# Environment: DOCKER (docker CLI, default docker), FED_BASE_IMAGE (use this base instead of the local one),
#   DEBIAN_MIRROR (default http://deb.debian.org/debian), FED_IMAGE_TAG (default local).
# Needs a running Docker engine, and root with debootstrap to create the base image.
set -euo pipefail
cd "$(dirname "$0")/.."
docker=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag=${FED_IMAGE_TAG:-local}
base=${FED_BASE_IMAGE:-fed-debian:bookworm}
export DOCKER_BUILDKIT=0   # the legacy builder: Debian's engine 20.10 has no buildx here, and it never pulls a base that exists locally

"$docker" info >/dev/null 2>&1 || { echo "error: no Docker engine answers '$docker info' (start dockerd; see docker/README.md)" >&2; exit 2; }

image_exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }

slim() {
    # What debian:*-slim leaves out: documentation (but copyright notices), manual pages, translations, apt's caches;
    # and a dpkg rule so that packages installed on top (RabbitMQ, PostgreSQL) leave them out too.
    local root=$1
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/*
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
        'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
        > "$root/etc/dpkg/dpkg.cfg.d/01-fed-slim"
}

make_base() {
    # $1 image name, $2 Debian suite
    local name=$1 suite=$2 root
    image_exists "$name" && return 0
    command -v debootstrap >/dev/null || { echo "error: debootstrap is required to create $name (apt-get install debootstrap)" >&2; exit 2; }
    root=$(mktemp -d /tmp/fed-base.XXXXXX)
    echo "== base image $name (debootstrap --variant=minbase $suite)"
    local start=$SECONDS
    debootstrap --variant=minbase --include=ca-certificates,libssl3 "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
        || { tail -20 "$root.log" >&2; rm -rf "$root" "$root.log"; echo "error: debootstrap $suite failed (mirror $mirror)" >&2; exit 1; }
    slim "$root"
    tar -C "$root" -c . | "$docker" import -c 'CMD ["/bin/bash"]' - "$name" >/dev/null
    rm -rf "$root" "$root.log"
    echo "   $name: $((SECONDS - start)) s"
}

all=(fed-worker fed-coordinator fed-rabbitmq fed-postgres fed-anvil)
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=("${all[@]}")
for w in "${wanted[@]}"; do
    [[ " ${all[*]} " == *" $w "* ]] || { echo "error: unknown image '$w' (images: ${all[*]})" >&2; exit 2; }
done
want() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

stage=docker/.build
mkdir -p "$stage"

build() {
    # $1 image, $2 Dockerfile, $3 context
    local start=$SECONDS
    echo "== $1:$tag (from $base)"
    "$docker" build --network host --pull=false --build-arg "BASE_IMAGE=$base" -t "$1:$tag" -f "$2" "$3" >"$stage/$1.log" 2>&1 \
        || { tail -30 "$stage/$1.log" >&2; echo "error: building $1 failed (log: $stage/$1.log)" >&2; exit 1; }
    echo "   $1:$tag: $((SECONDS - start)) s, $("$docker" image inspect -f '{{.Size}}' "$1:$tag" | awk '{printf "%.0f MB", $1/1000000}')"
}

# The publish is CPU work; debootstrap and the apt-get of the server images mostly wait on the mirror and the disk.
# So the publish runs in the background while the base and the server images are made.
publish_pid=
if want fed-worker || want fed-coordinator; then
    command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is required to publish fed for the images" >&2; exit 2; }
    echo "== dotnet publish src/Federated.Cli (linux-x64, self-contained), in the background"
    rm -rf "$stage/fed-context" "$stage/publish.done"
    (
        start=$SECONDS
        # --artifacts-path keeps this publish's obj/bin apart from the solution's own build.
        dotnet publish src/Federated.Cli/Federated.Cli.csproj -c Release -r linux-x64 --self-contained \
            -p:InvariantGlobalization=true -p:DebugType=none -p:GenerateDocumentationFile=false \
            --artifacts-path "$stage/artifacts" -o "$stage/fed-context/fed" -nologo -clp:ErrorsOnly >"$stage/publish.log" 2>&1 || exit 1
        # The compiled contracts `fed chain deploy` and the embedded chain look for above the program: /opt/fed/contracts/build.
        mkdir -p "$stage/fed-context/fed/contracts/build"
        cp contracts/build/*.json "$stage/fed-context/fed/contracts/build/"
        echo "$((SECONDS - start)) s, $(du -sm "$stage/fed-context/fed" | cut -f1) MB" >"$stage/publish.done"
    ) &
    publish_pid=$!
    # Stop the background publish if this script fails before waiting for it.
    trap '[[ -n $publish_pid ]] && kill "$publish_pid" 2>/dev/null' EXIT
fi

if [[ -z ${FED_BASE_IMAGE:-} ]]; then
    make_base fed-debian:bookworm bookworm
fi
want fed-rabbitmq && build fed-rabbitmq docker/rabbitmq/Dockerfile docker/rabbitmq
want fed-postgres && build fed-postgres docker/postgres/Dockerfile docker/postgres
if want fed-anvil; then
    bash scripts/provision/chain.sh
    rm -rf "$stage/anvil-context" && mkdir -p "$stage/anvil-context"
    cp contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil "$stage/anvil-context/anvil"
    build fed-anvil docker/anvil/Dockerfile "$stage/anvil-context"
fi
if [[ -n $publish_pid ]]; then
    wait "$publish_pid" || { publish_pid=; tail -30 "$stage/publish.log" >&2; echo "error: dotnet publish failed (log: $stage/publish.log)" >&2; exit 1; }
    publish_pid=
    echo "   published: $(cat "$stage/publish.done")"
    want fed-worker && build fed-worker docker/worker/Dockerfile "$stage/fed-context"
    want fed-coordinator && build fed-coordinator docker/coordinator/Dockerfile "$stage/fed-context"
fi
echo "== images"
"$docker" images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E "^(fed-[a-z]+):$tag|^fed-debian" || true

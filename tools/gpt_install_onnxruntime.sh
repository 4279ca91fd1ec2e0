#!/bin/sh
# Installs the real ONNX Runtime (native libonnxruntime.so.1 inside the npm package onnxruntime-node 1.30.0)
# into the cache the engine tests read. --ignore-scripts: the package's install script downloads extras
# and fails offline; the Linux x64 library is already in the tarball.
set -eu
dir="${XDG_CACHE_HOME:-$HOME/.cache}/federated/onnxruntime-node-1.30.0"
mkdir -p "$dir"
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund onnxruntime-node@1.30.0
ls -l "$dir/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"

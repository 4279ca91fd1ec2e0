#!/usr/bin/env bash
# Installs Debian's PyTorch (python3-torch, CPU) with OpenBLAS for tools/ (reference fixtures, the engine
# benchmark and the convergence check). Not needed by the tests: the fixtures they read are committed.
# OpenBLAS matters: without it Debian's torch falls back to the reference BLAS and trains about 10x slower,
# which would make every ratio against PyTorch meaningless. Idempotent; silent when all is in place.
set -euo pipefail

need=()
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: ${need[*]} missing and installing needs root: sudo bash $0" >&2
    exit 2
  fi
  echo "== installing ${need[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

blas=$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')
case "$blas" in
  *openblas*) ;;
  *) echo "error: libblas.so.3 points to '${blas:-nothing}', not OpenBLAS; run: update-alternatives --auto libblas.so.3-x86_64-linux-gnu" >&2; exit 1 ;;
esac

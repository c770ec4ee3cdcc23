#!/usr/bin/env bash
# Cross-compiles the CPU kernel library with its NEON backend and the
# backend-independent kernel tests for aarch64 (Debian's g++-aarch64-linux-gnu,
# statically linked) and runs them under qemu-aarch64. On aarch64 the tests'
# available_backends() holds scalar and neon, so every case compares NEON
# with the scalar reference and the float64 Eigen reference.
# Usage: run_neon_tests.sh <repo root> <work dir>
# Exit 77 (ctest SKIP_RETURN_CODE) when the cross compiler or qemu is absent.
set -euo pipefail
root=$1
work=$2
CXX=${AARCH64_CXX:-aarch64-linux-gnu-g++}
QEMU=${QEMU_AARCH64:-qemu-aarch64}
for tool in "$CXX" "$QEMU"; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (scripts/setup installs g++-aarch64-linux-gnu and qemu-user)"
    exit 77
  fi
done
for hdr in /usr/include/doctest/doctest.h /usr/include/eigen3/Eigen/Dense; do
  [ -f "$hdr" ] || { echo "SKIP: $hdr not found"; exit 77; }
done

mkdir -p "$work/include"
# Only the header-only libraries are exposed to the cross compiler, never
# the host's /usr/include as a whole (its glibc headers are x86's).
ln -sfn /usr/include/doctest "$work/include/doctest"
k=$root/kernels
srcs=("$k/scalar.cpp" "$k/dispatch.cpp" "$k/decode.cpp" "$k/mas.cpp" "$k/neon.cpp" "$k/buffer.cpp" "$k/small_decoder.cpp"
      "$k/tests/test_main.cpp" "$k/tests/test_gemv.cpp" "$k/tests/test_attention.cpp" "$k/tests/test_mas.cpp"
      "$k/tests/test_small_decoder.cpp")
bin=$work/msao_kernel_tests_aarch64
# Rebuild only when a kernel source or header changed since the last build.
if [ ! -x "$bin" ] || [ -n "$(find "$k" "$root/workloads/mas.hpp" -newer "$bin" \( -name '*.cpp' -o -name '*.hpp' \) -print -quit)" ]; then
  echo "cross-compiling for aarch64 with $CXX"
  "$CXX" -std=c++20 -O2 -Wall -Wextra -static -I"$root" -isystem "$work/include" -isystem /usr/include/eigen3 \
    "${srcs[@]}" -o "$bin.tmp"
  mv "$bin.tmp" "$bin"
fi
exec "$QEMU" "$bin" "$@"

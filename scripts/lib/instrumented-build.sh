# Sourced by scripts/fuzz and scripts/sanitize: one instrumented build
# (ASan + UBSan, MSAO_SANITIZE=ON) serves both, so CI compiles the core once
# for them. With clang's libFuzzer it is a clang build that also carries the
# fuzz harnesses (MSAO_FUZZ=ON); without it, a g++ build without them.
# Folder: $MSAO_SANITIZE_BUILD_DIR, default build-sanitize.
# instrumented_build [TARGET ...]: configures and builds (all when no target).

SANITIZE_BUILD=${MSAO_SANITIZE_BUILD_DIR:-build-sanitize}

have_libfuzzer() {
  command -v clang++ >/dev/null &&
    echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
      clang++ -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null
}

instrumented_build() {
  local compilers=() targets=()
  if have_libfuzzer; then
    compilers=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMSAO_FUZZ=ON)
  fi
  for t in "$@"; do targets+=(--target "$t"); done
  mkdir -p "$SANITIZE_BUILD"
  # Quiet on success; on failure the end of the log says why.
  if ! { cmake -S . -B "$SANITIZE_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSAO_SANITIZE=ON -DMSAO_BUILD_TESTS=ON \
           -DMSAO_BUILD_BENCH=OFF -DMSAO_WITH_CUDA=OFF "${compilers[@]}" &&
         cmake --build "$SANITIZE_BUILD" -j"$(nproc)" "${targets[@]}"; } >"$SANITIZE_BUILD/build.log" 2>&1; then
    grep -E "error" "$SANITIZE_BUILD/build.log" | head -n 20 >&2 || true
    tail -n 30 "$SANITIZE_BUILD/build.log" >&2
    echo "instrumented build failed (full log: $SANITIZE_BUILD/build.log)" >&2
    return 1
  fi
}

# What every instrumented process runs with. UB aborts (it would only print
# otherwise); leaks are findings, except SimGrid's (a Debian library, not
# instrumented, which keeps global state until exit). SimGrid's default
# contexts switch stacks behind ASan's back: thread contexts instead
# (MSAO_SIMGRID_CONFIG, read by configure_engine).
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
export MSAO_SIMGRID_CONFIG="contexts/factory:thread"

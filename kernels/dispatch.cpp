// Runtime backend selection. The AVX2 table is only handed out after the
// CPU has been asked (cpuid) for AVX2, FMA and F16C, so a binary built on
// this machine still runs, on the scalar path, on an x86 CPU without them.
#include "kernels/backend.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define MSAO_KERNELS_X86 1
#endif

namespace msao::kernels {

#if defined(MSAO_KERNELS_X86)
const Backend& avx2_backend_table();  // avx2.cpp

static bool cpu_has_avx2_fma_f16c() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return false;
  unsigned a, b, c, d;  // F16C: CPUID leaf 1, ECX bit 29 (no __builtin_cpu_supports name in GCC 12)
  return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C);
}
#endif
#if defined(__aarch64__)
const Backend& neon_backend_table();  // neon.cpp
#endif

const Backend* avx2_backend() {
#if defined(MSAO_KERNELS_X86)
  static const bool ok = cpu_has_avx2_fma_f16c();
  return ok ? &avx2_backend_table() : nullptr;
#else
  return nullptr;
#endif
}

const Backend* neon_backend() {
#if defined(__aarch64__)
  return &neon_backend_table();
#else
  return nullptr;
#endif
}

const Backend& best_backend() {
  if (const Backend* b = avx2_backend()) return *b;
  if (const Backend* b = neon_backend()) return *b;
  return scalar_backend();
}

std::vector<const Backend*> available_backends() {
  std::vector<const Backend*> all{&scalar_backend()};
  if (const Backend* b = avx2_backend()) all.push_back(b);
  if (const Backend* b = neon_backend()) all.push_back(b);
  return all;
}

}  // namespace msao::kernels

// See buffer.hpp. mmap gives zeroed, page-aligned memory; the region is
// over-allocated by 2 MiB so the used part can start on a huge-page boundary.
#include "kernels/buffer.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace msao::kernels {

namespace {
constexpr size_t kHuge = size_t(2) << 20;
struct Header {
  void* base;
  size_t len;
};
}  // namespace

void* huge_alloc(size_t bytes) {
  // One huge page of slack for alignment plus room for the header before it.
  const size_t len = bytes + 2 * kHuge;
  void* base = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t p = (reinterpret_cast<uintptr_t>(base) + kHuge + kHuge - 1) & ~(kHuge - 1);
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void*>(p), bytes, MADV_HUGEPAGE);  // advisory: ignore failure
#endif
  new (reinterpret_cast<Header*>(p) - 1) Header{base, len};
  return reinterpret_cast<void*>(p);
}

void HugeFree::operator()(void* p) const {
  if (!p) return;
  const Header* h = static_cast<Header*>(p) - 1;
  munmap(h->base, h->len);
}

}  // namespace msao::kernels

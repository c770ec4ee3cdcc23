// Large, 2 MiB-aligned buffers backed by transparent huge pages where the
// kernel allows (THP is often "madvise" only). Streaming kernels over
// hundreds of MiB otherwise pay a TLB miss every 4 KiB, and the hardware
// prefetchers stop at every 4 KiB page boundary; a serving engine would map
// its weights and KV cache this way, so benchmarks and the profile do too.
#pragma once
#include <cstddef>
#include <memory>

namespace msao::kernels {

struct HugeFree {
  void operator()(void* p) const;
};
void* huge_alloc(size_t bytes);  // zero-filled, never nullptr (throws std::bad_alloc)

template <class T>
using HugeArray = std::unique_ptr<T[], HugeFree>;

template <class T>
HugeArray<T> make_huge(size_t n) {
  const size_t bytes = n * sizeof(T) > 0 ? n * sizeof(T) : 1;
  return HugeArray<T>(static_cast<T*>(huge_alloc(bytes)));
}

}  // namespace msao::kernels

// MemoryUse: GPU memory held at one moment, by what holds it: the model's
// weights, the KV cache of the requests being served, the transient
// activations and workspace of the forward pass running, and the serving
// runtime (CUDA context, CUDA-graph pool). A peak is one such moment, so
// its parts sum to it. docs/metrics.md gives each part's source.
#pragma once

namespace msao::cost {

struct MemoryUse {
  double weights = 0, kv = 0, activations = 0, runtime = 0;  // bytes
  double total() const { return weights + kv + activations + runtime; }
  bool operator==(const MemoryUse&) const = default;
};

// The moment that holds more (the first on ties).
inline const MemoryUse& peak_of(const MemoryUse& a, const MemoryUse& b) { return b.total() > a.total() ? b : a; }

}  // namespace msao::cost

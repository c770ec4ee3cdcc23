// CUDA implementations of the decode and MAS kernels. All pointers are
// device pointers; launches go on the default stream and are checked (the
// caller synchronises when it needs results). Layouts match backend.hpp and
// mas.hpp exactly, so the tests compare CUDA with the CPU reference directly.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "kernels/cuda/check.hpp"

namespace msao::kernels::cuda {

// True when a usable CUDA device is present; otherwise *why says why.
bool device_present(std::string* why = nullptr);
std::string device_name();
int sm_count();

// Owning device allocation (no copies; moves only).
template <class T>
class DeviceArray {
 public:
  explicit DeviceArray(size_t n) : n_(n) { MSAO_CUDA_CHECK(cudaMalloc(&p_, (n ? n : 1) * sizeof(T))); }
  ~DeviceArray() { cudaFree(p_); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray(DeviceArray&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; }
  DeviceArray& operator=(DeviceArray&&) = delete;
  T* get() const { return p_; }
  size_t size() const { return n_; }
  void upload(const T* host) { MSAO_CUDA_CHECK(cudaMemcpy(p_, host, n_ * sizeof(T), cudaMemcpyHostToDevice)); }
  void download(T* host) const { MSAO_CUDA_CHECK(cudaMemcpy(host, p_, n_ * sizeof(T), cudaMemcpyDeviceToHost)); }

 private:
  T* p_ = nullptr;
  size_t n_;
};

void gemv_f32(const float* W, const float* x, float* y, size_t rows, size_t cols);
void gemv_f16(const uint16_t* W, const float* x, float* y, size_t rows, size_t cols);
void gemv_i8(const int8_t* W, const float* scales, size_t group, const float* x, float* y, size_t rows, size_t cols);
// Flash-decoding: one block per split writes m, l, o[split*d..]; a second
// kernel merges. d <= 256. part_m/part_l: splits floats, part_o: splits*d.
void decode_attention(const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d, float scale,
                      size_t splits, float* part_m, float* part_l, float* part_o, float* out);
// MAS spatial: importance[patches] (zeroed here) = mean over heads and
// tokens of softmax(q·Kᵀ/√d); patches * 4 + d * 4 bytes must fit in shared memory.
void patch_importance(const float* q, const float* K, size_t heads, size_t tokens, size_t patches, size_t d,
                      float* importance);
// MAS temporal: sign-of-projection hashes [F][ceil(bits/64)] of F frames
// against planes [bits][d] (the same planes FrameHasher draws).
void lsh_hash(const float* planes, size_t bits, const float* frames, size_t F, size_t d, unsigned long long* hashes);

// Measurement kernels for the CUDA Device.
void triad(double* a, const double* b, const double* c, double s, size_t n);
// Each thread runs `iters` x 8 independent FMA chains; returns FLOPs done.
double fma_loop(float* sink, size_t threads, int iters);
void empty_kernel();

}  // namespace msao::kernels::cuda

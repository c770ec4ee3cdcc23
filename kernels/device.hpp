// What profile and validate need from a device: timed runs of the decode
// and MAS kernels at given sizes, with the buffers owned by the device (host
// memory for the CPU, device memory for CUDA). profile.cpp and validate.cpp
// are written once against this interface.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

namespace msao::kernels {

class Device {
 public:
  virtual ~Device() = default;
  virtual std::string name() const = 0;         // e.g. "cpu avx2 (Intel Xeon ...)" or "cuda NVIDIA H100 ..."
  virtual std::string hardware_hint() const = 0;  // default platforms/hardware entry
  // A working set comfortably larger than the device's last-level cache.
  virtual size_t beyond_cache_bytes() const = 0;
  // Median seconds per call, inputs resident on the device.
  virtual double time_gemv_f16(size_t rows, size_t cols) = 0;
  virtual double time_gemv_i8(size_t rows, size_t cols, size_t group) = 0;
  virtual double time_decode_attention(size_t n, size_t d, size_t splits) = 0;
  // STREAM triad over three arrays of n doubles: bytes/s.
  virtual double triad_Bps(size_t n) = 0;
  // Dense fp32 FLOP/s of a compute-bound kernel.
  virtual double dense_flops() = 0;
  // Seconds of one image's MAS (spatial + modal) at `patches` visual tokens.
  virtual double time_mas(size_t heads, size_t prompt_tokens, size_t patches, size_t d) = 0;
};

std::unique_ptr<Device> make_cpu_device();
// Throws std::runtime_error when CUDA was not built in or no GPU is present.
std::unique_ptr<Device> make_cuda_device();
bool cuda_built();

}  // namespace msao::kernels

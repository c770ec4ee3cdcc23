// Device factory fallbacks for a build without CUDA; with CUDA,
// kernels/cuda/cuda_device.cpp defines these instead.
#include <stdexcept>

#include "kernels/device.hpp"

namespace msao::kernels {

#ifndef MSAO_KERNELS_HAVE_CUDA
std::unique_ptr<Device> make_cuda_device() {
  throw std::runtime_error("msao_kernels was built without CUDA (MSAO_WITH_CUDA=OFF, or nvcc not found)");
}
bool cuda_built() { return false; }
#endif

}  // namespace msao::kernels

// Every CUDA runtime call and every kernel launch goes through these checks:
// a failure throws with the call, file and line, so no error is silently
// carried into a later call.
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace msao::kernels::cuda {

inline void check(cudaError_t e, const char* what, const char* file, int line) {
  if (e != cudaSuccess)
    throw std::runtime_error(std::string("CUDA error ") + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) +
                             ") in " + what + " at " + file + ":" + std::to_string(line));
}

}  // namespace msao::kernels::cuda

#define MSAO_CUDA_CHECK(call) ::msao::kernels::cuda::check((call), #call, __FILE__, __LINE__)
// After a <<<...>>> launch: configuration errors surface from cudaGetLastError.
#define MSAO_CUDA_CHECK_LAUNCH(name) ::msao::kernels::cuda::check(cudaGetLastError(), name, __FILE__, __LINE__)

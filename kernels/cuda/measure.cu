// Device queries and the kernels the CUDA Device times besides the real
// ones: a STREAM triad (bandwidth yardstick), an FMA loop (dense FP32
// rate; 8 independent chains per thread hide the FMA latency) and an empty
// kernel (launch overhead).
#include "kernels/cuda/cuda_kernels.hpp"
#include "kernels/cuda/warp.cuh"

namespace msao::kernels::cuda {
namespace {

__global__ void triad_kernel(double* a, const double* b, const double* c, double s, size_t n) {
  for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x)
    a[i] = b[i] + s * c[i];
}

__global__ void fma_kernel(float* sink, int iters) {
  float a[8];
#pragma unroll
  for (int k = 0; k < 8; ++k) a[k] = float(threadIdx.x + k);
  const float m = 0.999f, c = 0.001f;
  for (int i = 0; i < iters; ++i) {
#pragma unroll
    for (int k = 0; k < 8; ++k) a[k] = fmaf(a[k], m, c);
  }
  float s = 0.f;
#pragma unroll
  for (int k = 0; k < 8; ++k) s += a[k];
  if (s == 12345.678f) sink[0] = s;  // never true in practice; keeps the loop alive
}

__global__ void empty() {}

}  // namespace

bool device_present(std::string* why) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess || n == 0) {
    if (why) *why = e != cudaSuccess ? std::string(cudaGetErrorString(e)) : "no CUDA device";
    cudaGetLastError();  // clear the sticky-free error so later checks start clean
    return false;
  }
  return true;
}

std::string device_name() {
  cudaDeviceProp p{};
  MSAO_CUDA_CHECK(cudaGetDeviceProperties(&p, 0));
  return p.name;
}

int sm_count() {
  int v = 0;
  MSAO_CUDA_CHECK(cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, 0));
  return v;
}

void triad(double* a, const double* b, const double* c, double s, size_t n) {
  triad_kernel<<<unsigned(sm_count()) * 8, 256>>>(a, b, c, s, n);
  MSAO_CUDA_CHECK_LAUNCH("triad_kernel");
}

double fma_loop(float* sink, size_t threads, int iters) {
  fma_kernel<<<blocks_for(threads, 256), 256>>>(sink, iters);
  MSAO_CUDA_CHECK_LAUNCH("fma_kernel");
  return double(blocks_for(threads, 256)) * 256.0 * iters * 8 * 2;
}

void empty_kernel() {
  empty<<<1, 1>>>();
  MSAO_CUDA_CHECK_LAUNCH("empty");
}

}  // namespace msao::kernels::cuda

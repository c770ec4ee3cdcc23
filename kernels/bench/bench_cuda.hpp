// Registers the CUDA kernel benchmarks (bench_cuda.cpp) when CUDA is built
// in and a GPU is present; otherwise prints why and registers nothing.
#pragma once

namespace msao::kernels {
void register_cuda_benchmarks();
}

// ServingProfile: the serving stack a model runs under (platforms/serving/
// *.yaml): whether it batches requests, the host time it spends per layer
// of every forward pass, and the GPU memory its runtime holds besides the
// model. The figures of each entry are published measurements of that
// stack, cited in its file. Scenario key platform.serving (both sides).
#pragma once
#include <string>
#include <vector>

#include "sim/cost/host_dispatch.hpp"

namespace msao::cost {

struct ServingProfile {
  std::string name, description, source_file;
  // false: one request at a time (a batch of 1), as transformers' generate()
  // serves; true: iteration-level continuous batching (vLLM).
  bool continuous_batching = true;
  // Host (Python and kernel-dispatch) time of every forward pass, on the
  // host where it was measured. Eager PyTorch issues a layer's kernels from
  // Python and the GPU runs them as they come: a forward takes the larger of
  // its GPU time and this. All 0: the host keeps ahead (CUDA graphs).
  HostDispatch host;
  double runtime_mem_bytes = 0;  // CUDA context + CUDA-graph pool, held while serving
  // Reuse of earlier work (sim/engine/prefix_cache.hpp): automatic prefix
  // caching in KV blocks of kv_block_tokens tokens, and an encoder-output
  // cache of encoder_cache_tokens tokens (0: none). Off unless the stack has them.
  bool prefix_caching = false;
  int kv_block_tokens = 16;
  int encoder_cache_tokens = 0;
  // Its parts and the lines of their keys in source_file (0: not given),
  // for the message when they leave no room for the model.
  double cuda_context_bytes = 0, graph_pool_bytes = 0;
  int cuda_context_line = 0, graph_pool_line = 0;
};

// Catalog name (platforms/serving/<name>.yaml) or path to a YAML file.
ServingProfile load_serving(const std::string& name_or_path);
std::vector<std::string> list_serving();

}  // namespace msao::cost

#include "sim/cost/serving.hpp"

#include "sim/config/parsed_file_cache.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/cost/catalog.hpp"

namespace msao::cost {

namespace {

ServingProfile parse_serving(const std::string& file) {
  YamlSection s(load_yaml_file(file), file);
  ServingProfile p;
  p.source_file = file;
  p.name = s.str("name");
  p.description = s.str_or("description", "");
  p.continuous_batching = s.choice("batching", {"continuous", "none"}, std::nullopt) == "continuous";
  p.host.decoder_layer_s = s.quantity("layer_dispatch", "time", std::nullopt, 0, 1.0);
  // Unless stated, an encoder block costs the host what a decoder layer does.
  p.host.encoder_layer_s = s.quantity("encoder_layer_dispatch", "time", p.host.decoder_layer_s, 0, 1.0);
  p.host.multimodal_step_s = s.quantity("multimodal_step_dispatch", "time", 0.0, 0, 1.0);
  p.host.cuda_graph_max_batch = int(s.integer_or("cuda_graph_max_batch", 0, 0, 1 << 20));
  if (s.has("cpu_overhead")) {
    p.host.iteration_overhead = read_piecewise(s, "cpu_overhead", "batch", 1, 1 << 20, "time", "time", 0, 1.0);
    p.host.iteration_overhead.extend_above = true;  // per-sequence work keeps growing with the batch
  }
  p.host.overlapped = s.flag_or("async_scheduling", false);
  p.cuda_context_bytes = s.quantity("cuda_context", "bytes", std::nullopt, 0, 1e12);
  p.graph_pool_bytes = s.quantity("graph_pool", "bytes", 0.0, 0, 1e12);
  p.cuda_context_line = s.line_of("cuda_context");
  p.graph_pool_line = s.has("graph_pool") ? s.line_of("graph_pool") : 0;
  p.runtime_mem_bytes = p.cuda_context_bytes + p.graph_pool_bytes;
  p.prefix_caching = s.flag_or("prefix_caching", false);
  p.kv_block_tokens = int(s.integer_or("kv_block_tokens", 16, 1, 4096));
  p.encoder_cache_tokens = int(s.integer_or("encoder_cache_tokens", 0, 0, 1 << 24));
  s.finish();
  return p;
}

}  // namespace

ServingProfile load_serving(const std::string& name_or_path) {
  return cached_parse<ServingProfile>("serving", resolve_catalog("serving", name_or_path), parse_serving);
}

std::vector<std::string> list_serving() { return list_catalog("serving"); }

}  // namespace msao::cost

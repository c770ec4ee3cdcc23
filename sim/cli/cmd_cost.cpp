// `msao cost MODEL HARDWARE [...]`: prints the FLOPs, bytes moved, memory and
// time of every stage of one request, so a user can check any figure of the
// cost model by hand (docs/cost-model.md gives the formulas).
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/cost_iteration.hpp"
#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/serving.hpp"

namespace msao::cli {
namespace {

struct CostArgs {
  std::string model, hardware, image, frame_size = "448x448", profile, serving = "vllm";
  int frames = 0, prompt_tokens = 32, output_tokens = 32, context = -1, batch = 1;
  int prefill_chunk = -1, decode_batch = -1, tensor_parallel = 1, pipeline_parallel = 1;
  double audio_s = 0;
  bool json = false;
};

std::pair<int, int> parse_size(const std::string& flag, const std::string& v) {
  int w = 0, h = 0;
  char x = 0;
  std::istringstream is(v);
  if (!(is >> w >> x >> h) || (x != 'x' && x != 'X') || w <= 0 || h <= 0 || !is.eof())
    throw InputError("command line", 0, flag, "'" + v + "'", "WIDTHxHEIGHT in pixels, e.g. 640x480");
  return {w, h};
}

struct Row {
  cost::StageCost c;
  long long tokens;
};

int run_cost(const CostArgs& a) {
  cost::CostModel cm(cost::load_model(a.model), cost::load_hardware(a.hardware),
                           a.profile.empty() ? std::nullopt : std::optional<std::string>(a.profile),
                           cost::Parallelism{a.tensor_parallel, a.pipeline_parallel});
  // The stack a scenario runs by default: how it launches kernels and what the host adds.
  cm.set_host_dispatch(cost::load_serving(a.serving).host);
  if (cm.parallelism().gpus() > 1 && cm.hardware().interconnect.name.empty())
    throw InputError(cm.hardware().source_file, 0, "interconnect", "none",
                     "an interconnect for --tensor-parallel / --pipeline-parallel above 1");
  if (a.prefill_chunk >= 0 || a.decode_batch >= 0) {
    const int chunk = std::max(a.prefill_chunk, 0), decodes = std::max(a.decode_batch, 0);
    const int context = a.context >= 0 ? a.context : 0;
    cm.check_fits(chunk + decodes * (context + 1));
    return print_cost_iteration(cm, chunk, decodes, context, a.json);
  }
  Request r;
  r.prompt_tokens = a.prompt_tokens;
  r.output_tokens = a.output_tokens;
  if (!a.image.empty()) {
    auto [w, h] = parse_size("--image", a.image);
    ModalityInput& in = r.input(Modality::Image);
    in.present = true;
    in.width = w;
    in.height = h;
    in.frames = 1;
  }
  if (a.frames > 0) {
    auto [w, h] = parse_size("--frame-size", a.frame_size);
    ModalityInput& in = r.input(Modality::Video);
    in.present = true;
    in.width = w;
    in.height = h;
    in.frames = a.frames;
  }
  if (a.audio_s > 0) {
    r.input(Modality::Audio).present = true;
    r.input(Modality::Audio).seconds = a.audio_s;
  }

  std::vector<Row> rows;
  int tokens = r.prompt_tokens;
  for (int i = 0; i < kNumModalities; ++i) {
    const auto m = static_cast<Modality>(i);
    const ModalityInput& in = r.input(m);
    if (!in.present) continue;
    if (!cm.model().accepts(m))
      throw InputError(cm.model().source_file, 0, std::string("encoders.") + kModalityNames[i],
                       "no " + std::string(kModalityNames[i]) + " encoder", "a model that accepts the inputs given");
    const int t = cm.encoder_tokens(m, in);
    rows.push_back({cm.encoder(m, in), cm.encoder_positions(m, in)});
    rows.push_back({cm.projector(m, t), t});
    tokens += t;
  }
  const int context = a.context >= 0 ? a.context : tokens;
  cm.check_fits(a.batch * (std::max(context, tokens) + a.output_tokens));
  rows.push_back({cm.prefill(tokens, a.batch), (long long)tokens * a.batch});
  cost::StageCost step = cm.decode_step(context, a.batch);
  step.stage = "decode_step";
  rows.push_back({step, a.batch});
  rows.push_back({cm.decode(tokens, a.output_tokens), a.output_tokens});
  double total = 0;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].c.stage != "decode_step") total += rows[i].c.seconds;

  if (a.json) {
    nlohmann::ordered_json j = {{"model", cm.model().name}, {"hardware", cm.hardware().name}, {"batch", a.batch},
                                {"context", context}, {"weight_bytes", cm.weight_bytes()},
                                {"kv_bytes_per_token", cm.kv_bytes_per_token()}, {"request_seconds", total},
                                {"stages", nlohmann::ordered_json::array()}};
    for (const auto& [c, t] : rows)
      j["stages"].push_back({{"stage", c.stage}, {"tokens", t}, {"flops", c.flops}, {"bytes", c.bytes},
                             {"mem_bytes", c.mem_bytes}, {"seconds", c.seconds}, {"bound", c.bound}});
    print_json(j);
    return 0;
  }
  std::printf("%s (%s) on %s%s\n", cm.model().name.c_str(), cost::precision_name(cm.model().precision),
              cm.hardware().name.c_str(), cm.profiled() ? " with profile" : "");
  std::printf("weights %.3f GB, KV cache %.1f kB/token, device memory %.2f GB\n\n", cm.weight_bytes() / 1e9,
              cm.kv_bytes_per_token() / 1e3, cm.hardware().mem_bytes / 1e9);
  std::printf("%-18s %9s %12s %12s %10s %11s  %s\n", "stage", "tokens", "GFLOP", "MB moved", "mem GB", "ms", "bound");
  for (const auto& [c, t] : rows)
    std::printf("%-18s %9lld %12.2f %12.2f %10.3f %11.3f  %s\n", c.stage.c_str(), t, c.flops / 1e9, c.bytes / 1e6,
                c.mem_bytes / 1e9, c.seconds * 1e3, c.bound.c_str());
  std::printf("\ndecode_step: one step at context %d, batch %d; decode: %d steps from context %d, batch 1\n", context,
              a.batch, a.output_tokens, tokens);
  std::printf("request total (encoders + projectors + prefill + decode): %.3f ms\n", total * 1e3);
  return 0;
}

const bool registered = register_command(Command{
    "cost", "Per-stage FLOPs, bytes, memory and time of one request for MODEL on HARDWARE", [](CLI::App& sub) -> Runner {
      auto a = std::make_shared<CostArgs>();
      sub.add_option("MODEL", a->model, "model catalog name or YAML path")->required();
      sub.add_option("HARDWARE", a->hardware, "hardware catalog name or YAML path")->required();
      sub.add_option("--image", a->image, "an image input, WIDTHxHEIGHT pixels");
      sub.add_option("--frames", a->frames, "a video input of N frames")->check(CLI::Range(0, 100000));
      sub.add_option("--frame-size", a->frame_size, "video frame size, WIDTHxHEIGHT")->capture_default_str();
      sub.add_option("--audio-s", a->audio_s, "an audio input of S seconds")->check(CLI::Range(0.0, 1e6));
      sub.add_option("--prompt-tokens", a->prompt_tokens, "text prompt tokens")
          ->check(CLI::Range(0, 1 << 24))
          ->capture_default_str();
      sub.add_option("--output-tokens", a->output_tokens, "answer tokens")
          ->check(CLI::Range(1, 1 << 24))
          ->capture_default_str();
      sub.add_option("--context", a->context, "context of the decode_step row (default: the prefill tokens)")
          ->check(CLI::Range(0, 1 << 26))
          ->default_str("");
      sub.add_option("--batch", a->batch, "batch size of prefill and decode_step")
          ->check(CLI::Range(1, 1 << 16))
          ->capture_default_str();
      sub.add_option("--prefill-chunk", a->prefill_chunk,
                     "cost one mixed iteration instead: a prefill chunk of N tokens (with --decode-batch, --context; default: no mixed iteration)")
          ->check(CLI::Range(0, 1 << 24))
          ->default_str("");
      sub.add_option("--decode-batch", a->decode_batch, "decode steps in the mixed iteration, each at --context (default: none)")
          ->check(CLI::Range(0, 1 << 16))
          ->default_str("");
      sub.add_option("--tensor-parallel", a->tensor_parallel, "GPUs a layer is split over")
          ->check(CLI::Range(1, 64))
          ->capture_default_str();
      sub.add_option("--pipeline-parallel", a->pipeline_parallel, "pipeline stages")
          ->check(CLI::Range(1, 64))
          ->capture_default_str();
      sub.add_option("--serving", a->serving, "serving stack (platforms/serving/), as a scenario's platform.serving")
          ->capture_default_str();
      sub.add_option("--profile", a->profile, "a traces/profiles/*.yaml profile overriding the roofline");
      sub.add_flag("--json", a->json, "print JSON");
      return [a] { return run_cost(*a); };
    }});

}  // namespace
}  // namespace msao::cli

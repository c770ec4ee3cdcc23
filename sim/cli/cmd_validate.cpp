// `msao validate`: the cost model's predictions against measured times on
// this machine. On a CPU (the default) it runs a few layers of a 0.5B-class
// decoder end to end with the kernel library and compares whole decode,
// prefill and mixed iterations with the per-operator prediction
// (sim/cli/validate_decoder.hpp), measuring the profile first unless
// --profile gives one. With --device cuda it compares the roofline of a
// profile's calibration with the decode kernels over a size sweep
// (kernels/validate.hpp; the small decoder has no CUDA path).
// A profile recorded on another processor is refused (exit 2), naming both.
// With --published it checks the cost model against published serving
// measurements instead (sim/cli/validate_published.hpp), then the whole
// simulator against loaded real vLLM servers (sim/cli/validate_serving.hpp);
// no kernels run.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/validate_published.hpp"
#include "sim/cli/validate_serving.hpp"
#include "sim/config/input_error.hpp"
#include "sim/config/input_file.hpp"
#include "sim/config/yaml_section.hpp"
#ifdef MSAO_HAVE_KERNELS
#include "kernels/validate.hpp"
#include "sim/cli/validate_decoder.hpp"
#endif

namespace {

struct ValidateArgs {
  std::string profile, profile_out, markdown;
  std::string device = "cpu";
  bool published = false;
  std::vector<std::string> serving_cases;  // --published: only these serving cases (empty: all)
  double fail_above_pct = -1;
  bool quick = false, wall_clock = false;
  int layers = -1, prefill_chunk = -1, decode_batch = -1, context = -1, rounds = -1;  // -1: the mode's default
};

int validate_published(const ValidateArgs& a) {
  const msao::cli::PublishedReport r = msao::cli::validate_published();
  const msao::cli::ServingReport s = msao::cli::validate_serving("serving", a.serving_cases);
  msao::cli::print_published(r, std::cout);
  msao::cli::print_serving(s, std::cout);
  if (!a.markdown.empty()) {
    std::ofstream md(a.markdown, std::ios::binary);
    md << msao::cli::published_markdown(r) << msao::cli::serving_markdown(s);
    if (!md) throw msao::InputError("command line", 0, "--markdown", "'" + a.markdown + "'", "a writable file");
  }
  return a.fail_above_pct >= 0 && 100 * r.median_abs_error > a.fail_above_pct ? 1 : 0;
}

#ifdef MSAO_HAVE_KERNELS
namespace k = msao::kernels;

// The profile's calibration, refused when it was measured on another device.
k::Calibration checked_calibration(const std::string& path, k::Device& dev) {
  k::Calibration cal;
  // The kernel library reads the whole file: bound it first (/dev/zero).
  msao::read_input_text(path, "a profile written by `msao profile` or `msao validate`", msao::kMaxYamlFileBytes);
  try {  // the kernel library knows nothing of InputError; bad input still exits 2
    cal = k::read_calibration(path);
  } catch (const std::runtime_error& e) {
    throw msao::InputError(path, 0, "calibration", e.what(), "a profile written by `msao profile` or `msao validate`");
  }
  // Rates measured on another processor predict nothing here.
  if (!cal.device.empty() && cal.device != dev.name())
    throw msao::InputError(path, 0, "calibration.device", "a profile recorded on '" + cal.device + "'",
                           "one recorded on this machine, '" + dev.name() +
                               "': run `msao validate --profile-out FILE` here and validate with --profile FILE");
  return cal;
}

int validate_cpu(const ValidateArgs& a) {
  msao::cli::DecoderValidationOptions o =
      a.quick ? msao::cli::DecoderValidationOptions::quick() : msao::cli::DecoderValidationOptions{};
  if (a.layers != -1) o.layers = a.layers;
  if (a.prefill_chunk != -1) o.prefill_chunk = a.prefill_chunk;
  if (a.decode_batch != -1) o.decode_batch = a.decode_batch;
  if (a.context != -1) o.context = a.context;
  if (a.rounds != -1) o.rounds = a.rounds;
  o.wall_clock = a.wall_clock;
  o.profile = a.profile;
  o.profile_out = a.profile_out;
  if (!o.profile.empty()) checked_calibration(o.profile, *k::make_cpu_device());
  const auto r = msao::cli::validate_decoder(o, std::cout);
  return a.fail_above_pct >= 0 && 100 * r.median_abs_error > a.fail_above_pct ? 1 : 0;
}

int validate_cuda(const ValidateArgs& a) {
  const std::string path = a.profile.empty() ? k::default_profile_path("cuda", "") : a.profile;
  auto dev = k::make_cuda_device();
  const k::Calibration cal = checked_calibration(path, *dev);
  const k::ValidationResult r = k::validate(*dev, cal, std::cout);
  return a.fail_above_pct >= 0 && 100 * r.median_abs_err > a.fail_above_pct ? 1 : 0;
}
#endif

const bool registered = msao::cli::register_command(
    {"validate", "Compare cost-model predictions with measured times of a small transformer on this machine",
     [](CLI::App& sub) {
       auto a = std::make_shared<ValidateArgs>();
       sub.add_option("--profile", a->profile,
                      "Predict with this profile instead of measuring one here (refused if recorded on another "
                      "machine); for cuda, the profile with a calibration section (default traces/profiles/h100-sxm.yaml)");
       sub.add_option("--profile-out", a->profile_out, "Write the profile measured here to this file (cpu)");
       sub.add_option("--device", a->device, "Device to measure")->check(CLI::IsMember({"cpu", "cuda"}));
       sub.add_flag("--quick", a->quick, "A few seconds: 1 layer, smaller iterations, 3 rounds (for tests)");
       sub.add_option("--layers", a->layers, "Decoder layers run (default 4; --quick 1)")->default_str("");
       sub.add_option("--prefill-chunk", a->prefill_chunk, "Prompt tokens of the prefill chunk (default 256; --quick 32)")
           ->default_str("");
       sub.add_option("--decode-batch", a->decode_batch, "Sequences in the decode step (default 4; --quick 2)")
           ->default_str("");
       sub.add_option("--context", a->context, "Cached context of each decoding sequence (default 512; --quick 64)")
           ->default_str("");
       sub.add_option("--rounds", a->rounds, "Timed rounds; the fastest is taken (default 5; --quick 3)")->default_str("");
       sub.add_flag("--wall-clock", a->wall_clock, "Time by wall clock instead of the computing thread's CPU time");
       sub.add_flag("--published", a->published,
                    "Check the cost model against published serving measurements (platforms/fidelity/published.yaml, "
                    "serving.yaml)");
       sub.add_option("--serving-case", a->serving_cases,
                      "With --published: run only this case of platforms/fidelity/serving.yaml (repeatable)");
       sub.add_option("--markdown", a->markdown, "With --published: also write the tables as Markdown to this file");
       sub.add_option("--fail-above", a->fail_above_pct,
                      "Exit 1 when the median |error| exceeds this many percent");
       return msao::cli::Runner([a] {
         if (a->published) return validate_published(*a);
#ifdef MSAO_HAVE_KERNELS
         return a->device == "cuda" ? validate_cuda(*a) : validate_cpu(*a);
#else
         std::cerr << "error: msao was built without the kernel library (kernels/)\n";
         return 1;
#endif
       });
     }});

}  // namespace

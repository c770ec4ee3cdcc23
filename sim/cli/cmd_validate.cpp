// `msao validate`: compares the cost model's roofline prediction, calibrated
// by a profile, with measured kernel times (kernels/validate.hpp).
#include <iostream>
#include <memory>

#include "sim/cli/command_registry.hpp"
#ifdef MSAO_HAVE_KERNELS
#include "kernels/validate.hpp"
#endif

namespace {

struct ValidateArgs {
  std::string profile = "traces/profiles/generic-cpu.yaml";
  std::string device = "cpu";
  double fail_above_pct = -1;
};

const bool registered = msao::cli::register_command(
    {"validate", "Compare cost-model kernel time predictions with measured kernel times",
     [](CLI::App& sub) {
       auto a = std::make_shared<ValidateArgs>();
       sub.add_option("--profile", a->profile, "Profile with a calibration section")->capture_default_str();
       sub.add_option("--device", a->device, "Device to measure")->check(CLI::IsMember({"cpu", "cuda"}));
       sub.add_option("--fail-above", a->fail_above_pct,
                      "Exit 1 when the median |error| exceeds this many percent");
       return msao::cli::Runner([a] {
#ifdef MSAO_HAVE_KERNELS
         namespace k = msao::kernels;
         const k::Calibration cal = k::read_calibration(a->profile);
         auto dev = a->device == "cuda" ? k::make_cuda_device() : k::make_cpu_device();
         const k::ValidationResult r = k::validate(*dev, cal, std::cout);
         return a->fail_above_pct >= 0 && 100 * r.median_abs_err > a->fail_above_pct ? 1 : 0;
#else
         std::cerr << "error: msao was built without the kernel library (kernels/)\n";
         return 1;
#endif
       });
     }});

}  // namespace

// `msao validate`: compares the cost model's roofline prediction, calibrated
// by a profile, with measured kernel times (kernels/validate.hpp).
#include <iostream>
#include <memory>

#include "sim/cli/command_registry.hpp"
#include "sim/config/input_error.hpp"
#ifdef MSAO_HAVE_KERNELS
#include "kernels/validate.hpp"
#endif

namespace {

struct ValidateArgs {
  std::string profile;
  std::string device = "cpu";
  double fail_above_pct = -1;
};

const bool registered = msao::cli::register_command(
    {"validate", "Compare cost-model kernel time predictions with measured kernel times",
     [](CLI::App& sub) {
       auto a = std::make_shared<ValidateArgs>();
       sub.add_option("--profile", a->profile,
                      "Profile with a calibration section (default traces/profiles/generic-cpu.yaml, "
                      "or h100-sxm.yaml for cuda)");
       sub.add_option("--device", a->device, "Device to measure")->check(CLI::IsMember({"cpu", "cuda"}));
       sub.add_option("--fail-above", a->fail_above_pct,
                      "Exit 1 when the median |error| exceeds this many percent");
       return msao::cli::Runner([a] {
#ifdef MSAO_HAVE_KERNELS
         namespace k = msao::kernels;
         const std::string path = a->profile.empty() ? k::default_profile_path(a->device, "") : a->profile;
         k::Calibration cal;
         try {  // the kernel library knows nothing of InputError; bad input still exits 2
           cal = k::read_calibration(path);
         } catch (const std::runtime_error& e) {
           throw msao::InputError(path, 0, "calibration", e.what(), "a profile written by `msao profile`");
         }
         auto dev = a->device == "cuda" ? k::make_cuda_device() : k::make_cpu_device();
         // Rates measured on another processor predict nothing here.
         if (!cal.device.empty() && cal.device != dev->name())
           throw msao::InputError(path, 0, "calibration.device", "a profile recorded on '" + cal.device + "'",
                                  "one recorded on this machine, '" + dev->name() +
                                      "': run `msao profile --out FILE` here and validate with --profile FILE");
         const k::ValidationResult r = k::validate(*dev, cal, std::cout);
         return a->fail_above_pct >= 0 && 100 * r.median_abs_err > a->fail_above_pct ? 1 : 0;
#else
         std::cerr << "error: msao was built without the kernel library (kernels/)\n";
         return 1;
#endif
       });
     }});

}  // namespace

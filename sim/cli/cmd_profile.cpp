// `msao profile`: measures this machine's kernels (kernels/profile.hpp) and
// writes a hardware profile's calibration section for the cost model.
#include <iostream>
#include <memory>

#include "sim/cli/command_registry.hpp"
#ifdef MSAO_HAVE_KERNELS
#include "kernels/profile.hpp"
#endif

namespace {

struct ProfileArgs {
  std::string out;
  std::string device = "cpu";
  std::string hardware;
};

const bool registered = msao::cli::register_command(
    {"profile", "Measure this machine's kernels and write a calibration profile for the cost model",
     [](CLI::App& sub) {
       auto a = std::make_shared<ProfileArgs>();
       sub.add_option("--out", a->out,
                      "Profile to write (default traces/profiles/generic-cpu.yaml, or <hardware>.yaml for cuda)");
       sub.add_option("--device", a->device, "Device to measure")->check(CLI::IsMember({"cpu", "cuda"}));
       sub.add_option("--hardware", a->hardware,
                      "platforms/hardware entry the profile calibrates (default: cpu-generic, or h100-sxm for cuda)");
       return msao::cli::Runner([a] {
#ifdef MSAO_HAVE_KERNELS
         namespace k = msao::kernels;
         auto dev = a->device == "cuda" ? k::make_cuda_device() : k::make_cpu_device();
         const k::ProfileReport r = k::measure_profile(*dev, a->hardware, std::cout);
         const std::string out = a->out.empty() ? k::default_profile_path(a->device, a->hardware) : a->out;
         k::write_profile(r, out);
         std::cout << "wrote " << out << "\n";
         return 0;
#else
         std::cerr << "error: msao was built without the kernel library (kernels/)\n";
         return 1;
#endif
       });
     }});

}  // namespace

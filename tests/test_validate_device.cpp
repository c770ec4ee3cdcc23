// `msao validate` refuses a profile recorded on another processor, naming
// both machines, before measuring anything (the rates of one CPU predict
// nothing on another).
#include <doctest/doctest.h>

#include "tests/fork_run.hpp"
#include "tests/test_cost_files.hpp"

#ifdef MSAO_HAVE_KERNELS
TEST_CASE("msao validate refuses a profile from another CPU and names both") {
  const std::string prof = msao::test::write_temp_file(
      "foreign-cpu.yaml",
      "calibration:\n  hardware: cpu-generic\n  device: \"cpu avx2, one thread (Imaginary CPU 9000, 64 CPUs)\"\n"
      "  mem_bw_Bps: 1e10\n  flops: 1e10\n");
  auto r = msao::test::run_msao("validate --profile " + prof);
  CHECK(r.status == 2);
  CHECK(r.out.find(prof) != std::string::npos);
  CHECK(r.out.find("calibration.device") != std::string::npos);
  CHECK(r.out.find("Imaginary CPU 9000") != std::string::npos);
  CHECK(r.out.find("one recorded on this machine, 'cpu ") != std::string::npos);
}
#else
TEST_CASE("msao validate refuses a profile from another CPU (skipped: built without kernels/)") {
  MESSAGE("skipped: msao was built without the kernel library");
}
#endif

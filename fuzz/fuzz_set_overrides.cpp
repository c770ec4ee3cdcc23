// `--set key=value` overrides: one per input line, applied to a bundled
// scenario chosen by the first byte, then loaded, validated and its workload
// materialised (capped in size), as `msao run ... --set` does.
#include <array>
#include <string_view>

#include "fuzz/support/bounded_workload.hpp"
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"

namespace {

constexpr std::array<const char*, 5> kBases = {"quickstart.yaml", "paper.yaml", "video-link.yaml",
                                               "cloud-serving.yaml", "fleet.yaml"};

std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string base = msao::fuzz::in_work_tree(std::string("platforms/scenarios/") + kBases[data[0] % kBases.size()]);
  const auto overrides = lines(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return msao::fuzz::expect_input_error([&] { msao::fuzz::materialize_bounded(msao::load_scenario(base, overrides)); });
}

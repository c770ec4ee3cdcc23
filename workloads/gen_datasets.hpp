// One request of each dataset shape; used only by generator.cpp, which
// owns the random stream and the ids. Distributions: traces/README.md.
#pragma once
#include "sim/request.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/rng.hpp"

namespace msao::gen {

// Dataset-level accuracy targets (edge, cloud); sources in each generator and traces/README.md.
inline constexpr Accuracy kVqav2Target{0.614, 0.763};    // arXiv 2604.02945: edge-only 61.4%, cloud-only 76.3%
inline constexpr Accuracy kMmbenchTarget{0.612, 0.765};  // arXiv 2604.02945: edge-only 61.2%, cloud-only 76.5%
inline constexpr Accuracy kVideoQaTarget{0.632, 0.696};  // Qwen2-VL-2B / Qwen2.5-VL-7B on MVBench

Request make_vqav2(Rng& rng);
Request make_mmbench(Rng& rng);
Request make_video_qa(Rng& rng);

}  // namespace msao::gen

// One request of each dataset shape; used only by generator.cpp, which
// owns the random stream and the ids. Distributions: traces/README.md.
#pragma once
#include "sim/request.hpp"
#include "workloads/rng.hpp"

namespace msao::gen {

Request make_vqav2(Rng& rng);
Request make_mmbench(Rng& rng);
Request make_video_qa(Rng& rng);

}  // namespace msao::gen

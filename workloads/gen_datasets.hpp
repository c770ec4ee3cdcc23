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
// Open-ended, long-answer datasets: no edge-only / cloud-only accuracy is
// published for them (the MSAO paper reports VQAv2 and MMBench only), so these
// are placeholders, named as assumptions: each reuses the targets of the
// bundled dataset on the same input (images: VQAv2's; video: video-qa's).
// "Correct" means an answer the task would accept; override with a recorded
// trace where a measurement exists.
inline constexpr Accuracy kCocoCaptionTarget = kVqav2Target;        // assumption
inline constexpr Accuracy kDetailDescriptionTarget = kVqav2Target;  // assumption
inline constexpr Accuracy kMmVetTarget = kVqav2Target;              // assumption
inline constexpr Accuracy kVisualChatTarget = kVqav2Target;         // assumption
inline constexpr Accuracy kVideoCaptionTarget = kVideoQaTarget;     // assumption

Request make_vqav2(Rng& rng);
Request make_mmbench(Rng& rng);
Request make_video_qa(Rng& rng);
Request make_coco_caption(Rng& rng);
Request make_detail_description(Rng& rng);
Request make_mm_vet(Rng& rng);
Request make_video_caption(Rng& rng);
Request make_visual_chat(Rng& rng);

}  // namespace msao::gen

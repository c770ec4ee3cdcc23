// Visual-chat-shaped turns: one COCO image and a conversational question
// about it, answered in a few sentences, as a visual chat assistant does.
// Answer length from the GPT-4 reference answers of LLaVA-Bench (COCO)'s
// conversation questions (haotian-liu/LLaVA qa90_gpt4_answer.jsonl):
// 16.5 words mean, median 16. Questions: VQAv2's length (median 6 words; a
// VisDial question is a VQA-style question about the same COCO images).
// A conversation is several such turns on one image (workload.sessions;
// workloads/sessions.hpp): VisDial (arXiv 1611.08669) has 10 per image.
// Sources and assumptions: traces/README.md.
#include "workloads/gen_datasets.hpp"
#include "workloads/gen_long_answer.hpp"

namespace msao::gen {

namespace {

// Log-normal fit: median 16 as measured; sigma from the mean,
// sqrt(2 ln(16.5 / 16)) = 0.25. Clamped to 2..80 words (assumption).
constexpr WordCount kAnswerWords{16, 0.25, 2, 80};
constexpr WordCount kQuestionWords{6, 0.3, 3, 20};

// MAS as VQAv2's "other" questions (spatial location -0.4 before the
// shift; modal part as VQAv2's calibration): assumptions.
constexpr ImageTask kTask{"conversation", kVisualChatTarget, kQuestionWords, kAnswerWords, -0.4, -0.45, 1.2};

}  // namespace

Request make_visual_chat(Rng& rng) { return make_image_task(kTask, rng); }

}  // namespace msao::gen

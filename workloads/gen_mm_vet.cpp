// MM-Vet-shaped requests: one image and an open-ended question that may need
// recognition, OCR, knowledge, spatial awareness, math or language
// generation, answered in free text. Answer length from LLaVA-1.5-7B's
// answers to MM-Vet's 218 questions (haotian-liu/LLaVA answer files): mean
// 53.8 words, median 26, p90 129 (MM-Vet v2, GPT-4o: 47.1 / 30 / 114).
// Sources and assumptions: traces/README.md.
#include "workloads/gen_datasets.hpp"
#include "workloads/gen_long_answer.hpp"

namespace msao::gen {

namespace {

// Log-normal fit: median 26 as published; sigma from the p90,
// ln(129 / 26) / 1.2816 = 1.25 (from the mean instead:
// sqrt(2 ln(53.8 / 26)) = 1.21, so the log-normal fits all three figures).
// Clamped to 1..536 words (536: the longest LLaVA-1.5-7B answer in LLaVA-Bench
// in-the-wild), the mean measures 54.0 (published 53.8).
constexpr WordCount kAnswerWords{26, 1.25, 1, 536};
// Question length: an assumption (short questions, a few long math or
// reading problems).
constexpr WordCount kQuestionWords{12, 0.5, 3, 100};

// MAS (assumptions): OCR, counting and math need fine detail (spatial
// location 0.0, as VQAv2's counting questions); dependence on the image as
// MMBench's calibrated modal part (logit-normal(1.1, 1.0)).
constexpr ImageTask kTask{"open-ended", kMmVetTarget, kQuestionWords, kAnswerWords, 0.0, 1.1, 1.0};

}  // namespace

Request make_mm_vet(Rng& rng) { return make_image_task(kTask, rng); }

}  // namespace msao::gen

// COCO-Caption-shaped requests: one COCO image and "Describe the image in one
// sentence." (6 words), answered by a one-sentence caption. Caption length
// from CAPTURE (arXiv 2405.19092): COCO Karpathy test 5k averages 10.59 words
// per caption (NoCaps val 11.49). Sources and assumptions: traces/README.md.
#include "workloads/gen_datasets.hpp"
#include "workloads/gen_long_answer.hpp"

namespace msao::gen {

namespace {

// Only the mean is published. Spread sigma = 0.2 is an assumption (a one-
// sentence caption is 8-14 words far more often than not); the median then
// follows from mean = median exp(sigma^2 / 2): 10.59 / exp(0.02) = 10.38,
// which after rounding and the clamp measures 10.59.
constexpr WordCount kCaptionWords{10.38, 0.2, 5, 30};
constexpr WordCount kPromptWords{6, 0, 6, 6};

// MAS (assumptions): a caption names the main objects and the scene, as a
// VQAv2 "other" question does (spatial location -0.4); it cannot be written
// without the image (modal median logistic(2.5) = 0.92).
constexpr ImageTask kTask{"caption", kCocoCaptionTarget, kPromptWords, kCaptionWords, -0.4, 2.5, 0.8};

}  // namespace

Request make_coco_caption(Rng& rng) { return make_image_task(kTask, rng); }

}  // namespace msao::gen

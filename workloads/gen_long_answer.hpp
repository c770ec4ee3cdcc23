// Pieces the long-answer generators share (coco-caption, detail-description,
// mm-vet on one image; video-caption): answer and question lengths drawn in
// words from a clamped log-normal, and one function that builds a
// single-image request from a dataset's constants, so each dataset's file
// holds only its calibration and its sources (traces/README.md).
#pragma once
#include "sim/request.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/rng.hpp"

namespace msao::gen {

// A length in words: round(log-normal(median, sigma)) clamped to [lo, hi].
struct WordCount {
  double median, sigma, lo, hi;
};
int draw_words(const WordCount& w, Rng& rng);

// Output tokens of an answer of `words` words: the tokenizer rule plus EOS.
int answer_tokens(int words);

// Tokens of the chat template around a prompt (as the short-answer datasets' ~30).
inline constexpr int kChatTemplateTokens = 30;

// The shape of a single-image, open-ended dataset.
struct ImageTask {
  const char* category;
  Accuracy target;      // edge / cloud accuracy (placeholders: gen_datasets.hpp)
  WordCount question;   // the user's prompt, in words
  WordCount answer;     // the reference answer, in words
  double spatial_mu;    // logit-normal location of the spatial MAS part, before the VQAv2 shift
  double modal_mu, modal_sigma;
};

// One request of `task`: a COCO-like image, the joint model's MAS parts
// (spatial spread and shift as VQAv2's calibration) and correctness.
Request make_image_task(const ImageTask& task, Rng& rng);

}  // namespace msao::gen

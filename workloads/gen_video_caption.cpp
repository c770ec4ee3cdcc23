// Dense-video-captioning requests shaped like ActivityNet Captions (Krishna
// et al., arXiv 1705.00754): a web clip of a few minutes, often with an
// audio track, and a prompt asking for its events, answered by a paragraph
// of one sentence per event. Sources and assumptions: traces/README.md.
#include <algorithm>
#include <cmath>

#include "workloads/gen_datasets.hpp"
#include "workloads/gen_long_answer.hpp"
#include "workloads/gen_video.hpp"

namespace msao::gen {

namespace {

// ActivityNet Captions: 3.65 sentences per video (sd 1.79), 13.48 words per
// sentence (sd 6.33), paragraphs of about 40 words (sd 26). The first two
// multiply to 49 words, not 40, so not every figure can hold; the answer's
// length is the paragraph, so its mean is kept: sentences keep their mean
// and sd, words per sentence their coefficient of variation (0.47) with mean
// 40 / 3.65 = 10.96. Log-normal of mean m and sd s: sigma^2 = ln(1 + s^2/m^2),
// median = m / exp(sigma^2 / 2): sentences sigma 0.464, median 3.28; words
// per sentence sigma 0.446, median 9.92. Measured: paragraph mean 39.8,
// sd 22 (published 26: the spread of the sentence counts and lengths does
// not reach it without their correlation, which is not published).
constexpr WordCount kSentences{3.28, 0.464, 1, 20};
constexpr WordCount kWordsPerSentence{9.92, 0.446, 2, 60};
constexpr int kMaxParagraphWords = 400;  // clamp (assumption): none of 300k simulated paragraphs reached it
// "Describe the events in the video in detail, one sentence per event."
constexpr int kPromptWords = 12;
// Dense captioning needs every event, as temporal questions do (gen_video_qa.cpp).
constexpr double kTemporalShift = 0.5;

}  // namespace

Request make_video_caption(Rng& rng) {
  Request r;
  r.category = "paragraph";
  r.prompt_tokens = kChatTemplateTokens + words_to_tokens(kPromptWords);
  int words = 0;
  for (int i = draw_words(kSentences, rng); i > 0; --i) words += draw_words(kWordsPerSentence, rng);
  r.output_tokens = answer_tokens(std::min(words, kMaxParagraphWords));
  // ActivityNet Captions: 20k videos, 849 hours, so 153 s on average; the
  // spread is an assumption (log-normal sigma 0.5: median 153 / exp(0.125) = 135 s).
  const double seconds = std::clamp(rng.lognormal(135.0, 0.5), 10.0, 600.0);
  r.input(Modality::Video) = draw_video(seconds, rng);
  const double difficulty = rng.normal();
  draw_clip_mas(r.input(Modality::Video), kTemporalShift, difficulty, rng);
  maybe_add_audio(r, seconds, rng);
  draw_correctness(r, kVideoCaptionTarget, difficulty, rng);
  finish_request(r, rng);
  return r;
}

}  // namespace msao::gen

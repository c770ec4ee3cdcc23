// workload.output_tokens: an answer-length distribution that replaces every
// request's output_tokens (generated or read from a trace), so a scenario can
// ask for answers long enough for token-level drafting to matter on any
// dataset. Drawn from a stream of its own ("output-tokens"), so the other
// fields of every request keep their bytes, and a scenario without the key is
// unchanged. docs/scenario.md documents the spellings.
#pragma once
#include "sim/config/yaml_section.hpp"
#include "workloads/rng.hpp"

namespace msao {

// The longest answer the key may ask for: the MAS trace reader's bound on output_tokens.
inline constexpr long long kMaxOutputTokens = 1000000;

enum class OutputLengthType { Constant, Uniform, Lognormal };

struct OutputLength {
  OutputLengthType type = OutputLengthType::Constant;
  int tokens = 1;              // constant
  int min = 1, max = 1;        // uniform: integers in [min, max]; lognormal: max only
  double mean = 1, sigma = 0;  // lognormal: mean (before the clamp) and sd of the log
};

// {type: constant, tokens: N} | {type: uniform, min: A, max: B} |
// {type: lognormal, mean: M, sigma: S, max: X}; bad input is an InputError
// naming the key. Calls finish().
OutputLength parse_output_length(YamlSection& s);

// One answer length in [1, kMaxOutputTokens]. Lognormal: round(median
// exp(sigma z)) with median = mean exp(-sigma^2 / 2), so the mean before
// rounding and clamping to [1, max] is `mean`.
int draw_output_tokens(const OutputLength& o, Rng& rng);

}  // namespace msao

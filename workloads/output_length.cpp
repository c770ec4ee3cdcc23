// Parsing and drawing of workload.output_tokens; see output_length.hpp.
#include "workloads/output_length.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

namespace msao {

namespace {
std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
}  // namespace

OutputLength parse_output_length(YamlSection& s) {
  OutputLength o;
  const std::string type = s.choice("type", {"constant", "uniform", "lognormal"});
  if (type == "constant") {
    o.type = OutputLengthType::Constant;
    o.tokens = static_cast<int>(s.integer("tokens", 1, kMaxOutputTokens));
  } else if (type == "uniform") {
    o.type = OutputLengthType::Uniform;
    o.min = static_cast<int>(s.integer("min", 1, kMaxOutputTokens));
    o.max = static_cast<int>(s.integer("max", 1, kMaxOutputTokens));
    if (o.min > o.max)
      s.fail("max", std::to_string(o.max), "at least min (" + std::to_string(o.min) + ")");
  } else {
    o.type = OutputLengthType::Lognormal;
    o.mean = s.num("mean", 1, static_cast<double>(kMaxOutputTokens));
    // A wider log spread puts most of the mean in a tail the clamp cuts off.
    o.sigma = s.num("sigma", 0, 3);
    o.max = static_cast<int>(s.integer("max", 1, kMaxOutputTokens));
    if (o.max < o.mean)
      s.fail("max", std::to_string(o.max), "at least mean (" + number(o.mean) + ")");
  }
  s.finish();
  return o;
}

int draw_output_tokens(const OutputLength& o, Rng& rng) {
  switch (o.type) {
    case OutputLengthType::Constant: return o.tokens;
    case OutputLengthType::Uniform: return static_cast<int>(rng.integer(o.min, o.max));
    case OutputLengthType::Lognormal: break;
  }
  const double median = o.mean * std::exp(-o.sigma * o.sigma / 2.0);
  return static_cast<int>(std::clamp(std::round(rng.lognormal(median, o.sigma)), 1.0, static_cast<double>(o.max)));
}

}  // namespace msao

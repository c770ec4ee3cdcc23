#include "workloads/serving_trace.hpp"

#include <fstream>

#include "sim/config/input_error.hpp"
#include "workloads/csv_field.hpp"
#include "workloads/rng.hpp"

namespace msao {

namespace {
constexpr const char* kHeader = "request_id,arrived_at,num_prefill_tokens,num_decode_tokens";
const char* kColumns[] = {"request_id", "arrived_at", "num_prefill_tokens", "num_decode_tokens"};

double field(const std::string& path, int line, int col, const std::string& text, double lo, double hi,
             const char* expected) {
  return csv_number(path, line, std::string("column ") + std::to_string(col + 1) + " (" + kColumns[col] + ")", text, lo,
                    hi, expected);
}
}  // namespace

std::vector<Request> read_serving_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "", "no readable file", "an LLM-serving trace CSV");
  std::string line;
  if (!std::getline(in, line) || line != kHeader)
    throw InputError(path, 1, "header", "'" + line + "'", std::string("'") + kHeader + "'");
  std::vector<Request> out;
  int n = 1;
  double last = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    std::string f[4];
    size_t start = 0;
    for (int c = 0; c < 4; ++c) {
      size_t comma = line.find(',', start);
      if (c < 3 && comma == std::string::npos)
        throw InputError(path, n, std::string("column ") + std::to_string(c + 2), "a truncated line", "4 comma-separated fields");
      if (c == 3 && comma != std::string::npos)
        throw InputError(path, n, "column 5", "extra fields", "4 comma-separated fields");
      f[c] = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma + 1;
    }
    Request r;
    r.id = static_cast<uint64_t>(field(path, n, 0, f[0], 0, 1e15, "a non-negative integer id"));
    r.arrival_s = field(path, n, 1, f[1], last, 1e9, "seconds, non-decreasing");
    last = r.arrival_s;
    r.prompt_tokens = static_cast<int>(field(path, n, 2, f[2], 1, 1e7, "prompt tokens >= 1"));
    r.output_tokens = static_cast<int>(field(path, n, 3, f[3], 1, 1e7, "decode tokens >= 1"));
    r.dataset = "llm-serving";
    r.category = "chat";
    r.edge_confidence = 0;
    r.token_seed = splitmix64(r.id);  // defines the per-token draws (workloads/draft_tokens.hpp)
    out.push_back(r);
  }
  if (out.empty()) throw InputError(path, n, "", "no rows", "at least one request");
  return out;
}

}  // namespace msao

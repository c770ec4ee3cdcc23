#include "workloads/serving_trace.hpp"

#include <fstream>
#include <unordered_map>

#include "sim/config/input_error.hpp"
#include "sim/config/input_file.hpp"
#include "sim/config/parsed_file_cache.hpp"
#include "workloads/csv_field.hpp"
#include "workloads/rng.hpp"

namespace msao {

namespace {
constexpr const char* kHeader = "request_id,arrived_at,num_prefill_tokens,num_decode_tokens";
const char* kColumns[] = {"request_id", "arrived_at", "num_prefill_tokens", "num_decode_tokens"};

std::string column(int col) { return std::string("column ") + std::to_string(col + 1) + " (" + kColumns[col] + ")"; }
}  // namespace

static std::vector<Request> parse_serving_trace(const std::string& path) {
  InputLines in(path, "an LLM-serving trace CSV", kMaxServingTraceBytes);
  std::string line;
  // Windows line endings (CRLF) are read as the other traces read them.
  auto next = [&] {
    if (!in.next(line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next() || line != kHeader)
    throw InputError(path, 1, "header", in.line() == 0 ? "an empty file" : first_line_found(line, "request_id,"),
                     std::string("'") + kHeader + "'");
  std::vector<Request> out;
  int n = 1;
  double last = 0;
  std::unordered_map<uint64_t, int> first_line;  // request_id -> line
  while (next()) {
    n = in.line();
    if (!in.newline()) throw InputError(path, n, "", "a last line without a newline (truncated file?)", "every line to end with '\\n'");
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
    r.id = static_cast<uint64_t>(csv_integer(path, n, column(0), f[0], 0, 1000000000000000LL, "a whole-number id, 0 to 1e15"));
    if (auto [it, fresh] = first_line.emplace(r.id, n); !fresh)
      throw InputError(path, n, column(0), f[0] + " again (first on line " + std::to_string(it->second) + ")", "a unique request id");
    r.arrival_s = csv_number(path, n, column(1), f[1], last, 1e9, "seconds, non-decreasing");
    last = r.arrival_s;
    r.prompt_tokens = static_cast<int>(csv_integer(path, n, column(2), f[2], 1, 10000000, "a whole number of prompt tokens, 1 to 1e7"));
    r.output_tokens = static_cast<int>(csv_integer(path, n, column(3), f[3], 1, 10000000, "a whole number of decode tokens, 1 to 1e7"));
    r.dataset = "llm-serving";
    r.category = "chat";
    r.edge_confidence = 0;
    r.token_seed = splitmix64(r.id);  // defines the per-token draws (workloads/draft_tokens.hpp)
    out.push_back(r);
  }
  if (out.empty()) throw InputError(path, n, "", "no rows", "at least one request");
  return out;
}

std::shared_ptr<const std::vector<Request>> read_serving_trace_shared(const std::string& path) {
  return cached_parse_shared<std::vector<Request>>("serving-trace", path, parse_serving_trace);
}

std::vector<Request> read_serving_trace(const std::string& path) { return *read_serving_trace_shared(path); }

}  // namespace msao

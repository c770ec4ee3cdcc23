// Reader of MAS trace v1 (format: workloads/mas_trace.hpp, traces/README.md).
// Trusts nothing: every field is parsed with from_chars, range-checked and
// cross-checked (MAS equals the product of its parts; the correctness columns
// are 0/1 and used as given), so a bad trace fails here with
// file:line:column rather than skewing a simulation. Reads the whole file at once; speed is measured
// by bench/bench_trace_reader.cpp.
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/config/input_error.hpp"
#include "sim/config/input_file.hpp"
#include "sim/config/parsed_file_cache.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/rng.hpp"

namespace msao {

namespace {

class RowParser {
 public:
  // `fields`: how many the file's header has.
  RowParser(const std::string& file, int line, std::string_view text, size_t fields)
      : file_(file), line_(line), text_(text), fields_(fields) {}

  // Next raw field; a missing one is a "missing columns" error.
  std::string_view next() {
    if (done_)
      throw InputError(file_, line_, column_key(col_ + 1), std::to_string(col_) + " fields",
                       std::to_string(fields_) + " comma-separated fields (line truncated or columns missing)");
    size_t comma = text_.find(',', pos_);
    std::string_view f = text_.substr(pos_, comma == std::string_view::npos ? std::string_view::npos : comma - pos_);
    if (comma == std::string_view::npos) done_ = true;
    pos_ = comma + 1;
    ++col_;
    return f;
  }
  void end() {
    if (!done_)
      throw InputError(file_, line_, column_key(col_ + 1), "extra fields after the last column",
                       std::to_string(fields_) + " fields");
  }

  double number(double lo, double hi, const char* expected) {
    std::string_view f = next();
    double v = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size() || !std::isfinite(v) || v < lo || v > hi) fail(f, expected);
    return v;
  }
  long long integer(long long lo, long long hi, const char* expected) {
    std::string_view f = next();
    long long v = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size() || v < lo || v > hi) fail(f, expected);
    return v;
  }
  uint64_t unsigned64(const char* expected) {
    std::string_view f = next();
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || p != f.data() + f.size()) fail(f, expected);
    return v;
  }
  bool flag() { return integer(0, 1, "0 or 1") == 1; }
  std::string token() {
    std::string_view f = next();
    bool ok = !f.empty() && f.size() <= 64;
    for (char c : f) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
    if (!ok) fail(f, "a name of 1-64 characters from [A-Za-z0-9_.-]");
    return std::string(f);
  }
  // Error about column `col` (1-based) of this line, found text already known.
  [[noreturn]] void fail_at(int col, const std::string& found, const std::string& expected) const {
    throw InputError(file_, line_, column_key(col), found, expected);
  }
  int column() const { return col_; }

 private:
  [[noreturn]] void fail(std::string_view f, const char* expected) const {
    fail_at(col_, f.empty() ? "an empty field" : "'" + std::string(f) + "'", expected);
  }
  static std::string column_key(int col) {
    const auto& cols = mas_trace_columns();
    std::string name = col >= 1 && col <= static_cast<int>(cols.size()) ? cols[col - 1] : "?";
    return "column " + std::to_string(col) + " (" + name + ")";
  }

  const std::string& file_;
  int line_;
  std::string_view text_;
  size_t fields_;
  size_t pos_ = 0;
  int col_ = 0;
  bool done_ = false;
};

void read_modality(RowParser& p, Modality m, ModalityInput& in) {
  const int first = p.column() + 1;
  in.present = p.flag();
  in.width = static_cast<int>(p.integer(0, 100000, "an integer width in pixels, 0-100000"));
  in.height = static_cast<int>(p.integer(0, 100000, "an integer height in pixels, 0-100000"));
  in.frames = static_cast<int>(p.integer(0, 1000000, "an integer frame count, 0-1000000"));
  in.seconds = p.number(0, 1e6, "a duration in seconds, 0-1e6");
  in.bytes = p.number(0, 1e12, "a size in bytes, 0-1e12");
  in.mas.mas = p.number(0, 1, "a fraction in [0,1]");
  in.mas.spatial = p.number(0, 1, "a fraction in [0,1]");
  in.mas.temporal = p.number(0, 1, "a fraction in [0,1]");
  in.mas.modal = p.number(0, 1, "a fraction in [0,1]");
  const std::string name = kModalityNames[static_cast<int>(m)];
  auto bad = [&](int offset, double v, const std::string& expected) {
    std::ostringstream f;
    f << v;
    p.fail_at(first + offset, f.str(), expected);
  };
  if (!in.present) {
    if (in.width || in.height || in.frames || in.seconds || in.bytes)
      bad(in.width ? 1 : in.height ? 2 : in.frames ? 3 : in.seconds ? 4 : 5,
          in.width ? in.width : in.height ? in.height : in.frames ? in.frames : in.seconds ? in.seconds : in.bytes,
          "0 for an absent " + name);
    if (in.mas.mas != 1 || in.mas.spatial != 1 || in.mas.temporal != 1 || in.mas.modal != 1)
      bad(6, in.mas.mas, "MAS fields of 1 for an absent " + name);
    return;
  }
  if (in.bytes <= 0) bad(5, in.bytes, "a positive size for a present " + name);
  if (m == Modality::Audio) {
    if (in.seconds <= 0) bad(4, in.seconds, "a positive duration for present audio");
    if (in.width || in.height || in.frames) bad(1, in.width, "0 width, height and frames for audio");
  } else {
    if (in.width < 1) bad(1, in.width, "a positive width for a present " + name);
    if (in.height < 1) bad(2, in.height, "a positive height for a present " + name);
    if (m == Modality::Image && in.frames != 1) bad(3, in.frames, "1 frame for an image");
    if (m == Modality::Video && in.frames < 1) bad(3, in.frames, "at least 1 frame for a video");
  }
  const double expect = combine_mas(in.mas.spatial, in.mas.temporal, in.mas.modal);
  if (std::fabs(in.mas.mas - expect) > 2e-6) {
    std::ostringstream e;
    e << "spatial*temporal*modal = " << expect << " (workloads/mas.hpp combine_mas)";
    bad(6, in.mas.mas, e.str());
  }
}

// The conversation columns: each within its range and consistent with the
// request's prompt (history and prefix are parts of it).
void read_session(RowParser& p, Request& r) {
  const int first = p.column() + 1;
  r.session = p.unsigned64("a session id (0: none)");
  r.turn = static_cast<int>(p.integer(0, 1000000, "a turn, 0-1000000 (0: no session)"));
  r.history_tokens = static_cast<int>(p.integer(0, r.prompt_tokens, "earlier turns' tokens, 0..prompt_tokens"));
  r.prefix_group = p.unsigned64("a shared-prefix id (0: none)");
  r.prefix_tokens = static_cast<int>(
      p.integer(0, r.prompt_tokens - r.history_tokens, "shared-prefix tokens, 0..prompt_tokens - history_tokens"));
  r.media_id = p.unsigned64("a media id (0: its own)");
  if ((r.session == 0) != (r.turn == 0)) p.fail_at(first + 1, std::to_string(r.turn), r.session == 0 ? "0 (no session)" : "a turn >= 1 (a session is named)");
  if (r.session == 0 && r.history_tokens > 0) p.fail_at(first + 2, std::to_string(r.history_tokens), "0 (no session)");
  if ((r.prefix_group == 0) != (r.prefix_tokens == 0))
    p.fail_at(first + 4, std::to_string(r.prefix_tokens), r.prefix_group == 0 ? "0 (no shared prefix)" : "at least 1 (a shared prefix is named)");
}

// `layout`: the columns the file's header has (mas_trace.hpp).
Request parse_row(const std::string& file, int line, std::string_view text, MasTraceLayout layout) {
  const bool optional = layout != MasTraceLayout::Required;
  const size_t fields = mas_trace_columns().size() - (layout == MasTraceLayout::WithSessions ? 0 : kMasTraceSessionColumns) -
                        (optional ? 0 : kMasTraceOptionalColumns);
  RowParser p(file, line, text, fields);
  Request r;
  r.id = static_cast<uint64_t>(p.integer(0, (1LL << 62), "a non-negative integer id"));
  r.arrival_s = p.number(0, kMaxMasTraceArrival_s, "an arrival time in seconds, 0-1e9");
  r.edge = static_cast<int>(p.integer(0, 1000000, "an edge index, 0-1000000"));
  r.dataset = p.token();
  r.category = p.token();
  r.prompt_tokens = static_cast<int>(p.integer(0, 1000000, "a token count, 0-1000000"));
  r.output_tokens = static_cast<int>(p.integer(1, 1000000, "a token count, 1-1000000"));
  r.edge_confidence = p.number(0, 1, "a confidence in [0,1]");
  r.edge_correct_full = p.flag();
  r.cloud_correct_full = p.flag();
  r.edge_correct_pruned = p.flag();
  r.cloud_correct_pruned = p.flag();
  r.prune_u = p.number(0, 0.9999995, "a uniform in [0,1)");
  for (int m = 0; m < kNumModalities; ++m) read_modality(p, static_cast<Modality>(m), r.inputs[m]);
  if (optional) {
    r.draft_acceptance = p.number(0, 1, "a probability in [0,1]");
    r.token_seed = p.unsigned64("an unsigned 64-bit integer seed");
  } else {
    r.draft_acceptance = gen::draft_acceptance_rule(r.dataset, r.edge_confidence);
    r.token_seed = splitmix64(r.id);
  }
  if (layout == MasTraceLayout::WithSessions) read_session(p, r);
  p.end();
  // The *_pruned columns are used as given (a recorded trace carries what
  // the models answered when pruned to the MAS; only the generators derive
  // them from workloads/mas.hpp), so they are checked for 0/1 only.
  return r;
}

}  // namespace

static std::vector<Request> parse_mas_trace(const std::string& path) {
  const std::string data = read_input_text(path, "a MAS trace v1 CSV file", kMaxMasTraceBytes);
  std::string_view all(data);
  std::vector<Request> out;
  size_t pos = 0;
  int line = 0;
  uint64_t last_id = 0;
  double last_arrival = 0;
  MasTraceLayout layout = MasTraceLayout::WithDraft;
  while (pos < all.size()) {
    ++line;
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos)
      throw InputError(path, line, "", "a last line without a newline (truncated file?)",
                       "every line to end with '\\n'");
    std::string_view text = all.substr(pos, nl - pos);
    pos = nl + 1;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line == 1) {
      if (text != kMasTraceVersionLine)
        throw InputError(path, 1, "version", first_line_found(text, "# msao-"), std::string("'") + kMasTraceVersionLine + "'");
      continue;
    }
    if (line == 2) {
      if (text == mas_trace_header(MasTraceLayout::WithDraft)) layout = MasTraceLayout::WithDraft;
      else if (text == mas_trace_header(MasTraceLayout::Required)) layout = MasTraceLayout::Required;
      else if (text == mas_trace_header(MasTraceLayout::WithSessions)) layout = MasTraceLayout::WithSessions;
      else
        throw InputError(path, 2, "header", "'" + std::string(text.substr(0, 60)) + "...'",
                         "the v1 column header, with or without its optional last columns (traces/README.md)");
      continue;
    }
    Request r = parse_row(path, line, text, layout);
    if (!out.empty() && r.id <= last_id)
      throw InputError(path, line, "column 1 (id)", std::to_string(r.id),
                       "ids strictly increasing (previous " + std::to_string(last_id) + ")");
    if (!out.empty() && r.arrival_s < last_arrival)
      throw InputError(path, line, "column 2 (arrival_s)", std::to_string(r.arrival_s),
                       "arrival times non-decreasing (previous " + std::to_string(last_arrival) + ")");
    last_id = r.id;
    last_arrival = r.arrival_s;
    out.push_back(std::move(r));
  }
  if (line < 2) throw InputError(path, line + 1, "", "end of file", "the version line and the column header");
  return out;
}

std::shared_ptr<const std::vector<Request>> read_mas_trace_shared(const std::string& path) {
  return cached_parse_shared<std::vector<Request>>("mas-trace", path, parse_mas_trace);
}

std::vector<Request> read_mas_trace(const std::string& path) { return *read_mas_trace_shared(path); }

}  // namespace msao

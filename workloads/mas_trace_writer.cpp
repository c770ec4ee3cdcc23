// Writer of MAS trace v1 (format: workloads/mas_trace.hpp, traces/README.md).
// Fixed printf formats make the bytes a pure function of the requests; the
// file appears under its name only once complete (AtomicFileWriter).
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "sim/util/atomic_file.hpp"
#include "workloads/mas_trace.hpp"

namespace msao {

std::string mas_trace_header(MasTraceLayout layout) {
  const auto& cols = mas_trace_columns();
  const size_t n = cols.size() - (layout == MasTraceLayout::WithSessions ? 0 : kMasTraceSessionColumns) -
                   (layout == MasTraceLayout::Required ? kMasTraceOptionalColumns : 0);
  std::string h;
  for (size_t i = 0; i < n; ++i) h += (i ? "," : "") + cols[i];
  return h;
}

const std::vector<std::string>& mas_trace_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> c = {"id",           "arrival_s",          "edge",
                                  "dataset",      "category",           "prompt_tokens",
                                  "output_tokens", "edge_confidence",   "edge_correct_full",
                                  "cloud_correct_full", "edge_correct_pruned", "cloud_correct_pruned",
                                  "prune_u"};
    for (const char* m : kModalityNames)
      for (const char* f : {"present", "width", "height", "frames", "seconds", "bytes", "mas", "spatial", "temporal",
                            "modal"})
        c.push_back(std::string(m) + "_" + f);
    c.insert(c.end(), {"draft_acceptance", "token_seed"});  // optional on reading (kMasTraceOptionalColumns)
    // Optional too (kMasTraceSessionColumns).
    c.insert(c.end(), {"session", "turn", "history_tokens", "prefix_group", "prefix_tokens", "media_id"});
    return c;
  }();
  return cols;
}

double quantize_fraction(double x) {
  // The value "%.6f" writes, read back: to_chars/from_chars round exactly as
  // printf/strtod do, without their locale and parsing cost (this runs for
  // every generated request).
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 6).ptr;
  double v = 0;
  std::from_chars(buf, end, v);
  return v;
}

bool has_session_fields(const Request& r) {
  return r.session != 0 || r.turn != 0 || r.history_tokens != 0 || r.prefix_group != 0 || r.prefix_tokens != 0 ||
         r.media_id != 0;
}

std::string mas_trace_row(const Request& r, bool sessions) {
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, "%llu,%.6f,%d,%s,%s,%d,%d,%.6f,%d,%d,%d,%d,%.6f",
                        static_cast<unsigned long long>(r.id), r.arrival_s, r.edge, r.dataset.c_str(),
                        r.category.c_str(), r.prompt_tokens, r.output_tokens, r.edge_confidence,
                        int(r.edge_correct_full), int(r.cloud_correct_full), int(r.edge_correct_pruned),
                        int(r.cloud_correct_pruned), r.prune_u);
  std::string s(buf, static_cast<size_t>(n));
  for (const auto& in : r.inputs) {
    n = std::snprintf(buf, sizeof buf, ",%d,%d,%d,%d,%.3f,%.0f,%.6f,%.6f,%.6f,%.6f", int(in.present), in.width,
                      in.height, in.frames, in.seconds, in.bytes, in.mas.mas, in.mas.spatial, in.mas.temporal,
                      in.mas.modal);
    s.append(buf, static_cast<size_t>(n));
  }
  n = std::snprintf(buf, sizeof buf, ",%.6f,%llu", r.draft_acceptance, static_cast<unsigned long long>(r.token_seed));
  s.append(buf, static_cast<size_t>(n));
  if (sessions) {
    n = std::snprintf(buf, sizeof buf, ",%llu,%d,%d,%llu,%d,%llu", static_cast<unsigned long long>(r.session), r.turn,
                      r.history_tokens, static_cast<unsigned long long>(r.prefix_group), r.prefix_tokens,
                      static_cast<unsigned long long>(r.media_id));
    s.append(buf, static_cast<size_t>(n));
  }
  return s;
}

void write_mas_trace(const std::string& path, const std::vector<Request>& requests) {
  size_t i = 0;
  const bool sessions = std::any_of(requests.begin(), requests.end(), has_session_fields);
  write_mas_trace(
      path,
      [&](Request& r) {
        if (i >= requests.size()) return false;
        r = requests[i++];
        return true;
      },
      sessions);
}

size_t write_mas_trace(const std::string& path, const std::function<bool(Request&)>& next, bool sessions) {
  AtomicFileWriter file(path);
  std::string text = std::string(kMasTraceVersionLine) + "\n" +
                     mas_trace_header(sessions ? MasTraceLayout::WithSessions : MasTraceLayout::WithDraft) + "\n";
  size_t n = 0;
  for (Request r; next(r); ++n) {
    text += mas_trace_row(r, sessions);
    text += '\n';
    if (text.size() >= (1u << 20)) {
      file.append(text);
      text.clear();
    }
  }
  file.append(text);
  file.commit();
  return n;
}

}  // namespace msao

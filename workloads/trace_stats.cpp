// Text report of a request set (trace_stats.hpp).
#include "workloads/trace_stats.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

namespace msao {

namespace {

std::string line(const char* fmt, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

std::string numeric_row(const std::string& name, std::vector<double> v) {
  if (v.empty()) return "";  // modality absent from every request
  std::sort(v.begin(), v.end());
  auto q = [&](double p) { return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5)]; };
  double sum = 0;
  for (double x : v) sum += x;
  return line("  %-24s %8zu %12.4g %12.4g %12.4g %12.4g %12.4g %12.4g\n", name.c_str(), v.size(), v.front(), q(0.1),
              q(0.5), q(0.9), v.back(), sum / static_cast<double>(v.size()));
}

}  // namespace

std::vector<CalibrationBin> confidence_calibration(const std::vector<Request>& rs) {
  std::vector<CalibrationBin> bins(10);
  for (int i = 0; i < 10; ++i) bins[i].lo = i / 10.0, bins[i].hi = (i + 1) / 10.0;
  for (const auto& r : rs) {
    auto& b = bins[std::min(9, static_cast<int>(r.edge_confidence * 10))];
    ++b.count;
    b.mean_confidence += r.edge_confidence;
    b.accuracy += r.edge_correct_full;
  }
  for (auto& b : bins)
    if (b.count) b.mean_confidence /= static_cast<double>(b.count), b.accuracy /= static_cast<double>(b.count);
  return bins;
}

std::string trace_stats_report(const std::vector<Request>& rs) {
  std::string s = line("requests: %zu\n\nnames (count, share):\n", rs.size());
  for (auto get : {+[](const Request& r) { return "dataset=" + r.dataset; },
                   +[](const Request& r) { return "category=" + r.category; }}) {
    std::map<std::string, size_t> counts;
    for (const auto& r : rs) ++counts[get(r)];
    for (const auto& [k, c] : counts) s += line("  %-48s %8zu %7.4f\n", k.c_str(), c, double(c) / double(rs.size()));
  }
  s += line("\nnumeric columns (present values only):\n  %-24s %8s %12s %12s %12s %12s %12s %12s\n", "column", "n",
            "min", "p10", "median", "p90", "max", "mean");
  using Get = std::function<double(const Request&)>;
  const std::vector<std::pair<std::string, Get>> cols = {
      {"arrival_s", [](const Request& r) { return r.arrival_s; }},
      {"edge", [](const Request& r) { return double(r.edge); }},
      {"prompt_tokens", [](const Request& r) { return double(r.prompt_tokens); }},
      {"output_tokens", [](const Request& r) { return double(r.output_tokens); }},
      {"edge_confidence", [](const Request& r) { return r.edge_confidence; }},
      {"prune_u", [](const Request& r) { return r.prune_u; }}};
  auto column = [&](const Get& g, auto keep) {
    std::vector<double> v;
    for (const auto& r : rs)
      if (keep(r)) v.push_back(g(r));
    return v;
  };
  for (const auto& [name, g] : cols) s += numeric_row(name, column(g, [](const Request&) { return true; }));
  for (int m = 0; m < kNumModalities; ++m) {
    auto present = [m](const Request& r) { return r.inputs[m].present; };
    const std::string p = kModalityNames[m];
    const std::vector<std::pair<std::string, Get>> mc = {
        {"width", [m](const Request& r) { return double(r.inputs[m].width); }},
        {"height", [m](const Request& r) { return double(r.inputs[m].height); }},
        {"frames", [m](const Request& r) { return double(r.inputs[m].frames); }},
        {"seconds", [m](const Request& r) { return r.inputs[m].seconds; }},
        {"bytes", [m](const Request& r) { return r.inputs[m].bytes; }},
        {"mas", [m](const Request& r) { return r.inputs[m].mas.mas; }},
        {"spatial", [m](const Request& r) { return r.inputs[m].mas.spatial; }},
        {"temporal", [m](const Request& r) { return r.inputs[m].mas.temporal; }},
        {"modal", [m](const Request& r) { return r.inputs[m].mas.modal; }}};
    for (const auto& [name, g] : mc) s += numeric_row(p + "_" + name, column(g, present));
  }
  double n = std::max<double>(1, double(rs.size())), ef = 0, cf = 0, ep = 0, cp = 0;
  for (const auto& r : rs) ef += r.edge_correct_full, cf += r.cloud_correct_full, ep += r.edge_correct_pruned, cp += r.cloud_correct_pruned;
  s += line("\naccuracy: edge full %.4f, cloud full %.4f, edge pruned-at-MAS %.4f, cloud pruned-at-MAS %.4f\n", ef / n,
            cf / n, ep / n, cp / n);
  s += "\nedge confidence calibration:\n  bin         count  mean_conf  accuracy\n";
  for (const auto& b : confidence_calibration(rs))
    s += line("  [%.1f,%.1f) %8zu %10.4f %9.4f\n", b.lo, b.hi, b.count, b.mean_confidence, b.accuracy);
  return s;
}

}  // namespace msao

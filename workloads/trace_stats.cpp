// Text report of a request set (trace_stats.hpp).
#include "workloads/trace_stats.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <cmath>
#include <map>

#include "workloads/mas.hpp"

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

double request_mas(const Request& r) {
  for (Modality m : {Modality::Image, Modality::Video, Modality::Audio})
    if (r.input(m).present) return r.input(m).mas.mas;
  return 1.0;
}

}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

std::vector<PruningPoint> pruning_curve(const std::vector<Request>& rs, const std::vector<double>& keeps) {
  std::vector<PruningPoint> out;
  for (double k : keeps) {
    double e = 0, ne = 0, c = 0, nc = 0;
    for (const auto& r : rs) {
      const double ret = request_retention(r, {k, k, k});
      if (r.edge_correct_full) e += ret, ne += 1;
      if (r.cloud_correct_full) c += ret, nc += 1;
    }
    out.push_back({k, ne > 0 ? e / ne : 1.0, nc > 0 ? c / nc : 1.0});
  }
  return out;
}

MasCorrelations mas_correlations(const std::vector<Request>& rs) {
  std::vector<double> mas, conf, ec, cc;
  for (const auto& r : rs) {
    mas.push_back(request_mas(r));
    conf.push_back(r.edge_confidence);
    ec.push_back(r.edge_correct_full);
    cc.push_back(r.cloud_correct_full);
  }
  return {pearson(mas, ec), pearson(mas, cc), pearson(conf, ec)};
}

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
  s += "\npruning curve (every present modality keeps the fraction; share of correct answers kept, expected):\n"
       "  keep        edge   cloud\n";
  for (const auto& p : pruning_curve(rs, {1.0, 192.0 / 576, 128.0 / 576, 64.0 / 576, 0.0}))
    s += line("  %.4f %9.4f %7.4f\n", p.keep, p.edge, p.cloud);
  const MasCorrelations c = mas_correlations(rs);
  s += line("\ncorrelation with edge correct: mas %.4f, edge_confidence %.4f; mas with cloud correct %.4f\n",
            c.mas_vs_edge_correct, c.confidence_vs_edge_correct, c.mas_vs_cloud_correct);
  size_t low_modal = 0;
  for (const auto& r : rs)
    for (const auto& in : r.inputs) low_modal += in.present && in.mas.modal < 0.1;
  s += line("modalities with modal < 0.1 (msao's default drop_modal): %zu\n", low_modal);
  s += "\nedge confidence calibration:\n  bin         count  mean_conf  accuracy\n";
  for (const auto& b : confidence_calibration(rs))
    s += line("  [%.1f,%.1f) %8zu %10.4f %9.4f\n", b.lo, b.hi, b.count, b.mean_confidence, b.accuracy);
  return s;
}

}  // namespace msao

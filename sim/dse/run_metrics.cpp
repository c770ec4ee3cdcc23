#include "sim/dse/run_metrics.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "sim/dse/sweep_spec.hpp"
#include "sim/metrics/summary.hpp"
#include "sim/run/run_scenario.hpp"

namespace msao::dse {

Metrics flatten_summary(const Summary& s) {
  Metrics out;
  YAML::Node root = YAML::Load(summary_json(s, false, true));
  // null (a latency with no completed request) is NaN: the database stores NULL, tune skips it.
  auto value = [](const YAML::Node& n) { return n.IsNull() ? std::numeric_limits<double>::quiet_NaN() : n.as<double>(); };
  for (auto it = root.begin(); it != root.end(); ++it) {
    std::string k = it->first.as<std::string>();
    if (k == "msao_version" || k == "git_commit") continue;  // which build ran it, not a metric
    if (it->second.IsMap()) {
      for (auto jt = it->second.begin(); jt != it->second.end(); ++jt)
        out.emplace_back(k + "_" + jt->first.as<std::string>(), value(jt->second));
    } else {
      out.emplace_back(k, value(it->second));
    }
  }
  return out;
}

std::vector<std::string> metric_names() {
  std::vector<std::string> names;
  for (const auto& [k, v] : flatten_summary(Summary{})) names.push_back(k);
  return names;
}

RunMetrics run_point(const std::string& base, const std::vector<std::string>& overrides) {
  std::vector<double> lat;
  RunOptions opt;
  opt.keep_records = false;
  opt.on_record = [&lat](const RequestRecord& r) {
    if (std::isfinite(r.latency())) lat.push_back(r.latency() * 1e3);
  };
  RunOutput out = run_scenario(load_scenario(base, overrides), opt);
  RunMetrics m;
  m.metrics = flatten_summary(out.summary);
  std::sort(lat.begin(), lat.end());
  for (int p = 0; p <= 100 && !lat.empty(); ++p) {
    if (p) m.latency_cdf_ms += ",";
    m.latency_cdf_ms += format_number(nearest_rank(lat, p / 100.0));
  }
  return m;
}

std::string encode(const RunMetrics& m) {
  std::string s;
  for (const auto& [k, v] : m.metrics) s += k + "\t" + format_number(v) + "\n";
  s += "latency_cdf_ms\t" + m.latency_cdf_ms + "\n";
  return s;
}

RunMetrics decode(const std::string& payload) {
  RunMetrics m;
  std::istringstream in(payload);
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) throw std::runtime_error("malformed run payload line: " + line);
    std::string k = line.substr(0, tab), v = line.substr(tab + 1);
    if (k == "latency_cdf_ms") {
      m.latency_cdf_ms = v;
      continue;
    }
    double d = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), d);
    if (r.ec != std::errc()) throw std::runtime_error("malformed metric value: " + line);
    m.metrics.emplace_back(k, d);
  }
  return m;
}

}  // namespace msao::dse

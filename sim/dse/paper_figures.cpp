#include "sim/dse/paper_figures.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/config/input_error.hpp"
#include "sim/cost/catalog.hpp"

namespace msao::dse {

double PaperFigures::at(const std::map<std::string, std::map<std::string, double>>& table, const std::string& setting,
                        const std::string& method) const {
  auto s = table.find(setting);
  if (s == table.end() || !s->second.count(method))
    throw InputError(path, 0, setting + "." + method, "no such figure", "the paper's figure for that method and setting");
  return s->second.at(method);
}

PaperFigures load_paper_figures(const std::string& given) {
  PaperFigures p;
  p.path = given.empty() ? cost::repository_file("platforms/paper/msao.json") : given;
  std::ifstream in(p.path);
  if (!in) throw InputError(p.path, 0, "", "no readable file", "the paper's figures as JSON (platforms/paper/msao.json)");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw InputError(p.path, 0, "", "text that is not a JSON object", "the paper's figures as JSON");
  std::string key;  // the key being read, for the error
  try {
    auto table = [&](const char* k) {
      key = k;
      std::map<std::string, std::map<std::string, double>> t;
      for (const auto& [setting, methods] : j.at(k).items())
        for (const auto& [method, v] : methods.items()) t[setting][method] = v.get<double>();
      return t;
    };
    p.accuracy_pct = table("accuracy_pct");
    p.tokens_per_s = table("tokens_per_s");
    key = "peak_memory_gb_at_200Mbps";
    for (const auto& [method, v] : j.at(key).items()) p.peak_memory_gb[method] = v.get<double>();
    key = "reductions_by_msao_pct";
    for (const auto& r : j.at(key))
      p.reductions.push_back({r.at("quantity").get<std::string>(), r.at("against").get<std::string>(),
                              r.at("text").get<std::string>(), r.at("lo").get<double>(), r.at("hi").get<double>()});
    key = "throughput_gain_over_baselines";
    p.throughput_gain_lo = j.at(key).at("lo").get<double>();
    p.throughput_gain_hi = j.at(key).at("hi").get<double>();
    key = "ablations.speculation_off_latency_higher_pct";
    p.speculation_off_higher_pct = j.at("ablations").at("speculation_off_latency_higher_pct").get<double>();
    key = "ablations.mas_off_accuracy_points_lost";
    for (const auto& [setting, v] : j.at("ablations").at("mas_off_accuracy_points_lost").items())
      p.mas_off_points_lost[setting] = v.get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(p.path, 0, key, std::string("a missing or mistyped value (") + e.what() + ")",
                     "the fields platforms/paper/msao.json has");
  }
  return p;
}

}  // namespace msao::dse

#include "sim/cost/profile.hpp"

#include <algorithm>
#include <cmath>

#include "sim/config/parsed_file_cache.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/request.hpp"

namespace msao::cost {

void StageTable::add(int batch, double x, double seconds) { by_batch_[batch].push_back({x, seconds}); }

std::string StageTable::finalize() {
  for (auto& [b, pts] : by_batch_) {
    std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& c) { return a.x < c.x; });
    for (size_t i = 1; i < pts.size(); ++i)
      if (pts[i].x == pts[i - 1].x) return "two rows at batch " + std::to_string(b) + " and the same x";
  }
  return "";
}

double StageTable::at_batch(const std::vector<ProfilePoint>& pts, int batch, double x, const RooflineFn& roofline) const {
  // Outside the measured range: keep the nearest point's measured/roofline ratio.
  auto carried = [&](const ProfilePoint& p) {
    const double r0 = roofline(p.x, batch);
    return r0 > 0 ? p.seconds * roofline(x, batch) / r0 : p.seconds;
  };
  if (x <= pts.front().x) return x == pts.front().x ? pts.front().seconds : carried(pts.front());
  if (x >= pts.back().x) return x == pts.back().x ? pts.back().seconds : carried(pts.back());
  auto hi = std::upper_bound(pts.begin(), pts.end(), x, [](double v, const ProfilePoint& p) { return v < p.x; });
  auto lo = hi - 1;
  const double t = (x - lo->x) / (hi->x - lo->x);
  return lo->seconds + t * (hi->seconds - lo->seconds);
}

double StageTable::seconds(double x, int batch, const RooflineFn& roofline) const {
  auto hi = by_batch_.lower_bound(batch);
  if (hi != by_batch_.end() && hi->first == batch) return at_batch(hi->second, batch, x, roofline);
  // Between two measured batch sizes: linear in batch. Outside: nearest batch
  // carried along the roofline in batch.
  if (hi != by_batch_.end() && hi != by_batch_.begin()) {
    auto lo = std::prev(hi);
    const double a = at_batch(lo->second, lo->first, x, roofline), c = at_batch(hi->second, hi->first, x, roofline);
    const double t = double(batch - lo->first) / double(hi->first - lo->first);
    return a + t * (c - a);
  }
  const auto& nearest = hi == by_batch_.end() ? *std::prev(hi) : *hi;
  const double measured = at_batch(nearest.second, nearest.first, x, roofline);
  const double r0 = roofline(x, nearest.first);
  return r0 > 0 ? measured * roofline(x, batch) / r0 : measured;
}

const StageTable* Profile::table(const std::string& stage) const {
  auto it = stages.find(stage);
  return it == stages.end() ? nullptr : &it->second;
}

std::vector<std::string> profile_stage_names() {
  std::vector<std::string> names{"prefill", "decode"};
  for (const char* m : kModalityNames) {
    names.push_back(std::string("encoder.") + m);
    names.push_back(std::string("projector.") + m);
  }
  return names;
}

namespace {

Profile parse_profile(const std::string& path) {
  YamlSection s(load_yaml_file(path), path);
  Profile p;
  p.file = path;
  s.str_or("hardware", "");
  s.str_or("model", "");
  s.str_or("description", "");
  p.operators = read_op_efficiencies(s);
  p.gemm = read_gemm_efficiency(s);
  YamlSection st = s.child("stages", true);
  for (const auto& name : profile_stage_names()) {
    if (!st.has(name)) continue;
    const std::string axis = name == "decode" ? "context" : "tokens";
    StageTable t;
    for (auto& row : st.list(name)) {
      const int batch = int(row.integer_or("batch", 1, 1, 1 << 20));
      const double x = row.num(axis, 0, 1e9);
      const double sec = row.num("seconds", 1e-12, 1e6);
      row.finish();
      t.add(batch, x, sec);
    }
    if (auto err = t.finalize(); !err.empty()) st.fail(name, err, "one row per (batch, " + axis + ")");
    p.stages.emplace(name, std::move(t));
  }
  st.finish();
  if (s.has("calibration")) {
    YamlSection c = s.child("calibration");
    Calibration cal;
    cal.hardware = c.str_or("hardware", "");
    c.str_or("device", "");  // the machine `msao profile` measured (checked by `msao validate`)
    cal.mem_bw_Bps = c.num("mem_bw_Bps", 1e3, 1e16);
    cal.flops = c.num("flops", 1e3, 1e19);
    if (c.has("launch_overhead_s")) cal.launch_overhead_s = c.num("launch_overhead_s", 0, 1);
    if (c.has("mas_s_per_token")) cal.mas_s_per_token = c.num("mas_s_per_token", 0, 10);
    if (c.has("iterations")) cal.iterations = c.strings("iterations");
    c.finish();
    p.calibration = cal;
  } else {
    s.consume("calibration");
  }
  s.finish();
  return p;
}

}  // namespace

Profile load_profile(const std::string& path) { return cached_parse<Profile>("profile", path, parse_profile); }

}  // namespace msao::cost

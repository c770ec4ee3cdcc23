#include "sim/scenario/radio_config.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/cost/catalog.hpp"

namespace msao {

namespace {

// Each parameter once: key, field, range. The ranges only keep a typo out
// (a 1e6 W radio); docs/energy.md says what each means.
struct Param {
  const char* key;
  double RadioSpec::*field;
  double hi;
};
constexpr Param kParams[] = {
    {"uplink_mw_per_mbps", &RadioSpec::uplink_mw_per_mbps, 1e5},
    {"downlink_mw_per_mbps", &RadioSpec::downlink_mw_per_mbps, 1e5},
    {"active_w", &RadioSpec::active_w, 100},
    {"promotion_s", &RadioSpec::promotion_s, 60},
    {"promotion_w", &RadioSpec::promotion_w, 100},
    {"tail_s", &RadioSpec::tail_s, 3600},
    {"tail_w", &RadioSpec::tail_w, 100},
    {"idle_w", &RadioSpec::idle_w, 100},
};

// The tail is the connected radio without data: drawing more than while
// data moves would make a transfer during a tail cost less than nothing.
void check_tail(const YamlSection& s, const RadioSpec& r) {
  if (r.tail_w <= r.active_w) return;
  char found[128];
  std::snprintf(found, sizeof found, "%g W, above active_w %g W", r.tail_w, r.active_w);
  s.fail("tail_w", found, "at most active_w (the tail is the connected radio without data)");
}

RadioSpec load_radio_file(const std::string& path) {
  YamlSection s(load_yaml_map(path, "a radio: name and the parameters of docs/energy.md"), path);
  RadioSpec r;
  r.name = s.str("name");
  for (const Param& p : kParams) r.*p.field = s.num(p.key, 0, p.hi);
  s.finish();
  check_tail(s, r);
  return r;
}

// A catalog name or a path (from the scenario's folder), as for hardware.
RadioSpec load_named_radio(YamlSection& s, const std::string& key) {
  const std::string v = s.str(key);
  if (v.find('/') != std::string::npos || v.ends_with(".yaml")) return load_radio_file(s.file_path(key));
  if (!cost::in_catalog("radios", v))
    s.fail(key, "unknown radio '" + v + "'", "none or " + cost::catalog_expected("radios"));
  return load_radio_file(cost::resolve_catalog("radios", v));
}

}  // namespace

RadioSpec read_radio(YamlSection& group) {
  if (!group.has("radio")) {
    group.consume("radio");  // absent: no radio model, and nothing added to the resolved scenario
    return {};
  }
  if (!group.raw()["radio"].IsMap()) {
    if (group.str("radio") == "none") return {};
    return load_named_radio(group, "radio");
  }
  YamlSection r = group.child("radio");
  if (r.str("type") == "none") {
    r.finish();
    return {};
  }
  RadioSpec spec = load_named_radio(r, "type");
  for (const Param& p : kParams)
    if (r.has(p.key)) spec.*p.field = r.num(p.key, 0, p.hi);
    else r.consume(p.key);
  r.finish();
  check_tail(r, spec);
  return spec;
}

}  // namespace msao

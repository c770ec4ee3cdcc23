#include "sim/dse/claims_verdict.hpp"

#include <fstream>
#include <sstream>

namespace msao::dse {

std::map<std::string, MapCount> read_claims_map(const std::string& holds_tsv) {
  std::map<std::string, MapCount> out;
  std::ifstream in(holds_tsv);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    if (f.size() != 5) continue;
    try {
      out[f[0]] = {std::stoi(f[2]), std::stoi(f[3]), f[4]};
    } catch (const std::exception&) {  // a malformed count: the row reads as not mapped
    }
  }
  return out;
}

std::string claims_table(const std::vector<ClaimRow>& rows, const std::map<std::string, MapCount>& map,
                         const std::string& eager, const std::string& batching) {
  std::string r = "| claim | paper | simulated (" + eager + ") | simulated (" + batching +
                  ") | bound | holds where (claims map) | why |\n|---|---|---|---|---|---|---|\n";
  for (const ClaimRow& c : rows) {
    std::string where;
    std::stringstream figures(c.map_figure);
    for (std::string fig; std::getline(figures, fig, ',');) {
      auto it = map.find(fig);
      if (it == map.end()) continue;
      where += std::string(where.empty() ? "" : "; ") + std::to_string(it->second.holds) + " of " +
               std::to_string(it->second.cells) + " cells" + (it->second.holds ? ": " + it->second.where : "") +
               " ([map](claims/claims-map/" + fig + ".png))";
    }
    if (where.empty()) where = c.map_figure.empty() ? "not on the map" : map.empty() ? "map not run" : "not on the map";
    r += "| " + c.claim + " | " + c.paper + " | " + c.simulated_eager + " | " + c.simulated_batching + " | " + c.bound +
         " | " + where + " | " + c.why + " |\n";
  }
  return r;
}

}  // namespace msao::dse

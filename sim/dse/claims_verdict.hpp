// The verdict table `msao reproduce paper`'s report opens with: one row per
// claim of the MSAO paper (arXiv 2604.02945), with the paper's figure, the
// simulated one under both serving stacks, a bound from first principles
// (what no schedule on the stated hardware can beat), where on the claims
// map (platforms/scenarios/sweep-claims.yaml, scripts/claims-map) the claim
// holds, and why.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace msao::dse {

struct ClaimRow {
  std::string claim, paper, simulated_eager, simulated_batching, bound, map_figure, why;
};

// Where each claim holds on the map: scripts/claims-map's holds.tsv
// (figure, claim, holds, cells, where), by figure name; empty when the file
// is absent (a report without the map).
struct MapCount {
  int holds = 0, cells = 0;
  std::string where;
};
std::map<std::string, MapCount> read_claims_map(const std::string& holds_tsv);

// The table, in markdown; a row's "holds where" cell comes from `map` by its
// map_figure, a figure name or several joined by commas (none: not on the map).
std::string claims_table(const std::vector<ClaimRow>& rows, const std::map<std::string, MapCount>& map,
                         const std::string& eager, const std::string& batching);

}  // namespace msao::dse

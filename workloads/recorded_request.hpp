// finish_recorded: completes a request whose MAS parts were measured on real
// media (scripts/record-mas) the way the generators complete theirs
// (gen::finish_request), so a recorded trace obeys every rule the MAS trace
// v1 reader checks: parts quantized, mas = combine_mas of them, the pruned
// flags from correct_under_keep at MAS (workloads/mas.hpp), and, when the
// recording does not give them, prune_u, draft_acceptance and token_seed
// from hash streams keyed by (seed, dataset, id).
#pragma once
#include <cstdint>
#include <optional>

#include "sim/request.hpp"

namespace msao {

void finish_recorded(Request& r, uint64_t seed, std::optional<double> prune_u, std::optional<double> draft_acceptance);

}  // namespace msao

// The rows of the claims table `msao reproduce paper`'s report opens with
// (sim/dse/claims_verdict.hpp), from the reproduce runs and the paper's
// figures: each claim under both stacks, its first-principles bound, the
// claims-map figure that says where it holds, and why it lands where it does.
#pragma once
#include <vector>

#include "sim/dse/claims_verdict.hpp"
#include "sim/dse/paper_cells.hpp"
#include "sim/dse/paper_figures.hpp"

namespace msao::dse {

std::vector<ClaimRow> claim_rows(const Cells& cells, const PaperFigures& paper);

}  // namespace msao::dse

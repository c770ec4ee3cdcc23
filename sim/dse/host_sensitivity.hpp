// How `msao reproduce paper`'s verdict moves with the host-time assumptions.
// Under hf-eager the host's time per forward pass bounds most of the
// paper's figures, and two of its parts are named assumptions, not
// measurements (docs/cost-model.md): the host time per vision-encoder block
// (`encoder_layer_dispatch` in platforms/serving/hf-eager.yaml) and the
// desktop host's speed against a server's (`host_speed` in
// platforms/hardware/rtx3090.yaml). This reruns cloud-only, edge-only and
// msao at one paper setting with each assumption at the ends of its
// plausible range, from copies of those catalog files that differ in that
// one line.
#pragma once
#include <string>

#include "sim/dse/sweep_runner.hpp"

namespace msao::dse {

// The runs: variant x method x load (offered, sequential), on VQAv2 at 400
// Mbit/s under hf-eager. The variant catalog files are written into
// `variants_dir`.
SweepPlan host_sensitivity_plan(const std::string& scenario, int requests, const std::string& variants_dir);

// The report section (markdown) from those runs' results.sqlite.
std::string host_sensitivity_section(const std::string& db_path);

}  // namespace msao::dse

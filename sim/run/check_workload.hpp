// Requests the scenario's models cannot take are bad input, found before
// any simulation: an input of a modality a model has no encoder for (its
// bytes would upload and cost nothing), and a prompt (text plus the tokens
// its images, video and audio become) longer than a model's maximum context.
#pragma once
#include <string>
#include <vector>

#include "sim/cost/cost_model.hpp"
#include "sim/request.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

// Throws InputError naming the trace (or the scenario's workload section),
// the request, the model and its catalog file. With
// workload.drop_unsupported_inputs, unsupported inputs are removed instead;
// returns how many were.
long long check_workload_fits(std::vector<Request>& requests, const WorkloadConfig& workload,
                              const std::string& scenario_path, const std::vector<const cost::CostModel*>& models);

}  // namespace msao

// Requests the scenario's models cannot take are bad input, found before
// any simulation: an input of a modality a model has no encoder for (its
// bytes would upload and cost nothing), and a prompt (text plus the tokens
// its images, video and audio become) longer than a model's maximum context.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "sim/cost/cost_model.hpp"
#include "sim/request.hpp"
#include "sim/request_source.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

struct WorkloadFit {
  const WorkloadConfig& workload;
  std::string scenario_path;
  std::vector<const cost::CostModel*> models;

  // Throws InputError naming the trace (or the scenario's workload section),
  // the request, the model and its catalog file. With
  // workload.drop_unsupported_inputs, unsupported inputs are removed
  // instead; returns how many were.
  long long fit(Request& r) const;
};

// Every request of `source` checked, none kept (a pass before the run);
// returns how many inputs were dropped.
long long check_workload_fits(RequestSource& source, const WorkloadFit& fit);

// `source` with each request passed through fit.fit() as it is handed out
// (the checking pass has already run, so it only drops inputs).
std::shared_ptr<RequestSource> fitted_source(std::unique_ptr<RequestSource> source, WorkloadFit fit);

}  // namespace msao

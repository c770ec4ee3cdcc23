#include "sim/run/check_workload.hpp"

#include "sim/config/input_error.hpp"

namespace msao {

long long check_workload_fits(std::vector<Request>& requests, const WorkloadConfig& workload,
                              const std::string& scenario_path, const std::vector<const cost::CostModel*>& models) {
  const bool traced = workload.source != "generator";
  const std::string file = traced ? workload.trace_path : scenario_path;
  long long dropped = 0;
  for (Request& r : requests)
    for (const cost::CostModel* cm : models) {
      const cost::ModelSpec& m = cm->model();
      const std::string where = traced ? "request " + std::to_string(r.id) : "workload.dataset";
      const std::string who = "model '" + m.name + "' (" + m.source_file + ")";
      long long tokens = r.prompt_tokens;
      for (int i = 0; i < kNumModalities; ++i) {
        const auto mod = static_cast<Modality>(i);
        if (!r.input(mod).present) continue;
        if (!m.accepts(mod) && workload.drop_unsupported_inputs) {
          r.input(mod) = ModalityInput{};
          ++dropped;
          continue;
        }
        if (!m.accepts(mod))
          throw InputError(file, 0, where,
                           "request " + std::to_string(r.id) + " has " + kModalityNames[i] + " input, which " + who +
                               " has no encoder for",
                           "inputs every model of the scenario accepts (or workload.unsupported_inputs: drop), or a "
                           "model with a " + std::string(kModalityNames[i]) + " encoder");
        tokens += cm->encoder_tokens(mod, r.input(mod));
      }
      if (tokens > m.max_context)
        throw InputError(file, 0, where,
                         "request " + std::to_string(r.id) + " has a " + std::to_string(tokens) + "-token prompt",
                         "at most the " + std::to_string(m.max_context) + "-token maximum context of " + who);
    }
  return dropped;
}

}  // namespace msao

#include "sim/run/check_workload.hpp"

#include "sim/config/input_error.hpp"

namespace msao {

long long WorkloadFit::fit(Request& r) const {
  const bool traced = workload.source != "generator";
  long long dropped = 0;
  for (const cost::CostModel* cm : models) {
    const cost::ModelSpec& m = cm->model();
    const std::string& file = traced ? workload.trace_path : scenario_path;
    auto where = [&] { return traced ? "request " + std::to_string(r.id) : std::string("workload.dataset"); };
    auto who = [&] { return "model '" + m.name + "' (" + m.source_file + ")"; };
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
        throw InputError(file, 0, where(),
                         "request " + std::to_string(r.id) + " has " + kModalityNames[i] + " input, which " + who() +
                             " has no encoder for",
                         "inputs every model of the scenario accepts (or workload.unsupported_inputs: drop), or a "
                         "model with a " + std::string(kModalityNames[i]) + " encoder");
      tokens += cm->encoder_tokens(mod, r.input(mod));
    }
    if (tokens > m.max_context)
      throw InputError(file, 0, where(),
                       "request " + std::to_string(r.id) + " has a " + std::to_string(tokens) + "-token prompt",
                       "at most the " + std::to_string(m.max_context) + "-token maximum context of " + who());
  }
  return dropped;
}

long long check_workload_fits(RequestSource& source, const WorkloadFit& fit) {
  long long dropped = 0;
  for (Request r; source.next(r);) dropped += fit.fit(r);
  return dropped;
}

namespace {
class FittedSource final : public RequestSource {
 public:
  FittedSource(std::unique_ptr<RequestSource> s, WorkloadFit f) : s_(std::move(s)), f_(std::move(f)) {}
  bool next(Request& r) override {
    if (!s_->next(r)) return false;
    f_.fit(r);
    return true;
  }
  size_t size() const override { return s_->size(); }

 private:
  std::unique_ptr<RequestSource> s_;
  WorkloadFit f_;
};
}  // namespace

std::shared_ptr<RequestSource> fitted_source(std::unique_ptr<RequestSource> source, WorkloadFit fit) {
  return std::make_shared<FittedSource>(std::move(source), std::move(fit));
}

}  // namespace msao

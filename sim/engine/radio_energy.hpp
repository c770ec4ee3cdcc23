// RadioEnergy: every edge's radio account (radio_account.hpp), kept from the
// engine's transfer signals (engine_signals.hpp): a transfer that finds its
// edge's radio idle waits for the promotion and pays it; each transfer pays
// its share at its end. Edges without a radio model count nothing, and a
// platform with none subscribes to nothing.
#pragma once
#include <vector>

#include "sim/engine/engine_signals.hpp"
#include "sim/engine/platform_spec.hpp"
#include "sim/metrics/run_counters.hpp"

namespace msao {

class RadioEnergy {
 public:
  // One account per edge, in group order, with its group's radio model.
  explicit RadioEnergy(const PlatformSpec& platform);
  // Subscribes to the transfers, when any edge has a radio model.
  void connect(EngineSignals& signals);
  // The edges' radio energy up to `end_s`, idle included.
  void add_totals(RunCounters& c, double end_s) const;

 private:
  std::vector<RadioAccount> accounts_;
};

}  // namespace msao

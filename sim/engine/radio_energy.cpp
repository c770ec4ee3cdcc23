#include "sim/engine/radio_energy.hpp"

#include <algorithm>

#include "sim/metrics/request_record.hpp"

namespace msao {

RadioEnergy::RadioEnergy(const PlatformSpec& platform) {
  for (const auto& g : platform.edge_groups)
    for (int k = 0; k < g.count; ++k) accounts_.emplace_back(&g.radio);
}

void RadioEnergy::connect(EngineSignals& signals) {
  if (std::none_of(accounts_.begin(), accounts_.end(), [](const RadioAccount& a) { return a.enabled(); })) return;
  signals.transfer_start.connect([this](TransferEvent& t) {
    RadioAccount& a = accounts_[static_cast<size_t>(t.edge)];
    if (!a.enabled()) return;
    const RadioAccount::Begin b = a.begin(t.data_start);
    t.rec.radio_energy_j += b.promotion_j;
    t.data_start = b.data_start;
  });
  signals.transfer_end.connect([this](const TransferEvent& t) {
    RadioAccount& a = accounts_[static_cast<size_t>(t.edge)];
    if (a.enabled()) t.rec.radio_energy_j += a.end(t.data_start, t.t_end, t.moved, t.up);
  });
}

void RadioEnergy::add_totals(RunCounters& c, double end_s) const {
  for (const auto& a : accounts_) {
    if (!a.enabled()) continue;
    const RadioAccount::ByState radio = a.energy_by_state(end_s);
    c.energy_j_edge_radio += radio.non_idle_j() + radio.idle_j;
    c.energy_j_edge_radio_idle += radio.idle_j;
  }
}

}  // namespace msao

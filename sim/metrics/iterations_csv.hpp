// iterations.csv: one row per batching iteration of every cloud replica
// (start, duration, batch size, prefill and decode tokens, KV in use, MFU
// and memory-bandwidth utilisation), rows grouped by replica in time order.
#pragma once
#include <string>

#include "sim/engine/simulation.hpp"

namespace msao {

std::string iterations_csv(const SimResult& r);

}  // namespace msao

// Network traces: uplink bandwidth and RTT over time, in a small CSV format
// (traces/README.md, "Network trace v1"), and their conversion into SimGrid
// link profiles. SimGrid's profile text is absolute bytes/s and seconds; its
// loop parameter is not the loop length (see simgrid_profile_periodicity).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace msao {

inline constexpr const char* kNetworkTraceVersionLine = "# msao-network-trace v1";

// Limits that keep SimGrid's profile finite and memory bounded (a period of
// 1e-300 s made SimGrid replay the loop forever): a loop of at least 1 ms,
// rows at least 1 ms apart (the writer's resolution) and at most 1,000,000
// rows. load_network_trace enforces them; `trace net-gen` checks its
// --duration-s / --step-s against kMaxNetworkTraceRows before generating.
inline constexpr double kMinNetworkTraceStep_s = 1e-3;
inline constexpr size_t kMaxNetworkTraceRows = 1000000;
// The largest network trace file read: kMaxNetworkTraceRows rows and their
// comments fit in a tenth of it.
inline constexpr uint64_t kMaxNetworkTraceBytes = uint64_t{256} << 20;

struct NetworkTrace {
  std::vector<double> t_s, bandwidth_Bps, rtt_s;  // t_s[0] == 0, strictly increasing
  double period_s = 0;  // loop length (> last t_s); 0 = hold the last value forever
};

struct NetworkSample {
  double bandwidth_Bps, rtt_s;
};

NetworkTrace load_network_trace(const std::string& path);  // InputError with file:line on bad input
// Atomic write (temp + rename); `comment` lines (without '#') record provenance.
void write_network_trace(const std::string& path, const NetworkTrace& trace, const std::vector<std::string>& comment);
NetworkTrace constant_network(double bandwidth_Bps, double rtt_s);

// Value in force at time t (looping if period_s > 0).
NetworkSample sample_at(const NetworkTrace& trace, double t);

// "t value\n" lines for simgrid::kernel::profile::ProfileBuilder::from_string.
std::string simgrid_bandwidth_profile(const NetworkTrace& trace);  // bytes/s
std::string simgrid_latency_profile(const NetworkTrace& trace);    // one-way latency = rtt/2, seconds
// The periodicity argument to pass to from_string with the texts above. In
// SimGrid 3.32 it is the loop length itself (checked by
// tests/test_network_trace_simgrid.cpp), so this is period_s (0: no loop).
double simgrid_profile_periodicity(const NetworkTrace& trace);

// SimGrid 3.32 traps, checked on this machine (traces/README.md, "Driving SimGrid"):
//  - set network/TCP-gamma:0, or a transfer stays capped at the bandwidth in
//    force when it started and later increases are ignored;
//  - a link latency of 0 caps the transfer the same way: keep it positive;
//  - a latency-profile event during a transfer's latency phase deadlocks that
//    transfer (CM02 too). So for a varying RTT, give the link the constant
//    latency latency_floor_s() and delay each send by extra_latency_s() at its
//    send time, instead of using simgrid_latency_profile().
double latency_floor_s(const NetworkTrace& trace);             // max(min rtt/2, 1 us)
double extra_latency_s(const NetworkTrace& trace, double t);   // rtt(t)/2 - floor, >= 0

}  // namespace msao

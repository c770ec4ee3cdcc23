// Network trace v1 reading, writing and SimGrid profile text
// (network_trace.hpp). Units on disk are those people measure in (Mbit/s,
// ms); in memory they are SimGrid's (bytes/s, s).
#include "workloads/network_trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/config/input_error.hpp"
#include "sim/config/input_file.hpp"
#include "sim/config/parsed_file_cache.hpp"
#include "sim/util/atomic_file.hpp"
#include "workloads/csv_field.hpp"

namespace msao {

namespace {

constexpr double kBytesPerMbit = 1e6 / 8.0;

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  for (;;) {
    size_t c = s.find(',', pos);
    out.push_back(s.substr(pos, c == std::string_view::npos ? std::string_view::npos : c - pos));
    if (c == std::string_view::npos) return out;
    pos = c + 1;
  }
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string profile_text(const NetworkTrace& tr, const std::vector<double>& values, double scale) {
  std::string s;
  for (size_t i = 0; i < tr.t_s.size(); ++i) s += fmt(tr.t_s[i]) + " " + fmt(values[i] * scale) + "\n";
  return s;
}

}  // namespace

static NetworkTrace parse_network_trace(const std::string& path) {
  InputLines in(path, "a network trace v1 CSV file", kMaxNetworkTraceBytes);
  NetworkTrace tr;
  std::string text;
  int line = 0, stage = 0;  // 0: version, 1: period, 2: header, 3: rows
  while (in.next(text)) {
    line = in.line();
    if (!in.newline()) throw InputError(path, line, "", "a last line without a newline (truncated file?)", "every line to end with '\\n'");
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (stage == 0) {
      if (text != kNetworkTraceVersionLine)
        throw InputError(path, line, "version", first_line_found(text, "# msao-"), std::string("'") + kNetworkTraceVersionLine + "'");
      stage = 1;
      continue;
    }
    if (!text.empty() && text[0] == '#') continue;
    auto f = split(text);
    if (stage == 1) {
      if (f.size() != 2 || f[0] != "period_s") throw InputError(path, line, "period_s", "'" + text + "'", "'period_s,<seconds>'");
      tr.period_s = csv_number(path, line, "period_s", f[1], 0, 1e9, "a loop length in seconds, 0 for none");
      if (tr.period_s != 0 && tr.period_s < kMinNetworkTraceStep_s)
        throw InputError(path, line, "period_s", std::string(f[1]), "0 (no loop) or a loop length of at least 0.001 s");
      stage = 2;
      continue;
    }
    if (stage == 2) {
      if (text != "t_s,bandwidth_mbps,rtt_ms") throw InputError(path, line, "header", "'" + text + "'", "'t_s,bandwidth_mbps,rtt_ms'");
      stage = 3;
      continue;
    }
    static const char* cols[] = {"column 1 (t_s)", "column 2 (bandwidth_mbps)", "column 3 (rtt_ms)"};
    if (f.size() != 3)
      throw InputError(path, line, f.size() < 3 ? cols[f.size()] : "row", std::to_string(f.size()) + " fields", "3 fields: t_s,bandwidth_mbps,rtt_ms");
    const double t = csv_number(path, line, cols[0], f[0], 0, 1e9, "a time in seconds, 0-1e9");
    // Rows at least 1 ms apart (with slack for the decimal text of a 1 ms grid).
    if (tr.t_s.empty() ? t != 0 : t < tr.t_s.back() + kMinNetworkTraceStep_s * (1 - 1e-6))
      throw InputError(path, line, cols[0], std::string(f[0]),
                       tr.t_s.empty() ? "0 on the first row" : "times increasing by at least 0.001 s (previous row: " + fmt(tr.t_s.back()) + ")");
    if (tr.t_s.size() == kMaxNetworkTraceRows)
      throw InputError(path, line, "row", "more than " + std::to_string(kMaxNetworkTraceRows) + " rows",
                       "at most " + std::to_string(kMaxNetworkTraceRows) + " rows (a coarser step or a shorter loop)");
    const double bw = csv_number(path, line, cols[1], f[1], 1e-6, 1e6, "a bandwidth in Mbit/s, 1e-6 to 1e6 (SimGrid needs > 0)");
    const double rtt = csv_number(path, line, cols[2], f[2], 0, 1e5, "an RTT in ms, 0-1e5");
    tr.t_s.push_back(t);
    tr.bandwidth_Bps.push_back(bw * kBytesPerMbit);
    tr.rtt_s.push_back(rtt / 1000.0);
  }
  if (tr.t_s.empty()) throw InputError(path, line, "", "no data rows", "the version line, period_s, header and at least one row");
  if (tr.period_s != 0 && tr.period_s <= tr.t_s.back())
    throw InputError(path, 2, "period_s", fmt(tr.period_s), "0 or a loop length greater than the last t_s (" + fmt(tr.t_s.back()) + ")");
  return tr;
}

NetworkTrace load_network_trace(const std::string& path) {
  return cached_parse<NetworkTrace>("network-trace", path, parse_network_trace);
}

void write_network_trace(const std::string& path, const NetworkTrace& tr, const std::vector<std::string>& comment) {
  std::string text = std::string(kNetworkTraceVersionLine) + "\n";
  for (const auto& c : comment) text += "# " + c + "\n";
  text += "period_s," + fmt(tr.period_s) + "\nt_s,bandwidth_mbps,rtt_ms\n";
  char buf[96];
  for (size_t i = 0; i < tr.t_s.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.3f,%.6g,%.3f\n", tr.t_s[i], tr.bandwidth_Bps[i] / kBytesPerMbit, tr.rtt_s[i] * 1000.0);
    text += buf;
  }
  write_file_atomic(path, text);
}

NetworkTrace constant_network(double bandwidth_Bps, double rtt_s) {
  NetworkTrace tr;
  tr.t_s = {0};
  tr.bandwidth_Bps = {bandwidth_Bps};
  tr.rtt_s = {rtt_s};
  return tr;
}

NetworkSample sample_at(const NetworkTrace& tr, double t) {
  if (tr.period_s > 0) t = std::fmod(t, tr.period_s);
  auto it = std::upper_bound(tr.t_s.begin(), tr.t_s.end(), t);
  size_t i = it == tr.t_s.begin() ? 0 : static_cast<size_t>(it - tr.t_s.begin()) - 1;
  return {tr.bandwidth_Bps[i], tr.rtt_s[i]};
}

std::string simgrid_bandwidth_profile(const NetworkTrace& tr) { return profile_text(tr, tr.bandwidth_Bps, 1.0); }
std::string simgrid_latency_profile(const NetworkTrace& tr) { return profile_text(tr, tr.rtt_s, 0.5); }
double simgrid_profile_periodicity(const NetworkTrace& tr) { return tr.period_s; }

double latency_floor_s(const NetworkTrace& tr) {
  return std::max(*std::min_element(tr.rtt_s.begin(), tr.rtt_s.end()) / 2, 1e-6);
}

double extra_latency_s(const NetworkTrace& tr, double t) {
  return std::max(0.0, sample_at(tr, t).rtt_s / 2 - latency_floor_s(tr));
}

}  // namespace msao

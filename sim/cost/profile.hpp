// Profile: measured stage times (traces/profiles/*.yaml) that override the
// roofline where present, and an optional calibration of the device's
// effective rates written by the `msao profile` kernel tool. Inside the
// measured range a stage time is interpolated piecewise-linearly; outside it
// the nearest measured point is carried along the roofline's shape (scaled
// by that point's measured/roofline ratio), so it stays positive, monotone
// where the roofline is, and grows no faster than the roofline does.
// Format: traces/profiles/README.md.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/cost/gemm_efficiency.hpp"
#include "sim/cost/op_efficiency.hpp"

namespace msao::cost {

// Roofline seconds of a stage at (x, batch); x is tokens or context.
using RooflineFn = std::function<double(double x, int batch)>;

struct ProfilePoint {
  double x = 0, seconds = 0;
};

// Measured seconds of one stage over x (tokens or context), per batch size.
class StageTable {
 public:
  void add(int batch, double x, double seconds);
  // Sorts and validates; returns an error text or empty.
  std::string finalize();
  double seconds(double x, int batch, const RooflineFn& roofline) const;

 private:
  double at_batch(const std::vector<ProfilePoint>& pts, int batch, double x, const RooflineFn& roofline) const;
  std::map<int, std::vector<ProfilePoint>> by_batch_;
};

struct Calibration {
  std::string hardware;
  double mem_bw_Bps = 0, flops = 0;
  std::optional<double> launch_overhead_s, mas_s_per_token;
  // The iterations whose operator times set the profile, in `msao
  // validate`'s notation ("decode:4x512", "prefill:256@0"): validating
  // with the profile, a case of one of these shapes is calibration, not a
  // prediction.
  std::vector<std::string> iterations;
};

struct Profile {
  std::string file;
  std::map<std::string, StageTable> stages;  // "prefill", "decode", "encoder.image", "projector.video", ...
  std::optional<Calibration> calibration;
  // Measured per-operator efficiencies: they override the hardware
  // catalog's for every iteration, whatever its mix of prefill and decode.
  OpEfficiencies operators;
  // Measured linear-layer efficiencies by token count M (fractions of the
  // hardware entry's peaks, as `operators:` are): every linear layer that
  // `operators:` does not name takes its rates from here, in place of the
  // hardware entry's figures or `gemm:` table.
  GemmEfficiency gemm;

  const StageTable* table(const std::string& stage) const;
};

// Stage names a profile may carry; "decode" rows are keyed by context, the others by tokens.
std::vector<std::string> profile_stage_names();
Profile load_profile(const std::string& path);

}  // namespace msao::cost

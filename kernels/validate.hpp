// `msao validate`: the cost model's roofline prediction, with a profile's
// calibration, against measured kernel times over a size sweep of the decode
// kernels (fp16 GEMV, int8 GEMV, split-KV attention).
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "kernels/device.hpp"
#include "kernels/profile.hpp"

namespace msao::kernels {

struct ValidationRow {
  std::string kernel, shape;
  double bytes = 0, flops = 0, predicted_s = 0, measured_s = 0;
  double rel_err() const { return (predicted_s - measured_s) / measured_s; }
};

struct ValidationResult {
  std::vector<ValidationRow> rows;
  double median_abs_err = 0;
};

// Prints one line per size as it is measured, then the median |error|.
ValidationResult validate(Device& dev, const Calibration& cal, std::ostream& log);

}  // namespace msao::kernels

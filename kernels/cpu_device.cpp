// The CPU Device: the fastest backend this CPU runs (runtime dispatch), on
// huge-page buffers, timed by wall clock. Dense FLOP/s come from an Eigen
// float GEMM as this library compiles it (portable flags, no -mavx2).
#include <Eigen/Dense>
#include <fstream>
#include <random>
#include <thread>

#include "kernels/backend.hpp"
#include "kernels/buffer.hpp"
#include "kernels/decode.hpp"
#include "kernels/device.hpp"
#include "kernels/half.hpp"
#include "kernels/mas.hpp"
#include "kernels/timing.hpp"
#include "kernels/triad.hpp"

namespace msao::kernels {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// Cheap deterministic fill: the values do not matter for timing, only that
// they are finite and every page is touched before timing starts.
template <class T>
HugeArray<T> filled(size_t n) {
  auto a = make_huge<T>(n);
  uint32_t s = 12345;
  for (size_t i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    const float u = float(s >> 8) / float(1u << 24) - 0.5f;
    if constexpr (std::is_same_v<T, uint16_t>) a[i] = float_to_half(u);
    else if constexpr (std::is_same_v<T, int8_t>) a[i] = int8_t(u * 254);
    else a[i] = T(u);
  }
  return a;
}

class CpuDevice final : public Device {
 public:
  std::string name() const override {
    return std::string("cpu ") + be_.name + ", one thread (" + cpu_model() + ", " +
           std::to_string(std::thread::hardware_concurrency()) + " CPUs)";
  }
  std::string hardware_hint() const override { return "cpu-generic"; }
  // 512 MiB: VMs may report a huge shared L3 (480 MiB here); stay above it.
  size_t beyond_cache_bytes() const override { return size_t(512) << 20; }

  double time_gemv_f16(size_t rows, size_t cols) override {
    auto W = filled<uint16_t>(rows * cols);
    auto x = filled<float>(cols), y = make_huge<float>(rows);
    return best_seconds_per_call([&] { be_.gemv_f16(W.get(), x.get(), y.get(), rows, cols); });
  }
  double time_gemv_i8(size_t rows, size_t cols, size_t group) override {
    const size_t ng = (cols + group - 1) / group;
    auto W = filled<int8_t>(rows * cols);
    auto s = filled<float>(rows * ng), x = filled<float>(cols), y = make_huge<float>(rows);
    return best_seconds_per_call([&] { be_.gemv_i8(W.get(), s.get(), group, x.get(), y.get(), rows, cols); });
  }
  double time_decode_attention(size_t n, size_t d, size_t splits) override {
    auto K = filled<uint16_t>(n * d), V = filled<uint16_t>(n * d);
    auto q = filled<float>(d);
    std::vector<float> out(d);
    AttnPartials work;
    const float scale = 1.0f / std::sqrt(float(d));
    return best_seconds_per_call(
        [&] { decode_attention(be_, q.get(), K.get(), V.get(), n, d, scale, splits, out.data(), work); });
  }
  double triad_Bps(size_t n) override { return measure_triad_Bps(n); }
  double dense_flops() override {
    const int n = 512;
    Eigen::MatrixXf A = Eigen::MatrixXf::Random(n, n), B = Eigen::MatrixXf::Random(n, n), C(n, n);
    const double t = best_seconds_per_call([&] { C.noalias() = A * B; }, 5, 0.1);
    return 2.0 * n * n * double(n) / t;
  }
  double time_mas(size_t heads, size_t tokens, size_t patches, size_t d) override {
    auto q = filled<float>(heads * tokens * d), K = filled<float>(heads * patches * d);
    auto prompt = filled<float>(tokens * d), mod = filled<float>(patches * d);
    MasInput in{q.get(), K.get(), heads, tokens, patches, d, mod.get(), 1, prompt.get(), mod.get(), patches};
    volatile double sink = 0;
    return best_seconds_per_call([&] { sink = sink + compute_mas(be_, in).combined; });
  }

 private:
  const Backend& be_ = best_backend();
};

}  // namespace

std::unique_ptr<Device> make_cpu_device() { return std::make_unique<CpuDevice>(); }

}  // namespace msao::kernels

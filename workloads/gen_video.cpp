// Video clip pieces; see gen_video.hpp. Moved from the video-qa generator
// with their draws in the same order, so its requests kept their bytes.
#include "workloads/gen_video.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "workloads/gen_common.hpp"

namespace msao::gen {

namespace {
// Frames' spatial part as VQAv2 "other" images (gen_vqav2.cpp's calibration).
constexpr double kFrameSpatialShift = -2.0, kFrameSpatialSigma = 2.4;
// Share of static clips (fixed camera, little motion): assumption.
constexpr double kStaticClipShare = 0.5;
}  // namespace

ModalityInput draw_video(double seconds, Rng& rng) {
  static const std::vector<double> res_w = {0.7, 0.2, 0.1};
  static const int res[][2] = {{640, 360}, {480, 360}, {1280, 720}};
  const auto& wh = res[rng.categorical(res_w)];
  ModalityInput v;
  v.present = true;
  v.width = wh[0];
  v.height = wh[1];
  v.frames = static_cast<int>(std::clamp(std::round(seconds * 0.5), 8.0, 32.0));
  v.seconds = std::round(seconds * 1000.0) / 1000.0;
  const double bitrate = 0.8e6 * (wh[0] * wh[1]) / (640.0 * 360.0) * rng.lognormal(1.0, 0.3);
  v.bytes = std::round(bitrate / 8.0 * seconds);
  return v;
}

void draw_clip_mas(ModalityInput& v, double temporal_shift, double difficulty, Rng& rng) {
  v.mas.spatial = latent_logit_normal(rng, -0.4 + kFrameSpatialShift, kFrameSpatialSigma, difficulty, kRhoSpatial);
  const bool static_clip = rng.bernoulli(kStaticClipShare);
  const double temporal_mu = (static_clip ? -1.6 : -0.2) + temporal_shift;
  v.mas.temporal = latent_logit_normal(rng, temporal_mu, 0.7, difficulty, kRhoTemporal);
  v.mas.modal = latent_logit_normal(rng, 2.0, 0.8, difficulty, kRhoModal);
}

void maybe_add_audio(Request& r, double seconds, Rng& rng) {
  if (!rng.bernoulli(0.5)) return;
  ModalityInput& a = r.input(Modality::Audio);
  a.present = true;
  a.seconds = std::round(seconds * 1000.0) / 1000.0;  // as the clip's
  a.bytes = std::round(4000.0 * seconds);
  a.mas.spatial = 1.0;
  a.mas.temporal = rng.logit_normal(0.5, 0.8);  // share of non-silent audio
  a.mas.modal = rng.logit_normal(-1.5, 1.0);
}

}  // namespace msao::gen

#include "sim/cost/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/config/input_error.hpp"

namespace msao::cost {

namespace {
std::string stage_name(const char* kind, Modality m) {
  return std::string(kind) + "." + kModalityNames[static_cast<int>(m)];
}

std::string gb(double bytes) {
  std::ostringstream os;
  os.precision(3);
  os << bytes / 1e9 << " GB";
  return os.str();
}

int ceil_pos(double v) { return std::max(1, int(std::ceil(v - 1e-9))); }
}  // namespace

CostModel::CostModel(ModelSpec m, Hardware h, std::optional<std::string> profile_path, Parallelism par)
    : model_(std::move(m)), hw_(std::move(h)), rates_(Rates::of(hw_)), par_(par) {
  if (profile_path) load_calibrated_profile(*profile_path);
  resolve_op_rates();
  // Every operator is listed for a shape with all kinds of work on a split replica.
  const IterationShape all{1, 1, 1, 1, 1, 1, true, true};
  size_t n = 0;
  for_each_op(model_, Parallelism{2, 2}, all, [&](const OpWork& w) { op_order_.at(n++) = w.op; });
}

void CostModel::load_calibrated_profile(const std::string& profile_path) {
  profile_ = load_profile(profile_path);
  if (const auto& cal = profile_->calibration) {
    if (!cal->hardware.empty() && cal->hardware != hw_.name)
      throw InputError(profile_path, 0, "calibration.hardware", "'" + cal->hardware + "'",
                       "the hardware this cost model runs on, '" + hw_.name + "'");
    rates_.flops = cal->flops;
    rates_.bw = cal->mem_bw_Bps;
    if (cal->launch_overhead_s) rates_.launch_s = *cal->launch_overhead_s;
  }
}

// ---- tokenizers -------------------------------------------------------------

namespace {
struct Tokens {
  int positions = 0;  // through the encoder
  int tokens = 0;     // into the decoder
  int attn_ctx = 0;   // keys each position attends to in windowed layers
  int frames = 1;     // independent attention groups (FixedPatch: one per frame)
};

// Qwen2-VL smart_resize: round each side to a multiple of patch*merge, then
// scale into [min_pixels, max_pixels] keeping the aspect ratio.
std::pair<int, int> smart_resize(const EncoderSpec& e, double h, double w) {
  const double f = e.patch * e.merge;
  h = std::max(h, 1.0);
  w = std::max(w, 1.0);
  double hb = std::max(f, std::nearbyint(h / f) * f), wb = std::max(f, std::nearbyint(w / f) * f);
  if (hb * wb > e.max_pixels) {
    const double beta = std::sqrt(h * w / e.max_pixels);
    hb = std::max(f, std::floor(h / beta / f) * f);
    wb = std::max(f, std::floor(w / beta / f) * f);
  } else if (hb * wb < e.min_pixels) {
    const double beta = std::sqrt(e.min_pixels / (h * w));
    hb = std::ceil(h * beta / f) * f;
    wb = std::ceil(w * beta / f) * f;
  }
  return {int(hb / e.patch), int(wb / e.patch)};
}

Tokens tokenize(const EncoderSpec& e, const ModalityInput& in, double keep) {
  keep = std::clamp(keep, 0.0, 1.0);
  Tokens t;
  switch (e.tokenizer) {
    case Tokenizer::DynamicPatch: {
      auto [gh, gw] = smart_resize(e, in.height, in.width);
      const int gt = (std::max(1, in.frames) + e.temporal_merge - 1) / e.temporal_merge;
      const double units = double(gt) * (gh / e.merge) * (gw / e.merge);
      t.tokens = ceil_pos(units * keep);
      t.positions = t.tokens * e.merge * e.merge;
      t.attn_ctx = e.window_tokens > 0 ? std::min(t.positions, e.window_tokens) : t.positions;
      break;
    }
    case Tokenizer::FixedPatch: {
      const int side = e.image_size / e.patch;
      t.frames = std::max(1, in.frames);
      const int kept = ceil_pos(double(side) * side * keep);
      t.tokens = t.frames * kept;
      t.positions = t.frames * (kept + e.extra_tokens);
      t.attn_ctx = kept + e.extra_tokens;
      break;
    }
    case Tokenizer::Audio: {
      t.positions = ceil_pos(std::max(in.seconds, 0.0) * e.frames_per_s * keep);
      t.tokens = (t.positions + e.pool - 1) / e.pool;
      t.attn_ctx = e.window_tokens > 0 ? std::min(t.positions, e.window_tokens) : t.positions;
      break;
    }
  }
  return t;
}
}  // namespace

int CostModel::encoder_positions(Modality m, const ModalityInput& in, double keep_fraction) const {
  if (!model_.accepts(m) || !in.present) return 0;
  return tokenize(model_.encoder(m), in, keep_fraction).positions;
}

int CostModel::encoder_tokens(Modality m, const ModalityInput& in, double keep_fraction) const {
  if (!model_.accepts(m) || !in.present) return 0;
  return tokenize(model_.encoder(m), in, keep_fraction).tokens;
}

// ---- work -------------------------------------------------------------------

StageCost CostModel::timed(const std::string& stage, const Work& w) const {
  StageCost c{stage, w.flops, w.bytes, w.mem_bytes, roofline_seconds(rates_, w.flops, w.bytes, w.launches), ""};
  c.bound = compute_bound(rates_, w.flops, w.bytes) ? "compute" : "memory";
  return c;
}

void CostModel::apply_profile(StageCost& c, const std::string& stage, double x, int batch,
                              const RooflineFn& roofline) const {
  if (!profile_) return;
  if (const StageTable* t = profile_->table(stage)) {
    c.seconds = t->seconds(x, batch, roofline);
    c.bound = "profile";
  }
}

static double encoder_weight_params(const EncoderSpec& e) {
  return e.tf.layers * e.tf.layer_params() + e.projector.params();
}

Work CostModel::encoder_work(Modality m, int positions, int attn_ctx) const {
  const EncoderSpec& e = model_.encoder(m);
  const TransformerSpec& tf = e.tf;
  const double n = positions;
  const int full = e.tokenizer == Tokenizer::FixedPatch ? 0 : e.full_attention_layers;
  const double ctx_windowed = attn_ctx, ctx_full = e.tokenizer == Tokenizer::FixedPatch ? attn_ctx : n;
  Work w;
  w.flops = tf.layers * 2.0 * n * tf.layer_params() +
            4.0 * tf.hidden * n * ((tf.layers - full) * ctx_windowed + full * ctx_full);
  const double weights = tf.layers * tf.layer_params() * bytes_per_param(model_.encoder_precision);
  w.bytes = weights + kActivationBytes * n * tf.layers * tf.layer_activation_elems();
  w.mem_bytes = weights + 2 * kActivationBytes * n * std::max(tf.hidden, tf.ffn);
  w.launches = double(model_.kernels_per_layer) * tf.layers;
  return w;
}

Work CostModel::projector_work(Modality m, int tokens) const {
  const ProjectorSpec& p = model_.encoder(m).projector;
  Work w;
  w.flops = 2.0 * tokens * p.params();
  const double weights = p.params() * bytes_per_param(model_.encoder_precision);
  w.bytes = weights + kActivationBytes * tokens * p.activation_elems();
  w.mem_bytes = weights + kActivationBytes * tokens * p.activation_elems();
  w.launches = p.hidden > 0 ? 3 : 1;  // linear, activation, linear
  return w;
}

StageCost CostModel::iteration_cost(const std::string& stage, const std::vector<PrefillChunk>& prefills,
                                    const std::vector<int>& decode_contexts) const {
  const char* bound = "";
  const IterationTotals t = iteration_totals(prefills, decode_contexts, &bound);
  StageCost c{stage, t.flops, t.bytes, 0, t.seconds, bound};
  // Resident on each GPU: its share of the weights and of the KV held.
  double kv_held = 0;
  for (const PrefillChunk& p : prefills) kv_held += p.cached + p.tokens;
  for (int ctx : decode_contexts) kv_held += ctx + 1;
  c.mem_bytes = (decoder_weight_bytes() + kv_held * kv_bytes_per_token()) / par_.gpus();
  return c;
}

// ---- stages -----------------------------------------------------------------

StageCost CostModel::encoder(Modality m, const ModalityInput& in, double keep_fraction) const {
  const std::string name = stage_name("encoder", m);
  if (!model_.accepts(m) || !in.present) return StageCost{name, 0, 0, 0, 0, ""};
  const Tokens t = tokenize(model_.encoder(m), in, keep_fraction);
  StageCost c = timed(name, encoder_work(m, t.positions, t.attn_ctx));
  const double host_s = model_.encoder(m).tf.layers * host_.encoder_layer_s;  // as in iteration_cost
  if (host_s > c.seconds) {
    c.seconds = host_s;
    c.bound = "host";
  }
  const int ctx = t.attn_ctx;
  const bool fixed = model_.encoder(m).tokenizer == Tokenizer::FixedPatch;
  apply_profile(c, name, t.positions, 1, [&](double x, int) {
    const int n = std::max(1, int(std::lround(x)));
    const int window = model_.encoder(m).window_tokens;
    const int cx = fixed ? ctx : window > 0 ? std::min(n, window) : n;
    return timed(name, encoder_work(m, n, cx)).seconds;
  });
  return c;
}

StageCost CostModel::projector(Modality m, int tokens) const {
  const std::string name = stage_name("projector", m);
  if (!model_.accepts(m) || tokens <= 0) return StageCost{name, 0, 0, 0, 0, ""};
  StageCost c = timed(name, projector_work(m, tokens));
  apply_profile(c, name, tokens, 1, [&](double x, int) {
    return timed(name, projector_work(m, std::max(1, int(std::lround(x))))).seconds;
  });
  return c;
}

StageCost CostModel::prefill(int tokens, int batch) const {
  tokens = std::max(tokens, 1);
  batch = std::max(batch, 1);
  auto roof = [&](double x, int b) {
    return iteration_cost("prefill", std::vector<PrefillChunk>(b, {std::max(1, int(std::lround(x)))}), {}).seconds;
  };
  StageCost c = iteration_cost("prefill", std::vector<PrefillChunk>(batch, {tokens}), {});
  apply_profile(c, "prefill", tokens, batch, roof);
  return c;
}

StageCost CostModel::decode_step(int context, int batch) const {
  context = std::max(context, 0);
  batch = std::max(batch, 1);
  auto roof = [&](double x, int b) {
    return iteration_cost("decode", {}, std::vector<int>(b, std::max(0, int(std::lround(x))))).seconds;
  };
  StageCost c = iteration_cost("decode", {}, std::vector<int>(batch, context));
  apply_profile(c, "decode", context, batch, roof);
  return c;
}

StageCost CostModel::decode(int context, int output_tokens) const {
  StageCost total{"decode", 0, 0, 0, 0, ""};
  for (int i = 0; i < output_tokens; ++i) {
    const StageCost s = decode_step(context + i, 1);
    total.flops += s.flops;
    total.bytes += s.bytes;
    total.seconds += s.seconds;
    total.mem_bytes = std::max(total.mem_bytes, s.mem_bytes);
    total.bound = s.bound;
  }
  return total;
}

IterationTotals CostModel::batch_iteration_totals(const std::vector<PrefillChunk>& prefills,
                                                 const std::vector<int>& decode_contexts) const {
  if (profile_ || (prefills.empty() && decode_contexts.empty())) {
    const StageCost c = batch_iteration(prefills, decode_contexts);
    return {c.seconds, c.flops, c.bytes};
  }
  return remembered_iteration_totals(prefills, decode_contexts);
}

StageCost CostModel::batch_iteration(const std::vector<PrefillChunk>& prefills,
                                     const std::vector<int>& decode_contexts) const {
  // A profile measures uniform batches; use it when the iteration is one.
  if (profile_) {
    const bool uniform_decodes =
        !decode_contexts.empty() &&
        std::all_of(decode_contexts.begin(), decode_contexts.end(), [&](int x) { return x == decode_contexts.front(); });
    // Whole prompts of one length, from position 0: what a prefill profile measures.
    const bool uniform_prefills =
        !prefills.empty() && std::all_of(prefills.begin(), prefills.end(), [&](const PrefillChunk& p) {
          return p.tokens == prefills.front().tokens && p.cached == 0 && p.samples;
        });
    if (prefills.empty() && uniform_decodes) return decode_step(decode_contexts.front(), int(decode_contexts.size()));
    if (decode_contexts.empty() && uniform_prefills) return prefill(prefills.front().tokens, int(prefills.size()));
  }
  if (prefills.empty() && decode_contexts.empty()) return StageCost{"iteration", 0, 0, 0, 0, ""};
  return iteration_cost("iteration", prefills, decode_contexts);
}

// ---- memory -----------------------------------------------------------------

double CostModel::decoder_weight_bytes() const {
  const TransformerSpec& d = model_.decoder;
  return (d.layers * d.layer_params() + double(d.hidden) * model_.vocab) * bytes_per_param(model_.precision);
}

double CostModel::weight_bytes() const {
  const TransformerSpec& d = model_.decoder;
  const double embed = double(d.hidden) * model_.vocab * (model_.tied_embeddings ? 1 : 2);
  return (d.layers * d.layer_params() + embed) * bytes_per_param(model_.precision) + encoder_weight_bytes();
}

double CostModel::encoder_weight_bytes() const {
  double total = 0;
  for (const auto& e : model_.encoders)
    if (e.present && e.shares_weights_with.empty())
      total += encoder_weight_params(e) * bytes_per_param(model_.encoder_precision);
  return total;
}

namespace {
// Values per token alive at a layer's forward peak (forward_activation_bytes).
double live_elems_per_token(const TransformerSpec& tf) {
  const double mlp = (tf.gated_mlp ? 3.0 : 2.0) * tf.ffn;
  return 2.0 * tf.hidden + std::max(2.0 * tf.hidden + 2.0 * tf.kv_dim(), mlp);
}
}  // namespace

double CostModel::forward_activation_bytes(int tokens, int sequences) const {
  // Korthikanti et al., "Reducing Activation Recomputation in Large
  // Transformer Models" (MLSys 2023, arXiv 2205.05198), Sec. 4.1, list the
  // tensors a layer's forward makes; training keeps them all for the
  // backward pass (34 sbh + 5 as^2 b bytes per layer), inference frees each
  // after use. Alive together at a layer's peak: the residual stream and
  // its normed copy (2h), plus the larger of the attention block's q, k, v
  // and output (2h + 2 kv_dim; FlashAttention and SDPA build no s x s
  // score matrix) and the MLP's intermediates (gate, up and their product,
  // 3 ffn; 2 ffn without a gate). Logits: fp32 over the vocabulary for the
  // last position of each sequence only (transformers' generate() since
  // 4.45 via num_logits_to_keep; vLLM samples only those positions).
  return std::max(tokens, 0) * kActivationBytes * live_elems_per_token(model_.decoder) +
         std::max(sequences, 0) * 4.0 * model_.vocab;
}

double CostModel::encoder_activation_bytes(Modality m, const ModalityInput& in, double keep_fraction) const {
  if (!model_.accepts(m) || !in.present) return 0;
  const Tokens t = tokenize(model_.encoder(m), in, keep_fraction);
  // The same inventory as the decoder's, over the encoder's positions.
  return t.positions * kActivationBytes * live_elems_per_token(model_.encoder(m).tf);
}

double CostModel::kv_bytes_per_token() const {
  // Over the replica: each tensor-parallel rank holds its KV heads (at
  // least one, so fewer KV heads than ranks are replicated).
  const TransformerSpec& d = model_.decoder;
  const int tp = std::max(par_.tp, 1);
  const double kv_per_rank = std::max(1.0, double(d.kv_heads) / tp) * d.head_dim();
  return 2.0 * d.layers * kv_per_rank * tp * bytes_per_param(model_.kv_precision);
}

void CostModel::check_fits(int max_context_tokens) const {
  const double w = weight_bytes(), kv = kv_bytes_per_token() * std::max(max_context_tokens, 0);
  const double mem = hw_.mem_bytes * par_.gpus();
  if (w + kv <= mem) return;
  throw InputError(model_.source_file, 0, "model",
                   "model '" + model_.name + "' (" + precision_name(model_.precision) + ") needs " + gb(w + kv) +
                       " (weights " + gb(w) + " + KV cache for " + std::to_string(max_context_tokens) + " tokens " +
                       gb(kv) + ")",
                   "a model that fits the " + gb(mem) + " of " + (par_.gpus() > 1 ? std::to_string(par_.gpus()) + " x " : std::string()) + "hardware '" + hw_.name + "' (" +
                       hw_.source_file + "): use a smaller model, a lower precision or a larger device");
}

std::optional<double> CostModel::mas_s_per_token() const {
  if (profile_ && profile_->calibration) return profile_->calibration->mas_s_per_token;
  return std::nullopt;
}

StageCost CostModel::mas_kernel(Modality m, const ModalityInput& in, int prompt_tokens) const {
  const std::string name = stage_name("mas", m);
  if (!model_.accepts(m) || !in.present) return StageCost{name, 0, 0, 0, 0, ""};
  const EncoderSpec& e = model_.encoder(m);
  const double P = encoder_positions(m, in), Tq = std::max(1, prompt_tokens), w = e.tf.hidden;
  const double heads = std::max(1, e.tf.heads), d = w / heads;
  // Input elements per position of the patch embedding: RGB patches (x the
  // frames merged into one 3-D patch); audio's convolution stem counted as
  // one width-by-width linear layer (assumption).
  const double in_elems = m == Modality::Audio ? w : 3.0 * e.patch * e.patch * std::max(1, e.temporal_merge);
  const double frames = m == Modality::Video ? std::max(1, in.frames) : 1;
  constexpr double kLshPlanes = 64;  // kernels/mas.hpp FrameHasher bits
  Work k;
  k.flops = 2.0 * P * in_elems * w      // patch embedding
            + 2.0 * (P + Tq) * w * w    // key projection of the patches, query projection of the prompt
            + 2.0 * heads * Tq * P * d  // q.K^T
            + 5.0 * heads * Tq * P      // softmax and the mean over heads and tokens
            + 2.0 * frames * kLshPlanes * w  // frame hashes
            + 4.0 * (Tq + P) * w;            // pooling and the cosine
  const double weights = (in_elems * w + 2.0 * w * w) * bytes_per_param(model_.encoder_precision);
  k.bytes = weights + kActivationBytes * (P * (in_elems + 2.0 * w) + 2.0 * Tq * w + heads * Tq * P);
  k.mem_bytes = k.bytes;
  k.launches = 8;  // embed, 2 projections, scores, softmax, reduce, hash, cosine
  StageCost c = timed(name, k);
  if (auto per_tok = mas_s_per_token()) {
    c.seconds = *per_tok * P;
    c.bound = "profile";
  }
  return c;
}

}  // namespace msao::cost

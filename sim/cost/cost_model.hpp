// CostModel: FLOPs, bytes moved, resident memory and seconds of every stage
// of one model on one device. Work comes from the architecture (catalog),
// time from the roofline on the device's effective rates, and a profile, if
// given, replaces the rates (its calibration) and the times of the stages it
// measured. The engine and policies take every duration and memory figure
// from here; they carry no cost constants of their own.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/cost/hardware.hpp"
#include "sim/cost/host_dispatch.hpp"
#include "sim/cost/operators.hpp"
#include "sim/cost/prefill_chunk.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/cost/profile.hpp"
#include "sim/cost/roofline.hpp"
#include "sim/request.hpp"

namespace msao::cost {

struct StageCost {
  std::string stage;
  double flops = 0, bytes = 0, mem_bytes = 0, seconds = 0;
  std::string bound;  // "compute", "memory" or "profile"
};

// What a batching server needs of an iteration's cost: StageCost's
// seconds, flops and bytes, computed alike, without its strings.
struct IterationTotals {
  double seconds = 0, flops = 0, bytes = 0;
};

// Work of a stage before it is timed.
struct Work {
  double flops = 0, bytes = 0, mem_bytes = 0, launches = 0;
};

class CostModel {
 public:
  // par: how a replica of the model is split over GPUs of `h` (decoder only;
  // encoders and projectors run on one GPU).
  CostModel(ModelSpec m, Hardware h, std::optional<std::string> profile_path = {}, Parallelism par = {});

  // Positions the encoder processes, after pruning to keep_fraction.
  int encoder_positions(Modality m, const ModalityInput& in, double keep_fraction = 1.0) const;
  // Tokens the modality contributes to the decoder (after merger / pooling).
  int encoder_tokens(Modality m, const ModalityInput& in, double keep_fraction = 1.0) const;
  StageCost encoder(Modality m, const ModalityInput& in, double keep_fraction = 1.0) const;
  StageCost projector(Modality m, int tokens) const;
  StageCost prefill(int tokens, int batch = 1) const;
  StageCost decode_step(int context, int batch = 1) const;
  // Sum of output_tokens decode steps, the context growing from `context`.
  StageCost decode(int context, int output_tokens) const;
  // One continuous-batching iteration: prefill chunks (each after its cached
  // context) plus one decode step for each running request at its context.
  // Its time is the sum of its operators' (each its own roofline, launches
  // and interconnect time); flops and bytes are per tensor-parallel rank.
  StageCost batch_iteration(const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts) const;
  // batch_iteration's seconds, flops and bytes, to the last bit, at a
  // fraction of its cost (no strings, nothing allocated).
  IterationTotals batch_iteration_totals(const std::vector<PrefillChunk>& prefills,
                                         const std::vector<int>& decode_contexts) const;
  // The same iteration, one row per operator (stage = operator name).
  std::vector<StageCost> iteration_breakdown(const std::vector<PrefillChunk>& prefills,
                                             const std::vector<int>& decode_contexts) const;
  // Seconds of one operator's work on this device (its efficiency, launches
  // unless replayed in a CUDA graph, interconnect).
  double op_seconds(const OpWork& op, bool graphed = false) const;
  // Its achievable FLOP/s and bytes/s (a linear layer's at its token count).
  std::pair<double, double> op_rates(const OpWork& op) const;
  // The iteration is a decode step the serving stack replays as a CUDA graph.
  bool graphed(const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts) const;
  // The serving stack's host seconds for the iteration (by its batch size).
  double iteration_host_s(const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts) const;

  // Memory figures are for a whole replica (tp x pp GPUs).
  double weight_bytes() const;          // every component resident on the device
  double decoder_weight_bytes() const;  // decoder layers and LM head
  double encoder_weight_bytes() const;  // encoders and projectors (an encode-only GPU's weights)
  double kv_bytes_per_token() const;
  // Peak transient memory of one decoder forward pass over `tokens` new
  // tokens of `sequences` requests: the tensors of one layer alive at once
  // (layers run one after another; weights and KV counted apart) and the
  // fp32 logits of each sequence's last position.
  double forward_activation_bytes(int tokens, int sequences) const;
  // Peak transient memory of the modality's encoder on `in` (kept at keep_fraction).
  double encoder_activation_bytes(Modality m, const ModalityInput& in, double keep_fraction = 1.0) const;
  // Throws InputError naming model, hardware, needed vs available memory.
  void check_fits(int max_context_tokens) const;
  // MAS scoring seconds per token from the profile's calibration, if any.
  std::optional<double> mas_s_per_token() const;
  // The MAS kernel path (kernels/mas.hpp) for one modality on this device:
  // the patch embedding and the first encoder layer's key projection give
  // the patch keys; the prompt's queries (projected alike) score them
  // (patch_importance: q.K^T per head, softmax), each frame is hashed (LSH,
  // 64 planes) and pooled prompt and modality embeddings are compared
  // (modal_relevance). Timed on the roofline, or per token from a profile's
  // measured mas_s_per_token. Not the whole encoder: the rest of it runs
  // only if the edge goes on to answer.
  StageCost mas_kernel(Modality m, const ModalityInput& in, int prompt_tokens) const;

  const Hardware& hardware() const { return hw_; }
  const ModelSpec& model() const { return model_; }
  const Rates& rates() const { return rates_; }
  const Parallelism& parallelism() const { return par_; }
  // The serving stack's host time per forward pass (ServingProfile::host),
  // on this device's host (Hardware::host_speed): a forward of L decoder
  // layers takes at least L x decoder_layer_s (+ multimodal_step_s for a
  // model with encoders), an encoder of L blocks L x encoder_layer_s.
  const HostDispatch& host_dispatch() const { return host_; }
  void set_host_dispatch(const HostDispatch& d) {
    host_ = d.on_host(hw_.host_speed);
    // Resolved here, not per iteration (the hot path): a text model has no vision-language pass.
    if (!multimodal()) host_.multimodal_step_s = 0;
  }
  bool profiled() const { return profile_.has_value(); }
  // The model takes images, video or audio (it has an encoder).
  bool multimodal() const {
    for (int m = 0; m < kNumModalities; ++m)
      if (model_.accepts(static_cast<Modality>(m))) return true;
    return false;
  }

 private:
  Work encoder_work(Modality m, int positions, int attn_ctx) const;
  Work projector_work(Modality m, int tokens) const;
  StageCost iteration_cost(const std::string& stage, const std::vector<PrefillChunk>& prefills,
                           const std::vector<int>& decode_contexts) const;
  // iteration_cost's time and work; its bound too when `bound` is given.
  IterationTotals iteration_totals(const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts,
                                   const char** bound = nullptr) const;
  // The same time and work, to the last bit, from remembered parts: most
  // operators' work depends on the iteration's tokens T alone (the linear
  // layers, norms, all-reduces...) or on its sampled sequences S (the LM
  // head, sampling), and a run sees a few thousand values of T over
  // hundreds of thousands of iterations, whose shapes (each request's
  // context) never repeat; only attention is costed afresh.
  IterationTotals remembered_iteration_totals(const std::vector<PrefillChunk>& prefills,
                                              const std::vector<int>& decode_contexts) const;
  // The GPU's forward seconds with the host's: an eager host's dispatch if
  // slower (`host_bound` set then), plus the batching server's own work.
  double with_host_s(double gpu_s, const std::vector<PrefillChunk>& prefills, const std::vector<int>& decode_contexts,
                     bool* host_bound = nullptr) const;
  double op_seconds_at(const OpWork& op, bool graphed, double fl, double bw) const;  // at the op's rates
  StageCost timed(const std::string& stage, const Work& w) const;
  // Achievable FLOP/s and bytes/s of each operator on this device, fixed
  // at construction (an iteration is costed millions of times a run).
  void resolve_op_rates();
  void load_calibrated_profile(const std::string& profile_path);
  std::array<std::pair<double, double>, kNumOps> op_rates_{};
  std::array<bool, kNumOps> gemm_shaped_{};  // a GEMM table (gemm_table()) sets this operator's rates
  std::array<double, kNumOps> op_fixed_s_{};  // each call's fixed time (OpEfficiency::fixed_s), 0 if none
  std::pair<double, double> gemm_peak_{};     // FLOP/s and bytes/s a GEMM table's efficiencies scale
  bool profile_gemm_ = false;                 // the profile's table, not the hardware's
  const GemmEfficiency& gemm_table() const { return profile_gemm_ ? profile_->gemm : hw_.gemm; }
  // One operator's part of an iteration, as iteration_totals adds it.
  struct OpPart {
    double flops = 0, bytes = 0, seconds = 0, graphed_seconds = 0;  // seconds eager and in a CUDA graph
    bool present = false;                                            // iteration_ops would list it
  };
  struct OpParts {
    std::array<OpPart, kNumOps> op{};  // by Op
    bool filled = false;
  };
  // The parts that depend on T alone (by T) or on S alone (by S), filled on
  // first use (a cost model belongs to one thread).
  const OpParts& parts_at(std::vector<OpParts>& cache, double n, bool samples) const;
  mutable std::vector<OpParts> by_tokens_, by_samples_;
  std::array<Op, kNumOps> op_order_{};  // the operators in iteration order (for_each_op's)
  // Replaces c.seconds from the profile's table for `stage` at (x, batch), if any.
  void apply_profile(StageCost& c, const std::string& stage, double x, int batch, const RooflineFn& roofline) const;

  ModelSpec model_;
  Hardware hw_;
  Rates rates_;
  Parallelism par_;
  std::optional<Profile> profile_;
  HostDispatch host_;
};

}  // namespace msao::cost

// Request: one user query as the workload produces it and the engine
// consumes it. Everything here is ground truth about the input (what it
// contains, how much of it matters, whether each model would answer it
// correctly); policies see it only through what a device could know
// (sizes, MAS computed on the edge, the edge model's confidence once the
// edge has run), never the correctness flags (except the oracle).
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace msao {

enum class Modality : int { Image = 0, Video = 1, Audio = 2 };
inline constexpr int kNumModalities = 3;
inline constexpr std::array<const char*, kNumModalities> kModalityNames = {"image", "video", "audio"};

// Modality Activation Sparsity of one modality of one request: how much of
// that input matters, in [0,1] (1 = all of it). `mas` is the combined score
// (the one definition lives in workloads/mas.hpp); the parts are kept so
// ablations and the kernel backend can check them.
struct MasScore {
  double mas = 1.0;
  double spatial = 1.0;   // fraction of patches needed for the target attention mass
  double temporal = 1.0;  // fraction of frames that are not near-duplicates
  double modal = 1.0;     // prompt relevance of the modality
};

// One non-text input of a request.
struct ModalityInput {
  bool present = false;
  int width = 0, height = 0;  // image or video frame resolution, pixels
  int frames = 0;             // video frames (image: 1)
  double seconds = 0;         // audio duration
  double bytes = 0;           // encoded size as captured on the edge (JPEG, H.264, Opus...), bytes
  MasScore mas;
};

struct Request {
  uint64_t id = 0;
  double arrival_s = 0;  // arrival time at its edge device, simulated seconds
  int edge = 0;          // index of the edge device it arrives at
  std::string dataset;   // e.g. vqav2, mmbench, video-qa
  std::string category;  // question type / ability dimension
  std::array<ModalityInput, kNumModalities> inputs{};
  int prompt_tokens = 0;    // text prompt tokens
  int output_tokens = 1;    // answer length in tokens
  double edge_confidence = 1.0;  // the edge (draft) model's confidence in its answer, [0,1]
  // Ground truth: does each model answer correctly on the full input, and on
  // the input with each modality pruned to its MAS?
  bool edge_correct_full = true, cloud_correct_full = true;
  bool edge_correct_pruned = true, cloud_correct_pruned = true;
  // Per-request uniform in [0,1) that decides, with pruning_retention()
  // (workloads/mas.hpp), whether an answer survives a given pruning; stored in
  // the trace so policies, generators and kernels all reach the same verdict.
  double prune_u = 0.0;
  // Token-level draft/verify (workloads/draft_tokens.hpp): alpha_r, the
  // per-token probability that the edge (draft) model's token agrees with the
  // cloud (full) model's for this request, [0,1]; and the seed of this
  // request's per-token draws (deterministic from the run seed).
  double draft_acceptance = 0.7;
  uint64_t token_seed = 0;
  // Conversations and shared prompts (traces/README.md, "Sessions and
  // shared prompts"). A prompt is laid out as [shared prefix][media]
  // [earlier turns][new text]; prompt_tokens counts its text, prefix and
  // earlier turns included.
  uint64_t session = 0;     // the conversation it is a turn of (0: none)
  int turn = 0;             // 1, 2, ... within its session (0: none)
  int history_tokens = 0;   // of prompt_tokens: the earlier turns' questions and answers, resent
  uint64_t prefix_group = 0;  // a prompt prefix shared with other requests, e.g. a system prompt (0: none)
  int prefix_tokens = 0;      // of prompt_tokens: that prefix's length
  uint64_t media_id = 0;      // its media's identity: equal for the same image or clip (0: its own)
  // Set by the engine as the request starts (not in traces): prompt
  // positions the edge model's KV already holds from its session's earlier
  // turns, and the visual tokens its media became then (-1: none held).
  int edge_context_tokens = 0;
  int edge_context_visual = -1;

  const ModalityInput& input(Modality m) const { return inputs[static_cast<int>(m)]; }
  ModalityInput& input(Modality m) { return inputs[static_cast<int>(m)]; }
};

}  // namespace msao

// ModelSpec: one multimodal LLM of the model catalog (platforms/models/*.yaml):
// an encoder per modality it accepts (with its tokenizer rule: how many
// tokens an image, a clip of frames or seconds of audio become), the
// projector or merger that maps encoder output into the decoder, and the
// decoder itself. Architecture numbers come from the models' published
// config files, cited in each catalog entry.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/request.hpp"

namespace msao::cost {

// Data-type sizes, not cost figures: activations travel as fp16/bf16 and
// token ids as int32, whatever the weight precision.
inline constexpr double kActivationBytes = 2.0;
inline constexpr double kTokenIdBytes = 4.0;

enum class Precision { fp16, int8, int4 };
double bytes_per_param(Precision p);
const char* precision_name(Precision p);

// A transformer stack: width, FFN, heads. gated_mlp: SwiGLU (3 FFN matrices) vs 2.
struct TransformerSpec {
  int layers = 0, hidden = 0, ffn = 0, heads = 0, kv_heads = 0;
  bool gated_mlp = false;
  int head_dim() const { return hidden / heads; }
  int kv_dim() const { return kv_heads * head_dim(); }
  // Parameters in one layer's matrices (attention q,k,v,o and the MLP).
  double layer_params() const;
  // Elements read plus written by one token through one layer's matrices.
  double layer_activation_elems() const;
};

struct ProjectorSpec {
  int in = 0, hidden = 0, out = 0;  // hidden = 0: a single linear layer
  double params() const;
  double activation_elems() const;
};

// How an input becomes encoder positions and decoder tokens.
enum class Tokenizer {
  DynamicPatch,  // Qwen2-VL: resize to multiples of patch*merge within [min,max] pixels, merge x merge patches per token
  FixedPatch,    // CLIP: resize to image_size^2, (image_size/patch)^2 patches + extra tokens, each frame alone
  Audio          // Whisper: frames_per_s encoder positions, pooled by `pool` into decoder tokens
};

struct EncoderSpec {
  bool present = false;
  Tokenizer tokenizer = Tokenizer::DynamicPatch;
  int patch = 14, merge = 1, temporal_merge = 1;
  double min_pixels = 0, max_pixels = 0;  // DynamicPatch
  int image_size = 0, extra_tokens = 0;   // FixedPatch
  double frames_per_s = 0;                // Audio: encoder positions per second
  int pool = 1;                           // Audio: positions pooled per decoder token
  int window_tokens = 0;                  // attention window in positions (0: full); FixedPatch uses one frame
  int full_attention_layers = 0;          // layers that attend globally despite the window
  std::string shares_weights_with;        // e.g. video uses the image encoder's weights
  TransformerSpec tf;
  ProjectorSpec projector;
};

struct ModelSpec {
  std::string name, description, source_file;
  Precision precision = Precision::fp16;          // decoder weights
  Precision encoder_precision = Precision::fp16;  // encoders and projectors
  Precision kv_precision = Precision::fp16;
  int kernels_per_layer = 1;  // kernel launches per transformer layer
  TransformerSpec decoder;
  int vocab = 0;
  bool tied_embeddings = false;
  int max_context = 0;
  std::array<EncoderSpec, kNumModalities> encoders{};

  const EncoderSpec& encoder(Modality m) const { return encoders[static_cast<int>(m)]; }
  bool accepts(Modality m) const { return encoder(m).present; }
};

ModelSpec load_model(const std::string& name_or_path);
std::vector<std::string> list_models();

}  // namespace msao::cost

#include "sim/cost/model_spec.hpp"

#include "sim/config/parsed_file_cache.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/cost/catalog.hpp"

namespace msao::cost {

double bytes_per_param(Precision p) {
  switch (p) {
    case Precision::fp16: return 2.0;
    case Precision::int8: return 1.0;
    case Precision::int4: return 0.5;
  }
  return 2.0;
}

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::fp16: return "fp16";
    case Precision::int8: return "int8";
    case Precision::int4: return "int4";
  }
  return "fp16";
}

double TransformerSpec::layer_params() const {
  const double h = hidden, kv = kv_dim(), f = ffn;
  return 2 * h * h + 2 * h * kv + (gated_mlp ? 3 : 2) * h * f;
}

double TransformerSpec::layer_activation_elems() const {
  const double h = hidden, kv = kv_dim(), f = ffn;
  return 2 * (h + h) + 2 * (h + kv) + (gated_mlp ? 3 : 2) * (h + f);
}

double ProjectorSpec::params() const {
  return hidden > 0 ? double(in) * hidden + double(hidden) * out : double(in) * out;
}

double ProjectorSpec::activation_elems() const { return hidden > 0 ? in + 2.0 * hidden + out : double(in) + out; }

namespace {

Precision read_precision(YamlSection& s, const std::string& key, std::optional<std::string> dflt) {
  const std::string p = s.choice(key, {"fp16", "int8", "int4"}, dflt);
  return p == "int8" ? Precision::int8 : p == "int4" ? Precision::int4 : Precision::fp16;
}

TransformerSpec read_stack(YamlSection& s, const std::string& width_key) {
  TransformerSpec t;
  t.layers = int(s.integer("layers", 1, 1000));
  t.hidden = int(s.integer(width_key, 1, 1 << 20));
  t.ffn = int(s.integer("ffn", 1, 1 << 22));
  t.heads = int(s.integer("heads", 1, 4096));
  t.kv_heads = int(s.integer_or("kv_heads", t.heads, 1, t.heads));
  t.gated_mlp = s.flag_or("gated_mlp", false);
  if (t.hidden % t.heads != 0) s.fail(width_key, std::to_string(t.hidden), "a multiple of heads");
  return t;
}

EncoderSpec read_encoder(YamlSection s) {
  EncoderSpec e;
  e.present = true;
  const std::string tok = s.choice("tokenizer", {"dynamic_patch", "fixed_patch", "audio"});
  e.tokenizer = tok == "fixed_patch" ? Tokenizer::FixedPatch : tok == "audio" ? Tokenizer::Audio : Tokenizer::DynamicPatch;
  if (e.tokenizer == Tokenizer::DynamicPatch) {
    e.patch = int(s.integer("patch", 1, 4096));
    e.merge = int(s.integer("merge", 1, 64));
    e.temporal_merge = int(s.integer("temporal_merge", 1, 64));
    e.min_pixels = s.num("min_pixels", 1, 1e12);
    e.max_pixels = s.num("max_pixels", e.min_pixels, 1e12);
  } else if (e.tokenizer == Tokenizer::FixedPatch) {
    e.patch = int(s.integer("patch", 1, 4096));
    e.image_size = int(s.integer("image_size", e.patch, 1 << 16));
    e.extra_tokens = int(s.integer_or("extra_tokens", 0, 0, 1024));
  } else {
    e.frames_per_s = s.num("frames_per_s", 1e-3, 1e6);
    e.pool = int(s.integer("pool", 1, 1024));
  }
  e.window_tokens = int(s.integer_or("window_tokens", 0, 0, 1 << 24));
  e.full_attention_layers = int(s.integer_or("full_attention_layers", 0, 0, 1000));
  e.shares_weights_with = s.str_or("shares_weights_with", "");
  if (!e.shares_weights_with.empty() && e.shares_weights_with != "image" && e.shares_weights_with != "video" &&
      e.shares_weights_with != "audio")
    s.fail("shares_weights_with", "'" + e.shares_weights_with + "'", "one of: image video audio");
  e.tf = read_stack(s, "width");
  if (e.full_attention_layers > e.tf.layers)
    s.fail("full_attention_layers", std::to_string(e.full_attention_layers), "at most `layers`");
  YamlSection p = s.child("projector");
  e.projector.in = int(p.integer("in", 1, 1 << 22));
  e.projector.hidden = int(p.integer_or("hidden", 0, 0, 1 << 22));
  e.projector.out = int(p.integer("out", 1, 1 << 22));
  p.finish();
  s.finish();
  return e;
}

ModelSpec parse_model(const std::string& file) {
  YamlSection s(load_yaml_file(file), file);
  ModelSpec m;
  m.source_file = file;
  m.name = s.str("name");
  m.description = s.str_or("description", "");
  m.precision = read_precision(s, "precision", std::nullopt);
  m.encoder_precision = read_precision(s, "encoder_precision", "fp16");
  m.kv_precision = read_precision(s, "kv_precision", "fp16");
  m.kernels_per_layer = int(s.integer("kernels_per_layer", 1, 1000));
  YamlSection d = s.child("decoder");
  m.decoder = read_stack(d, "hidden");
  m.vocab = int(d.integer("vocab", 1, 1 << 24));
  m.tied_embeddings = d.flag_or("tied_embeddings", false);
  m.max_context = int(d.integer("max_context", 1, 1 << 26));
  d.finish();
  YamlSection encs = s.child("encoders", true);  // a text-only LLM has none
  for (int i = 0; i < kNumModalities; ++i)
    if (encs.has(kModalityNames[i])) m.encoders[i] = read_encoder(encs.child(kModalityNames[i]));
  encs.finish();
  for (int i = 0; i < kNumModalities; ++i) {
    const auto& e = m.encoders[i];
    if (e.present && e.projector.out != m.decoder.hidden)
      throw InputError(file, 0, std::string("encoders.") + kModalityNames[i] + ".projector.out",
                       std::to_string(e.projector.out), "the decoder hidden size " + std::to_string(m.decoder.hidden));
    if (!e.shares_weights_with.empty() && !m.encoders[static_cast<int>(
            e.shares_weights_with == "image" ? Modality::Image : e.shares_weights_with == "video" ? Modality::Video
                                                                                                : Modality::Audio)].present)
      throw InputError(file, 0, std::string("encoders.") + kModalityNames[i] + ".shares_weights_with",
                       "'" + e.shares_weights_with + "'", "a modality this model has an encoder for");
  }
  s.finish();
  return m;
}

}  // namespace

ModelSpec load_model(const std::string& name_or_path) {
  return cached_parse<ModelSpec>("model", resolve_catalog("models", name_or_path), parse_model);
}

std::vector<std::string> list_models() { return list_catalog("models"); }

}  // namespace msao::cost

// The MAS path of kernels/mas.hpp and the MAS trace v1 writer, for
// scripts/record-mas: PyTorch produces embeddings and attention queries and
// keys; the coverage, LSH and cosine steps, the combination and the trace
// rows are this C++ code, the same the simulator and the kernel backend
// use, so recorder and simulator share one definition of MAS.
#include "python/mas_bindings.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <stdexcept>

#include "kernels/backend.hpp"
#include "kernels/mas.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/recorded_request.hpp"

namespace py = pybind11;

namespace msao {
namespace {

using Floats = py::array_t<float, py::array::c_style | py::array::forcecast>;

void need_dims(const Floats& a, py::ssize_t n, const char* what) {
  if (a.ndim() != n) throw py::value_error(std::string(what) + ": expected " + std::to_string(n) + " dimensions, got " + std::to_string(a.ndim()));
  for (py::ssize_t i = 0; i < n; ++i)
    if (a.shape(i) == 0) throw py::value_error(std::string(what) + ": an empty dimension");
}

// (spatial, importance): importance[p] = mean over heads and prompt tokens of
// softmax_p(q.K^T/sqrt(d)); spatial = coverage_fraction(importance, share).
py::tuple spatial(const Floats& q, const Floats& K, double target_share) {
  need_dims(q, 3, "q [heads, tokens, d]");
  need_dims(K, 3, "K [heads, patches, d]");
  if (q.shape(0) != K.shape(0) || q.shape(2) != K.shape(2)) throw py::value_error("q and K differ in heads or head width");
  if (!(target_share > 0 && target_share <= 1)) throw py::value_error("target_share must be in (0, 1]");
  const size_t H = q.shape(0), T = q.shape(1), P = K.shape(1), d = q.shape(2);
  py::array_t<float> imp(static_cast<py::ssize_t>(P));
  kernels::patch_importance(kernels::best_backend(), q.data(), K.data(), H, T, P, d, imp.mutable_data());
  return py::make_tuple(kernels::coverage_fraction(imp.data(), P, target_share), imp);
}

double coverage(const Floats& importance, double target_share) {
  need_dims(importance, 1, "importance [patches]");
  return kernels::coverage_fraction(importance.data(), importance.shape(0), target_share);
}

double temporal(const Floats& frames, size_t bits, size_t hamming_threshold, uint64_t seed) {
  need_dims(frames, 2, "frames [F, d]");
  if (bits == 0 || bits > 4096) throw py::value_error("lsh bits must be in [1, 4096]");
  kernels::FrameHasher h(frames.shape(1), bits, seed);
  return kernels::temporal_fraction(kernels::best_backend(), h, frames.data(), frames.shape(0), frames.shape(1), hamming_threshold);
}

double modal(const Floats& prompt, const Floats& modality) {
  need_dims(prompt, 2, "prompt [tokens, d]");
  need_dims(modality, 2, "modality [tokens, d]");
  if (prompt.shape(1) != modality.shape(1)) throw py::value_error("prompt and modality embeddings differ in width");
  return kernels::modal_relevance(kernels::best_backend(), prompt.data(), prompt.shape(0), modality.data(), modality.shape(0),
                                  prompt.shape(1));
}

template <class T>
T get(const py::dict& d, const char* key) {
  if (!d.contains(key)) throw py::key_error(std::string("row without '") + key + "'");
  return d[key].cast<T>();
}

template <class T>
std::optional<T> get_opt(const py::dict& d, const char* key) {
  if (!d.contains(key) || d[key].is_none()) return std::nullopt;
  return d[key].cast<T>();
}

// One row (the recorder's dict) as a finished Request.
Request to_request(const py::dict& row, uint64_t seed) {
  Request r;
  r.id = get<uint64_t>(row, "id");
  r.arrival_s = get<double>(row, "arrival_s");
  r.edge = get<int>(row, "edge");
  r.dataset = get<std::string>(row, "dataset");
  r.category = get<std::string>(row, "category");
  r.prompt_tokens = get<int>(row, "prompt_tokens");
  r.output_tokens = get<int>(row, "output_tokens");
  r.edge_confidence = get<double>(row, "edge_confidence");
  r.edge_correct_full = get<bool>(row, "edge_correct");
  r.cloud_correct_full = get<bool>(row, "cloud_correct");
  for (int m = 0; m < kNumModalities; ++m) {
    const char* name = kModalityNames[m];
    if (!row.contains(name) || row[name].is_none()) continue;
    const py::dict in = row[name].cast<py::dict>();
    ModalityInput& x = r.inputs[m];
    x.present = true;
    x.width = get<int>(in, "width");
    x.height = get<int>(in, "height");
    x.frames = get<int>(in, "frames");
    x.seconds = get<double>(in, "seconds");
    x.bytes = get<double>(in, "bytes");
    x.mas.spatial = get<double>(in, "spatial");
    x.mas.temporal = get<double>(in, "temporal");
    x.mas.modal = get<double>(in, "modal");
  }
  finish_recorded(r, seed, get_opt<double>(row, "prune_u"), get_opt<double>(row, "draft_acceptance"));
  return r;
}

// Writes the rows as MAS trace v1 (atomically) and returns the requests as
// written (mas, pruned flags, prune_u, draft_acceptance, token_seed).
py::list write_trace(const std::string& path, const py::list& rows, uint64_t seed) {
  std::vector<Request> rs;
  for (const auto& row : rows) rs.push_back(to_request(row.cast<py::dict>(), seed));
  write_mas_trace(path, rs);
  py::list out;
  for (const auto& r : rs) out.append(mas_trace_row(r));
  return out;
}

}  // namespace

void bind_mas(py::module_& m) {
  m.def("mas_spatial", &spatial, py::arg("q"), py::arg("K"), py::arg("target_share"));
  m.def("mas_coverage", &coverage, py::arg("importance"), py::arg("target_share"));
  m.def("mas_temporal", &temporal, py::arg("frames"), py::arg("bits"), py::arg("hamming_threshold"), py::arg("seed"));
  m.def("mas_modal", &modal, py::arg("prompt"), py::arg("modality"));
  m.def("combine_mas", &combine_mas, py::arg("spatial"), py::arg("temporal"), py::arg("modal"));
  m.def("kernel_backend", [] { return std::string(kernels::best_backend().name); });
  m.def("write_mas_trace", &write_trace, py::arg("path"), py::arg("rows"), py::arg("seed"));
  m.attr("MAS_TRACE_HEADER") = mas_trace_header();
}

}  // namespace msao

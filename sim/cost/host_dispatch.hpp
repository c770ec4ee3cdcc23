// HostDispatch: what a serving stack costs on the host and how it launches
// its kernels. Eager stacks issue a forward pass's kernels from Python
// (host time per kind of layer); a stack that replays decode steps as CUDA
// graphs launches one graph instead of every kernel; a batching server
// spends host time every iteration (scheduling, input preparation,
// sampling, output processing) that grows with the batch. It belongs to
// the stack (platforms/serving/*.yaml gives it as measured on a reference
// host, an x86 server) and to the host that runs it (Hardware::host_speed
// scales it to a desktop or a Jetson).
#pragma once
#include "sim/cost/piecewise.hpp"

namespace msao::cost {

struct HostDispatch {
  double decoder_layer_s = 0;    // per decoder layer
  double encoder_layer_s = 0;    // per vision (or audio) encoder block
  double multimodal_step_s = 0;  // per forward pass of a model with encoders, besides its layers
  // A decode-only iteration of at most this many sequences replays a
  // captured CUDA graph: one launch instead of one per kernel (0: eager).
  int cuda_graph_max_batch = 0;
  // Host seconds per iteration by its batch size (sequences); empty: none.
  PiecewiseLinear iteration_overhead;
  // false: that host work runs between the GPU's forward passes (added to
  // each iteration). true: the engine schedules and prepares the next
  // iteration while the GPU runs this one (vLLM's async scheduling): an
  // iteration takes the longer of the two.
  bool overlapped = false;

  // The same work on a host `speed` times as fast at it as the reference host.
  HostDispatch on_host(double speed) const {
    HostDispatch d = *this;
    d.decoder_layer_s /= speed;
    d.encoder_layer_s /= speed;
    d.multimodal_step_s /= speed;
    d.iteration_overhead = iteration_overhead.scaled(1 / speed);
    return d;
  }
};

}  // namespace msao::cost

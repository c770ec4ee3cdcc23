// HostDispatch: the host time an eager serving stack spends issuing one
// forward pass's kernels (Python, the framework's dispatch, kernel launches),
// per kind of layer. It belongs to the stack (platforms/serving/*.yaml gives
// it as measured on a reference host, an x86 server) and to the host that
// runs it (Hardware::host_speed scales it to a desktop or a Jetson).
#pragma once

namespace msao::cost {

struct HostDispatch {
  double decoder_layer_s = 0;    // per decoder layer
  double encoder_layer_s = 0;    // per vision (or audio) encoder block
  double multimodal_step_s = 0;  // per forward pass of a model with encoders, besides its layers

  // The same work on a host `speed` times as fast at it as the reference host.
  HostDispatch on_host(double speed) const {
    return {decoder_layer_s / speed, encoder_layer_s / speed, multimodal_step_s / speed};
  }
};

}  // namespace msao::cost

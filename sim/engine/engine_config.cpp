#include "sim/engine/engine_config.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <malloc.h>
#include <xbt/log.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "sim/engine/simgrid_env_config.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

int actor_stack_check_kib() {
  const char* v = std::getenv("MSAO_ACTOR_STACK_CHECK");
  if (!v) return 0;
  const int n = std::atoi(v);
  return n == 1 ? kActorStackKiB / 2 : std::max(n, 0);
}

bool actor_stack_check_enabled() { return actor_stack_check_kib() > 0; }

void configure_engine() {
  // SimGrid's own INFO lines (config changes, energy totals) would mix with
  // our output; warnings and errors still show.
  xbt_log_control_set("root.thresh:warning");
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  // CM02 bounds a flow's rate by TCP_gamma / (2 * latency); 0 removes that
  // window bound so a lone transfer gets the link's stated bandwidth.
  sg4::Engine::set_config("network/TCP-gamma:0");
  // Many short-lived per-request actors (SIMGRID-NOTES): a guard page costs
  // an mmap/mprotect pair per actor (a fifth of a run's time went to the
  // kernel), so stacks are plain heap blocks, small enough to be cheap to
  // clear. The deepest request path (a race cancelling its transfer) runs in
  // 8 KiB with a guard page and crashes in 4 KiB (MSAO_ACTOR_STACK_CHECK=8
  // or =4 on a run); kActorStackKiB leaves 4x that. MSAO_ACTOR_STACK_CHECK=1
  // runs on half the stack with a guard page, so an overflow crashes instead
  // of silently corrupting memory: the test suite runs every policy that way.
  if (actor_stack_check_enabled()) {
    sg4::Engine::set_config("contexts/stack-size:" + std::to_string(actor_stack_check_kib()));
    sg4::Engine::set_config("contexts/guard-size:1");
  } else {
    sg4::Engine::set_config("contexts/stack-size:" + std::to_string(kActorStackKiB));
    sg4::Engine::set_config("contexts/guard-size:0");
  }
  // Last, so the environment's items (the sanitizer build's thread contexts) win.
  apply_simgrid_config_from_env();
  // Actor stacks and per-request objects come and go by the million:
  // glibc's default heap trimming hands memory back and faults it in again
  // (14% of a run in SIMGRID-NOTES). One engine per process, so this is the
  // process's setting.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  sg_host_energy_plugin_init();
}

}  // namespace msao

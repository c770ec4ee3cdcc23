// The SimGrid engine's settings for a simulation: the network model, the
// actor stacks and the process's malloc behaviour. Set once per process,
// after the engine is created and before the platform is built.
#pragma once

namespace msao {

// Network model choice (docs/architecture.md, "Network model"): CM02 with cross-traffic
// and TCP window bound off, so a lone transfer takes exactly
// latency + bytes / bandwidth, as users state their links.
// Also sets the actor stacks (kActorStackKiB, no guard page) and the
// process's malloc trim threshold, for many short-lived actors.
void configure_engine();
#ifdef MSAO_SANITIZE
// ASan's redzones make frames several times larger: the dads max-flow
// overflowed a 16 KiB checked stack under ASan. Instrumented builds get 8x.
inline constexpr int kActorStackKiB = 256;
#else
inline constexpr int kActorStackKiB = 32;
#endif
// MSAO_ACTOR_STACK_CHECK=1: half the stack with a guard page (tests); =N
// (N > 1): N KiB with a guard page, to find how deep a run goes.
int actor_stack_check_kib();  // 0: off
bool actor_stack_check_enabled();

}  // namespace msao

// Cloud dispatchers: which GPU a request's cloud job goes to. Pluggable like
// policies: one registration per rule, chosen by platform.cloud.dispatcher.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace msao {

class CloudServer;

// Returns the index of the GPU for the next job among `gpus` (all of the
// cloud's, or one pool's of a disaggregated cloud); called once per job.
using CloudServers = std::span<const std::unique_ptr<CloudServer>>;
using Dispatcher = std::function<size_t(CloudServers gpus)>;

struct DispatcherInfo {
  std::string name, description;
  std::function<Dispatcher()> make;
};

bool register_dispatcher(DispatcherInfo info);
const DispatcherInfo* find_dispatcher(const std::string& name);
std::vector<std::string> dispatcher_names();

}  // namespace msao

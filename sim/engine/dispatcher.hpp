// Cloud dispatchers: which GPU a request's cloud job goes to. Pluggable like
// policies: one registration per rule, chosen by platform.cloud.dispatcher.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace msao {

class CloudServer;

// Returns the index of the GPU for the next job; called once per job.
using Dispatcher = std::function<size_t(const std::vector<std::unique_ptr<CloudServer>>& gpus)>;

struct DispatcherInfo {
  std::string name, description;
  std::function<Dispatcher()> make;
};

bool register_dispatcher(DispatcherInfo info);
const DispatcherInfo* find_dispatcher(const std::string& name);
std::vector<std::string> dispatcher_names();

}  // namespace msao

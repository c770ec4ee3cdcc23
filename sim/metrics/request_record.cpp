#include "sim/metrics/request_record.hpp"

namespace msao {

const char* status_name(RequestStatus s) {
  switch (s) {
    case RequestStatus::Completed: return "completed";
    case RequestStatus::Rejected: return "rejected";
    case RequestStatus::Unfinished: return "unfinished";
    case RequestStatus::Failed: return "failed";
  }
  return "?";
}

}  // namespace msao

#include "sim/metrics/iterations_csv.hpp"

#include "sim/metrics/csv_number.hpp"

namespace msao {

std::string iterations_csv(const SimResult& r) {
  std::string s = "replica,gpus,start_s,seconds,batch,prefill_tokens,decode_tokens,kv_bytes,mfu,bw_util\n";
  const int per = r.cloud_replica_gpus;
  for (size_t rep = 0; rep < r.cloud_iteration_log.size(); ++rep) {
    // The replica's GPUs, as the hosts cloud-<first>..cloud-<last>.
    const std::string gpus = per > 1 ? std::to_string(rep * per) + "-" + std::to_string(rep * per + per - 1)
                                     : std::to_string(rep);
    for (const IterationRecord& it : r.cloud_iteration_log[rep]) {
      s += std::to_string(rep) + ',' + gpus + ',';
      csv::seconds(s, it.start_s);
      csv::seconds(s, it.seconds);
      s += std::to_string(it.batch) + ',' + std::to_string(it.prefill_tokens) + ',' + std::to_string(it.decode_tokens) + ',';
      for (double v : {it.kv_bytes, it.mfu, it.bw_util}) csv::general(s, v);
      s.back() = '\n';
    }
  }
  return s;
}

}  // namespace msao

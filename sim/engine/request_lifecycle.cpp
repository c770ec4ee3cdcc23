#include "sim/engine/request_lifecycle.hpp"

#include <cmath>
#include <memory>

#include "sim/engine/lifecycle_steps.hpp"
#include "sim/engine/token_session.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

void run_request(World& w, const Request& req, RequestRecord& rec) {
  EdgeState& e = w.edges[req.edge];
  rec.arrival = now();
  const ExecPlan p = w.setup->planner(req, observe(w, e, req));
  rec.decision = p.decision;
  rec.mode = exec_mode_name(p.mode);
  rec.edge_flops = p.edge_flops;
  rec.edge_mem_bytes = p.edge_mem_bytes;

  e.take_accel();
  rec.edge_start = now();
  edge_exec(w, e, rec, p.edge_pre_s, "edge-pre");
  rec.edge_pre_end = now();
  // The cloud GPU's handle on this request's job(s), made when it is sent.
  auto ticket = [] { return std::make_shared<CloudTicket>(); };

  switch (p.mode) {
    case ExecMode::EdgeOnly: {
      rec.first_token = answer_on_edge(w, e, rec, p);
      rec.spec_outcome = "none";
      complete(w, req, rec, true, p);
      return;
    }
    case ExecMode::Offload: {
      e.release_accel();
      bool ok = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Answered;
      if (ok) rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "none";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Cascade: {
      const double edge_first_token = answer_on_edge(w, e, rec, p);
      if (p.edge_confident) {
        rec.first_token = edge_first_token;
        rec.spec_outcome = "edge-accepted";
        complete(w, req, rec, true, p);
        return;
      }
      if (cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket()) == CloudEnd::Rejected) {
        rec.first_token = edge_first_token;
        fall_back_to_edge(w, req, rec, p);
        return;
      }
      rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "escalated";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Race: {
      // The edge answers (async exec) while this actor uploads and waits
      // for the cloud; a confident edge answer ending first cancels what the
      // cloud path has in flight (transfer or GPU job).
      EdgeRace race;
      race.confident = p.edge_confident;
      start_edge_work(e, race, p.edge_answer_s, "edge-answer");
      const CloudEnd end = cloud_path(w, e, p, p.cloud, p.upload_bytes, p.reply_bytes, rec, ticket(), &race);
      if (end == CloudEnd::EdgeWon) {
        rec.first_token = race.t0 + p.edge_ttft_s;
        rec.spec_outcome = "edge-accepted";
        complete(w, req, rec, true, p);
        return;
      }
      if (end == CloudEnd::Rejected) {
        // The cloud cannot serve it: the edge's answer is returned instead.
        if (race.exec) {
          race.exec->wait();
          edge_answer_ended(w, e, rec, race);
        }
        rec.first_token = race.t0 + p.edge_ttft_s;
        fall_back_to_edge(w, req, rec, p);
        return;
      }
      if (race.exec) abandon_edge_answer(w, e, rec, race);
      rec.first_token = rec.cloud_first_token;
      rec.spec_outcome = "cloud-used";
      complete(w, req, rec, false, p);
      return;
    }
    case ExecMode::Tokens: {
      run_token_session(w, req, rec, p);
      return;
    }
  }
}

}  // namespace msao

// A fresh cloud job on a disaggregated cloud (sim/engine/cloud_pools.hpp),
// stage by stage: the upload goes to the pool that runs the job's cloud-side
// encoders; an encode pool's output (encoder_tokens positions of the
// decoder's width) moves to a prefill replica; the prefill runs to the first
// token (DistServe's prefill instance) and its prompt's KV moves to a decode
// replica, which samples nothing again (first_token_ready) and decodes the
// rest; the reply leaves from the replica that produced the last token.
// Each stage's replica is chosen by its pool's dispatcher when the stage
// starts (a decode replica once the prefill has ended, as DistServe's
// controller does), and counts the job as incoming while its bytes move.
// A prefill replica frees the prompt's KV when its job ends, before the
// move: the move itself holds no KV on either side (a simplification; a
// real prefill instance keeps it until the decode side has pulled it).
#include <cmath>

#include "sim/engine/lifecycle_steps.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

namespace {

// Bytes from one cloud GPU to another over the data-centre links, racing
// the edge answer and the deadline like every other wait of the request.
CloudEnd move_between(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* race, sg4::Host* from, sg4::Host* to,
                      double bytes, double deadline, double& moved) {
  if (bytes <= 0) return CloudEnd::Answered;
  const double t0 = now();
  sg4::CommPtr comm = sg4::Comm::sendto_async(from, to, static_cast<uint64_t>(std::llround(bytes)));
  const WaitEnd end = wait_racing(w, e, rec, race, comm, deadline);
  if (end != WaitEnd::Done) {
    comm->cancel();
    if (end == WaitEnd::EdgeWon) return CloudEnd::EdgeWon;
    rec.failure = Cause::Timeout;
    ++rec.timeouts;
    return CloudEnd::Failed;
  }
  moved += bytes;
  w.signals.activity_end({ActivityPlace::Device, from, "pool transfer", rec.id, t0, now()});
  return CloudEnd::Answered;
}

// The stages' jobs, cut from the whole job.
CloudJob encode_job(const CloudJob& whole) {
  CloudJob j;
  j.encode_only = true;
  j.pre_s = whole.pre_s;
  j.pre_flops = whole.pre_flops;
  j.pre_activation_bytes = whole.pre_activation_bytes;
  j.encoder_tokens = whole.encoder_tokens;
  j.reuse.media = whole.reuse.media;  // the encoder cache's key
  return j;
}
// (decode_apart: it stops at the first token, which its last chunk samples.)
CloudJob prefill_job(const CloudJob& whole, bool encoded, bool decode_apart) {
  CloudJob j = whole;
  if (decode_apart) j.decode_tokens = std::min(whole.decode_tokens, 1);
  if (encoded) {  // its encoders ran in the encode pool
    j.pre_s = j.pre_flops = j.pre_activation_bytes = 0;
    j.reuse.media = 0;
  }
  return j;
}
CloudJob decode_job(const CloudJob& whole) {
  CloudJob j;
  j.context_tokens = whole.context_tokens + whole.prefill_tokens;
  j.decode_tokens = whole.decode_tokens;
  j.first_token_ready = true;
  return j;
}

// Queues `job` on a replica of `pool` for `t`, once `bytes` have moved
// there from `from` (none: the edge's upload brought them).
CloudEnd run_stage(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* race, const World::Pool& pool,
                   const CloudTicketPtr& t, const CloudJob& job, sg4::Host* from, double bytes, double& moved,
                   double deadline) {
  t->gpu = choose_gpu(w, &pool);
  t->request = rec.id;
  CloudServer& gpu = *w.clouds[t->gpu];
  gpu.dispatched(job);
  const CloudEnd arrived = move_between(w, e, rec, race, from, gpu.host(), bytes, deadline, moved);
  gpu.arrived(job);
  if (arrived != CloudEnd::Answered) return arrived;
  gpu.submit(t, job);
  return settle_job(w, e, rec, race, t, deadline);
}

}  // namespace

CloudEnd staged_cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes,
                           double down_bytes, RequestRecord& rec, const CloudTicketPtr& ticket, EdgeLane* race) {
  const double timeout = w.setup->platform.faults.timeout_s;
  const double deadline = timeout > 0 ? now() + timeout : kNoDeadline;
  const World::Pool& encode_pool = w.pool_for(CloudStage::Encode);
  const World::Pool& prefill_pool = w.pool_for(CloudStage::Prefill);
  const World::Pool& decode_pool = w.pool_for(CloudStage::Decode);
  // An encode pool of its own runs the encoders, when the job has any.
  const bool encode_apart = !(encode_pool.stages & stage_bit(CloudStage::Prefill)) && job.pre_s > 0;
  const bool decode_apart = !(prefill_pool.stages & stage_bit(CloudStage::Decode)) && job.decode_tokens > 1;
  // The request's own ticket serves the last stage (its reply leaves from there).
  const CloudTicketPtr encode_t = encode_apart ? std::make_shared<CloudTicket>() : nullptr;
  const CloudTicketPtr prefill_t = decode_apart ? std::make_shared<CloudTicket>() : ticket;
  const CloudJob first_job = encode_apart ? encode_job(job) : prefill_job(job, false, decode_apart);
  const CloudTicketPtr& first_t = encode_apart ? encode_t : prefill_t;
  first_t->gpu = choose_gpu(w, encode_apart ? &encode_pool : &prefill_pool);
  first_t->request = rec.id;
  CloudServer& entry = *w.clouds[first_t->gpu];
  CloudEnd end = upload_job(w, e, entry, first_job, up_bytes, rec, race, deadline);
  if (end != CloudEnd::Answered) return end;
  if (std::isnan(rec.cloud_enqueue)) rec.cloud_enqueue = now();
  RunCounters& moved = *w.result;
  if (encode_apart) {
    entry.submit(encode_t, first_job);
    if ((end = settle_job(w, e, rec, race, encode_t, deadline)) != CloudEnd::Answered) return end;
    const double bytes = job.encoder_tokens * w.setup->cloud_pools.embedding_bytes_per_token;
    end = run_stage(w, e, rec, race, prefill_pool, prefill_t, prefill_job(job, true, decode_apart), entry.host(), bytes,
                    moved.embedding_bytes_between_pools, deadline);
  } else {
    entry.submit(prefill_t, first_job);
    end = settle_job(w, e, rec, race, prefill_t, deadline);
  }
  if (end != CloudEnd::Answered) return end;
  if (decode_apart) {
    const CloudServer& prefilled = *w.clouds[prefill_t->gpu];
    const double kv = (job.context_tokens + job.prefill_tokens) * prefilled.cost().kv_bytes_per_token;
    end = run_stage(w, e, rec, race, decode_pool, ticket, decode_job(job), prefilled.host(), kv,
                    moved.kv_bytes_between_pools, deadline);
    if (end != CloudEnd::Answered) return end;
  }
  if ((end = cloud_reply(w, e, rec, ticket, down_bytes, race, deadline)) != CloudEnd::Answered) return end;
  if (p.edge_post_s > 0 && &job == &p.cloud) edge_exec_queued(w, e, rec, p.edge_post_s, "edge-post");
  return CloudEnd::Answered;
}

}  // namespace msao

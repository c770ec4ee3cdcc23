// The steps a request's lifecycle is made of (internal to sim/engine): edge
// execs on the FIFO accelerator, transfers, the cloud round trip (upload,
// batching GPU, reply) and completion, each recording its timestamps,
// bytes and device seconds in the request's record. run_request and the
// token-level session (token_session.cpp) compose them.
#pragma once
#include "sim/engine/cloud_server.hpp"
#include "sim/engine/edge_lane.hpp"
#include "sim/engine/world.hpp"

namespace msao {

// What the device knows now, and the oracle's ground truth
// (sim/engine/observation.hpp). `own`: the request's cloud ticket, if it
// has one, so that its own job is not counted in the cloud queue.
Observation observe(World& w, const EdgeState& e, const Request& req, const CloudTicket* own = nullptr);
// Runs `seconds` of work on the edge accelerator (already held).
void edge_exec(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what);
// Queues for the edge accelerator, runs `seconds` on it and frees it.
void edge_exec_queued(World& w, EdgeState& e, RequestRecord& rec, double seconds, const char* what);
// The edge model's whole answer on the held accelerator, which it then
// frees. Returns when the answer's first token was out.
double answer_on_edge(World& w, EdgeState& e, RequestRecord& rec, const ExecPlan& p);
// A transfer (with the link trace's extra delay first). EdgeWon: a race's
// edge answer won meanwhile; Failed: a link of the route went down or the
// deadline passed. Either way the bytes count as cancelled, so sent =
// received + cancelled. Updates the edge's bandwidth estimate on uploads.
enum class TransferEnd { Done, EdgeWon, Failed };
TransferEnd transfer(World& w, EdgeState& e, simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, bool up,
                     RequestRecord& rec, EdgeLane* race, double deadline = kNoDeadline);

// Failed: a link went down, the GPU failed, or platform.faults.timeout
// passed (rec.failure says which; what was in flight is cancelled).
enum class CloudEnd { Answered, Rejected, EdgeWon, Failed };
// Upload, cloud job, reply. Fills the record's cloud timestamps. With a
// race, stops (cancelling what is in flight) when the edge answer wins.
// await_job = false returns once the job is submitted (no reply): the next
// cloud_path on the same ticket uploads meanwhile and queues its job
// behind it (a token session's context prefill).
CloudEnd cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes, double down_bytes,
                    RequestRecord& rec, const CloudTicketPtr& ticket, EdgeLane* race = nullptr, bool await_job = true);
// A disaggregated cloud's path for a fresh job (sim/engine/staged_cloud_path.cpp):
// upload to the encode (or prefill) pool, encode, move the encoder output,
// prefill to the first token, move the prompt's KV, decode, reply.
CloudEnd staged_cloud_path(World& w, EdgeState& e, const ExecPlan& p, const CloudJob& job, double up_bytes,
                           double down_bytes, RequestRecord& rec, const CloudTicketPtr& ticket, EdgeLane* race);
// The dispatcher's choice in `pool` (null: the whole cloud), or the next
// GPU after it that is up (a failed GPU takes no work until repaired; if
// all are down, the choice stands).
int choose_gpu(World& w, const World::Pool* pool);
// The upload of `job`'s input to `gpu`, which counts it as incoming meanwhile.
CloudEnd upload_job(World& w, EdgeState& e, CloudServer& gpu, const CloudJob& job, double up_bytes,
                    RequestRecord& rec, EdgeLane* race, double deadline);
// Waits for the ticket's job (already submitted) and records what the GPU did for it.
CloudEnd settle_job(World& w, EdgeState& e, RequestRecord& rec, EdgeLane* race, const CloudTicketPtr& ticket,
                    double deadline);
// A job submitted without waiting has ended on the GPU (its ticket's done
// acquired): records what the GPU did for it and whether it was served,
// rejected or lost.
CloudEnd record_job(World& w, RequestRecord& rec, const CloudTicketPtr& ticket);
// The reply of a served job: `down_bytes` back to the edge.
CloudEnd cloud_reply(World& w, EdgeState& e, RequestRecord& rec, const CloudTicketPtr& ticket, double down_bytes,
                     EdgeLane* race = nullptr, double deadline = kNoDeadline);
// A wait for a cloud interaction ran out (platform.faults.timeout).
void note_timeout(RequestRecord& rec);
// The edge saw a cloud interaction fail (what its observation reports).
void note_cloud_failure(EdgeState& e);
// A job submitted without waiting that is no longer needed: cancelled, its GPU time so far accounted.
void drop_cloud_job(RequestRecord& rec, const CloudTicketPtr& ticket);
// Ends the request: status, answer source, correctness, energy; tells the
// policy. The answer's correctness is the edge model's if `edge_answer`,
// else the cloud model's; `answered_by`, when set, overrides the source
// (token sessions: Mixed).
// `done_at` (default now): when the answer arrived, if the actor learns it later.
void complete(World& w, const Request& req, RequestRecord& rec, bool edge_answer, const ExecPlan& p,
              AnsweredBy answered_by = AnsweredBy::Unset, double done_at = -1);
// The cloud rejected a request whose edge answer exists (race, cascade):
// that answer is returned; the rejection's reason stays in the record.
void fall_back_to_edge(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p);

}  // namespace msao

package callwatch.aggregator.ingest;

import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.store.BatchJournal;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import callwatch.common.log.LogLimiter;
import callwatch.common.protocol.Protocol;

/**
 * {@code /agent}: checks the agent's credential before the WebSocket upgrade, so an unknown or
 * revoked agent gets a plain 401 with the reason and nothing of it is stored.
 */
public final class AgentEndpoint {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(AgentEndpoint.class.getName());
  /** A misconfigured agent retries every few seconds: one line a minute per address and reason. */
  private static final LogLimiter REFUSALS = new LogLimiter(60_000);
  private final callwatch.aggregator.auth.LoginThrottle guesses = new callwatch.aggregator.auth.LoginThrottle();
  private final Vertx vertx;
  private final AgentAuth auth;
  private final LiveCache cache;
  private final WorkerExecutor ingest;
  private final BatchJournal journal;
  private final JournalCopies copies;

  private final IngestLoad load;
  private final DetectionPace pace;

  /** When this member last heard from each agent (wall ms): any frame, or a connection turned away while busy. */
  private final java.util.Map<String, Long> heard = new java.util.concurrent.ConcurrentHashMap<>();

  public java.util.Map<String, Long> heard() {
    return heard;
  }

  public AgentEndpoint(Vertx vertx, AgentAuth auth, LiveCache cache, WorkerExecutor ingest, BatchJournal journal, JournalCopies copies,
                       IngestLoad load, DetectionPace pace) {
    this.pace = pace;
    this.copies = copies;
    this.load = load;
    this.vertx = vertx;
    this.auth = auth;
    this.cache = cache;
    this.ingest = ingest;
    this.journal = journal;
  }

  public void handle(RoutingContext rc) {
    String from = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
    long wait = guesses.waitMillis(from, System.currentTimeMillis());
    if (wait > 0) {
      // an address that keeps presenting bad credentials is slowed down like a password guesser
      rc.response().setStatusCode(429).putHeader("retry-after", String.valueOf((wait + 999) / 1000))
          .putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "too many refused credentials from this address: retry later").encode());
      return;
    }
    AgentAuth.Verdict v = auth.check(rc.request().getHeader(Protocol.AUTH_HEADER));
    if (!v.accepted()) {
      guesses.failed(from, System.currentTimeMillis());
      long held = REFUSALS.allow(from + " " + v.refusal(), System.currentTimeMillis());
      if (held >= 0) LOG.warning("agent connection from " + from + " refused: " + v.refusal() + LogLimiter.heldBack(held));
      rc.response().setStatusCode(401).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", v.answer()).encode());
      return;
    }
    guesses.succeeded(from);
    heard.put(v.agentId(), System.currentTimeMillis());
    if (load.busy()) {
      // admitted agents are streaming backlogs: this one comes back in a moment (its spool keeps everything)
      rc.response().setStatusCode(503).putHeader("retry-after", "2").putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "busy: " + (load.pending() >> 20) + " MiB of batches are waiting to be stored (the limit is "
              + (load.limit() >> 20) + " MiB); come back after 2 s").encode());
      return;
    }
    rc.request().toWebSocket().onSuccess(ws -> new AgentSession(vertx, ws, v.agentId(), cache, ingest, journal, copies, load, pace, heard)).onFailure(rc::fail);
  }
}

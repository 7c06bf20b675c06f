package callwatch.aggregator.ingest;

import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.store.BatchJournal;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import callwatch.common.protocol.Protocol;

/**
 * {@code /agent}: checks the agent's credential before the WebSocket upgrade, so an unknown or
 * revoked agent gets a plain 401 with the reason and nothing of it is stored.
 */
public final class AgentEndpoint {
  private final Vertx vertx;
  private final AgentAuth auth;
  private final LiveCache cache;
  private final WorkerExecutor ingest;
  private final BatchJournal journal;

  public AgentEndpoint(Vertx vertx, AgentAuth auth, LiveCache cache, WorkerExecutor ingest, BatchJournal journal) {
    this.vertx = vertx;
    this.auth = auth;
    this.cache = cache;
    this.ingest = ingest;
    this.journal = journal;
  }

  public void handle(RoutingContext rc) {
    AgentAuth.Verdict v = auth.check(rc.request().getHeader(Protocol.AUTH_HEADER));
    if (!v.accepted()) {
      rc.response().setStatusCode(401).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", v.refusal()).encode());
      return;
    }
    rc.request().toWebSocket().onSuccess(ws -> new AgentSession(vertx, ws, v.agentId(), cache, ingest, journal)).onFailure(rc::fail);
  }
}

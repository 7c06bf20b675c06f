package callwatch.aggregator.web;

import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.watch.AlertJson;
import callwatch.aggregator.watch.AlertStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/alerts?from=&to=&state=}: the alerts whose time (since to resolved, or now)
 * overlaps the range (times as the series API takes them; the last 7 days by default), in one
 * state or all, newest first, as the caller's role may see them. Read from the cluster's store.
 */
public final class AlertRoutes {
  static final long DEFAULT_RANGE_SECONDS = 7 * 86400L;
  private static final Set<String> STATES = Set.of(Alert.FIRING, Alert.RESOLVED);
  private final AlertStore store;
  private final WorkerExecutor workers;
  private final Admission admission;

  public AlertRoutes(AlertStore store, WorkerExecutor workers, Admission admission) {
    this.store = store;
    this.workers = workers;
    this.admission = admission;
  }

  public void mount(Router router) {
    router.get("/api/alerts").handler(this::alerts);
  }

  private void alerts(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    long from, to;
    String state = rc.queryParams().get("state");
    try {
      to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      from = TimeParam.parse("from", rc.queryParams().get("from"), to - DEFAULT_RANGE_SECONDS, now);
      if (from > to) throw new IllegalArgumentException("from is after to");
      if (state != null && !STATES.contains(state)) throw new IllegalArgumentException("state must be firing or resolved, not '" + state + "'");
    } catch (IllegalArgumentException e) {
      rc.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    if (!admission.tryEnter()) {
      rc.response().setStatusCode(503).putHeader("retry-after", "2").putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "busy: " + admission.limit() + " queries are running (the limit); retry after 2 s").encode());
      return;
    }
    var role = AccessControl.role(rc);
    workers.executeBlocking(() -> store.listBlocking(from, to, state), false).onComplete(ar -> {
      admission.release();
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      JsonArray out = new JsonArray();
      List<JsonObject> found = ar.result();
      for (JsonObject a : found) out.add(AlertJson.forRole(a, role));
      rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
          .end(new JsonObject().put("from", from).put("to", to).put("limit", AlertStore.MAX_ANSWER).put("alerts", out).encode());
    });
  }
}

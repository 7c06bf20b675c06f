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
  private final callwatch.aggregator.watch.Outbox outbox;
  private final callwatch.aggregator.watch.Silences silences;
  private final WorkerExecutor workers;
  private final Admission admission;
  private final io.vertx.core.Vertx vertx;
  /** A note is a sentence or two: the body limit of every POST is 4 KiB. */
  static final int MAX_NOTE = 1000;

  public AlertRoutes(AlertStore store, callwatch.aggregator.watch.Outbox outbox, callwatch.aggregator.watch.Silences silences,
                     WorkerExecutor workers, Admission admission, io.vertx.core.Vertx vertx) {
    this.silences = silences;
    this.store = store;
    this.outbox = outbox;
    this.workers = workers;
    this.admission = admission;
    this.vertx = vertx;
  }

  public void mount(Router router) {
    router.get("/api/alerts").handler(this::alerts);
    router.post("/api/alerts/:id/ack").handler(rc -> change(rc, true));
    router.post("/api/alerts/:id/resolve").handler(rc -> change(rc, false));
    router.get("/api/silences").handler(this::silences);
    router.post("/api/silences").handler(this::createSilence);
    router.post("/api/silences/:id/end").handler(this::endSilence);
  }

  private void silences(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    boolean operator = AccessControl.role(rc).atLeast(callwatch.aggregator.auth.Role.OPERATOR);
    workers.executeBlocking(() -> silences.activeBlocking(now), false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      JsonArray out = new JsonArray();
      for (JsonObject s : ar.result()) out.add(operator ? s : s.copy().put("hosts", new JsonArray())); // servers are the operators'
      rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
          .end(new JsonObject().put("silences", out).encode());
    });
  }

  /** {"services":[...], "hosts":[...], "kinds":[...], "from": epoch s (default now), "to": epoch s, "note": "..."}. */
  private void createSilence(RoutingContext rc) {
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      badRequest(rc, "the body must be a JSON object: {\"services\": [...], \"to\": epoch seconds, \"note\": \"...\"}");
      return;
    }
    JsonObject in = body;
    String user = AccessControl.session(rc).user();
    long now = System.currentTimeMillis() / 1000;
    workers.executeBlocking(() -> silences.createBlocking(in, user, now), false).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof IllegalArgumentException) badRequest(rc, ar.cause().getMessage());
        else rc.fail(ar.cause());
        return;
      }
      vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.SILENCES, ar.result());
      rc.response().setStatusCode(201).putHeader("content-type", "application/json").end(ar.result().encode());
    });
  }

  private void endSilence(RoutingContext rc) {
    String id = rc.pathParam("id");
    long now = System.currentTimeMillis() / 1000;
    workers.executeBlocking(() -> silences.endBlocking(id, now), false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
      } else if (ar.result() == null) {
        rc.response().setStatusCode(404).putHeader("content-type", "application/json").end(new JsonObject().put("error", "no silence " + id).encode());
      } else {
        vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.SILENCES, ar.result());
        rc.response().putHeader("content-type", "application/json").end(ar.result().encode());
      }
    });
  }

  /** Acknowledge or resolve by hand: {"note": "..."}; every member's browsers learn it at once. */
  private void change(RoutingContext rc, boolean ack) {
    String id = rc.pathParam("id");
    JsonObject body;
    try {
      body = rc.body().length() == 0 ? new JsonObject() : rc.body().asJsonObject();
    } catch (RuntimeException e) {
      badRequest(rc, "the body must be a JSON object like {\"note\": \"...\"}");
      return;
    }
    Object n = body == null ? null : body.getValue("note");
    if (n != null && !(n instanceof String)) {
      badRequest(rc, "note must be text");
      return;
    }
    String note = n == null ? "" : (String) n;
    if (note.length() > MAX_NOTE) {
      badRequest(rc, "note is " + note.length() + " characters; the limit is " + MAX_NOTE);
      return;
    }
    String user = AccessControl.session(rc).user();
    workers.executeBlocking(() -> {
      AlertStore.Change c = ack ? store.acknowledgeBlocking(id, user, note) : store.resolveBlocking(id, user, note);
      if (c.status() == 200) outbox.enqueueBlocking(c.alert());
      return c;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      AlertStore.Change c = ar.result();
      if (c.status() != 200) {
        rc.response().setStatusCode(c.status()).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", c.error()).encode());
        return;
      }
      vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.ALERTS, c.alert());
      rc.response().putHeader("content-type", "application/json").end(c.alert().encode());
    });
  }

  private static void badRequest(RoutingContext rc, String why) {
    rc.response().setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject().put("error", why).encode());
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

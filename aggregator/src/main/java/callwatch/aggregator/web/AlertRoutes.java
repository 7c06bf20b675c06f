package callwatch.aggregator.web;

import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.watch.AlertJson;
import callwatch.aggregator.watch.AlertStore;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
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

  private static JsonObject forPartner(JsonObject silence) {
    JsonObject o = silence.copy().put("hosts", new JsonArray());
    o.remove("note");
    return o;
  }

  private void silences(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    boolean operator = AccessControl.role(rc).atLeast(callwatch.aggregator.auth.Role.OPERATOR);
    BlockingWork.run(rc, workers, null, () -> silences.activeBlocking(now), active -> {
      JsonArray out = new JsonArray();
      // servers are the operators', and so are their words (a note may name a pharmacy or a server), as on alerts
      for (JsonObject s : active) out.add(operator ? s : forPartner(s));
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
    BlockingWork.run(rc, workers, null, () -> silences.createBlocking(in, user, now), created -> {
      vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.SILENCES, created);
      rc.response().setStatusCode(201).putHeader("content-type", "application/json").end(created.encode());
    });
  }

  private void endSilence(RoutingContext rc) {
    String id = rc.pathParam("id");
    long now = System.currentTimeMillis() / 1000;
    BlockingWork.run(rc, workers, null, () -> silences.endBlocking(id, now), ended -> {
      if (ended == null) {
        BlockingWork.error(rc, 404, "no silence " + id);
        return;
      }
      vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.SILENCES, ended);
      rc.response().putHeader("content-type", "application/json").end(ended.encode());
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
    String note;
    try {
      note = body == null ? "" : Objects.requireNonNullElse(JsonFields.text(body, "note"), "");
    } catch (IllegalArgumentException e) {
      badRequest(rc, e.getMessage());
      return;
    }
    if (note.length() > MAX_NOTE) {
      badRequest(rc, "note is " + note.length() + " characters; the limit is " + MAX_NOTE);
      return;
    }
    String user = AccessControl.session(rc).user();
    BlockingWork.run(rc, workers, null, () -> {
      AlertStore.Change c = ack ? store.acknowledgeBlocking(id, user, note) : store.resolveBlocking(id, user, note);
      if (c.status() == 200) outbox.enqueueBlocking(c.alert());
      return c;
    }, c -> {
      if (c.status() != 200) {
        BlockingWork.error(rc, c.status(), c.error());
        return;
      }
      vertx.eventBus().publish(callwatch.aggregator.watch.DetectionService.ALERTS, c.alert());
      rc.response().putHeader("content-type", "application/json").end(c.alert().encode());
    });
  }

  private static void badRequest(RoutingContext rc, String why) {
    BlockingWork.error(rc, 400, why);
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
      badRequest(rc, e.getMessage());
      return;
    }
    var role = AccessControl.role(rc);
    BlockingWork.run(rc, workers, admission, () -> store.listBlocking(from, to, state), found -> {
      JsonArray out = new JsonArray();
      for (JsonObject a : found) out.add(AlertJson.forRole(a, role, store.ids()));
      rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
          .end(new JsonObject().put("from", from).put("to", to).put("limit", AlertStore.MAX_ANSWER).put("alerts", out).encode());
    });
  }
}

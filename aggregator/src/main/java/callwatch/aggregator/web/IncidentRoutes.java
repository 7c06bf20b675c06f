package callwatch.aggregator.web;

import callwatch.aggregator.auth.Role;
import callwatch.aggregator.status.IncidentStore;
import callwatch.aggregator.status.JournalExport;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The incident journal: operators open incidents (by hand or from an alert), append entries, set
 * the public state and message, close them, and export them; partners read them without the
 * entries marked internal. Append-only: any other method on an incident answers 405.
 */
public final class IncidentRoutes {
  private final IncidentStore store;
  private final callwatch.aggregator.watch.AlertStore alerts;
  private final WorkerExecutor workers;
  private final io.vertx.core.Vertx vertx;
  /** The services callwatch has history of (blocking): an incident may name only those, once there are any. */
  private final java.util.function.Supplier<java.util.Set<String>> knownServices;

  public IncidentRoutes(IncidentStore store, callwatch.aggregator.watch.AlertStore alerts, WorkerExecutor workers, io.vertx.core.Vertx vertx,
                        java.util.function.Supplier<java.util.Set<String>> knownServices) {
    this.store = store;
    this.vertx = vertx;
    this.alerts = alerts;
    this.workers = workers;
    this.knownServices = knownServices;
  }

  public void mount(Router router) {
    router.get("/api/incidents").handler(this::list);
    router.post("/api/incidents").handler(this::open);
    router.get("/api/incidents/:id").handler(this::one);
    router.get("/api/incidents/:id/export.md").handler(rc -> export(rc, false));
    router.get("/api/incidents/:id/export.pdf").handler(rc -> export(rc, true));
    router.post("/api/incidents/:id/entries").handler(this::append);
    router.route("/api/incidents/*").handler(rc -> {
      // what is written stays written: a correction is a new entry that supersedes the old one
      rc.response().putHeader("allow", "GET, POST");
      BlockingWork.error(rc, 405, "the journal is append-only: " + rc.request().method() + " is not allowed; add an entry"
          + " (POST /api/incidents/{id}/entries with \"supersedes\") to correct one");
    });
  }

  private static boolean operator(RoutingContext rc) {
    return AccessControl.role(rc).atLeast(Role.OPERATOR);
  }

  private void list(RoutingContext rc) {
    boolean operator = operator(rc);
    long from = System.currentTimeMillis() / 1000 - 90 * 86400L;
    BlockingWork.run(rc, workers, null, () -> store.listBlocking(from), found -> {
      JsonArray out = new JsonArray();
      for (JsonObject i : found) out.add(operator ? i : IncidentStore.forPartner(i, alerts.ids()));
      json(rc, 200, new JsonObject().put("incidents", out));
    });
  }

  private void one(RoutingContext rc) {
    boolean operator = operator(rc);
    String id = rc.pathParam("id");
    BlockingWork.run(rc, workers, null, () -> store.getBlocking(id), i -> {
      if (i == null) BlockingWork.error(rc, 404, "no incident " + id);
      else json(rc, 200, operator ? i : IncidentStore.forPartner(i, alerts.ids()));
    });
  }

  /** {"title": "...", "services": [...]} or {"alert": "<alert id>"} (title and services from the alert unless given). */
  private void open(RoutingContext rc) {
    JsonObject body = body(rc);
    if (body == null) return;
    String user = AccessControl.session(rc).user();
    long now = System.currentTimeMillis() / 1000;
    BlockingWork.run(rc, workers, null, () -> {
      String alertId = JsonFields.text(body, "alert");
      String title = JsonFields.text(body, "title");
      List<String> services = new ArrayList<>(JsonFields.names(body, "services"));
      ServiceNames.requireKnown(services, knownServices.get()); // what the operator typed; an alert's own service is callwatch's
      JsonObject alert = alertId == null ? null : alerts.getBlocking(alertId);
      if (alertId != null && alert == null) throw new IllegalArgumentException("no alert " + alertId);
      // partners read the title and every entry not marked internal: what the alert says of a pharmacy,
      // a server or an agent goes into an internal entry only
      JsonObject shared = alert == null ? null : callwatch.aggregator.watch.AlertJson.forRole(alert, callwatch.aggregator.auth.Role.PARTNER, alerts.ids());
      if (title == null && shared != null) {
        title = shared.getString("kind") + " " + String.join(" ",
            shared.getJsonObject("subject", new JsonObject()).getMap().values().stream().map(String::valueOf).toList());
      }
      if (services.isEmpty() && shared != null && shared.getJsonObject("subject", new JsonObject()).getString("service") != null) {
        services.add(shared.getJsonObject("subject").getString("service"));
      }
      String detail = shared == null || shared.getJsonObject("subject").equals(alert.getJsonObject("subject")) ? null
          : alert.getJsonObject("subject").getMap().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
              .collect(java.util.stream.Collectors.joining(", ")) + ": " + alert.getString("reason", "");
      return store.openBlocking(title == null ? null : title.strip(), services, alertId, shared == null ? null : shared.getString("reason"), detail, user, now);
    }, c -> answer(rc, c));
  }

  /**
   * {"kind": "seen|decided|done|called|note|link", "text": "...", "internal": bool, "supersedes": n},
   * or {"kind": "public", "state": "major_outage", "message": {"fr": "...", "nl": "...", "en": "..."}},
   * or {"kind": "closed", "text": "..."}.
   */
  private void append(RoutingContext rc) {
    JsonObject body = body(rc);
    if (body == null) return;
    String id = rc.pathParam("id");
    String user = AccessControl.session(rc).user();
    long now = System.currentTimeMillis() / 1000;
    String kind, text, state;
    boolean internal;
    int supersedes;
    Map<String, String> message;
    try {
      kind = Objects.requireNonNullElse(JsonFields.text(body, "kind"), "note");
      text = Objects.requireNonNullElse(JsonFields.text(body, "text"), "");
      internal = Objects.requireNonNullElse(JsonFields.flag(body, "internal"), false);
      long entry = Objects.requireNonNullElse(JsonFields.whole(body, "supersedes"), 0L);
      if (entry < 0 || entry > Integer.MAX_VALUE) throw new IllegalArgumentException("'supersedes' must be an entry's number (0 for none), got " + entry);
      supersedes = (int) entry; // the store checks it against the journal's length
      state = JsonFields.text(body, "state");
      message = JsonFields.texts(body, "message");
    } catch (IllegalArgumentException e) {
      BlockingWork.error(rc, 400, e.getMessage());
      return;
    }
    BlockingWork.run(rc, workers, null, () -> store.appendBlocking(id, kind, text, internal, supersedes, state, message, user, now),
        c -> answer(rc, c));
  }

  /** The journal as Markdown, or the same as PDF (operators: everything; partners: without internal entries). */
  private void export(RoutingContext rc, boolean pdf) {
    boolean operator = operator(rc);
    String id = rc.pathParam("id");
    BlockingWork.run(rc, workers, null, () -> store.getBlocking(id), i -> {
      if (i == null) {
        BlockingWork.error(rc, 404, "no incident " + id);
        return;
      }
      String md = JournalExport.markdown(i.getString("title"), JournalExport.header(i), IncidentStore.entries(i), operator);
      String name = "incident-" + i.getString("id") + (pdf ? ".pdf" : ".md");
      if (!pdf) {
        rc.response().putHeader("content-type", "text/markdown; charset=utf-8").putHeader("cache-control", "no-store")
            .putHeader("content-disposition", "attachment; filename=\"" + name + "\"").end(md);
        return;
      }
      BlockingWork.run(rc, workers, null, () -> callwatch.aggregator.status.JournalPdf.of(md), bytes ->
          rc.response().putHeader("content-type", "application/pdf").putHeader("cache-control", "no-store")
              .putHeader("content-disposition", "attachment; filename=\"" + name + "\"").end(io.vertx.core.buffer.Buffer.buffer(bytes)));
    });
  }

  private static JsonObject body(RoutingContext rc) {
    try {
      JsonObject b = rc.body().length() == 0 ? new JsonObject() : rc.body().asJsonObject();
      if (b != null) return b;
    } catch (RuntimeException e) {
      // below
    }
    BlockingWork.error(rc, 400, "the body must be a JSON object");
    return null;
  }

  private void answer(RoutingContext rc, IncidentStore.Change c) {
    if (c.incident() == null) {
      BlockingWork.error(rc, c.status(), c.error());
      return;
    }
    vertx.eventBus().publish(callwatch.aggregator.status.StatusBoard.INCIDENTS_CHANGED, c.incident().getString("id"));
    json(rc, c.status(), c.incident());
  }

  private static void json(RoutingContext rc, int status, JsonObject o) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(o.encode());
  }
}

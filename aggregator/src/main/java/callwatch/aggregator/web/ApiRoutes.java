package callwatch.aggregator.web;

import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.query.SeriesQuery;
import callwatch.aggregator.query.SeriesSpec;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON API: the series list, any series over any range (with an optional time shift for
 * overlays), and the agents. Bad parameters get a 400 with the reason. Queries run on the worker pool.
 */
public final class ApiRoutes {
  private final LiveCache cache;
  private final RrdRepository repo;
  private final SeriesQuery query;
  private final SlotWriter writer;
  private final WorkerExecutor workers;
  private final Admission queries;
  private final Admission renders;
  private final callwatch.aggregator.query.DrillDown drill;

  public ApiRoutes(LiveCache cache, RrdRepository repo, SeriesQuery query, SlotWriter writer, WorkerExecutor workers,
                   Admission queries, Admission renders) {
    this.queries = queries;
    this.renders = renders;
    this.drill = new callwatch.aggregator.query.DrillDown(cache, repo, query);
    this.cache = cache;
    this.repo = repo;
    this.query = query;
    this.writer = writer;
    this.workers = workers;
  }

  public void mount(Router router) {
    router.get("/api/series").handler(this::list);
    router.get("/api/series/:name").handler(this::series);
    router.get("/api/agents").handler(this::agents);
    router.get("/api/drilldown").handler(this::drilldown);
    router.get("/graph.png").handler(this::png);
  }

  /**
   * Runs {@code work} on the query pool if {@code admission} has room, else answers 503 with
   * Retry-After: a flood of queries or renders waits its turn outside, never in front of ingest.
   * A bad parameter found while working is a 400 with the reason.
   */
  private <T> void run(RoutingContext rc, Admission admission, java.util.concurrent.Callable<T> work,
                       java.util.function.Consumer<T> answer) {
    if (!admission.tryEnter()) {
      rc.response().setStatusCode(503).putHeader("retry-after", "2").putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "busy: " + admission.limit() + " requests of this kind are running (the limit);"
              + " retry after 2 s").encode());
      return;
    }
    workers.executeBlocking(work, false).onComplete(ar -> {
      admission.release();
      if (ar.succeeded()) {
        answer.accept(ar.result());
      } else if (ar.cause() instanceof IllegalArgumentException) {
        badRequest(rc, ar.cause().getMessage());
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  private void list(RoutingContext rc) {
    run(rc, queries, () -> {
      TreeMap<String, TreeSet<String>> ops = new TreeMap<>();
      TreeSet<String> hosts = new TreeSet<>();
      for (Source s : repo.allSources()) {
        ops.computeIfAbsent(s.service(), k -> new TreeSet<>()).add(s.op());
        hosts.add(s.host());
      }
      JsonArray names = new JsonArray();
      JsonObject opsJson = new JsonObject();
      ops.forEach((svc, set) -> {
        names.add(svc + ".calls");
        for (String op : set) names.add(svc + "." + op + ".calls");
        opsJson.put(svc, new JsonArray(set.stream().toList()));
      });
      return new JsonObject().put("services", new JsonArray(ops.keySet().stream().toList())).put("ops", opsJson)
          .put("hosts", new JsonArray(hosts.stream().toList()))
          .put("metrics", new JsonArray(new java.util.ArrayList<>(Metrics.NAMES)).addAll(new JsonArray(new java.util.ArrayList<>(SeriesSpec.DERIVED))))
          .put("series", names)
          .put("naming", "SERVICE.metric, SERVICE.op.metric or *.metric; ?host=&agent= narrow it");
    }, j -> json(rc, j));
  }

  private void series(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    SeriesSpec spec;
    long from, to, shift, minStep;
    try {
      spec = SeriesSpec.parse(rc.pathParam("name"), rc.queryParams().get("host"), rc.queryParams().get("agent"));
      to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      from = TimeParam.parse("from", rc.queryParams().get("from"), to - 3600, now);
      String s = rc.queryParams().get("shift");
      shift = s == null || s.isBlank() ? 0 : TimeParam.duration("shift", s);
      String st = rc.queryParams().get("step");
      minStep = st == null || st.isBlank() ? 10 : TimeParam.duration("step", st.matches("\\d+") ? st + "s" : st);
      if (to <= from) throw new IllegalArgumentException("'from' must be before 'to'");
      if (to - from > 20L * 365 * 86400) throw new IllegalArgumentException("range longer than 20 years");
    } catch (IllegalArgumentException e) {
      rc.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    long f = from - shift, t = to - shift;
    boolean vectors = "vectors".equals(rc.queryParams().get("format"));
    run(rc, queries, () -> query.runBlocking(spec, f, t, minStep, now), r -> {
      double[] values = r.values(spec);
      JsonArray points = new JsonArray();
      for (int i = 0; i < values.length; i++) {
        JsonArray point = new JsonArray().add(r.times()[i] + shift);
        if (vectors) {
          JsonArray v = new JsonArray();
          for (double x : r.vectors()[i]) v.add((long) x);
          point.add(v);
        } else {
          point.add(number(values[i]));
        }
        points.add(point);
      }
      json(rc, new JsonObject().put("name", rc.pathParam("name")).put("step", r.step()).put("from", r.from() + shift)
          .put("to", r.to() + shift).put("shift", shift).put("points", points));
    });
  }

  private void drilldown(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    String service;
    long from, to;
    int top;
    try {
      service = rc.queryParams().get("service");
      if (service != null && (service.isBlank() || service.equals("*"))) service = null;
      to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      from = TimeParam.parse("from", rc.queryParams().get("from"), to - 3600, now);
      if (to <= from) throw new IllegalArgumentException("'from' must be before 'to'");
      String t = rc.queryParams().get("top");
      top = t == null ? 10 : Integer.parseInt(t);
      if (top < 1 || top > 1000) throw new IllegalArgumentException("'top' must be between 1 and 1000");
    } catch (NumberFormatException e) {
      badRequest(rc, "'top' must be a whole number");
      return;
    } catch (IllegalArgumentException e) {
      badRequest(rc, e.getMessage());
      return;
    }
    String svc = service;
    long f = from, t = to;
    int n = top;
    boolean pharmacies = AccessControl.role(rc).atLeast(callwatch.aggregator.auth.Role.OPERATOR);
    run(rc, queries, () -> {
      JsonObject j = drill.runBlocking(svc, f, t, n, now);
      // the platform's team sees vendors, versions and codes: never a pharmacy id (nor a host of ours)
      if (!pharmacies) for (String k : new String[] {"topByCalls", "topByErrors", "topByE401", "hosts"}) j.remove(k);
      return j;
    }, j -> json(rc, j));
  }

  /** The graph view as an image: s, range (1h/1d/1w/1M/1y) or from/to, overlay, width, height. */
  private void png(RoutingContext rc) {
    long now = System.currentTimeMillis() / 1000;
    SeriesSpec spec;
    long from, to, shift;
    int width, height;
    String name = rc.queryParams().get("s");
    try {
      spec = SeriesSpec.parse(name, rc.queryParams().get("host"), rc.queryParams().get("agent"));
      String range = rc.queryParams().get("range");
      to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      long span = TimeParam.duration("range", range == null || range.isBlank() ? "1d" : range);
      from = TimeParam.parse("from", rc.queryParams().get("from"), to - span, now);
      String overlay = rc.queryParams().get("overlay");
      shift = overlay == null || overlay.isBlank() ? 0 : TimeParam.duration("overlay", overlay);
      width = Integer.parseInt(rc.queryParams().get("width") == null ? "800" : rc.queryParams().get("width"));
      height = Integer.parseInt(rc.queryParams().get("height") == null ? "300" : rc.queryParams().get("height"));
      if (width < 100 || width > 4000 || height < 80 || height > 3000) throw new IllegalArgumentException("width/height out of range");
      if (to <= from) throw new IllegalArgumentException("'from' must be before 'to'");
    } catch (NumberFormatException e) {
      badRequest(rc, "width and height must be whole numbers");
      return;
    } catch (IllegalArgumentException e) {
      badRequest(rc, e.getMessage());
      return;
    }
    long f = from, t = to, sh = shift;
    int w = width, h = height;
    String overlayLabel = rc.queryParams().get("overlay") + " earlier";
    run(rc, renders, () -> {
      SeriesQuery.Result cur = query.runBlocking(spec, f, t, 10, now);
      double[] values = cur.values(spec);
      double[] over = null;
      if (sh > 0) {
        SeriesQuery.Result old = query.runBlocking(spec, f - sh, t - sh, cur.step(), now);
        over = java.util.Arrays.copyOf(old.values(spec), values.length);
      }
      return PngChart.render(name + "  (" + cur.step() + " s steps)", cur.times(), values, over, overlayLabel, w, h,
          java.time.ZoneId.systemDefault());
    }, png -> rc.response().putHeader("content-type", "image/png").putHeader("cache-control", "no-store")
        .end(io.vertx.core.buffer.Buffer.buffer(png)));
  }

  static void badRequest(RoutingContext rc, String reason) {
    rc.response().setStatusCode(400).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", reason).encode());
  }

  private void agents(RoutingContext rc) {
    run(rc, queries, () -> {
      JsonArray out = new JsonArray();
      long now = System.currentTimeMillis();
      for (Map.Entry<String, AgentState> e : new TreeMap<>(cache.agentsBlocking()).entrySet()) {
        AgentState a = e.getValue();
        out.add(new JsonObject().put("agent", e.getKey()).put("host", a.host).put("version", a.version)
            .put("lastSeq", a.lastSeq).put("closedBefore", a.closedBefore).put("lastContactMillis", a.lastContactMillis)
            .put("silentSeconds", (now - a.lastContactMillis) / 1000).put("lateCalls", a.lateCalls)
            .put("epoch", a.epoch).put("epochs", a.epochs).put("epochSinceMillis", a.epochSinceMillis)
            .put("rereadCalls", a.rereadCalls)
            .put("writtenUpTo", writer.writtenUpTo(e.getKey())).put("stats", new JsonObject(a.statsJson)));
      }
      return new JsonObject().put("agents", out).put("refusedSources", repo.refusedSources())
          .put("unwritableSources", writer.unwritableSourcesJson());
    }, j -> json(rc, j));
  }

  /** Whole numbers as JSON integers (exact counts), unknown as null. */
  static Object number(double v) {
    return Double.isNaN(v) ? null : v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : v;
  }

  static void json(RoutingContext rc, JsonObject body) {
    rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(body.encode());
  }
}

package callwatch.aggregator.web;

import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.query.SeriesQuery;
import callwatch.aggregator.query.SeriesSpec;
import callwatch.aggregator.query.Steps;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
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
  /** When any member last heard an agent (wall ms), beyond the contact its stored state records. */
  private final java.util.function.ToLongFunction<String> lastHeard;

  public ApiRoutes(LiveCache cache, RrdRepository repo, SeriesQuery query, SlotWriter writer, WorkerExecutor workers,
                   Admission queries, Admission renders, java.util.function.ToLongFunction<String> lastHeard) {
    this.lastHeard = lastHeard;
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

  private <T> void run(RoutingContext rc, Admission admission, java.util.concurrent.Callable<T> work,
                       java.util.function.Consumer<T> answer) {
    BlockingWork.run(rc, workers, admission, work, answer);
  }

  private void list(RoutingContext rc) {
    boolean servers = operatorView(rc);
    run(rc, queries, () -> {
      TreeMap<String, TreeSet<String>> ops = new TreeMap<>();
      TreeSet<String> hosts = new TreeSet<>();
      for (Source s : repo.allSources()) {
        ops.computeIfAbsent(s.service(), k -> new TreeSet<>()).add(s.op());
        if (servers) hosts.add(s.host());
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
          .put("naming", "SERVICE.metric, SERVICE.op.metric or *.metric" + (servers ? "; ?host=&agent= narrow it" : ""));
    }, j -> json(rc, j));
  }

  /** The furthest back an overlay may look. */
  static final long MAX_SHIFT_SECONDS = 10L * 365 * 86400;

  /**
   * One series over a range: {@code from}, {@code to}, {@code step} (else chosen, at most
   * {@link Steps#MAX_POINTS} points), {@code shift} (the same range that long before, drawn at this
   * range's times: an overlay), {@code per=s|min} (counts as a rate, the error rate in %),
   * {@code format=vectors} (every counter). Unknown buckets are null.
   */
  private void series(RoutingContext rc) {
    if (narrowsToAServer(rc)) return;
    long now = System.currentTimeMillis() / 1000;
    List<SeriesSpec> readings;
    SeriesSpec.Per per;
    long start, step, shift;
    int n;
    boolean vectors;
    try {
      vectors = vectorsFormat(rc.queryParams().get("format"));
      readings = SeriesSpec.readings(rc.pathParam("name"), rc.queryParams().get("host"), rc.queryParams().get("agent"));
      per = SeriesSpec.Per.parse(rc.queryParams().get("per"));
      long to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      long from = TimeParam.parse("from", rc.queryParams().get("from"), to - 3600, now);
      shift = shift("shift", rc.queryParams().get("shift"));
      String st = rc.queryParams().get("step");
      long wanted = st == null || st.isBlank() ? 0 : TimeParam.duration("step", st.matches("\\d+") ? st + "s" : st);
      if (st != null && !st.isBlank() && wanted <= 0) throw new IllegalArgumentException("'step' must be at least 10 s");
      step = Steps.choose(from, to, wanted, now);
      start = Math.floorDiv(from, step) * step;
      n = (int) (Math.floorDiv(to + step - 1, step) - Math.floorDiv(from, step));
      if (start - shift < 0) throw new IllegalArgumentException("'shift' reaches before 1970 (the limit)");
    } catch (IllegalArgumentException e) {
      badRequest(rc, e.getMessage());
      return;
    }
    String name = rc.pathParam("name");
    run(rc, queries, () -> {
      SeriesSpec spec = query.resolveBlocking(readings);
      SeriesQuery.Result r = query.runAlignedBlocking(spec, start - shift, step, n, now);
      if (!r.matched()) query.checkNamesBlocking(spec); // nothing there: a quiet series, or a typo (404)
      // built here, off the event loop: a long answer never holds up the live pushes
      double[] values = r.display(spec, per);
      JsonArray points = new JsonArray();
      for (int i = 0; i < values.length; i++) {
        JsonArray point = new JsonArray().add(r.times()[i] + shift);
        if (vectors) {
          if (r.known()[i]) {
            JsonArray v = new JsonArray();
            for (double x : r.vectors()[i]) v.add(number(x));
            point.add(v);
          } else {
            point.addNull();
          }
        } else {
          point.add(number(values[i]));
        }
        points.add(point);
      }
      return new JsonObject().put("name", name).put("service", spec.service()).put("op", spec.op()).put("step", step).put("from", r.from() + shift)
          .put("to", r.from() + shift + step * n).put("shift", shift).put("unit", spec.unit(per, step))
          .put("maxPoints", Steps.MAX_POINTS)
          .put("historyStart", r.historyStart() == null ? null : r.historyStart() + shift)
          .put("totals", new JsonObject().put("calls", r.total(Metrics.CALLS))
              .put("errors", r.total(Metrics.ERROR) + r.total(Metrics.TIMEOUT)))
          .put("points", points).toBuffer();
    }, body -> rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(body));
  }

  /** {@code format}: absent for the asked metric, {@code vectors} for every counter; anything else is refused, not ignored. */
  static boolean vectorsFormat(String format) {
    if (format == null || format.isBlank()) return false;
    if (format.equals("vectors")) return true;
    throw new IllegalArgumentException("'format' must be vectors (every counter) or left out, got '" + format + "'");
  }

  static long shift(String name, String value) {
    if (value == null || value.isBlank()) return 0;
    long s = TimeParam.duration(name, value);
    if (s > MAX_SHIFT_SECONDS) {
      throw new IllegalArgumentException("'" + name + "' is " + s + " s; the limit is 10 years (" + MAX_SHIFT_SECONDS + " s)");
    }
    return s;
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
    boolean pharmacies = operatorView(rc);
    run(rc, queries, () -> {
      JsonObject j = drill.runBlocking(svc, f, t, n, now);
      // a mistyped service is said to be one (naming those that exist), not answered with empty tables
      if (svc != null && j.getLong("calls") == 0) query.checkNamesBlocking(new SeriesSpec(svc, null, "calls", null, null));
      // the platform's team sees vendors, versions and codes: never a pharmacy id (nor a host of ours)
      if (!pharmacies) for (String k : new String[] {"topByCalls", "topByErrors", "topByE401", "hosts"}) j.remove(k);
      return j;
    }, j -> json(rc, j));
  }

  /** The graph view as an image: s, range (1h/1d/1w/1M/1y) or from/to, overlay, per, width, height. */
  private void png(RoutingContext rc) {
    if (narrowsToAServer(rc)) return;
    long now = System.currentTimeMillis() / 1000;
    List<SeriesSpec> readings;
    SeriesSpec.Per per;
    long from, to, shift;
    int width, height;
    String name = rc.queryParams().get("s");
    try {
      readings = SeriesSpec.readings(name, rc.queryParams().get("host"), rc.queryParams().get("agent"));
      per = SeriesSpec.Per.parse(rc.queryParams().get("per") == null ? "min" : rc.queryParams().get("per"));
      String range = rc.queryParams().get("range");
      to = TimeParam.parse("to", rc.queryParams().get("to"), now, now);
      long span = TimeParam.duration("range", range == null || range.isBlank() ? "1d" : range);
      if (span > Steps.MAX_RANGE_SECONDS) {
        throw new IllegalArgumentException("'range' is " + span + " s; the limit is 20 years (" + Steps.MAX_RANGE_SECONDS + " s)");
      }
      from = TimeParam.parse("from", rc.queryParams().get("from"), Math.max(0, to - span), now);
      shift = shift("overlay", rc.queryParams().get("overlay"));
      width = whole("width", rc.queryParams().get("width"), 800, 100, PngChart.MAX_WIDTH);
      height = whole("height", rc.queryParams().get("height"), 300, 80, PngChart.MAX_HEIGHT);
      if (to <= from) throw new IllegalArgumentException("'from' must be before 'to'");
      Steps.choose(from, to, 0, now);
      if (from - shift < 0) throw new IllegalArgumentException("'overlay' reaches before 1970 (the limit)");
    } catch (IllegalArgumentException e) {
      badRequest(rc, e.getMessage());
      return;
    }
    long f = from, t = to, sh = shift;
    int w = width, h = height;
    String overlay = rc.queryParams().get("overlay");
    run(rc, renders, () -> {
      SeriesSpec spec = query.resolveBlocking(readings);
      SeriesQuery.Result cur = query.runBlocking(spec, f, t, 0, now);
      if (!cur.matched()) query.checkNamesBlocking(spec);
      SeriesQuery.Result old = sh > 0 ? query.runAlignedBlocking(spec, cur.from() - sh, cur.step(), cur.times().length, now) : null;
      return PngChart.render(new PngChart.Chart(name, spec.unit(per, cur.step()), cur.times(), cur.display(spec, per),
          old == null ? null : old.display(spec, per), old == null ? null : PngChart.overlayLabel(overlay),
          cur.total(Metrics.CALLS), cur.total(Metrics.ERROR) + cur.total(Metrics.TIMEOUT), cur.historyStart()), w, h,
          java.time.ZoneId.systemDefault());
    }, png -> rc.response().putHeader("content-type", "image/png").putHeader("cache-control", "no-store")
        .end(io.vertx.core.buffer.Buffer.buffer(png)));
  }

  /** A whole-number parameter within limits, the limits said when it is not. */
  static int whole(String name, String value, int defaultValue, int min, int max) {
    if (value == null || value.isBlank()) return defaultValue;
    int v;
    try {
      v = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + name + "' must be a whole number between " + min + " and " + max + ", got '" + value + "'");
    }
    if (v < min || v > max) throw new IllegalArgumentException("'" + name + "' must be between " + min + " and " + max + " (the limit), got " + v);
    return v;
  }

  /** Pharmacies, servers and agents are the operators' (docs/access.md): partners see services, ops, vendors and codes. */
  private static boolean operatorView(RoutingContext rc) {
    return AccessControl.role(rc).atLeast(callwatch.aggregator.auth.Role.OPERATOR);
  }

  /** Answers 403 to a partner who asks for one server's or agent's series; true if it did. */
  private static boolean narrowsToAServer(RoutingContext rc) {
    if (operatorView(rc) || (rc.queryParams().get("host") == null && rc.queryParams().get("agent") == null)) return false;
    BlockingWork.error(rc, 403, "host= and agent= are for operators: partners see services and ops, not servers or agents");
    return true;
  }

  static void badRequest(RoutingContext rc, String reason) {
    BlockingWork.error(rc, 400, reason);
  }

  private void agents(RoutingContext rc) {
    run(rc, queries, () -> {
      JsonArray out = new JsonArray();
      long now = System.currentTimeMillis();
      Map<String, AgentState> states = new TreeMap<>(cache.agentsBlocking());
      Map<String, callwatch.aggregator.cluster.Refusal> refused = cache.refusedBlocking(states);
      for (Map.Entry<String, AgentState> e : states.entrySet()) {
        AgentState a = e.getValue();
        // the stored contact moves with each stored batch; a member holding the agent's batches hears it meanwhile
        long contact = Math.max(a.lastContactMillis, lastHeard.applyAsLong(e.getKey()));
        out.add(new JsonObject().put("agent", e.getKey()).put("host", a.host).put("version", a.version)
            .put("lastSeq", a.lastSeq).put("closedBefore", a.closedBefore).put("lastContactMillis", contact)
            .put("silentSeconds", (now - contact) / 1000).put("lateCalls", a.lateCalls)
            .put("epoch", a.epoch).put("epochs", a.epochs).put("epochSinceMillis", a.epochSinceMillis)
            .put("rereadCalls", a.rereadCalls)
            .put("writtenUpTo", writer.writtenUpTo(e.getKey())).put("stats", new JsonObject(a.statsJson))
            .put("refused", refusedJson(refused.get(e.getKey()))));
      }
      return new JsonObject().put("agents", out).put("refusedSources", repo.refusedSources())
          .put("unwritableSources", writer.unwritableSourcesJson());
    }, j -> json(rc, j));
  }

  private static JsonObject refusedJson(callwatch.aggregator.cluster.Refusal r) {
    return r == null ? null : new JsonObject().put("reason", r.reason()).put("atMillis", r.atMillis()).put("sinceMillis", r.sinceMillis());
  }

  /** Whole numbers as JSON integers (exact counts), unknown as null. */
  static Object number(double v) {
    return Double.isNaN(v) ? null : v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : v;
  }

  static void json(RoutingContext rc, JsonObject body) {
    rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(body.encode());
  }
}

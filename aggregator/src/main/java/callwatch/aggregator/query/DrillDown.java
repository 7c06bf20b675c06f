package callwatch.aggregator.query;

import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.cluster.PharmacyMinute;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Who is behind it": for one service (or all) and a time window, the top pharmacies by calls, by
 * errors and by E401 (no contract), each with its vendor; the split by vendor and version, by
 * error code and by host. Pharmacies come from the per-minute pharmacy counts (kept {@code pharmacyHours}, 6 h by default); codes and
 * hosts from the series. Blocking; run on a worker pool.
 */
public final class DrillDown {
  /** A window is capped at 7 days (the pharmacy tables hold what the cache still keeps: {@code pharmacyHours}). */
  public static final long MAX_WINDOW_SECONDS = 7 * 86400;
  private final LiveCache cache;
  private final RrdRepository repo;
  private final SeriesQuery series;

  public DrillDown(LiveCache cache, RrdRepository repo, SeriesQuery series) {
    this.cache = cache;
    this.repo = repo;
    this.series = series;
  }

  public JsonObject runBlocking(String service, long from, long to, int top, long now) throws IOException {
    if (to - from > MAX_WINDOW_SECONDS) throw new IllegalArgumentException("the drill-down window is at most 7 days");
    Map<String, AgentState> agents = cache.agentsBlocking();
    Map<String, long[]> pharmacies = new HashMap<>();   // pharmacy → calls, errors, e401
    Map<String, Map<String, Long>> pharmacyVendors = new HashMap<>();
    Map<String, long[]> vendors = new HashMap<>();
    long firstMinute = Math.floorDiv(from, 60) * 60;
    for (String agent : agents.keySet()) {
      Set<String> keys = new HashSet<>();
      for (long m = firstMinute; m < to; m += 60) keys.add(PharmacyMinute.key(agent, m));
      for (PharmacyMinute pm : cache.pharmacyMinutesBlocking(keys).values()) {
        pm.rows.forEach((pharmacy, rowService, vendor, calls, errors, e401) -> {
          if (service != null && !service.equals(rowService)) return;
          long[] c = {calls, errors, e401};
          add(pharmacies.computeIfAbsent(pharmacy, x -> new long[3]), c);
          pharmacyVendors.computeIfAbsent(pharmacy, x -> new HashMap<>()).merge(vendor, calls, Long::sum);
          add(vendors.computeIfAbsent(vendor, x -> new long[3]), c);
        });
      }
    }
    JsonObject out = new JsonObject().put("service", service == null ? "*" : service).put("from", from).put("to", to);
    out.put("topByCalls", top(pharmacies, pharmacyVendors, 0, top)).put("topByErrors", top(pharmacies, pharmacyVendors, 1, top))
        .put("topByE401", top(pharmacies, pharmacyVendors, 2, top));
    JsonArray vendorList = new JsonArray();
    vendors.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0]))
        .forEach(e -> {
          String[] nv = e.getKey().split("/", 2);
          vendorList.add(new JsonObject().put("vendor", nv[0]).put("version", nv.length > 1 ? nv[1] : "")
              .put("calls", e.getValue()[0]).put("errors", e.getValue()[1]).put("e401", e.getValue()[2])
              .put("errorRate", e.getValue()[0] == 0 ? 0 : (double) e.getValue()[1] / e.getValue()[0]));
        });
    out.put("vendors", vendorList);

    double[] total = sum(series.runBlocking(new SeriesSpec(service, null, "calls", null, null), from, to, 0, now));
    JsonObject codes = new JsonObject();
    for (String code : List.of("e401", "e500", "e503", "e504")) codes.put(code.toUpperCase(), (long) total[Metrics.index(code)]);
    codes.put("timeout", (long) total[Metrics.TIMEOUT]);
    out.put("calls", (long) total[Metrics.CALLS]);
    out.put("codes", codes);
    TreeSet<String> hosts = new TreeSet<>();
    for (Source s : repo.allSources()) hosts.add(s.host());
    for (AgentState a : agents.values()) if (!a.host.isEmpty()) hosts.add(a.host);
    JsonArray hostList = new JsonArray();
    for (String host : hosts) {
      double[] h = sum(series.runBlocking(new SeriesSpec(service, null, "calls", host, null), from, to, 0, now));
      if (h[Metrics.CALLS] > 0) {
        hostList.add(new JsonObject().put("host", host).put("calls", (long) h[Metrics.CALLS])
            .put("errors", (long) (h[Metrics.ERROR] + h[Metrics.TIMEOUT])));
      }
    }
    out.put("hosts", hostList);
    return out;
  }

  private static double[] sum(SeriesQuery.Result r) {
    double[] t = new double[Metrics.SIZE];
    for (double[] v : r.vectors()) for (int i = 0; i < t.length; i++) t[i] = Metrics.isMax(i) ? Math.max(t[i], v[i]) : t[i] + v[i];
    return t;
  }

  private static void add(long[] into, long[] c) {
    for (int i = 0; i < 3; i++) into[i] += c[i];
  }

  /** The top n pharmacies by counter {@code by}; "vendor" is the software most of its calls came from. */
  private static JsonArray top(Map<String, long[]> pharmacies, Map<String, Map<String, Long>> vendors, int by, int n) {
    List<Map.Entry<String, long[]>> list = new ArrayList<>(pharmacies.entrySet());
    list.removeIf(e -> e.getValue()[by] == 0);
    list.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[by]).thenComparing(Map.Entry::getKey));
    JsonArray out = new JsonArray();
    for (Map.Entry<String, long[]> e : list.subList(0, Math.min(n, list.size()))) {
      String vendor = vendors.get(e.getKey()).entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
      out.add(new JsonObject().put("pharmacy", e.getKey()).put("vendor", vendor).put("calls", e.getValue()[0])
          .put("errors", e.getValue()[1]).put("e401", e.getValue()[2]));
    }
    return out;
  }
}

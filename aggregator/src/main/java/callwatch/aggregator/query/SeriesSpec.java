package callwatch.aggregator.query;

import callwatch.common.model.Metrics;
import java.util.List;

/**
 * A series name as the API takes it: {@code SERVICE.metric} (a service over all ops and hosts),
 * {@code SERVICE.op.metric}, or {@code *.metric} (all services), optionally narrowed to one host
 * or agent. Metrics are the stored counters ({@link Metrics#NAMES}) and the derived
 * {@link #DERIVED} ones. Pure.
 */
public record SeriesSpec(String service, String op, String metric, String host, String agent) {
  public static final List<String> DERIVED = List.of("errors", "errorrate", "latavg", "p50", "p95", "p99", "cpm");

  /** Parses a name; throws IllegalArgumentException with a reason a person can act on. */
  public static SeriesSpec parse(String name, String host, String agent) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("series name is empty");
    String[] parts = name.split("\\.");
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("series name must be SERVICE.metric or SERVICE.op.metric, got '" + name + "'");
    }
    String metric = parts[parts.length - 1];
    if (!Metrics.NAMES.contains(metric) && !DERIVED.contains(metric)) {
      throw new IllegalArgumentException("unknown metric '" + metric + "' (known: " + String.join(", ", Metrics.NAMES)
          + ", " + String.join(", ", DERIVED) + ")");
    }
    for (String p : parts) {
      if (p.isEmpty()) throw new IllegalArgumentException("series name has an empty part: '" + name + "'");
    }
    String service = parts[0].equals("*") ? null : parts[0];
    String op = parts.length == 3 && !parts[1].equals("*") ? parts[1] : null;
    return new SeriesSpec(service, op, metric, blankToNull(host), blankToNull(agent));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public boolean matches(String agentId, String h, String svc, String o) {
    return (service == null || service.equals(svc)) && (op == null || op.equals(o))
        && (host == null || host.equals(h)) && (agent == null || agent.equals(agentId));
  }

  /** The value of this spec's metric for a summed counter vector over {@code resolution} seconds. */
  public double value(double[] v, long resolution) {
    double calls = v[Metrics.CALLS];
    return switch (metric) {
      case "errors" -> v[Metrics.ERROR] + v[Metrics.TIMEOUT];
      case "errorrate" -> calls == 0 ? Double.NaN : (v[Metrics.ERROR] + v[Metrics.TIMEOUT]) / calls;
      case "latavg" -> calls == 0 ? Double.NaN : v[Metrics.LATENCY_SUM] / calls;
      case "p50" -> Metrics.percentileMs(toLong(v), 0.50);
      case "p95" -> Metrics.percentileMs(toLong(v), 0.95);
      case "p99" -> Metrics.percentileMs(toLong(v), 0.99);
      case "cpm" -> calls * 60.0 / resolution;
      default -> v[Metrics.index(metric)];
    };
  }

  private static long[] toLong(double[] v) {
    long[] l = new long[v.length];
    for (int i = 0; i < v.length; i++) l[i] = (long) v[i];
    return l;
  }
}

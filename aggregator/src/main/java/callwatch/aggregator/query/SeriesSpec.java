package callwatch.aggregator.query;

import callwatch.common.model.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A series name as the API takes it: {@code SERVICE.metric} (a service over all ops and hosts),
 * {@code SERVICE.op.metric}, or {@code *.metric} (all services), optionally narrowed to one host
 * or agent. Metrics are the stored counters ({@link Metrics#NAMES}) and the derived
 * {@link #DERIVED} ones. Pure.
 */
public record SeriesSpec(String service, String op, String metric, String host, String agent) {
  public static final List<String> DERIVED = List.of("errors", "errorrate", "latavg", "p50", "p95", "p99", "cpm");

  /** Parses a name into its first reading (see {@link #readings}); throws IllegalArgumentException with a reason a person can act on. */
  public static SeriesSpec parse(String name, String host, String agent) {
    return readings(name, host, agent).get(0);
  }

  /**
   * Every way to read a name whose service or op holds a dot (names come from the log lines:
   * "eHealth.DPP" is a service like "DPP"): {@code A.B.C.metric} is service A, op B.C; then
   * service A.B, op C; then service A.B.C. The catalogue picks the first one it knows
   * ({@link SeriesQuery#resolveBlocking}). A name without a dot in its subject has one reading.
   */
  public static List<SeriesSpec> readings(String name, String host, String agent) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("series name is empty");
    String[] parts = name.split("\\.", -1);
    if (parts.length < 2) {
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
    int subject = parts.length - 1;
    List<SeriesSpec> out = new ArrayList<>();
    for (int split = 1; split < subject; split++) {
      out.add(new SeriesSpec(any(join(parts, 0, split)), any(join(parts, split, subject)), metric, blankToNull(host), blankToNull(agent)));
    }
    out.add(new SeriesSpec(any(join(parts, 0, subject)), null, metric, blankToNull(host), blankToNull(agent)));
    return out;
  }

  private static String join(String[] parts, int from, int to) {
    return String.join(".", java.util.Arrays.asList(parts).subList(from, to));
  }

  /** "*" is every service (or op). */
  private static String any(String name) {
    return name.equals("*") ? null : name;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public boolean matches(String agentId, String h, String svc, String o) {
    return (service == null || service.equals(svc)) && (op == null || op.equals(o))
        && (host == null || host.equals(h)) && (agent == null || agent.equals(agentId));
  }

  /** How a count is shown: as it is stored (per step of the answer), or as a rate per second or per minute. */
  public enum Per {
    STEP, SECOND, MINUTE;

    /** {@code per=s|min}; absent means per step (the stored counts, whose sum is the window's total). */
    public static Per parse(String value) {
      if (value == null) return STEP;
      return switch (value) {
        case "s" -> SECOND;
        case "min" -> MINUTE;
        case "step" -> STEP;
        default -> throw new IllegalArgumentException("'per' must be s, min or step, got '" + value + "'");
      };
    }
  }

  /** Whether the metric counts calls (shown as a rate), rather than a ratio or a latency. */
  public boolean isCount() {
    return !metric.startsWith("lat") && !metric.equals("errorrate") && !metric.equals("cpm") && !metric.startsWith("p");
  }

  /** The unit of {@link #display} for this metric, e.g. {@code calls/min}, {@code %}, {@code ms}. */
  public String unit(Per per, long step) {
    if (isCount()) {
      String noun = metric.equals("calls") || metric.equals("ok") || metric.startsWith("h") ? "calls" : "errors";
      return switch (per) {
        case SECOND -> noun + "/s";
        case MINUTE -> noun + "/min";
        case STEP -> noun + " per " + step + " s";
      };
    }
    if (metric.equals("errorrate")) return per == Per.STEP ? "fraction" : "%";
    if (metric.equals("cpm")) return "calls/min";
    return "ms";
  }

  /** The value shown for a summed vector over {@code step} seconds: counts as rates when asked, the error rate in %. */
  public double display(double[] v, long step, Per per) {
    double x = value(v, step);
    if (isCount()) {
      return switch (per) {
        case SECOND -> x / step;
        case MINUTE -> x * 60.0 / step;
        case STEP -> x;
      };
    }
    if (metric.equals("errorrate") && per != Per.STEP) return x * 100;
    return x;
  }

  /** The value of this spec's metric for a summed counter vector over {@code resolution} seconds. */
  public double value(double[] v, long resolution) {
    double calls = v[Metrics.CALLS];
    return switch (metric) {
      case "errors" -> v[Metrics.ERROR] + v[Metrics.TIMEOUT];
      case "errorrate" -> calls == 0 ? Double.NaN : (v[Metrics.ERROR] + v[Metrics.TIMEOUT]) / calls;
      case "latavg" -> calls == 0 ? Double.NaN : v[Metrics.LATENCY_SUM] / calls;
      case "p50" -> Metrics.percentileMs(v, 0.50);
      case "p95" -> Metrics.percentileMs(v, 0.95);
      case "p99" -> Metrics.percentileMs(v, 0.99);
      case "cpm" -> calls * 60.0 / resolution;
      default -> v[Metrics.index(metric)];
    };
  }
}

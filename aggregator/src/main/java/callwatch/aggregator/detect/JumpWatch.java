package callwatch.aggregator.detect;

import callwatch.common.model.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error-rate and latency jumps of one subject (a service, or one of its ops, vendors or vendor
 * versions) over the last minute of event time, against its own usual share — learnt over the
 * last hours while nothing fires — or its service's while it has too few calls of its own (a
 * new version). The window's counts come from the detector's cells, so that a subject can be
 * judged without the calls a finer alert already explains. Latency is judged by the share of calls slower than 1.5 × the usual p95 rather
 * than by a mean that a few 30 s timeouts would swing. Pure.
 */
final class JumpWatch {
  private static final double DECAY = Math.exp(-ServiceWatch.STEP / (6 * 3600.0));
  /** Calls behind a usual share before it is trusted over the parent's. */
  static final double OWN_BASELINE_CALLS = 300;
  final String key;
  final Map<String, String> subject;
  /** 0 service, 1 op or vendor, 2 vendor version: finer subjects are judged first. */
  final int depth;
  private final double[] baseline = new double[SlotCounts.WIDTH];
  Alert errorAlert;
  Alert latencyAlert;

  JumpWatch(String key) {
    this.key = key;
    this.subject = subject(key);
    this.depth = subject.containsKey("version") ? 2 : subject.size() > 1 ? 1 : 0;
  }

  /** "service\u0001op\u0001vendor\u0001version" with empty parts for what does not apply; null for an unnamed version. */
  static String key(String service, String op, String vendor, String version) {
    return service + '\u0001' + (op == null ? "" : op) + '\u0001' + (vendor == null ? "" : vendor) + '\u0001'
        + (version == null ? "" : version);
  }

  /** Whether a cell (the parts of a key with op, vendor and version) belongs to this subject. */
  boolean holds(Map<String, String> cell) {
    for (Map.Entry<String, String> e : subject.entrySet()) if (!e.getValue().equals(cell.get(e.getKey()))) return false;
    return true;
  }

  static Map<String, String> subject(String key) {
    String[] p = key.split("\u0001", -1);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("service", p[0]);
    if (!p[1].isEmpty()) m.put("op", p[1]);
    if (!p[2].isEmpty()) m.put("vendor", p[2]);
    if (!p[3].isEmpty()) m.put("version", p[3]);
    return m;
  }

  /** Learns from the newest slot, unless something fires on this subject (it must not learn the fault). */
  void learn(long[] counts) {
    if (errorAlert != null || latencyAlert != null) return;
    for (int i = 0; i < baseline.length; i++) baseline[i] = baseline[i] * DECAY + (counts == null ? 0 : counts[i]) * (1 - DECAY);
  }

  boolean ownBaseline() {
    return baseline[0] / (1 - DECAY) >= OWN_BASELINE_CALLS;
  }

  /** The usual error share: its own, else its parent's. */
  double usualErrors(JumpWatch parent) {
    if (ownBaseline() || parent == null) return baseline[0] > 0 ? baseline[SlotCounts.ERRORS] / baseline[0] : 0;
    return parent.usualErrors(null);
  }

  /** The histogram bucket from which a call is "slow" (-1: no usual latency known). */
  int slowBucket(JumpWatch parent) {
    if (!ownBaseline()) return parent == null ? -1 : parent.slowBucket(null);
    double[] v = new double[Metrics.SIZE];
    System.arraycopy(baseline, SlotCounts.HIST, v, Metrics.HISTOGRAM, Metrics.HISTOGRAM_BUCKETS);
    v[Metrics.LATENCY_MAX] = Metrics.HISTOGRAM_BOUNDS_MS[Metrics.HISTOGRAM_BOUNDS_MS.length - 1];
    double p95 = Metrics.percentileMs(v, 0.95);
    if (Double.isNaN(p95)) return -1;
    for (int i = 0; i < Metrics.HISTOGRAM_BOUNDS_MS.length; i++) {
      if (Metrics.HISTOGRAM_BOUNDS_MS[i] >= 1.5 * p95) return i + 1;
    }
    return -1;
  }

  /** The usual share of calls in or above {@code bucket}. */
  double usualSlow(JumpWatch parent, int bucket) {
    double[] b = ownBaseline() || parent == null ? baseline : parent.baseline;
    double slow = 0;
    for (int i = bucket; i < Metrics.HISTOGRAM_BUCKETS; i++) slow += b[SlotCounts.HIST + i];
    return b[0] > 0 ? Math.max(0.002, slow / b[0]) : 0.002;
  }

  static long slowCalls(long[] w, int bucket) {
    long s = 0;
    for (int i = bucket; i < Metrics.HISTOGRAM_BUCKETS; i++) s += w[SlotCounts.HIST + i];
    return s;
  }

  /** "RECIPE", "RECIPE op deliver", "RECIPE from Corilus 4.3": the subject in words. */
  String words() {
    StringBuilder b = new StringBuilder(subject.get("service"));
    if (subject.containsKey("op")) b.append(" op ").append(subject.get("op"));
    if (subject.containsKey("vendor")) b.append(" from ").append(subject.get("vendor"));
    if (subject.containsKey("version")) b.append(' ').append(subject.get("version"));
    return b.toString();
  }
}

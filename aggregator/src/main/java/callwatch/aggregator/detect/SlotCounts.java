package callwatch.aggregator.detect;

import callwatch.common.model.Metrics;
import java.util.HashMap;
import java.util.Map;

/** One service's counts in one slot (or the open part of it), from the included agents only. */
final class SlotCounts {
  long calls;
  final Map<String, Long> perHost = new HashMap<>();
  final Map<String, Long> perAgent = new HashMap<>();
  final Map<String, String> hostAgent = new HashMap<>();
  /** Per subject key (see {@link JumpWatch#key}): [calls, errors, histogram buckets...]. */
  final Map<String, long[]> subjects = new HashMap<>();
  /** The same per cell (op, vendor, version): what any subject's counts are made of. */
  final Map<String, long[]> cells = new HashMap<>();

  static final int ERRORS = 1;
  static final int HIST = 2;
  static final int WIDTH = HIST + Metrics.HISTOGRAM_BUCKETS;

  void add(Row r) {
    long c = r.v()[Metrics.CALLS];
    calls += c;
    perHost.merge(r.host(), c, Long::sum);
    perAgent.merge(r.agent(), c, Long::sum);
    hostAgent.put(r.host(), r.agent());
    long[] s = new long[WIDTH];
    s[0] = c;
    s[ERRORS] = errors(r.v());
    System.arraycopy(r.v(), Metrics.HISTOGRAM, s, HIST, Metrics.HISTOGRAM_BUCKETS);
    String[] vv = VendorVersion.split(r.vendor());
    long[] cell = cells.computeIfAbsent(JumpWatch.key(r.service(), r.op(), vv[0], vv[1]), k -> new long[WIDTH]);
    for (int i = 0; i < WIDTH; i++) cell[i] += s[i];
    for (String key : new String[] {
        JumpWatch.key(r.service(), null, null, null), JumpWatch.key(r.service(), r.op(), null, null),
        JumpWatch.key(r.service(), null, vv[0], null), vv[1] == null ? null : JumpWatch.key(r.service(), null, vv[0], vv[1])}) {
      if (key == null) continue;
      long[] into = subjects.computeIfAbsent(key, k -> new long[WIDTH]);
      for (int i = 0; i < WIDTH; i++) into[i] += s[i];
    }
  }

  /** Errors and timeouts, less the E401 answers: a caller without a contract is not a fault of the service. */
  static long errors(long[] v) {
    return Math.max(0, v[Metrics.ERROR] + v[Metrics.TIMEOUT] - v[Metrics.E401]);
  }
}

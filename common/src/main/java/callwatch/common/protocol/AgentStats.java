package callwatch.common.protocol;

import java.util.List;
import java.util.Map;

/**
 * The agent's own figures, shipped with every batch (totals since the agent started, except the
 * gauges lagBytes, spoolBytes, spoolBatches). {@code counters} names each figure; the aggregator
 * stores each as a series of its own.
 */
public record AgentStats(Map<String, Long> counters, List<FileStatus> files) {
  public static final List<String> COUNTER_NAMES = List.of(
      "linesRead", "parsed", "other", "rejected", "late", "lagBytes", "lostBytes",
      "spoolBytes", "spoolBatches", "reconnects", "readPaused");

  public long get(String name) {
    return counters.getOrDefault(name, 0L);
  }
}

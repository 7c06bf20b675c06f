package callwatch.common.protocol;

import callwatch.common.model.Metrics;

/**
 * Counters added for one (service, op, vendor, host) during one slot; {@code counters} follows the
 * layout of {@link Metrics}. Vendor is the software as the log names it, version included
 * ("Corilus/4.2") when the log gives one.
 */
public record SeriesRow(String service, String op, String vendor, String host, long[] counters) {
  public SeriesRow {
    if (counters.length != Metrics.SIZE) {
      throw new IllegalArgumentException("counters must have " + Metrics.SIZE + " elements, got " + counters.length);
    }
  }
}

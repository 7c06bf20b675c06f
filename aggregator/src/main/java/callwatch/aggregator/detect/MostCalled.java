package callwatch.aggregator.detect;

/**
 * The name behind most of a pharmacy's calls (its software vendor), in constant space: a weighted
 * majority vote. A name behind more than half the calls is always the one given; with no such
 * name, one of the frequent ones, tending to the latest. A map of counts per name cost the detector
 * a lookup per pharmacy row, thousands a minute, for a name read only when an alert fires
 * (docs/performance.md). Pure.
 */
final class MostCalled {
  private String name;
  private long lead;

  void add(String candidate, long calls) {
    if (calls <= 0) return;
    if (name == null || candidate.equals(name)) {
      name = candidate;
      lead += calls;
    } else if (calls <= lead) {
      lead -= calls;
    } else {
      name = candidate;
      lead = calls - lead;
    }
  }

  /** Whether a call has named anyone yet. */
  boolean hasName() {
    return name != null;
  }

  /** The name, or "unknown" before any call. */
  String name() {
    return name == null ? "unknown" : name;
  }
}

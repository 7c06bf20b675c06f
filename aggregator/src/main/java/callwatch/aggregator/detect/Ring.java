package callwatch.aggregator.detect;

/** The last {@code size} values of a per-slot series, with their sum over any recent span. Pure. */
final class Ring {
  private final double[] values;
  private int next;
  private int filled;

  Ring(int size) {
    values = new double[size];
  }

  void add(double v) {
    values[next] = v;
    next = (next + 1) % values.length;
    filled = Math.min(filled + 1, values.length);
  }

  int filled() {
    return filled;
  }

  /** Sum of the values {@code skip} to {@code skip + count - 1} slots back (0 = the newest). */
  double sum(int skip, int count) {
    double s = 0;
    for (int i = skip; i < Math.min(skip + count, filled); i++) s += values[Math.floorMod(next - 1 - i, values.length)];
    return s;
  }
}

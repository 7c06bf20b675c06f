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

  /** The values held, oldest first. */
  double[] inOrder() {
    double[] out = new double[filled];
    for (int i = 0; i < filled; i++) out[i] = values[Math.floorMod(next - filled + i, values.length)];
    return out;
  }

  /** Sum of the values {@code skip} to {@code skip + count - 1} slots back (0 = the newest). */
  double sum(int skip, int count) {
    double s = 0;
    for (int i = skip; i < Math.min(skip + count, filled); i++) s += values[Math.floorMod(next - 1 - i, values.length)];
    return s;
  }
}

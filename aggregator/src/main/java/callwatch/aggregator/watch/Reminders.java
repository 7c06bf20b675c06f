package callwatch.aggregator.watch;

/** When an alert nobody acknowledged is sent again. Pure. */
final class Reminders {
  private Reminders() {}

  /**
   * The number of the reminder due at {@code nowMillis} for an alert fired at {@code firedMillis}:
   * one per full {@code everyMillis} since it fired, 0 before the first.
   */
  static long due(long firedMillis, long nowMillis, long everyMillis) {
    if (everyMillis <= 0 || nowMillis < firedMillis) return 0;
    return (nowMillis - firedMillis) / everyMillis;
  }
}

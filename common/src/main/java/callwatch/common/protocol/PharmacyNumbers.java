package callwatch.common.protocol;

/**
 * The name of a pharmacy given by number ("123456" for 123456), made once per pharmacy rather than
 * once per row: a backlog's rows are nearly one per call, and the platform has a few thousand
 * pharmacies. A fixed table, indexed by the number's low bits (pharmacy numbers are mostly close
 * together); two numbers sharing a slot take turns, which costs a string, never a wrong name.
 * Thread-safe: a slot holds an immutable pair, replaced whole.
 */
final class PharmacyNumbers {
  private static final int SLOTS = 1 << 16;
  private static final Named[] NAMES = new Named[SLOTS];

  private record Named(long number, String name) {}

  private PharmacyNumbers() {}

  static String name(long number) {
    int slot = (int) number & (SLOTS - 1);
    Named known = NAMES[slot];
    if (known != null && known.number == number) return known.name;
    String name = Long.toString(number);
    NAMES[slot] = new Named(number, name);
    return name;
  }
}

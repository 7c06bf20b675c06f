package callwatch.common.protocol;

/**
 * The name of a pharmacy given by number ("123456" for 123456), made once per pharmacy rather than
 * once per row: a backlog's rows are nearly one per call, and the platform has a few thousand
 * pharmacies. A fixed table, indexed by the number's low bits (pharmacy numbers are mostly close
 * together); two numbers sharing a slot take turns, which costs a string, never a wrong name.
 * Thread-safe: a slot holds an immutable pair, replaced whole.
 *
 * <p>A name made of digits that reads back the same as a number (no sign, no leading zero, at most
 * 18 digits, so it fits a long) travels and is stored as that number; any other name as text.
 */
public final class PharmacyNumbers {
  private static final int SLOTS = 1 << 16;
  private static final Named[] NAMES = new Named[SLOTS];

  private record Named(long number, String name) {}

  private PharmacyNumbers() {}

  /** The number a pharmacy's name stands for, or -1 when the name is not such a number. One pass: every stored row asks. */
  public static long numberOf(String name) {
    int length = name.length();
    if (length == 0 || length > 18 || (length > 1 && name.charAt(0) == '0')) return -1;
    long number = 0;
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') return -1;
      number = number * 10 + (c - '0');
    }
    return number;
  }

  /** The name of pharmacy {@code number} (≥ 0), shared by every row of that pharmacy. */
  public static String name(long number) {
    int slot = (int) number & (SLOTS - 1);
    Named known = NAMES[slot];
    if (known != null && known.number == number) return known.name;
    String name = Long.toString(number);
    NAMES[slot] = new Named(number, name);
    return name;
  }
}

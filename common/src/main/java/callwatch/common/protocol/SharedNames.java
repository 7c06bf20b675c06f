package callwatch.common.protocol;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One string per service or vendor name, however many times it is read: every pharmacy minute
 * read from the cache brings its own copies of a few dozen names, and detection compares each of
 * its rows' names with those it keeps for thousands of pharmacies. Equal names that are one string
 * compare by reference, without reaching the text of either (a cache miss each). At most
 * {@link #MAX} names are kept: a table that fills (a client sending made-up names) is emptied and
 * fills again with the names in use, so memory stays bounded and a flood of names cannot stop the
 * real ones being shared for good. A name shared before and after are two strings, still equal:
 * it costs speed, never a wrong answer. Thread-safe.
 */
public final class SharedNames {
  static final int MAX = 4096;
  private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

  private SharedNames() {}

  /** The shared string equal to {@code name} (null stays null). */
  public static String shared(String name) {
    if (name == null) return null;
    String known = NAMES.get(name);
    if (known != null) return known;
    if (NAMES.size() >= MAX) NAMES.clear();
    known = NAMES.putIfAbsent(name, name);
    return known == null ? name : known;
  }

  /** {@code names} with each replaced by its shared string, in place; returns the array. */
  public static String[] shareAll(String[] names) {
    for (int i = 0; i < names.length; i++) names[i] = shared(names[i]);
    return names;
  }

  /** How many names are kept now. */
  static int size() {
    return NAMES.size();
  }
}

package callwatch.common.protocol;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One string per service or vendor name, however many times it is read: every pharmacy minute
 * read from the cache brings its own copies of a few dozen names, and detection compares each of
 * its rows' names with those it keeps for thousands of pharmacies. Equal names that are one string
 * compare by reference, without reaching the text of either (a cache miss each). At most
 * {@link #MAX} names are kept: past that (a client sending made-up names) a name is returned as
 * given, which costs speed, never a wrong answer. Thread-safe.
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
    if (NAMES.size() >= MAX) return name;
    known = NAMES.putIfAbsent(name, name);
    return known == null ? name : known;
  }

  /** {@code names} with each replaced by its shared string, in place; returns the array. */
  public static String[] shareAll(String[] names) {
    for (int i = 0; i < names.length; i++) names[i] = shared(names[i]);
    return names;
  }
}

package callwatch.common.collect;

import java.util.Arrays;

/** A small open-addressing map from long keys to values, so the hot path boxes no keys. Long.MIN_VALUE marks an empty slot and is no key. Not thread-safe. */
public final class LongMap<V> {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys;
  private Object[] values;
  private int size;

  /** What {@link #forEach} calls: a primitive key, so walking the map boxes nothing either. */
  @FunctionalInterface
  public interface Entry<V> {
    void accept(long key, V value);
  }

  public LongMap() {
    this(16);
  }

  /** A map sized for about {@code expected} entries, so filling it does not grow it step by step. */
  public LongMap(int expected) {
    int capacity = 32;
    while (capacity < expected * 2L && capacity < (1 << 30)) capacity <<= 1;
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new Object[capacity];
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) return (V) values[i];
      if (k == EMPTY) return null;
    }
  }

  public void put(long key, V value) {
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) i = (i + 1) & mask;
    if (keys[i] == EMPTY) size++;
    keys[i] = key;
    values[i] = value;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("unchecked")
  public void forEach(Entry<V> action) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) action.accept(keys[i], (V) values[i]);
    }
  }

  public void clear() {
    Arrays.fill(keys, EMPTY);
    Arrays.fill(values, null);
    size = 0;
  }

  private void grow() {
    long[] ok = keys;
    Object[] ov = values;
    keys = new long[ok.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new Object[ok.length * 2];
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != EMPTY) insertRaw(ok[i], ov[i]);
    }
  }

  private void insertRaw(long key, Object value) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != EMPTY) i = (i + 1) & mask;
    keys[i] = key;
    values[i] = value;
    size++;
  }

  /** The hash both this map and the agent's interner use: a long spread over the low bits. */
  public static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}

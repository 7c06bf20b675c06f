package callwatch.agent.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps byte ranges to small int ids without allocating on a hit, so that the hot path of parsing
 * does not build a String per field. Holds at most {@code capacity} distinct values; past that
 * every new value maps to {@link #OVERFLOW} ("~other"), which bounds memory when a log goes wild.
 * Not thread-safe.
 */
public final class ByteInterner {
  public static final String OVERFLOW = "~other";
  private final int capacity;
  private int[] table;          // id + 1 per slot, 0 = empty
  private int[] hashes;
  private final List<byte[]> bytes = new ArrayList<>();
  private final List<String> strings = new ArrayList<>();
  private int overflowId = -1;

  public ByteInterner(int capacity) {
    this.capacity = capacity;
    this.table = new int[64];
    this.hashes = new int[64];
  }

  public int id(byte[] b, int from, int to) {
    int h = hash(b, from, to);
    int mask = table.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) break;
      if (hashes[i] == h && Arrays.equals(bytes.get(e - 1), 0, bytes.get(e - 1).length, b, from, to)) return e - 1;
    }
    if (strings.size() >= capacity) return overflow();
    return add(Arrays.copyOfRange(b, from, to), h);
  }

  public String string(int id) {
    return strings.get(id);
  }

  public int size() {
    return strings.size();
  }

  private int overflow() {
    if (overflowId < 0) {
      byte[] o = OVERFLOW.getBytes(StandardCharsets.UTF_8);
      overflowId = add(o, hash(o, 0, o.length));
    }
    return overflowId;
  }

  private int add(byte[] value, int h) {
    if ((strings.size() + 1) * 2 > table.length) grow();
    int id = strings.size();
    bytes.add(value);
    strings.add(new String(value, StandardCharsets.UTF_8));
    insert(id, h);
    return id;
  }

  private void insert(int id, int h) {
    int mask = table.length - 1;
    int i = h & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = id + 1;
    hashes[i] = h;
  }

  private void grow() {
    int[] oldTable = table, oldHashes = hashes;
    table = new int[oldTable.length * 2];
    hashes = new int[oldTable.length * 2];
    for (int i = 0; i < oldTable.length; i++) {
      if (oldTable[i] != 0) insert(oldTable[i] - 1, oldHashes[i]);
    }
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) h = 31 * h + b[i];
    return h ^ (h >>> 16);
  }
}

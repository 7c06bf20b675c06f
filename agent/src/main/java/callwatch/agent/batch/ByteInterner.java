package callwatch.agent.batch;

import callwatch.common.collect.LongMap;
import callwatch.common.protocol.BatchTextWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  public static final String OVERFLOW = "~other";
  private final int capacity;
  private int[] table;          // id + 1 per slot, 0 = empty
  private int[] hashes;
  private final List<byte[]> bytes = new ArrayList<>();
  private final List<byte[]> literals = new ArrayList<>();
  private int overflowId = -1;
  /** Values of 1 to 8 bytes, read as one long (service, op, vendor and host names mostly are): id by value and length. */
  private long[] shortKeys = new long[64];
  private byte[] shortLengths = new byte[64];
  private int[] shortIds = new int[64];
  private int shortSize;

  public ByteInterner(int capacity) {
    this.capacity = capacity;
    this.table = new int[64];
    this.hashes = new int[64];
  }

  public int id(byte[] b, int from, int to) {
    int n = to - from;
    if (n >= 1 && n <= 8) {
      long packed = pack(b, from, n);
      int mask = shortKeys.length - 1;
      for (int i = LongMap.mix(packed) & mask; shortLengths[i] != 0; i = (i + 1) & mask) {
        if (shortKeys[i] == packed && shortLengths[i] == n) return shortIds[i];
      }
      int id = longId(b, from, to);
      remember(packed, n, id);
      return id;
    }
    return longId(b, from, to);
  }

  private static long pack(byte[] b, int from, int n) {
    if (from + 8 <= b.length) {
      long word = (long) LONGS.get(b, from);
      return n == 8 ? word : word & ((1L << (8 * n)) - 1);
    }
    long v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[from + i] & 0xFF);
    return v;
  }

  private void remember(long packed, int n, int id) {
    if ((shortSize + 1) * 2 > shortKeys.length) {
      long[] keys = shortKeys;
      byte[] lengths = shortLengths;
      int[] ids = shortIds;
      shortKeys = new long[keys.length * 2];
      shortLengths = new byte[keys.length * 2];
      shortIds = new int[keys.length * 2];
      shortSize = 0;
      for (int i = 0; i < keys.length; i++) {
        if (lengths[i] != 0) remember(keys[i], lengths[i], ids[i]);
      }
    }
    int mask = shortKeys.length - 1;
    int i = LongMap.mix(packed) & mask;
    while (shortLengths[i] != 0) i = (i + 1) & mask;
    shortKeys[i] = packed;
    shortLengths[i] = (byte) n;
    shortIds[i] = id;
    shortSize++;
  }

  private int longId(byte[] b, int from, int to) {
    int h = hash(b, from, to);
    int mask = table.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) break;
      if (hashes[i] == h && Arrays.equals(bytes.get(e - 1), 0, bytes.get(e - 1).length, b, from, to)) return e - 1;
    }
    if (bytes.size() >= capacity) return overflow();
    return add(Arrays.copyOfRange(b, from, to), h);
  }

  /** The value as a JSON string literal, made once per value: batches repeat names in every row. */
  public byte[] literal(int id) {
    return literals.get(id);
  }

  private int overflow() {
    if (overflowId < 0) {
      byte[] o = OVERFLOW.getBytes(StandardCharsets.UTF_8);
      overflowId = add(o, hash(o, 0, o.length));
    }
    return overflowId;
  }

  private int add(byte[] value, int h) {
    if ((bytes.size() + 1) * 2 > table.length) grow();
    int id = bytes.size();
    bytes.add(value);
    literals.add(BatchTextWriter.literal(new String(value, StandardCharsets.UTF_8)));
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

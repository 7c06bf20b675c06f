package callwatch.aggregator.cluster;

import callwatch.common.model.Metrics;
import callwatch.common.protocol.SharedNames;
import com.hazelcast.config.CompactSerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import com.hazelcast.nio.serialization.FieldKind;
import java.util.HashMap;
import java.util.Map;

/**
 * How the cluster's values and entry processors travel between members: Hazelcast's Compact
 * format, field by field, never Java serialisation (which would let whoever reaches the cluster
 * port run code through a crafted object, and is slow). Slot rows go as an array of keys and one
 * flat array of counters; pharmacy rows as their columns (see {@link PharmacyRows}), numbered and
 * narrowed once every member reads that form ({@link StoredColumns}, {@link StoredForms}).
 */
public final class ClusterSerializers {
  private ClusterSerializers() {}

  /** @param forms which forms this member may write (every member reads all of them) */
  public static void register(CompactSerializationConfig c, StoredForms forms) {
    c.addSerializer(new SlotSerializer());
    c.addSerializer(new PharmacyMinuteSerializer(forms));
    c.addSerializer(new ApplySlotSerializer());
    c.addSerializer(new ApplyPharmaciesSerializer(forms));
    c.addSerializer(new AgentStateSerializer());
  }

  static void writeRows(CompactWriter w, Map<String, long[]> rows, int width) {
    String[] keys = new String[rows.size()];
    long[] values = new long[rows.size() * width];
    int i = 0;
    for (Map.Entry<String, long[]> e : rows.entrySet()) {
      keys[i] = e.getKey();
      System.arraycopy(e.getValue(), 0, values, i * width, width);
      i++;
    }
    w.writeArrayOfString("keys", keys);
    w.writeArrayOfInt64("values", values);
  }

  static HashMap<String, long[]> readRows(CompactReader r, int width) {
    String[] keys = r.readArrayOfString("keys");
    long[] values = r.readArrayOfInt64("values");
    HashMap<String, long[]> rows = new HashMap<>(keys.length * 2);
    for (int i = 0; i < keys.length; i++) rows.put(keys[i], java.util.Arrays.copyOfRange(values, i * width, (i + 1) * width));
    return rows;
  }

  /** Several batches' rows as one set of flat arrays (one schema whatever their number): the rows, then how many belong to each. */
  static void writeParts(CompactWriter w, java.util.List<Map<String, long[]>> parts, int width) {
    int total = 0;
    for (Map<String, long[]> p : parts) total += p.size();
    String[] keys = new String[total];
    long[] values = new long[total * width];
    int[] sizes = new int[parts.size()];
    int i = 0;
    for (int k = 0; k < parts.size(); k++) {
      sizes[k] = parts.get(k).size();
      for (Map.Entry<String, long[]> e : parts.get(k).entrySet()) {
        keys[i] = e.getKey();
        System.arraycopy(e.getValue(), 0, values, i * width, width);
        i++;
      }
    }
    w.writeArrayOfString("keys", keys);
    w.writeArrayOfInt64("values", values);
    w.writeArrayOfInt32("sizes", sizes);
  }

  static java.util.List<Map<String, long[]>> readParts(CompactReader r, int width) {
    String[] keys = r.readArrayOfString("keys");
    long[] values = r.readArrayOfInt64("values");
    int[] sizes = r.readArrayOfInt32("sizes");
    java.util.List<Map<String, long[]>> parts = new java.util.ArrayList<>(sizes.length);
    int i = 0;
    for (int size : sizes) {
      HashMap<String, long[]> rows = new HashMap<>(size * 2);
      for (int j = 0; j < size; j++, i++) rows.put(keys[i], java.util.Arrays.copyOfRange(values, i * width, (i + 1) * width));
      parts.add(rows);
    }
    return parts;
  }

  static void writeColumns(CompactWriter w, PharmacyRows rows, boolean numbered) {
    w.writeArrayOfString("services", rows.services());
    w.writeArrayOfString("vendors", rows.vendors());
    w.writeArrayOfInt32("pairs", rows.pairOf());
    writePharmaciesAndCounts(w, rows.pharmacies(), rows.counts(), numbered);
  }

  static PharmacyRows readColumns(CompactReader r) {
    // one string per name on this member: detection compares every row's names with its own
    String[] services = SharedNames.shareAll(r.readArrayOfString("services"));
    String[] vendors = SharedNames.shareAll(r.readArrayOfString("vendors"));
    int[] pairOf = r.readArrayOfInt32("pairs");
    PharmaciesAndCounts c = readPharmaciesAndCounts(r);
    return new PharmacyRows(services, vendors, c.pharmacies(), pairOf, c.counts());
  }

  record PharmaciesAndCounts(String[] pharmacies, long[] counts) {}

  private static final String[] NO_TEXT = {};
  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};

  /**
   * The pharmacy and count columns, in one form or the other but always under the same fields (a
   * Compact class has one schema): as {@link StoredColumns} once every member reads them
   * ({@link StoredForms}) and they fit, else as text and 64-bit counts, the form of earlier
   * versions, which leave the other fields aside.
   */
  static void writePharmaciesAndCounts(CompactWriter w, String[] pharmacies, long[] counts, boolean numbered) {
    StoredColumns narrow = numbered ? StoredColumns.of(pharmacies, counts) : null;
    w.writeArrayOfString("pharmacies", narrow == null ? pharmacies : NO_TEXT);
    w.writeArrayOfInt64("counts", narrow == null ? counts : NO_LONGS);
    w.writeArrayOfInt32("numbers32", narrow == null ? NO_INTS : narrow.numbers());
    w.writeArrayOfString("names", narrow == null ? NO_TEXT : narrow.names());
    w.writeArrayOfInt32("counts32", narrow == null ? NO_INTS : narrow.counts());
  }

  /** What {@link #writePharmaciesAndCounts} wrote, or an entry of an earlier version (which has only the text form). */
  static PharmaciesAndCounts readPharmaciesAndCounts(CompactReader r) {
    if (r.getFieldKind("numbers32") == FieldKind.ARRAY_OF_INT32) {
      int[] numbers = r.readArrayOfInt32("numbers32");
      if (numbers.length > 0) {
        StoredColumns narrow = new StoredColumns(numbers, r.readArrayOfString("names"), r.readArrayOfInt32("counts32"));
        return new PharmaciesAndCounts(narrow.pharmacies(), narrow.wideCounts());
      }
    }
    return new PharmaciesAndCounts(r.readArrayOfString("pharmacies"), r.readArrayOfInt64("counts"));
  }

  /** Several batches' pharmacy rows as one set of columns, and how many pairs and rows belong to each batch. */
  static void writePharmacyParts(CompactWriter w, java.util.List<PharmacyRows> parts, boolean numbered) {
    int pairs = 0;
    int rows = 0;
    for (PharmacyRows p : parts) {
      pairs += p.pairCount();
      rows += p.size();
    }
    String[] services = new String[pairs];
    String[] vendors = new String[pairs];
    String[] pharmacies = new String[rows];
    int[] pairOf = new int[rows];
    long[] counts = new long[3 * rows];
    int[] pairSizes = new int[parts.size()];
    int[] rowSizes = new int[parts.size()];
    int pi = 0;
    int ri = 0;
    for (int k = 0; k < parts.size(); k++) {
      PharmacyRows p = parts.get(k);
      String[] s = p.services();
      System.arraycopy(s, 0, services, pi, s.length);
      System.arraycopy(p.vendors(), 0, vendors, pi, s.length);
      System.arraycopy(p.pharmacies(), 0, pharmacies, ri, p.size());
      System.arraycopy(p.pairOf(), 0, pairOf, ri, p.size());
      System.arraycopy(p.counts(), 0, counts, 3 * ri, 3 * p.size());
      pairSizes[k] = s.length;
      rowSizes[k] = p.size();
      pi += s.length;
      ri += p.size();
    }
    w.writeArrayOfString("services", services);
    w.writeArrayOfString("vendors", vendors);
    w.writeArrayOfInt32("pairs", pairOf);
    writePharmaciesAndCounts(w, pharmacies, counts, numbered);
    w.writeArrayOfInt32("pairSizes", pairSizes);
    w.writeArrayOfInt32("rowSizes", rowSizes);
  }

  static java.util.List<PharmacyRows> readPharmacyParts(CompactReader r) {
    String[] services = SharedNames.shareAll(r.readArrayOfString("services"));
    String[] vendors = SharedNames.shareAll(r.readArrayOfString("vendors"));
    int[] pairOf = r.readArrayOfInt32("pairs");
    PharmaciesAndCounts columns = readPharmaciesAndCounts(r);
    String[] pharmacies = columns.pharmacies();
    long[] counts = columns.counts();
    int[] pairSizes = r.readArrayOfInt32("pairSizes");
    int[] rowSizes = r.readArrayOfInt32("rowSizes");
    if (pairSizes.length != rowSizes.length) throw new IllegalArgumentException("pair and row sizes of unequal length");
    java.util.List<PharmacyRows> parts = new java.util.ArrayList<>(rowSizes.length);
    int pi = 0;
    int ri = 0;
    for (int k = 0; k < rowSizes.length; k++) {
      int np = pairSizes[k];
      int nr = rowSizes[k];
      parts.add(new PharmacyRows(java.util.Arrays.copyOfRange(services, pi, pi + np), java.util.Arrays.copyOfRange(vendors, pi, pi + np),
          java.util.Arrays.copyOfRange(pharmacies, ri, ri + nr), java.util.Arrays.copyOfRange(pairOf, ri, ri + nr),
          java.util.Arrays.copyOfRange(counts, 3 * ri, 3 * (ri + nr))));
      pi += np;
      ri += nr;
    }
    return parts;
  }

  static long[] toArray(java.util.Set<Long> s) {
    return s.stream().mapToLong(Long::longValue).toArray();
  }

  static final class SlotSerializer implements CompactSerializer<AgentSlot> {
    @Override
    public AgentSlot read(CompactReader r) {
      AgentSlot s = new AgentSlot();
      for (long seq : r.readArrayOfInt64("applied")) s.applied.add(seq);
      s.rows.putAll(readRows(r, Metrics.SIZE));
      return s;
    }

    @Override
    public void write(CompactWriter w, AgentSlot s) {
      w.writeArrayOfInt64("applied", toArray(s.applied));
      writeRows(w, s.rows, Metrics.SIZE);
    }

    @Override
    public String getTypeName() {
      return "callwatch.AgentSlot";
    }

    @Override
    public Class<AgentSlot> getCompactClass() {
      return AgentSlot.class;
    }
  }

  static final class PharmacyMinuteSerializer implements CompactSerializer<PharmacyMinute> {
    private final StoredForms forms;

    PharmacyMinuteSerializer(StoredForms forms) {
      this.forms = forms;
    }

    @Override
    public PharmacyMinute read(CompactReader r) {
      PharmacyMinute m = new PharmacyMinute(readColumns(r));
      for (long seq : r.readArrayOfInt64("applied")) m.applied.add(seq);
      return m;
    }

    @Override
    public void write(CompactWriter w, PharmacyMinute m) {
      w.writeArrayOfInt64("applied", toArray(m.applied));
      writeColumns(w, m.rows, forms.numberedPharmacies());
    }

    @Override
    public String getTypeName() {
      return "callwatch.PharmacyMinute";
    }

    @Override
    public Class<PharmacyMinute> getCompactClass() {
      return PharmacyMinute.class;
    }
  }

  static final class ApplySlotSerializer implements CompactSerializer<ApplySlot> {
    @Override
    public ApplySlot read(CompactReader r) {
      return new ApplySlot(r.readArrayOfInt64("seqs"), readParts(r, Metrics.SIZE));
    }

    @Override
    public void write(CompactWriter w, ApplySlot a) {
      w.writeArrayOfInt64("seqs", a.seqs());
      writeParts(w, a.parts(), Metrics.SIZE);
    }

    @Override
    public String getTypeName() {
      return "callwatch.ApplySlot";
    }

    @Override
    public Class<ApplySlot> getCompactClass() {
      return ApplySlot.class;
    }
  }

  static final class ApplyPharmaciesSerializer implements CompactSerializer<ApplyPharmacies> {
    private final StoredForms forms;

    ApplyPharmaciesSerializer(StoredForms forms) {
      this.forms = forms;
    }

    @Override
    public ApplyPharmacies read(CompactReader r) {
      return new ApplyPharmacies(r.readArrayOfInt64("seqs"), readPharmacyParts(r));
    }

    @Override
    public void write(CompactWriter w, ApplyPharmacies a) {
      w.writeArrayOfInt64("seqs", a.seqs());
      writePharmacyParts(w, a.parts(), forms.numberedPharmacies());
    }

    @Override
    public String getTypeName() {
      return "callwatch.ApplyPharmacies";
    }

    @Override
    public Class<ApplyPharmacies> getCompactClass() {
      return ApplyPharmacies.class;
    }
  }

  static final class AgentStateSerializer implements CompactSerializer<AgentState> {
    @Override
    public AgentState read(CompactReader r) {
      AgentState s = new AgentState();
      s.lastSeq = r.readInt64("lastSeq");
      s.epoch = r.readString("epoch");
      s.seqBase = r.readInt64("seqBase");
      s.epochs = r.readInt32("epochs");
      s.epochSinceMillis = r.readInt64("epochSinceMillis");
      s.epochFloor = r.readInt64("epochFloor");
      s.rereadCalls = r.readInt64("rereadCalls");
      s.closedBefore = r.readInt64("closedBefore");
      s.firstSlot = r.readInt64("firstSlot");
      s.host = r.readString("host");
      s.version = r.readString("version");
      s.lastContactMillis = r.readInt64("lastContactMillis");
      s.seenUpToMillis = r.readInt64("seenUpToMillis");
      s.connectedSinceMillis = r.readInt64("connectedSinceMillis");
      s.lateCalls = r.readInt64("lateCalls");
      s.statsJson = r.readString("statsJson");
      return s;
    }

    @Override
    public void write(CompactWriter w, AgentState s) {
      w.writeInt64("lastSeq", s.lastSeq);
      w.writeString("epoch", s.epoch);
      w.writeInt64("seqBase", s.seqBase);
      w.writeInt32("epochs", s.epochs);
      w.writeInt64("epochSinceMillis", s.epochSinceMillis);
      w.writeInt64("epochFloor", s.epochFloor);
      w.writeInt64("rereadCalls", s.rereadCalls);
      w.writeInt64("closedBefore", s.closedBefore);
      w.writeInt64("firstSlot", s.firstSlot);
      w.writeString("host", s.host);
      w.writeString("version", s.version);
      w.writeInt64("lastContactMillis", s.lastContactMillis);
      w.writeInt64("seenUpToMillis", s.seenUpToMillis);
      w.writeInt64("connectedSinceMillis", s.connectedSinceMillis);
      w.writeInt64("lateCalls", s.lateCalls);
      w.writeString("statsJson", s.statsJson);
    }

    @Override
    public String getTypeName() {
      return "callwatch.AgentState";
    }

    @Override
    public Class<AgentState> getCompactClass() {
      return AgentState.class;
    }
  }
}

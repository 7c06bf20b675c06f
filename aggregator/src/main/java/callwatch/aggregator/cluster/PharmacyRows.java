package callwatch.aggregator.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-pharmacy counts as flat columns: row {@code i} is a pharmacy, the index of its (service,
 * vendor) pair in a small table, and [calls, errors, E401] at {@code counts[3i..3i+2]}. A backlog
 * puts hundreds of thousands of these rows through the cache, each read and written again by the
 * entry that holds it: columns travel as a few arrays and are added into an entry without a key
 * string, a boxed map entry or a counter array per row.
 *
 * <p>A (pharmacy, pair) may come more than once (a batch may name one pair under two ids, and
 * {@link #append} does not look): every reader adds rows up, and {@link #addAll} folds rows into
 * the first row of their key. Pure.
 */
public final class PharmacyRows {
  /** What a reader gets for each row. */
  public interface RowConsumer {
    void row(String pharmacy, String service, String vendor, long calls, long errors, long e401);
  }

  private String[] services;
  private String[] vendors;
  private int pairCount;
  private String[] pharmacies;
  private int[] pairOf;
  private long[] counts;
  private int size;
  /** service → vendor → pair index; built when first needed. */
  private Map<String, Map<String, Integer>> pairIndex;
  /** Per pair, pharmacy → row; built when a merge first needs it, then kept up to date. */
  private List<Map<String, Integer>> rowIndex;

  public PharmacyRows() {
    this(new String[0], new String[0], new String[0], new int[0], new long[0]);
  }

  /** Empty, with room for {@code rows} rows before its arrays grow (a batch's minute knows its number of rows). */
  public PharmacyRows(int rows) {
    this();
    pharmacies = new String[rows];
    pairOf = new int[rows];
    counts = new long[3 * rows];
  }

  /** Rows from their columns (as read from the cluster); the arrays are taken, not copied. */
  PharmacyRows(String[] services, String[] vendors, String[] pharmacies, int[] pairOf, long[] counts) {
    if (services.length != vendors.length || pharmacies.length != pairOf.length || counts.length != 3 * pharmacies.length) {
      throw new IllegalArgumentException("columns of unequal length: " + services.length + " services, " + vendors.length
          + " vendors, " + pharmacies.length + " pharmacies, " + pairOf.length + " pairs, " + counts.length + " counts");
    }
    for (int p : pairOf) {
      if (p < 0 || p >= services.length) throw new IllegalArgumentException("row names pair " + p + " of " + services.length);
    }
    this.services = services;
    this.vendors = vendors;
    this.pairCount = services.length;
    this.pharmacies = pharmacies;
    this.pairOf = pairOf;
    this.counts = counts;
    this.size = pharmacies.length;
  }

  public int size() {
    return size;
  }

  /** Adds a row at the end, without looking for one of the same key. */
  public void append(String pharmacy, String service, String vendor, long calls, long errors, long e401) {
    appendRow(pharmacy, pair(service, vendor), calls, errors, e401);
  }

  /** Adds every row of {@code other} into this one: into the row of the same key, or at the end. */
  public void addAll(PharmacyRows other) {
    if (other.size == 0) return;
    if (size == 0 && rowIndex == null) {
      copyColumnsOf(other);
      return;
    }
    int[] pairMap = new int[other.pairCount];
    for (int p = 0; p < other.pairCount; p++) pairMap[p] = pair(other.services[p], other.vendors[p]);
    indexRows();
    for (int i = 0; i < other.size; i++) {
      int pair = pairMap[other.pairOf[i]];
      Integer row = rowIndex.get(pair).get(other.pharmacies[i]);
      if (row == null) {
        appendRow(other.pharmacies[i], pair, other.counts[3 * i], other.counts[3 * i + 1], other.counts[3 * i + 2]);
      } else {
        for (int c = 0; c < 3; c++) counts[3 * row + c] += other.counts[3 * i + c];
      }
    }
  }

  public void forEach(RowConsumer consumer) {
    for (int i = 0; i < size; i++) {
      int p = pairOf[i];
      consumer.row(pharmacies[i], services[p], vendors[p], counts[3 * i], counts[3 * i + 1], counts[3 * i + 2]);
    }
  }

  /** Copies: the other's arrays stay its own (an entry processor may run again after a migration). */
  private void copyColumnsOf(PharmacyRows other) {
    services = Arrays.copyOf(other.services, other.pairCount);
    vendors = Arrays.copyOf(other.vendors, other.pairCount);
    pairCount = other.pairCount;
    pharmacies = Arrays.copyOf(other.pharmacies, other.size);
    pairOf = Arrays.copyOf(other.pairOf, other.size);
    counts = Arrays.copyOf(other.counts, 3 * other.size);
    size = other.size;
    pairIndex = null;
  }

  private int pair(String service, String vendor) {
    if (pairIndex == null) {
      pairIndex = new HashMap<>();
      for (int p = 0; p < pairCount; p++) pairIndex.computeIfAbsent(services[p], s -> new HashMap<>()).putIfAbsent(vendors[p], p);
    }
    Map<String, Integer> byVendor = pairIndex.computeIfAbsent(service, s -> new HashMap<>());
    Integer p = byVendor.get(vendor);
    if (p != null) return p;
    if (pairCount == services.length) {
      services = Arrays.copyOf(services, Math.max(4, pairCount * 2));
      vendors = Arrays.copyOf(vendors, services.length);
    }
    services[pairCount] = service;
    vendors[pairCount] = vendor;
    byVendor.put(vendor, pairCount);
    if (rowIndex != null) rowIndex.add(new HashMap<>());
    return pairCount++;
  }

  private void indexRows() {
    if (rowIndex != null) return;
    rowIndex = new ArrayList<>(pairCount);
    for (int p = 0; p < pairCount; p++) rowIndex.add(new HashMap<>());
    for (int i = 0; i < size; i++) rowIndex.get(pairOf[i]).putIfAbsent(pharmacies[i], i);
  }

  private void appendRow(String pharmacy, int pair, long calls, long errors, long e401) {
    if (size == pharmacies.length) {
      int capacity = Math.max(16, size * 2);
      pharmacies = Arrays.copyOf(pharmacies, capacity);
      pairOf = Arrays.copyOf(pairOf, capacity);
      counts = Arrays.copyOf(counts, 3 * capacity);
    }
    pharmacies[size] = pharmacy;
    pairOf[size] = pair;
    counts[3 * size] = calls;
    counts[3 * size + 1] = errors;
    counts[3 * size + 2] = e401;
    if (rowIndex != null) rowIndex.get(pair).putIfAbsent(pharmacy, size);
    size++;
  }

  // the columns, trimmed to their length, for the cluster's serialiser
  int pairCount() {
    return pairCount;
  }

  String[] services() {
    return Arrays.copyOf(services, pairCount);
  }

  String[] vendors() {
    return Arrays.copyOf(vendors, pairCount);
  }

  String[] pharmacies() {
    return size == pharmacies.length ? pharmacies : Arrays.copyOf(pharmacies, size);
  }

  int[] pairOf() {
    return size == pairOf.length ? pairOf : Arrays.copyOf(pairOf, size);
  }

  long[] counts() {
    return 3 * size == counts.length ? counts : Arrays.copyOf(counts, 3 * size);
  }
}

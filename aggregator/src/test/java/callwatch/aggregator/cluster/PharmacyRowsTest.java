package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pharmacy rows as columns: what goes in comes out, added up per (pharmacy, service, vendor). */
class PharmacyRowsTest {
  /** A row of a table: pharmacy, service, vendor, calls, errors, E401. */
  private record R(String pharmacy, String service, String vendor, long calls, long errors, long e401) {}

  private static PharmacyRows rows(R... rows) {
    PharmacyRows out = new PharmacyRows();
    for (R r : rows) out.append(r.pharmacy, r.service, r.vendor, r.calls, r.errors, r.e401);
    return out;
  }

  /** Totals per "pharmacy|service|vendor" as "calls/errors/e401", the way every reader adds rows up. */
  private static Map<String, String> totals(PharmacyRows rows) {
    Map<String, long[]> sums = new TreeMap<>();
    rows.forEach((p, s, v, c, e, e401) -> {
      long[] t = sums.computeIfAbsent(p + "|" + s + "|" + v, k -> new long[3]);
      t[0] += c;
      t[1] += e;
      t[2] += e401;
    });
    Map<String, String> out = new TreeMap<>();
    sums.forEach((k, t) -> out.put(k, t[0] + "/" + t[1] + "/" + t[2]));
    return out;
  }

  private static int count(PharmacyRows rows) {
    int[] n = {0};
    rows.forEach((p, s, v, c, e, e401) -> n[0]++);
    return n[0];
  }

  @Test
  @DisplayName("appended rows read back as written, whatever the labels")
  void appendReadsBack() {
    PharmacyRows r = rows(new R("123456", "DPP", "Corilus/4.2", 5, 1, 0), new R("pharma-x", "RECIPE", "Farmad", 2, 2, 2),
        new R("Pharmacie Saint-Éloi", "ASSURPHARMA", "Officinall/10.1 beta", 1, 0, 0), new R("123456", "RECIPE", "Corilus/4.2", 3, 0, 0));
    assertEquals(Map.of("123456|DPP|Corilus/4.2", "5/1/0", "pharma-x|RECIPE|Farmad", "2/2/2",
        "Pharmacie Saint-Éloi|ASSURPHARMA|Officinall/10.1 beta", "1/0/0", "123456|RECIPE|Corilus/4.2", "3/0/0"), totals(r));
    assertEquals(4, r.size());
  }

  @Test
  @DisplayName("adding rows folds each into the row of the same pharmacy, service and vendor; others are added at the end")
  void addAllFoldsSameKeys() {
    // table: what the entry holds, what is added, the totals after, the rows after
    record Case(String name, List<R> held, List<R> added, Map<String, String> after, int rowsAfter) {}
    List<Case> table = List.of(
        new Case("into nothing", List.of(), List.of(new R("1", "DPP", "A", 2, 1, 0)), Map.of("1|DPP|A", "2/1/0"), 1),
        new Case("same key", List.of(new R("1", "DPP", "A", 2, 1, 0)), List.of(new R("1", "DPP", "A", 3, 0, 1)),
            Map.of("1|DPP|A", "5/1/1"), 1),
        new Case("other vendor, same service", List.of(new R("1", "DPP", "A", 2, 0, 0)), List.of(new R("1", "DPP", "B", 3, 0, 0)),
            Map.of("1|DPP|A", "2/0/0", "1|DPP|B", "3/0/0"), 2),
        new Case("pairs in another order in each", List.of(new R("1", "DPP", "A", 1, 0, 0), new R("2", "PCDH", "B", 1, 0, 0)),
            List.of(new R("2", "PCDH", "B", 4, 0, 0), new R("1", "DPP", "A", 5, 0, 0), new R("3", "DPP", "A", 6, 0, 0)),
            Map.of("1|DPP|A", "6/0/0", "2|PCDH|B", "5/0/0", "3|DPP|A", "6/0/0"), 3),
        new Case("a key that came twice in one batch", List.of(new R("1", "DPP", "A", 1, 0, 0)),
            List.of(new R("1", "DPP", "A", 2, 0, 0), new R("1", "DPP", "A", 3, 1, 0)), Map.of("1|DPP|A", "6/1/0"), 1),
        new Case("a service named like another's vendor", List.of(new R("1", "A", "DPP", 1, 0, 0)), List.of(new R("1", "DPP", "A", 1, 0, 0)),
            Map.of("1|A|DPP", "1/0/0", "1|DPP|A", "1/0/0"), 2));
    for (Case c : table) {
      PharmacyRows held = rows(c.held.toArray(R[]::new));
      held.addAll(rows(c.added.toArray(R[]::new)));
      assertEquals(c.after, totals(held), c.name);
      assertEquals(c.rowsAfter, count(held), c.name + ": rows");
    }
  }

  @Test
  @DisplayName("rows added into an entry stay the sender's: adding more to the entry leaves them as they were")
  void addAllDoesNotShareArrays() {
    PharmacyRows sent = rows(new R("1", "DPP", "A", 2, 0, 0));
    PharmacyRows entry = new PharmacyRows();
    entry.addAll(sent);
    entry.addAll(rows(new R("1", "DPP", "A", 5, 0, 0), new R("2", "DPP", "A", 1, 0, 0)));
    assertEquals(Map.of("1|DPP|A", "2/0/0"), totals(sent), "an entry processor may run again with the same rows after a migration");
    assertEquals(Map.of("1|DPP|A", "7/0/0", "2|DPP|A", "1/0/0"), totals(entry));
  }

  @Test
  @DisplayName("many rows over many pairs add up exactly, merged in any grouping")
  void manyRowsAddUp() {
    java.util.Random random = new java.util.Random(7);
    Map<String, long[]> expected = new TreeMap<>();
    PharmacyRows entry = new PharmacyRows();
    for (int batch = 0; batch < 20; batch++) {
      PharmacyRows part = new PharmacyRows();
      for (int i = 0; i < 500; i++) {
        String p = Integer.toString(random.nextInt(300));
        String s = "S" + random.nextInt(6);
        String v = "V" + random.nextInt(9);
        long c = 1 + random.nextInt(5);
        long e = random.nextInt((int) c + 1);
        part.append(p, s, v, c, e, e / 2);
        long[] t = expected.computeIfAbsent(p + "|" + s + "|" + v, k -> new long[3]);
        t[0] += c;
        t[1] += e;
        t[2] += e / 2;
      }
      entry.addAll(part);
    }
    Map<String, String> want = new TreeMap<>();
    expected.forEach((k, t) -> want.put(k, t[0] + "/" + t[1] + "/" + t[2]));
    assertEquals(want, totals(entry));
  }

  @Test
  @DisplayName("rows made with room beforehand, too little, exact or too much, hold what is appended and send only those rows")
  void roomBeforehand() {
    List<R> appended = List.of(new R("1", "DPP", "A", 2, 1, 0), new R("2", "DPP", "A", 1, 0, 0), new R("1", "PCDH", "B", 4, 4, 4));
    for (int room : new int[] {0, 1, 3, 50}) {
      PharmacyRows r = new PharmacyRows(room);
      for (R x : appended) r.append(x.pharmacy, x.service, x.vendor, x.calls, x.errors, x.e401);
      assertEquals(Map.of("1|DPP|A", "2/1/0", "2|DPP|A", "1/0/0", "1|PCDH|B", "4/4/4"), totals(r), "room " + room);
      assertEquals(3, r.pharmacies().length, "room " + room);
      assertEquals(9, r.counts().length, "room " + room);
      PharmacyRows entry = new PharmacyRows(room);
      entry.addAll(r);
      entry.addAll(r);
      assertEquals(Map.of("1|DPP|A", "4/2/0", "2|DPP|A", "2/0/0", "1|PCDH|B", "8/8/8"), totals(entry), "added twice, room " + room);
      assertEquals(3, entry.size(), "room " + room);
    }
  }
}

package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A batch's pharmacy calls add up per (minute, pharmacy, service, vendor), whatever their order. */
class PharmacyCallTallyTest {
  private static final Map<Integer, String[]> PAIRS = Map.of(0, new String[] {"DPP", "A"}, 1, new String[] {"DPP", "B"},
      2, new String[] {"PCDH", "A"});

  /** Steps: "m60" switches to minute 60; "123:5" is a call of numbered pharmacy 123 with code 5; "'x':1" one of a named pharmacy. */
  private static Map<String, String> tally(String steps) {
    PharmacyCallTally t = new PharmacyCallTally(PAIRS);
    for (String step : steps.split(" ")) {
      if (step.startsWith("m")) {
        t.minute(Long.parseLong(step.substring(1)));
        continue;
      }
      String[] pc = step.split(":");
      long code = Long.parseLong(pc[1]);
      if (pc[0].startsWith("'")) t.call(pc[0].substring(1, pc[0].length() - 1), code);
      else t.call(Long.parseLong(pc[0]), code);
    }
    Map<String, String> out = new TreeMap<>();
    for (PharmacyRow r : t.rows()) {
      String key = r.minute() + "|" + r.pharmacy() + "|" + r.service() + "|" + r.vendor();
      if (out.put(key, r.calls() + "/" + r.errors() + "/" + r.e401()) != null) throw new AssertionError("two rows for " + key);
    }
    return out;
  }

  @Test
  @DisplayName("runs, interleavings, minutes left and come back to, names that are numbers: each call counted once in its row")
  void addsUpWhateverTheOrder() {
    record Case(String steps, Map<String, String> rows) {}
    List<Case> table = List.of(
        new Case("m0 1:0 1:0 1:1 1:3", Map.of("0|1|DPP|A", "4/2/1")),
        new Case("m0 1:0 2:0 1:0 2:4 1:4", Map.of("0|1|DPP|A", "2/0/0", "0|2|DPP|A", "1/0/0", "0|2|DPP|B", "1/0/0", "0|1|DPP|B", "1/0/0")),
        new Case("m0 1:0 m60 1:0 1:0 m0 1:0", Map.of("0|1|DPP|A", "2/0/0", "60|1|DPP|A", "2/0/0")),
        new Case("m0 7:8 '7':8 7:9 'x':8 'x':8", Map.of("0|7|PCDH|A", "3/1/0", "0|x|PCDH|A", "2/0/0")),
        new Case("m0 5:0 5:8 5:0 5:4 5:4", Map.of("0|5|DPP|A", "2/0/0", "0|5|PCDH|A", "1/0/0", "0|5|DPP|B", "2/0/0")));
    for (Case c : table) assertEquals(c.rows, tally(c.steps), c.steps);
  }

  @Test
  @DisplayName("thousands of pharmacies in a minute, their calls interleaved: one row each, every call counted")
  void manyPharmacies() {
    StringBuilder steps = new StringBuilder("m0");
    for (int round = 0; round < 3; round++) {
      for (int p = 0; p < 5000; p++) steps.append(' ').append(1_000_000L + p * 1024L).append(':').append(round == 2 ? 1 : 0);
    }
    Map<String, String> rows = tally(steps.toString());
    assertEquals(5000, rows.size());
    for (int p = 0; p < 5000; p++) assertEquals("3/1/0", rows.get("0|" + (1_000_000L + p * 1024L) + "|DPP|A"), "pharmacy " + p);
  }
}

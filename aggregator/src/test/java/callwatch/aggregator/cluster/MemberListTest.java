package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberListTest {
  @Test
  @DisplayName("listing every member or only the others gives the same cluster and the same majority")
  void bothFormsAgree() {
    Object[][] table = {
        // self, listed, size, majority
        {"10.0.0.1:5701", List.of(), 1, 0},
        {"10.0.0.1:5701", List.of("10.0.0.2:5701"), 2, 0},
        {"10.0.0.1:5701", List.of("10.0.0.2:5701", "10.0.0.3:5701"), 3, 2},
        {"10.0.0.1:5701", List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701"), 3, 2},
        {"10.0.0.1:5701", List.of("10.0.0.2", "10.0.0.3:5701", "10.0.0.4:5701", "10.0.0.5:5701"), 5, 3},
        {"Agg1:5701", List.of("agg1", "agg2 ", "AGG3:5701"), 3, 2},
    };
    for (Object[] row : table) {
      @SuppressWarnings("unchecked")
      MemberList m = new MemberList((String) row[0], (List<String>) row[1]);
      assertEquals(row[2], m.size(), row[1].toString());
      assertEquals(row[3], m.majority(), row[1].toString());
    }
    assertEquals(5, new MemberList("a:1", List.of("[::1]:5701", "[fe80::1]", "agg-1.example", "agg_2")).size(), "IPv6 in brackets, names with dots, dashes and underscores");
    assertEquals(new MemberList("a:1", List.of("b:1", "c:1")).fingerprint(), new MemberList("b:1", List.of("a:1", "b:1", "c:1")).fingerprint());
  }

  @Test
  @DisplayName("an entry that is not host[:port] is refused with the entry named")
  void badEntries() {
    for (String bad : new String[] {"", ":5701", "host:", "host:99999", "host:x", "a b", "a b:5701", "h:5701:7", "fe80::1",
        "-host", "[::1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MemberList("a:1", List.of(bad)));
      assertEquals(true, e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}

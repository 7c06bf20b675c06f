package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LostMembersTest {
  private static final long WAIT = 900_000;

  @Test
  @DisplayName("members removed just before a partition loss are awaited until back with a new identity and their journal replayed")
  void awaitedUntilBackAndReady() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", 1_000);
    m.removed("c:5701", "c1", 1_500);
    m.removed("d:5701", "d1", 1_000 - LostMembers.RECENT_MILLIS - 1); // left long before: not a cause
    assertEquals(2, m.partitionsLost(Map.of("a:5701", "a1"), 2_000).size());
    // b is back but has not replayed its journal yet
    assertEquals(List.of("b:5701", "c:5701"), sorted(m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1"), 3_000).awaited()));
    // b has replayed; c not back
    LostMembers.Verdict v = m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 4_000);
    assertEquals(List.of("c:5701"), v.awaited());
    assertEquals("b:5701", v.back().get(0).address());
    // c never comes back: given up after the wait
    v = m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 1_500 + WAIT + 1);
    assertEquals(List.of(), v.awaited());
    assertEquals("c:5701", v.givenUp().get(0).address());
  }

  @Test
  @DisplayName("the old identity at the same address (the member never left) is not a return")
  void sameIdentityIsNotAReturn() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", 1_000);
    m.partitionsLost(Map.of(), 1_100);
    assertEquals(List.of("b:5701"), m.check(Map.of("b:5701", "b1"), Set.of("b1"), 2_000).awaited());
  }

  @Test
  @DisplayName("a member seen again with the same identity (it never really left) is not awaited")
  void sameIdentityNeverLeft() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", 1_000);
    assertEquals(0, m.partitionsLost(Map.of("b:5701", "b1"), 1_100).size());
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }
}

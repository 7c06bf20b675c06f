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
  @DisplayName("members removed just before a partition loss are awaited until all but one are back with a new identity and their journal replayed")
  void awaitedUntilBackAndReady() {
    LostMembers m = new LostMembers(WAIT);
    Map<String, String> onlyA = Map.of("a:5701", "a1");
    m.removed("d:5701", "d1", Map.of("a:5701", "a1", "b:5701", "b1", "c:5701", "c1", "e:5701", "e1"), 1_000 - LostMembers.RECENT_MILLIS - 1); // long before: not a cause
    m.removed("b:5701", "b1", Map.of("a:5701", "a1", "c:5701", "c1", "e:5701", "e1"), 1_000);
    m.removed("c:5701", "c1", Map.of("a:5701", "a1", "e:5701", "e1"), 1_200);
    m.removed("e:5701", "e1", onlyA, 1_500);
    assertEquals(3, m.partitionsLost(onlyA, 2_000).size());
    // b is back but has not replayed its journal yet
    assertEquals(List.of("b:5701", "c:5701", "e:5701"), sorted(m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1"), 3_000).awaited()));
    // b has replayed; c and e not back: a batch e acknowledged may have its copy on c only
    LostMembers.Verdict v = m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 4_000);
    assertEquals(List.of("c:5701", "e:5701"), sorted(v.awaited()));
    assertEquals("b:5701", v.back().get(0).address());
    // none more comes back: given up after the wait
    v = m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 1_500 + WAIT + 1);
    assertEquals(List.of(), v.awaited());
    assertEquals(List.of("c:5701", "e:5701"), sorted(v.givenUp().stream().map(LostMembers.Lost::address).toList()));
  }

  @Test
  @DisplayName("the old identity at the same address (the member never left) is not a return")
  void sameIdentityIsNotAReturn() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", Map.of(), 1_000);
    m.partitionsLost(Map.of(), 1_100);
    assertEquals(List.of("b:5701"), m.check(Map.of("b:5701", "b1"), Set.of("b1"), 2_000).awaited());
  }

  @Test
  @DisplayName("a member seen again with the same identity (it never really left) is not awaited")
  void sameIdentityNeverLeft() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", Map.of(), 1_000);
    assertEquals(0, m.partitionsLost(Map.of("b:5701", "b1"), 1_100).size());
  }

  @Test
  @DisplayName("two members leaving within seconds (no partition lost) are awaited until one is back and every member up has replayed its journal since")
  void leftTogetherAwaitedUntilOneIsBack() {
    LostMembers m = new LostMembers(WAIT);
    assertEquals(List.of(), m.removed("b:5701", "b1", Map.of("a:5701", "a1", "c:5701", "c1"), 1_000));
    // c leaves half a second later: a batch c acknowledged may have its copy on b only
    assertEquals(List.of("b:5701", "c:5701"), sorted(m.removed("c:5701", "c1", Map.of("a:5701", "a1"), 1_500).stream().map(LostMembers.Lost::address).toList()));
    assertEquals(List.of("b:5701", "c:5701"), sorted(m.check(Map.of("a:5701", "a1"), Set.of("a1"), 2_000).awaited()));
    // b is back but has not replayed its journal yet
    assertEquals(List.of("b:5701", "c:5701"), sorted(m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1"), 3_000).awaited()));
    // b has replayed, a (which stayed) not yet since c left: c's copies may be on a
    assertEquals(List.of("c:5701"), m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("b2"), 3_500).awaited());
    // both have: every batch c acknowledged is on a replayed disk, so c is not awaited any more
    LostMembers.Verdict v = m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 4_000);
    assertEquals(List.of(), v.awaited());
    assertEquals(List.of(), v.back(), "b came back in the check before");
    assertEquals(List.of("c:5701"), v.covered().stream().map(LostMembers.Lost::address).toList());
  }

  @Test
  @DisplayName("a member leaving alone is not awaited: the member holding its copies is up and replays them")
  void leftAloneNotAwaited() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", Map.of("a:5701", "a1", "c:5701", "c1"), 1_000);
    assertEquals(List.of(), m.removed("c:5701", "c1", Map.of("a:5701", "a1"), 1_000 + LostMembers.TOGETHER_MILLIS + 1));
    assertEquals(List.of(), m.check(Map.of("a:5701", "a1"), Set.of("a1"), 2_000 + LostMembers.TOGETHER_MILLIS).awaited());
    // nor when the first one came back (with a new identity) and replayed its journal before the second left
    LostMembers n = new LostMembers(WAIT);
    n.removed("b:5701", "b1", Map.of("a:5701", "a1", "c:5701", "c1"), 1_000);
    n.removed("c:5701", "c1", Map.of("a:5701", "a1", "b:5701", "b2"), 1_500);
    assertEquals(List.of(), n.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 1_600).awaited());
  }

  @Test
  @DisplayName("one member whose loss lost partitions (no backups) is awaited until it is back")
  void singleLossAwaitedUntilBack() {
    LostMembers m = new LostMembers(WAIT);
    m.removed("b:5701", "b1", Map.of("a:5701", "a1"), 1_000);
    assertEquals(1, m.partitionsLost(Map.of("a:5701", "a1"), 1_100).size());
    assertEquals(List.of("b:5701"), m.check(Map.of("a:5701", "a1"), Set.of("a1"), 2_000).awaited());
    assertEquals(List.of(), m.check(Map.of("a:5701", "a1", "b:5701", "b2"), Set.of("a1", "b2"), 3_000).awaited());
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }
}

package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stuck batch's refusals are one streak; detection hears the agent no later than its start. */
class RefusalTest {
  @Test
  @DisplayName("the same stuck batch refused again keeps its streak's start; one stuck later starts a new streak")
  void streaks() {
    Refusal first = Refusal.next(null, "slot ahead", 1_000, 41);
    assertEquals(1_000, first.sinceMillis());
    Refusal again = Refusal.next(first, "slot ahead", 6_000, 41);
    assertEquals(1_000, again.sinceMillis(), "sent again after reconnecting: the same streak");
    assertEquals(6_000, again.atMillis());
    Refusal later = Refusal.next(again, "seq jumps ahead", 90_000, 57);
    assertEquals(90_000, later.sinceMillis(), "batches were stored in between: a new streak");
  }

  @Test
  @DisplayName("a streak holds until something beyond its batch is stored; until then the agent counts as heard at its start at most")
  void holdsAndHeard() {
    Refusal r = Refusal.next(null, "slot ahead", 10_000, 41);
    assertTrue(r.holds(41));
    assertFalse(r.holds(42), "a batch stored since: the agent is fine again");
    assertEquals(10_000, Refusal.heard(50_000, r), "hellos after the refusal do not count as hearing it");
    assertEquals(8_000, Refusal.heard(8_000, r));
    assertEquals(50_000, Refusal.heard(50_000, null));
  }
}

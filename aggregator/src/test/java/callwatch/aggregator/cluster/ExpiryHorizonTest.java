package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpiryHorizonTest {
  private static final long HOUR = 3600;

  @Test
  void slotsGoOnceOlderThanTheWindowAndWrittenByEveryMember() {
    List<String> members = List.of("a:5701", "b:5701");
    long closed = 100 * HOUR;
    // both wrote everything: the window decides
    assertEquals(closed - 3 * HOUR, ExpiryHorizon.slots("x", closed, 3 * HOUR, members,
        Map.of("a:5701", Map.of("x", closed), "b:5701", Map.of("x", closed))));
    // one member is behind (down, or slow): its mark decides
    assertEquals(50 * HOUR, ExpiryHorizon.slots("x", closed, 3 * HOUR, members,
        Map.of("a:5701", Map.of("x", closed), "b:5701", Map.of("x", 50 * HOUR))));
    // a member that never said how far it wrote this agent: nothing goes
    assertEquals(Long.MIN_VALUE, ExpiryHorizon.slots("x", closed, 3 * HOUR, members, Map.of("a:5701", Map.of("x", closed))));
    assertEquals(Long.MIN_VALUE, ExpiryHorizon.slots("x", closed, 3 * HOUR, members,
        Map.of("a:5701", Map.of("x", closed), "b:5701", Map.of("y", closed))));
    // to the slot's step
    assertEquals(closed - 3 * HOUR - 10, ExpiryHorizon.slots("x", closed - 5, 3 * HOUR, List.of("a:5701"), Map.of("a:5701", Map.of("x", closed))));
  }

  @Test
  void pharmacyMinutesGoByEventTimeAlone() {
    assertEquals(100 * HOUR - 6 * HOUR, ExpiryHorizon.minutes(100 * HOUR + 59, 6 * HOUR));
  }

  @Test
  void whatDetectionHasNotJudgedStays() {
    long horizon = 97 * HOUR;
    // detection is behind the window: its mark decides (to the step)
    assertEquals(90 * HOUR, ExpiryHorizon.notBeyondJudged(horizon, 90 * HOUR + 5, 10));
    assertEquals(90 * HOUR, ExpiryHorizon.notBeyondJudged(horizon, 90 * HOUR + 59, 60));
    // detection ahead of the window: the window decides
    assertEquals(horizon, ExpiryHorizon.notBeyondJudged(horizon, 99 * HOUR, 10));
    // no detector reports: the window alone; nothing may go: still nothing
    assertEquals(horizon, ExpiryHorizon.notBeyondJudged(horizon, Long.MIN_VALUE, 10));
    assertEquals(Long.MIN_VALUE, ExpiryHorizon.notBeyondJudged(Long.MIN_VALUE, 90 * HOUR, 10));
  }
}

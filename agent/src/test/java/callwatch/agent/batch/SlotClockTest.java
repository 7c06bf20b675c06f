package callwatch.agent.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlotClockTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("a quiet period closes slots by the time elapsed since the newest line")
  void quietPeriodCloses() {
    SlotClock c = new SlotClock(10, 5000, 0);
    c.sawLine(1_000_000, 0);
    assertEquals(990, c.advance(0, Long.MAX_VALUE));          // 1000 s − 5 s grace → slot 990 still open
    assertEquals(1000, c.advance(7 * SECOND, Long.MAX_VALUE)); // 1007 − 5 = 1002 → slot 1000 open
    assertEquals(1020, c.advance(27 * SECOND, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("restored after a restart, event time goes on by the wall time elapsed, never backwards")
  void restoredClockAdvances() {
    long[][] table = {
        // saved event ms, wall ms elapsed since, seconds after restart → closedBefore
        {1_000_000, 0, 0, 990},
        {1_000_000, 0, 30, 1020},
        {1_000_000, 60_000, 0, 1050},
        {1_000_000, -60_000, 30, 1020}, // the host clock went back: as if no time had passed
    };
    for (long[] row : table) {
      SlotClock c = new SlotClock(10, 5000, 990);
      c.restore(row[0], row[1], 0);
      assertEquals(row[3], c.advance(row[2] * SECOND, Long.MAX_VALUE), java.util.Arrays.toString(row));
    }
  }

  @Test
  @DisplayName("a state that never saw a line keeps its restored mark until one comes")
  void nothingSeenKeepsMark() {
    SlotClock c = new SlotClock(10, 5000, 990);
    c.restore(Long.MIN_VALUE, 0, 0);
    assertEquals(990, c.advance(100 * SECOND, Long.MAX_VALUE));
    assertEquals(Long.MIN_VALUE, c.eventNowMillis(100 * SECOND));
  }
}

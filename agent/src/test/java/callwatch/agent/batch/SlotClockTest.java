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
    c.sawLine(1_000_000, 0, 1_000_000);
    assertEquals(990, c.advance(0, Long.MAX_VALUE));          // 1000 s − 5 s grace → slot 990 still open
    assertEquals(1000, c.advance(7 * SECOND, Long.MAX_VALUE)); // 1007 − 5 = 1002 → slot 1000 open
    assertEquals(1020, c.advance(27 * SECOND, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("one stray line minutes ahead of the clocks does not move event time; ahead of event time only (a backlog's quiet night) it does,"
      + " and so do lines that go on ahead (a clock set forward)")
  void strayLineAhead() {
    long wall = 1_000_000;
    SlotClock c = new SlotClock(10, 5000, 0);
    c.sawLine(1_000_000, 0, wall);
    c.sawLine(1_600_000, 0, wall); // one line stamped 10 minutes ahead
    for (int i = 1; i <= 20; i++) c.sawLine(1_000_000 + i * 100L, i * SECOND / 10, wall + i * 100L);
    assertEquals(990, c.advance(2 * SECOND, Long.MAX_VALUE)); // 1002 s − 5 s grace: slot 990 still open
    assertEquals(1_000_000 + 2000 + 2000, c.eventNowMillis(4 * SECOND), "event time from the lines that agree");

    // a backlog read fast, hours behind this host's clock: one line after an hour without calls moves event time
    SlotClock backlog = new SlotClock(10, 5000, 0);
    backlog.sawLine(1_000_000, 0, wall + 86_400_000);
    backlog.sawLine(4_600_000, 0, wall + 86_400_000);
    assertEquals(4590, backlog.advance(0, Long.MAX_VALUE));

    // the application's clock set 10 minutes forward (not this host's): its lines go on ahead, and after a few event time follows them
    for (int i = 0; i < SlotClock.LINES_TO_JUMP - 1; i++) c.sawLine(1_604_000 + i, 4 * SECOND, wall + 4000);
    assertEquals(990, c.advance(4 * SECOND, Long.MAX_VALUE), "not yet");
    c.sawLine(1_604_100, 4 * SECOND, wall + 4000);
    assertEquals(1590, c.advance(4 * SECOND, Long.MAX_VALUE)); // 1604.1 s − 5 s
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

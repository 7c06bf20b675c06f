package callwatch.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  @Test
  @DisplayName("one line per key per interval, with the count of those held back")
  void onePerInterval() {
    LogLimiter l = new LogLimiter(60_000);
    long[][] table = {
        // time, expected
        {0, 0}, {1_000, -1}, {2_000, -1}, {59_999, -1}, {60_000, 3}, {61_000, -1}, {200_000, 1},
    };
    for (long[] row : table) assertEquals(row[1], l.allow("a", row[0]), "at " + row[0]);
    assertEquals(0, l.allow("b", 1_000), "keys are independent");
    l.reset("a");
    assertEquals(0, l.allow("a", 200_001), "after a reset the next one is logged at once");
  }
}

package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  @DisplayName("a silence in the words a tile uses: seconds up to two minutes, then minutes, hours and minutes, days and hours")
  void words() {
    Object[][] table = {
        {0L, "0 s"}, {14L, "14 s"}, {119L, "119 s"}, {120L, "2 min"}, {3599L, "59 min"}, {3600L, "1 h"}, {7500L, "2 h 5 min"},
        {86_399L, "23 h 59 min"}, {86_400L, "1 day"}, {90_000L, "1 day 1 h"}, {514_620L, "5 days 22 h"}, {-5L, "0 s"}};
    for (Object[] row : table) assertEquals(row[1], Durations.words((Long) row[0]), "seconds " + row[0]);
  }
}

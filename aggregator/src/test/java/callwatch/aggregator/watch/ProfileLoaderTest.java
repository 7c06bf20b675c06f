package callwatch.aggregator.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProfileLoaderTest {
  @Test
  void todaysRowsAreNotHistoryButYesterdaysSameMomentIs() {
    long installedAt = 1_796_000_000L - 1_796_000_000L % 600 + 570; // 30 s before a 10-minute row ends
    long now = installedAt + 3600;
    long end = ProfileLoader.historyEnd(now, now);
    assertTrue(end <= installedAt - 11 * 3600, "no row of the day's first hours, partial or not, counts as history");
    assertEquals(0, end % 600);
    // the hour this profile serves looks back a day: those rows are all before the end
    assertTrue(now + 3600 - 86400 + 600 <= end, "yesterday's same moment (± 10 min) is in");
    assertEquals(ProfileLoader.historyEnd(now - 7200, now), ProfileLoader.historyEnd(now - 7200, now + 99), "a backlog: by its event time");
  }
}

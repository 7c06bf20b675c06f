package callwatch.aggregator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DetectionPaceTest {
  private static final long HOUR = 3600;

  @Test
  void aBatchWaitsOnlyWhileItIsTooFarAheadOfAReportingDetector() {
    DetectionPace pace = new DetectionPace(HOUR);
    long now = 1_000_000;
    // no report yet: nothing waits
    assertFalse(pace.holds(Long.MIN_VALUE, 500 * HOUR, now));
    pace.report(100 * HOUR * 1000, now);
    assertFalse(pace.holds(Long.MIN_VALUE, 100 * HOUR, now), "within the lead");
    assertFalse(pace.holds(Long.MIN_VALUE, 101 * HOUR, now), "exactly the lead");
    assertTrue(pace.holds(Long.MIN_VALUE, 101 * HOUR + 10, now), "beyond the lead");
    assertFalse(pace.holds(Long.MIN_VALUE, Long.MIN_VALUE, now), "a batch without calls never waits");
    assertEquals(100 * HOUR, pace.judgedUpToSeconds(now));
    // detection without a clock yet
    pace.report(null, now);
    assertFalse(pace.holds(Long.MIN_VALUE, 500 * HOUR, now));
    assertEquals(Long.MIN_VALUE, pace.judgedUpToSeconds(now));
    // a detector gone quiet (its member died, or it is stuck) holds nothing back: storing every call comes first
    pace.report(100 * HOUR * 1000, now);
    assertTrue(pace.holds(Long.MIN_VALUE, 200 * HOUR, now + DetectionPace.STALE_MILLIS));
    assertFalse(pace.holds(Long.MIN_VALUE, 200 * HOUR, now + DetectionPace.STALE_MILLIS + 1));
    assertEquals(Long.MIN_VALUE, pace.judgedUpToSeconds(now + DetectionPace.STALE_MILLIS + 1));
  }

  @Test
  void theAgentDetectionWaitsForIsNeverHeld() {
    DetectionPace pace = new DetectionPace(HOUR);
    long now = 1_000_000;
    long judged = 100 * HOUR * 1000;
    pace.report(judged, now);
    assertTrue(pace.holds(judged + 3_600_000, 105 * HOUR, now), "an agent detection has not caught up with waits (the only agent of a backlog too)");
    assertFalse(pace.holds(judged, 105 * HOUR, now), "detection has judged all it stored and waits for its next batch: never held");
    assertFalse(pace.holds(judged + 20_000, 105 * HOUR, now), "within two slots of what detection has judged");
    assertTrue(pace.holds(judged + 30_000, 105 * HOUR, now));
    assertTrue(pace.holds(Long.MIN_VALUE, 105 * HOUR, now), "an agent whose clock is not known yet");
  }
}

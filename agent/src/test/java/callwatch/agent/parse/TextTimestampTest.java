package callwatch.agent.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTimestampTest {
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // text | the instant it is (blank: not a time)
      "2026-12-05T21:40:00.123+01:00 | 2026-12-05T20:40:00.123Z",
      "2026-12-05T20:40:00Z | 2026-12-05T20:40:00Z",
      "2026-12-05T21:40:00.123456+0100 | 2026-12-05T20:40:00.123456Z",
      "2026-12-05 21:40:00,123 | 2026-12-05T20:40:00.123Z",
      "2026-12-05 21:40:00.5 | 2026-12-05T20:40:00.500Z",
      "2026-07-05 21:40:00 | 2026-07-05T19:40:00Z",
      "2026-12-05T21:40:00 | 2026-12-05T20:40:00Z",
      "2026-10-25 02:30:00 | 2026-10-25T00:30:00Z",
      "05/Dec/2026:21:40:00 +0100 | 2026-12-05T20:40:00Z",
      "[05/Dec/2026:21:40:00 +0100] | 2026-12-05T20:40:00Z",
      "1796507287 | 2026-12-05T21:48:07Z",
      "1796507287.25 | 2026-12-05T21:48:07.250Z",
      "1796507287250 | 2026-12-05T21:48:07.250Z",
      "2026-13-05 21:40:00 | ",
      "2026-12-05 25:40:00 | ",
      "2026-02-30 21:40:00 | ",
      "yesterday | ",
      "12345 | ",
      "1796507287. | ",
      "1.2.3 | ",
      "05/Foo/2026:21:40:00 +0100 | ",
  })
  @DisplayName("the forms logging libraries write; a local time is read in the configured zone, the first of a repeated hour")
  void reads(String text, String expected) {
    long got = TextTimestamp.parse(text, BRUSSELS);
    assertEquals(expected == null ? TextTimestamp.INVALID : Instant.parse(expected).toEpochMilli(), got, text);
  }
}

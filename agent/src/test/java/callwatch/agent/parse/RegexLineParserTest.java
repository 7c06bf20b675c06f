package callwatch.agent.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLineParserTest {
  /** logback's default layout, as a user would describe it. */
  private static final String LOGBACK = "(?<ts>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) \\[[^\\]]*\\] INFO +call (?<service>\\w+) (?<op>\\w+) (?<status>\\w+) (?<ms>\\d+)";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // line (\r: a carriage return) | kind | instant | service
      "2026-12-05 21:40:00,123 [main] INFO  call DPP consult OK 12 | CALL | 2026-12-05T20:40:00.123Z | DPP",
      "2026-12-05 21:40:00,123 [main] INFO  call DPP consult OK 12\\r | CALL | 2026-12-05T20:40:00.123Z | DPP",
      "2026-12-05 21:40:00,123 [main] INFO  call RECIPE get 503 7\\r | CALL | 2026-12-05T20:40:00.123Z | RECIPE",
      "2026-12-05 21:40:00,123 [main] INFO  started\\r | OTHER | | ",
      "2026-02-30 21:40:00,123 [main] INFO  call DPP consult OK 12 | REJECTED | | ",
  })
  @DisplayName("a user's format: local times in the file's zone, CRLF lines read like LF ones")
  void reads(String line, LineKind kind, String instant, String service) {
    RegexLineParser p = new RegexLineParser(LOGBACK, ZoneId.of("Europe/Brussels"));
    byte[] b = line.replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);
    ParsedCall out = new ParsedCall();
    assertEquals(kind, p.parse(b, 0, b.length, out), line + " " + p.lastRejectReason());
    if (instant != null) assertEquals(Instant.parse(instant).toEpochMilli(), out.epochMillis, line);
    if (service != null) assertEquals(service, out.service(), line);
  }
}

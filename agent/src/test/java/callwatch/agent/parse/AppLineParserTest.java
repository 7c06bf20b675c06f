package callwatch.agent.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.model.Metrics;
import callwatch.common.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppLineParserTest {
  private static final String LINE =
      "2026-11-24T09:14:03.123+01:00 INFO [dpp-03] call service=DPP op=register pharmacy=123456 vendor=Corilus status=OK code=0 ms=84";
  private final AppLineParser parser = new AppLineParser();
  private final ParsedCall call = new ParsedCall();

  private LineKind parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parser.parse(b, 0, b.length, call);
  }

  @Test
  @DisplayName("reads every field of a call line")
  void readsEveryFieldOfACallLine() {
    assertEquals(LineKind.CALL, parse(LINE));
    assertEquals(OffsetDateTime.parse("2026-11-24T09:14:03.123+01:00").toInstant().toEpochMilli(), call.epochMillis);
    assertEquals("DPP", call.service());
    assertEquals("register", call.op());
    assertEquals("123456", call.pharmacy());
    assertEquals("Corilus", call.vendor());
    assertEquals("dpp-03", call.host());
    assertEquals(Outcome.OK, call.outcome);
    assertEquals(-1, call.codeIndex);
    assertEquals(84, call.latencyMs);
  }

  @Test
  @DisplayName("reads each line's own time when consecutive lines share the minute, the day or the offset")
  void readsEachLinesOwnTime() {
    String[] stamps = {"2026-11-24T09:14:03.123+01:00", "2026-11-24T09:14:59Z", "2026-11-24T09:14:07.5-03:30",
        "2026-11-25T09:14:07+01:00", "2026-11-25T09:15:00.001+01:00", "2026-11-25T09:14:07+01:00", "2027-02-28T23:59:60Z"};
    for (String ts : stamps) {
      assertEquals(LineKind.CALL, parse(LINE.replace("2026-11-24T09:14:03.123+01:00", ts)), ts);
      long expected = OffsetDateTime.parse(ts.replace(":60Z", ":59Z")).toInstant().toEpochMilli();
      assertEquals(expected, call.epochMillis, ts);
    }
    assertEquals(LineKind.REJECTED, parse(LINE.replace("2026-11-24T09:14:03.123", "2026-02-30T09:14:03.123")));
    assertEquals(LineKind.REJECTED, parse(LINE.replace("2026-11-24T09:14:03.123", "2026-11-24T09:14:6x.123")));
  }

  @ParameterizedTest(name = "status={0} code={1}")
  @CsvSource({"OK,0,OK,-1", "ERROR,E401,ERROR,4", "ERROR,E500,ERROR,5", "ERROR,E503,ERROR,6", "TIMEOUT,E504,TIMEOUT,7",
      "ERROR,E418,ERROR,-1"})
  @DisplayName("maps every status and code")
  void mapsEveryStatusAndCode(String status, String code, Outcome outcome, int index) {
    assertEquals(LineKind.CALL, parse(LINE.replace("status=OK code=0", "status=" + status + " code=" + code)));
    assertEquals(outcome, call.outcome);
    assertEquals(index, call.codeIndex);
    if (index >= 0) assertEquals(Metrics.NAMES.get(index), code.toLowerCase());
  }

  @Test
  @DisplayName("takes the key=value pairs in any order and ignores unknown keys")
  void takesPairsInAnyOrder() {
    String line = "2026-11-24T09:14:03Z WARN [h1] call ms=7 code=E503 status=ERROR trace=abc vendor=X pharmacy=9 op=o service=S";
    assertEquals(LineKind.CALL, parse(line));
    assertEquals("S", call.service());
    assertEquals(7, call.latencyMs);
    assertEquals(Metrics.E503, call.codeIndex);
    assertEquals(OffsetDateTime.parse("2026-11-24T09:14:03Z").toInstant().toEpochMilli(), call.epochMillis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\tat be.example.Foo.bar(Foo.java:12)", "java.lang.IllegalStateException: boom",
      "2026-11-24T09:14:03.123+01:00 INFO [dpp-03] server started in 4.2 s", "Caused by: x"})
  @DisplayName("counts lines that are not calls as other")
  void countsNonCallsAsOther(String line) {
    assertEquals(LineKind.OTHER, parse(line));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "status=OK code=0 ms=84|ms=8x4|ms must be a whole number of milliseconds, 0 to 999999999999",
      "status=OK code=0 ms=84|ms=-5|ms must be a whole number of milliseconds, 0 to 999999999999",
      "status=OK code=0 ms=84|ms=1000000000000000|ms must be a whole number of milliseconds, 0 to 999999999999",
      "status=OK code=0 ms=84|ms=|empty value for ms",
      "vendor=Corilus |<none>|missing vendor",
      "service=DPP |<none>|missing service",
      "status=OK|status=FINE|status must be OK, ERROR or TIMEOUT",
      "code=0|code=500|code must be 0 or E followed by 3 digits",
      " ms=84|<none>|missing ms",
      "2026-11-24T09:14:03.123+01:00|2026-13-24T09:14:03.123+01:00|bad timestamp",
      "2026-11-24T09:14:03.123+01:00|2026-11-24T25:14:03.123+01:00|bad timestamp",
      "2026-11-24T09:14:03.123+01:00|2026-11-24 09:14:03|bad timestamp"})
  @DisplayName("rejects call lines it cannot read, saying why")
  void rejectsBrokenCallLines(String from, String to, String reason) {
    String line = LINE.replace(from, to.equals("<none>") ? "" : to);
    assertEquals(LineKind.REJECTED, parse(line), line);
    assertEquals(reason, parser.lastRejectReason());
  }

  @Test
  @DisplayName("parses a line inside a larger buffer without reading past its end")
  void parsesWithinBufferBounds() {
    byte[] b = (LINE + "\n" + "garbage=1 more").getBytes(StandardCharsets.UTF_8);
    assertEquals(LineKind.CALL, parser.parse(b, 0, LINE.length(), call));
    assertEquals(84, call.latencyMs);
  }

  @Test
  @DisplayName("a very long call line is still read when it fits the cap")
  void readsAVeryLongLine() {
    String line = LINE + " note=" + "x".repeat(20_000);
    assertEquals(LineKind.CALL, parse(line));
    assertTrue(call.latencyMs == 84);
  }

  @Test
  @DisplayName("a Windows line end does not spoil the last field")
  void toleratesCarriageReturn() {
    assertEquals(LineKind.CALL, parse(LINE + "\r"));
    assertEquals(84, call.latencyMs);
  }
}

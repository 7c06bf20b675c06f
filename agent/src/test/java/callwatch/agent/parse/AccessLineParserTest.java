package callwatch.agent.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.common.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLineParserTest {
  private static final String LINE =
      "10.20.3.4 - 123456 [24/Nov/2026:09:14:03 +0100] \"POST /dpp/register HTTP/1.1\" 200 512 \"-\" \"Corilus/4.2\" 84";
  private final AccessLineParser parser = new AccessLineParser();
  private final ParsedCall call = new ParsedCall();

  private LineKind parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parser.parse(b, 0, b.length, call);
  }

  @Test
  @DisplayName("reads service and op from the path, pharmacy from the user, vendor from the user agent")
  void readsEveryField() {
    assertEquals(LineKind.CALL, parse(LINE));
    assertEquals(OffsetDateTime.parse("2026-11-24T09:14:03+01:00").toInstant().toEpochMilli(), call.epochMillis);
    assertEquals("DPP", call.service());
    assertEquals("register", call.op());
    assertEquals("123456", call.pharmacy());
    assertEquals("Corilus/4.2", call.vendor());
    assertEquals(null, call.host());
    assertEquals(Outcome.OK, call.outcome);
    assertEquals(84, call.latencyMs);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @CsvSource({"200,OK,-1", "204,OK,-1", "401,ERROR,4", "500,ERROR,5", "503,ERROR,6", "504,TIMEOUT,7", "404,ERROR,-1"})
  @DisplayName("maps HTTP statuses to outcomes and codes")
  void mapsHttpStatuses(int status, Outcome outcome, int index) {
    assertEquals(LineKind.CALL, parse(LINE.replace("\" 200 512", "\" " + status + " 512")));
    assertEquals(outcome, call.outcome);
    assertEquals(index, call.codeIndex);
  }

  @Test
  @DisplayName("ignores the query string and keeps only /service/op")
  void ignoresQueryString() {
    assertEquals(LineKind.CALL, parse(LINE.replace("/dpp/register", "/recipe/prescribe/extra?x=1")));
    assertEquals("RECIPE", call.service());
    assertEquals("prescribe", call.op());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.20.3.4 - - [24/Nov/2026:09:14:03 +0100] \"GET /health HTTP/1.1\" 200 2 \"-\" \"curl/8\" 1"})
  @DisplayName("an empty line or a health check is not a call")
  void healthChecksAreOther(String line) {
    assertEquals(LineKind.OTHER, parse(line));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
      "\" 84|\" 8x4|latency must be a whole number of milliseconds, 0 to 999999999999",
      "\" 84|\" -5|latency must be a whole number of milliseconds, 0 to 999999999999",
      "' 84'|<none>|no latency at the end",
      "24/Nov/2026|24/Foo/2026|bad timestamp",
      "09:14:03 +0100|09:14:03|bad timestamp",
      "\" 200 |\" 2000 |bad HTTP status",
      "\"Corilus/4.2\"|Corilus|no quoted user agent",
      "' 123456 '|' - '|missing pharmacy (user field '-')"})
  @DisplayName("rejects access lines it cannot read, saying why")
  void rejectsBrokenLines(String from, String to, String reason) {
    String line = LINE.replace(from, to.equals("<none>") ? "" : to);
    assertEquals(LineKind.REJECTED, parse(line), line);
    assertEquals(reason, parser.lastRejectReason());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-11-24 09:00:01 INFO gateway starting on port 8443",
      "[24/Nov/2026:09:00:01 +0100] gateway restarted",
      "java.lang.IllegalStateException: pool exhausted",
      "\tat com.example.Gateway.handle(Gateway.java:42)",
      "10.20.3.4 - 123456 24/Nov/2026:09:14:03 \"POST /dpp/register HTTP/1.1\" 200"})
  @DisplayName("a line that does not start like a record (start-up message, stack trace) is not a call, and not rejected")
  void nonRecordsAreOther(String line) {
    assertEquals(LineKind.OTHER, parse(line));
  }

  @Test
  @DisplayName("a missing user agent counts the vendor as unknown (an empty field)")
  void emptyUserAgent() {
    assertEquals(LineKind.CALL, parse(LINE.replace("\"Corilus/4.2\"", "\"\"")));
    assertEquals("", call.vendor());
  }
}

package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.agentStats;
import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: lines appended to real files, a real agent tailing them, a real
 * aggregator on 127.0.0.1, and the counts read back over HTTP equal the counts in the lines.
 */
class EndToEndTest {
  private static final String SECRET = "s3cret-for-e2e";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final DateTimeFormatter APACHE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  /** What the test wrote, per "SERVICE.metric". */
  private final Map<String, Long> expected = new HashMap<>();
  private final Map<String, long[]> perPharmacy = new HashMap<>();

  private void count(String service, String... metrics) {
    for (String m : metrics) expected.merge(service + "." + m, 1L, Long::sum);
  }

  @Test
  @Timeout(120)
  @DisplayName("stored per-service and per-status counts equal the counts in the lines, malformed lines are rejected")
  void storedCountsEqualTheLines(@TempDir Path tmp) throws Exception {
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5801, List.of(),
        Map.of("e2e-agent", SECRET)));
    cleanup.add(() -> node.closeBlocking());
    int port = node.port();

    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Random random = new Random(7);
    long base = Instant.now().minusSeconds(600).toEpochMilli();
    StringBuilder app = new StringBuilder();
    StringBuilder access = new StringBuilder();
    String[] services = {"DPP", "RECIPE", "PCDH"};
    String[][] outcomes = {{"OK", "0", "ok"}, {"ERROR", "E401", "error", "e401"}, {"ERROR", "E500", "error", "e500"},
        {"ERROR", "E503", "error", "e503"}, {"TIMEOUT", "E504", "timeout", "e504"}};
    int[] httpStatus = {200, 401, 500, 503, 504};
    for (int i = 0; i < 3000; i++) {
      long t = base + i * 150L;
      String svc = services[random.nextInt(services.length)];
      int o = random.nextInt(outcomes.length);
      String[] out = outcomes[o];
      if (i % 2 == 0) {
        app.append(ISO.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(1)))).append(" INFO [web-1] call service=").append(svc)
            .append(" op=op").append(i % 3).append(" pharmacy=").append(100000 + i % 50).append(" vendor=V").append(i % 4)
            .append(" status=").append(out[0]).append(" code=").append(out[1]).append(" ms=").append(random.nextInt(900)).append('\n');
      } else {
        access.append("10.0.0.").append(i % 200).append(" - ").append(100000 + i % 50).append(" [")
            .append(APACHE.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(1)))).append("] \"POST /")
            .append(svc.toLowerCase()).append("/op").append(i % 3).append(" HTTP/1.1\" ").append(httpStatus[o])
            .append(" 100 \"-\" \"V").append(i % 4).append("/1.0\" ").append(random.nextInt(900)).append('\n');
      }
      count(svc, "calls");
      for (int k = 2; k < out.length; k++) count(svc, out[k]);
      long[] p = perPharmacy.computeIfAbsent(String.valueOf(100000 + i % 50), k -> new long[3]);
      p[0]++;
      if (o > 0) p[1]++;
      if (o == 1) p[2]++;
    }
    // not calls, and calls that cannot be read
    app.append("2026-11-24T09:00:00.000+01:00 INFO [web-1] server started\n");
    app.append("\tat be.example.Foo.bar(Foo.java:12)\n");
    app.append(ISO.format(Instant.ofEpochMilli(base).atOffset(ZoneOffset.UTC))).append(" INFO [web-1] call service=DPP op=x pharmacy=1 vendor=V status=OK code=0 ms=abc\n");
    app.append(ISO.format(Instant.ofEpochMilli(base).atOffset(ZoneOffset.UTC))).append(" INFO [web-1] call service=DPP op=x status=OK code=0 ms=5\n");
    access.append("garbage that is no access line at all\n"); // not a record: other, as in the app format
    access.append("10.0.0.1 - 100001 [24/Nov/2026:09:14:03 +0100] \"POST /dpp/register HTTP/1.1\" 200 512 \"-\" \"V0\" abc\n");
    access.append("10.0.0.1 - - [24/Nov/2026:09:14:03 +0100] \"POST /dpp/register HTTP/1.1\" 200 512 \"-\" \"V0\" 84\n");

    // the agent first sees half of each file, then the rest is appended while it runs
    Path appFile = logs.resolve("app.log");
    Path accessFile = logs.resolve("access.log");
    int appHalf = app.indexOf("\n", app.length() / 2) + 1;
    int accessHalf = access.indexOf("\n", access.length() / 2) + 1;
    Files.writeString(appFile, app.substring(0, appHalf));
    Files.writeString(accessFile, access.substring(0, accessHalf));

    JsonArray files = new JsonArray()
        .add(new JsonObject().put("glob", logs + "/app*.log").put("format", "app"))
        .add(new JsonObject().put("glob", logs + "/access*.log").put("format", "access"));
    Vertx agent = TestNodes.startAgent(TestNodes.agentJson("e2e-agent", SECRET, tmp.resolve("agent"), port, files));
    cleanup.add(() -> agent.close().await());

    Files.writeString(appFile, app.substring(appHalf), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Files.writeString(accessFile, access.substring(accessHalf), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    long lines = app.chars().filter(c -> c == '\n').count() + access.chars().filter(c -> c == '\n').count();
    await("the aggregator has the agent's figures for every line", Duration.ofSeconds(60),
        () -> TestNodes.counter(port, "e2e-agent", "linesRead") == lines);
    JsonObject counters = agentStats(port, "e2e-agent").getJsonObject("stats").getJsonObject("counters");
    assertEquals(3000, counters.getLong("parsed"));
    assertEquals(4, counters.getLong("rejected"), "two bad app call lines, an access record with a bad latency and one without a pharmacy ('-')");
    assertEquals(3, counters.getLong("other"), "a start-up message, a stack trace and a line that is no access record are not calls");

    String range = "from=" + (base / 1000 - 60) + "&to=" + (base / 1000 + 600);
    assertCountsEqual(port, range, "from the live cache");
    // every call also lands on its pharmacy: calls, errors and E401 per pharmacy, exactly
    Map<String, String> pharmacies = new java.util.TreeMap<>();
    for (Object o : TestNodes.get(port, "/api/drilldown?top=100&" + range).getJsonArray("topByCalls")) {
      JsonObject p = (JsonObject) o;
      pharmacies.put(p.getString("pharmacy"), p.getLong("calls") + "/" + p.getLong("errors") + "/" + p.getLong("e401"));
    }
    Map<String, String> expectedPharmacies = new java.util.TreeMap<>();
    perPharmacy.forEach((k, v) -> expectedPharmacies.put(k, v[0] + "/" + v[1] + "/" + v[2]));
    assertEquals(expectedPharmacies, pharmacies, "calls/errors/e401 per pharmacy");

    // once the agent has closed the slots, the aggregator writes them to its round-robin files
    long lastSlot = (base + 3000 * 150L) / 1000;
    await("the slots are written to the rrd files", Duration.ofSeconds(60),
        () -> agentStats(port, "e2e-agent").getLong("writtenUpTo") > lastSlot);
    assertCountsEqual(port, range, "from the rrd files");
    assertTrue(Files.list(tmp.resolve("agg/rrd/e2e-agent")).findAny().isPresent(), "rrd files exist");
  }

  private void assertCountsEqual(int port, String range, String where) {
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      assertEquals(e.getValue(), total(port, e.getKey(), range), e.getKey() + " " + where);
    }
    for (String svc : new String[] {"DPP", "RECIPE", "PCDH"}) {
      for (String m : new String[] {"ok", "error", "timeout", "e401", "e500", "e503", "e504"}) {
        assertEquals(expected.getOrDefault(svc + "." + m, 0L), total(port, svc + "." + m, range), svc + "." + m + " " + where);
      }
    }
  }
}

package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog longer than the cache window, replayed in seconds: the cache keeps the window by the
 * agent's event time, not every slot for hours of wall time, and every call is in history.
 */
class CacheExpiryTest {
  private static final String SECRET = "expiry-secret-1";
  private static final int WINDOW_MINUTES = 130;
  @TempDir Path tmp;
  private AggregatorNode node;
  private Vertx agent;

  @AfterEach
  void stop() {
    if (agent != null) agent.close().await();
    if (node != null) node.closeBlocking();
  }

  @Test
  @Timeout(300)
  @DisplayName("eight hours of backlog from two servers' files: the cache keeps about the window's slots, history every call")
  void backlogLeavesOnlyTheWindowInTheCache() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6002, List.of(),
        Map.of("expiry", SECRET), Map.of("cacheWindowMinutes", WINDOW_MINUTES, "pharmacyHours", 1)));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    long end = System.currentTimeMillis() - 120_000, start = end - 8 * 3_600_000L;
    CallLogWriter a = new CallLogWriter(logs.resolve("app1.log"), "app1");
    CallLogWriter b = new CallLogWriter(logs.resolve("app2.log"), "app2");
    for (long t = start; t < end; t += 10_000) {
      a.write(3, t);
      b.write(3, t + 5_000);
    }
    long written = a.written() + b.written();
    agent = TestNodes.startAgent(TestNodes.agentJson("expiry", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app*.log").put("format", "app"))));

    String range = "from=" + (start / 1000 - 60) + "&to=" + (end / 1000 + 600);
    TestNodes.await("every call stored", Duration.ofSeconds(180), () -> TestNodes.total(node.port(), "*.calls", range) >= written);
    TestNodes.await("history written", Duration.ofSeconds(60), () -> TestNodes.get(node.port(), "/api/health").getBoolean("historyComplete"));
    long windowSlots = WINDOW_MINUTES * 6L;
    TestNodes.await("the cache back to the window", Duration.ofSeconds(60),
        () -> TestNodes.get(node.port(), "/api/health").getLong("cacheSlotsOwned") <= windowSlots + 30);
    JsonObject health = TestNodes.get(node.port(), "/api/health");
    assertTrue(health.getLong("cachePharmacyMinutesOwned") <= 60 + 5, "pharmacy minutes kept for pharmacyHours of event time: " + health);
    // 8 hours are 2,880 slots: what is gone from the cache is read from the files, exactly
    assertEquals(written, TestNodes.total(node.port(), "*.calls", range), "every call once, from the files");
    for (String svc : CallLogWriter.services()) {
      assertEquals(a.written(svc) + b.written(svc), TestNodes.total(node.port(), svc + ".calls", range), svc);
    }
  }
}

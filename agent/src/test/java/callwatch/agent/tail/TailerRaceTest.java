package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.agent.AgentPipeline;
import callwatch.agent.config.AgentConfig;
import callwatch.common.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer thread appends and rotates by copytruncate as fast as it can while the agent's
 * pipeline scans and reads on the test thread, as the agent's worker does. Rotation is faster than
 * the scans (but slower than the thirty kept copies take to run out, also on a slow machine), so
 * the copy may be seen half made, the truncated file may grow past the old offset before the next
 * scan. Every tenth rotation waits twice the drain grace between the copy and the truncate, as
 * logrotate copying a large log does. The agent's count must equal the writer's, every time.
 */
class TailerRaceTest {
  private static final int KEPT_COPIES = 30;
  private static final long DRAIN_GRACE_MILLIS = 200;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  @TempDir Path tmp;

  @Test
  @Timeout(120)
  @DisplayName("copytruncate every 200 lines under a concurrent writer: 0 lost, 0 double")
  void copytruncateUnderAConcurrentWriter() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path live = logs.resolve("app.log");
    Files.createFile(live);
    AgentPipeline agent = AgentPipeline.openBlocking(AgentConfig.from(new ConfigSection("race", "", new JsonObject()
        .put("aggregators", new JsonArray().add("ws://127.0.0.1:1/agent"))
        .put("files", new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")))
        .put("stateDir", tmp.resolve("state").toString()).put("graceMillis", 0).put("drainGraceMillis", DRAIN_GRACE_MILLIS))));
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> {
      try {
        long t = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();
        for (int round = 0; round < 150; round++) {
          for (int burst = 0; burst < 8; burst++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 25; i++) {
              sb.append(ISO.format(Instant.ofEpochMilli(t++).atOffset(ZoneOffset.UTC)))
                  .append(" INFO [h] call service=DPP op=r").append(round).append(" pharmacy=1 vendor=V status=OK code=0 ms=5\n");
            }
            Files.writeString(live, sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            written.addAndGet(25);
            Thread.sleep(3);
          }
          copytruncate(live, round, round % 10 == 5 ? 2 * DRAIN_GRACE_MILLIS : 0);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    agent.scanBlocking(); // warm: the race under test is rotation against reads, not against start-up
    writer.start();
    Map<String, Long> perRound = new TreeMap<>();
    long delivered = 0;
    long lastScan = 0;
    while (writer.isAlive()) {
      if (System.nanoTime() - lastScan > 50_000_000L) {
        agent.scanBlocking();
        lastScan = System.nanoTime();
      }
      agent.readBlocking(1 << 20);
      delivered += cut(agent, perRound);
    }
    writer.join();
    Thread.sleep(2500); // past the drain grace, so rotated copies are let go after their last read
    for (int i = 0; i < 3; i++) {
      agent.scanBlocking();
      while (agent.readBlocking(1 << 20) > 0) {
        // read to the end
      }
      delivered += cut(agent, perRound);
    }
    assertEquals(written.get(), delivered, "calls written vs counted; rounds not counted 200 times: "
        + perRound.entrySet().stream().filter(e -> e.getValue() != 200).toList() + ", rounds missing: "
        + java.util.stream.IntStream.range(0, 150).filter(r -> !perRound.containsKey("r" + r)).boxed().toList()
        + "; agent stats " + agent.stats().counters());
  }

  private static void copytruncate(Path live, int round, long pauseMillis) throws IOException, InterruptedException {
    for (int i = KEPT_COPIES - 1; i >= 1; i--) {
      Path older = live.resolveSibling("app.log." + i);
      if (Files.exists(older)) Files.move(older, live.resolveSibling("app.log." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.copy(live, live.resolveSibling("app.log.1"));
    Thread.sleep(pauseMillis); // the copy is complete; the truncate is still to come
    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
  }

  private static long cut(AgentPipeline agent, Map<String, Long> perRound) throws IOException {
    AgentPipeline.Spooled s = agent.cutBatchBlocking();
    if (s == null) return 0;
    agent.ackedBlocking(s.seq());
    long n = 0;
    for (Object so : new JsonObject(s.json()).getJsonArray("slots")) {
      for (Object ro : ((JsonObject) so).getJsonArray("rows")) {
        long calls = ((JsonArray) ro).getJsonArray(4).getLong(0);
        perRound.merge(((JsonArray) ro).getString(1), calls, Long::sum);
        n += calls;
      }
    }
    return n;
  }
}

package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.agentStats;
import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own JVM: killed without warning, and fed junk, it still counts every call once. */
class AgentCrashTest {
  private static final String SECRET = "crash-secret-12";
  private final List<Runnable> cleanup = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  private AggregatorNode node() {
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5821, List.of(),
        Map.of("agent-k", SECRET)));
    cleanup.add(node::closeBlocking);
    return node;
  }

  private AgentProcess agent(int port, Path logs, String heap) throws Exception {
    JsonObject cfg = TestNodes.agentJson("agent-k", SECRET, tmp.resolve("agent"), port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    cfg.put("graceMillis", 3000);
    AgentProcess p = new AgentProcess(tmp, cfg, heap);
    cleanup.add(() -> {
      try {
        if (p.alive()) p.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return p;
  }

  @Test
  @Timeout(180)
  @DisplayName("kill -9 of the agent three times while the application writes and rotates: 0 lost, 0 double")
  void survivesKillNine() throws Exception {
    AggregatorNode node = node();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    AgentProcess agent = agent(node.port(), logs, "128m");
    agent.start();
    for (int round = 0; round < 3; round++) {
      long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
      int sinceRotation = 0;
      while (System.nanoTime() < end) {
        w.write(30, System.currentTimeMillis());
        // a rotation every ~1.5 s: never more than the 9 kept files while the agent restarts
        if ((sinceRotation += 30) >= 3000) {
          w.rotate(round % 2 == 0 ? CallLogWriter.Rotation.RENAME : CallLogWriter.Rotation.COPYTRUNCATE);
          sinceRotation = 0;
        }
        Thread.sleep(15);
      }
      agent.kill();
      w.write(50, System.currentTimeMillis());   // written while no agent runs
      agent.start();
    }
    await("the aggregator holds every line written", Duration.ofSeconds(120), () -> {
      JsonObject a = agentStats(node.port(), "agent-k");
      return a != null && a.getLong("lastSeq") > 0 && total(node.port(), "*.calls", "from=" + (start - 60) + "&to=" + (start + 300)) >= w.written();
    });
    Thread.sleep(1500); // a double count would arrive with the next batches: give them time to show up
    String range = "from=" + (start - 60) + "&to=" + (start + 300);
    for (String svc : CallLogWriter.services()) {
      assertEquals(w.written(svc), total(node.port(), svc + ".calls", range), svc + ": 0 lost, 0 double\n" + agent.output());
    }
  }

  @Test
  @Timeout(180)
  @DisplayName("an agent killed in a quiet period and restarted goes on closing slots, so its calls reach the files")
  void quietRestartClosesSlots() throws Exception {
    AggregatorNode node = node();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long lastLine = System.currentTimeMillis();
    w.write(5000, lastLine);
    AgentProcess agent = agent(node.port(), logs, "128m");
    agent.start();
    await("the agent has read every line", Duration.ofSeconds(60), () -> TestNodes.counter(node.port(), "agent-k", "parsed") == 5000);
    Thread.sleep(2000);
    agent.kill();
    agent.start(); // no call is logged any more: the evening after the restart is quiet
    long slotOfLastLine = lastLine / 1000 / 10 * 10;
    await("slots close after the restart although no new line comes", Duration.ofSeconds(60),
        () -> agentStats(node.port(), "agent-k").getLong("closedBefore") > slotOfLastLine
            && agentStats(node.port(), "agent-k").getLong("writtenUpTo") > slotOfLastLine);
    String range = "from=" + (slotOfLastLine - 60) + "&to=" + (slotOfLastLine + 60);
    assertEquals(5000, total(node.port(), "*.calls", range), "every call once, now from the files\n" + agent.output());
  }

  @Test
  @Timeout(180)
  @DisplayName("NUL bytes, invalid UTF-8 and a 200 MB line are rejected and skipped, in a 64 MB heap")
  void rejectsJunkWithBoundedMemory() throws Exception {
    AggregatorNode node = node();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path file = logs.resolve("app.log");
    CallLogWriter w = new CallLogWriter(file, "web-1");
    w.write(100, System.currentTimeMillis());
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      out.write("binary\0junk\0here\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[] {'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, ' ', 'u', 't', 'f', '\n'});
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'x');
      for (int i = 0; i < 200; i++) out.write(chunk);          // one line of 200 MB
      out.write('\n');
    }
    w.write(100, System.currentTimeMillis());
    AgentProcess agent = agent(node.port(), logs, "64m");
    agent.start();
    await("the agent read past the junk", Duration.ofSeconds(120),
        () -> TestNodes.counter(node.port(), "agent-k", "parsed") == 200);
    JsonObject stats = agentStats(node.port(), "agent-k").getJsonObject("stats");
    assertEquals(3, stats.getJsonObject("counters").getLong("rejected"), "NUL line, invalid UTF-8 line, over-long line");
    assertTrue(agent.alive(), "the agent is still running:\n" + agent.output());
    assertTrue(stats.getJsonArray("files").getJsonObject(0).getJsonArray("samples").encode().contains("longer than 65536 bytes"));
    long start = System.currentTimeMillis() / 1000;
    assertEquals(200, total(node.port(), "*.calls", "from=" + (start - 600) + "&to=" + (start + 60)));
  }
}

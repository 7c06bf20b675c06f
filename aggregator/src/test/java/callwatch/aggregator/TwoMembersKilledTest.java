package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three aggregator members as separate processes and three agents sending; two members are killed
 * with SIGKILL within a second. Every acknowledged call must end up stored exactly once.
 */
class TwoMembersKilledTest {
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    cleanup.runAll();
  }

  @Test
  @Timeout(420)
  @DisplayName("two of three members killed at once (default backups): once one is back, every call is stored once on every member")
  void defaultBackupsKeepEverything() throws Exception {
    run(-1, new int[] {1, 2}, 1, 5911);
  }

  @Test
  @Timeout(420)
  @DisplayName("two of three killed with one backup configured: partitions are lost, journals are replayed, history waits for them")
  void oneBackupReplaysJournals() throws Exception {
    run(1, new int[] {1, 2}, 2, 5921);
  }

  @Test
  @Timeout(420)
  @DisplayName("all three killed within a second: once all are back, each journal replayed, every call is stored once on every member")
  void wholeClusterKilled() throws Exception {
    run(-1, new int[] {0, 1, 2}, 3, 5901);
  }

  /** What each member holds and says, and its threads into its log: to read why a run did not converge. */
  private static String whatMembersHold(List<AggregatorProcess> up, String range, List<CallLogWriter> writers) {
    StringBuilder b = new StringBuilder();
    for (AggregatorProcess p : up) {
      b.append("member :").append(p.httpPort());
      try {
        b.append(" holds ").append(total(p.httpPort(), "*.calls", range)).append(" calls; health ")
            .append(TestNodes.getRaw(p.httpPort(), "/api/health").body()).append("; agents ")
            .append(TestNodes.getRaw(p.httpPort(), "/api/agents").body()).append("; slots that differ (agent service slot written held):");
        for (int a = 0; a < writers.size(); a++) {
          for (String svc : CallLogWriter.services()) {
            java.util.TreeMap<Long, Long> held = new java.util.TreeMap<>();
            for (Object o : TestNodes.get(p.httpPort(), "/api/series/" + svc + ".calls?agent=agent-" + a + "&" + range).getJsonArray("points")) {
              JsonArray point = (JsonArray) o;
              if (point.getValue(1) != null) held.put(point.getLong(0), point.getLong(1));
            }
            java.util.TreeMap<Long, Long> wrote = writers.get(a).perSlot(svc);
            java.util.TreeSet<Long> slots = new java.util.TreeSet<>(wrote.keySet());
            slots.addAll(held.keySet());
            for (long slot : slots) {
              long w = wrote.getOrDefault(slot, 0L), h = held.getOrDefault(slot, 0L);
              if (w != h) b.append(" agent-").append(a).append(' ').append(svc).append(' ').append(slot).append(' ').append(w).append(' ').append(h);
            }
          }
        }
        p.dumpThreads();
      } catch (Exception | AssertionError e) {
        b.append(" did not answer: ").append(e);
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Kills {@code victims} (member indexes) 500 ms apart, then restarts the first {@code restarted} of them 5 s apart. */
  private void run(int backups, int[] victims, int restarted, int basePort) throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    JsonArray members = new JsonArray();
    for (int i = 0; i < 3; i++) members.add("127.0.0.1:" + (basePort + i));
    JsonObject agentsSecrets = new JsonObject();
    for (int a = 0; a < 3; a++) agentsSecrets.put("agent-" + a, "two-killed-secret-" + a);
    AggregatorProcess[] m = new AggregatorProcess[3];
    for (int i = 0; i < 3; i++) {
      JsonObject c = new JsonObject().put("dataDir", tmp.resolve("agg-" + i).toString()).put("agents", agentsSecrets)
          .put("cluster", new JsonObject().put("name", cluster).put("port", basePort + i).put("members", members));
      if (backups >= 0) c.getJsonObject("cluster").put("backups", backups);
      m[i] = new AggregatorProcess(tmp.resolve("agg-" + i), c);
      AggregatorProcess p = m[i];
      int member = i;
      cleanup.add(() -> {
        try {
          if (p.alive()) p.kill();
          // kept for reading after the run: what each member said
          Files.writeString(Path.of("target", "two-killed-" + basePort + "-member-" + member + ".log"), p.output());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
          // the log is a help, not a result
        }
      });
      m[i].start();
    }
    for (AggregatorProcess p : m) await("member up", Duration.ofSeconds(90), p::healthy);

    long start = System.currentTimeMillis() / 1000;
    List<CallLogWriter> writers = new ArrayList<>();
    for (int a = 0; a < 3; a++) {
      Path logs = Files.createDirectories(tmp.resolve("logs-" + a));
      CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-" + a);
      writers.add(w);
      JsonArray addresses = new JsonArray();
      for (int k = 0; k < 3; k++) addresses.add("ws://127.0.0.1:" + m[(a + k) % 3].httpPort() + "/agent"); // agent a starts on member a
      JsonObject cfg = TestNodes.agentJson("agent-" + a, agentsSecrets.getString("agent-" + a), tmp.resolve("agent-" + a), 0,
          new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
      cfg.put("aggregators", addresses).put("graceMillis", 3000);
      var agent = TestNodes.startAgent(cfg);
      cleanup.add(() -> agent.close().await());
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread feeder = new Thread(() -> {
      try {
        while (writing.get()) {
          for (CallLogWriter w : writers) w.write(20, System.currentTimeMillis());
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    Thread.sleep(6000);
    for (int v : victims) {
      m[v].kill();
      Thread.sleep(500);
    }
    Thread.sleep(2500);
    List<AggregatorProcess> up = new ArrayList<>();
    for (AggregatorProcess p : m) up.add(p);
    for (int i = 0; i < victims.length; i++) {
      if (i >= restarted) {
        up.remove(m[victims[i]]);
        continue;
      }
      if (i > 0) Thread.sleep(5000);
      m[victims[i]].start();
    }
    Thread.sleep(3000);
    writing.set(false);
    feeder.join();

    long written = writers.stream().mapToLong(CallLogWriter::written).sum();
    String range = "from=" + (start - 60) + "&to=" + (start + 600);
    try {
      for (AggregatorProcess p : up) {
        await("a member holds every call", Duration.ofSeconds(240), () -> p.healthy() && total(p.httpPort(), "*.calls", range) >= written);
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; written " + written + "; " + whatMembersHold(up, range, writers), e);
    }
    long lastSlot = System.currentTimeMillis() / 1000 - 20;
    for (AggregatorProcess p : up) {
      await("the member has written every slot to its files", Duration.ofSeconds(120), () -> {
        for (int a = 0; a < 3; a++) {
          JsonObject s = TestNodes.agentStats(p.httpPort(), "agent-" + a);
          if (s == null || s.getLong("writtenUpTo") < lastSlot) return false;
        }
        return true;
      });
    }
    Thread.sleep(1500); // a double count would arrive with the next batches
    for (AggregatorProcess p : up) {
      for (String svc : CallLogWriter.services()) {
        long expected = writers.stream().mapToLong(w -> w.written(svc)).sum();
        long held = total(p.httpPort(), svc + ".calls", range);
        if (held != expected) {
          assertEquals(expected, held, svc + " on member :" + p.httpPort() + " (0 lost, 0 double); " + whatMembersHold(up, range, writers));
        }
      }
    }
  }
}

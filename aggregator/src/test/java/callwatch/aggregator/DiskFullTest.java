package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full disks, for real: small tmpfs file systems under the agent's state folder and the member's
 * data folder (needs the right to mount, i.e. root; skipped elsewhere).
 */
class DiskFullTest {
  private static final String SECRET = "disk-full-secret-1";
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    cleanup.runAll();
  }

  @Test
  @Timeout(300)
  @DisplayName("a full spool disk pauses the agent's reading and a full data disk refuses files and batches; with room again every call is stored once, history included")
  void fullDisksLoseNothing() throws Exception {
    Path state = mounted("agent-state", 3);
    Path filler = state.resolve("filler");
    Files.write(filler, new byte[2_700 * 1024]); // about 300 KiB left for the spool
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "h1");
    long start = System.currentTimeMillis() - 150_000;
    for (int i = 0; i < 6; i++) w.write(12_000, start + i * 20_000L); // ~700 KiB of batches: more than the spool's disk holds

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject agentCfg = TestNodes.agentJson("disk-agent", SECRET, state, port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    AgentProcess agent = new AgentProcess(tmp, agentCfg, "96m");
    agent.start();
    cleanup.add(() -> {
      try {
        agent.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    await("the agent stops reading: its spool's disk is full", Duration.ofSeconds(60), () -> output(agent).contains("reading paused"));

    // the member starts on a data disk with room for two round-robin files (7.9 MiB each) and its journal
    Path data = mounted("member-data", 20);
    AggregatorNode node = TestNodes.start(TestNodes.config(data, TestNodes.uniqueClusterName(), 5857, List.of(), Map.of("disk-agent", SECRET),
        Map.of("diskReserveMiB", 0)).withHttpPort(port)); // no reserve: the disk fills for real
    cleanup.add(node::closeBlocking);
    Files.delete(filler);
    await("the agent reads on and the member has every call", Duration.ofSeconds(120),
        () -> TestNodes.counter(port, "disk-agent", "parsed") == w.written()
            && node.writer().writtenUpTo("disk-agent") > (start + 100_000) / 1000);
    await("a round-robin file met the full disk", Duration.ofSeconds(60),
        () -> TestNodes.get(port, "/api/health").getInteger("unwritableSources") > 0);

    remount(data, 200);
    await("every file can be written again", Duration.ofSeconds(60),
        () -> TestNodes.get(port, "/api/health").getInteger("unwritableSources") == 0);
    String range = "from=" + (start / 1000 - 60) + "&to=" + (start / 1000 + 200);
    for (String svc : CallLogWriter.services()) {
      await(svc + " exact", Duration.ofSeconds(60), () -> total(port, svc + ".calls", range) == w.written(svc));
    }
    long all = 0;
    for (String svc : CallLogWriter.services()) all += total(port, svc + ".calls", range);
    assertEquals(w.written(), all, "every call once");
  }

  @Test
  @Timeout(180)
  @DisplayName("an incident opened while the data disk is full is kept in the cluster, and on disk once there is room: a restart still has it")
  void journalOutlivesAFullDisk() throws Exception {
    Path data = mounted("member-data", 12);
    var cfg = TestNodes.config(data, TestNodes.uniqueClusterName(), 5858, List.of(), Map.of()).withHttpPort(0);
    AggregatorNode node = TestNodes.start(cfg);
    Path filler = data.resolve("filler");
    try (var out = Files.newOutputStream(filler)) {
      byte[] mib = new byte[1024 * 1024];
      for (int i = 0; i < 64; i++) out.write(mib); // fills the disk: the write fails when it is full
    } catch (IOException full) {
      // the disk is full
    }
    List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger mirrorLog = java.util.logging.Logger.getLogger(callwatch.aggregator.cluster.MapMirror.class.getName());
    java.util.logging.Handler seen = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        refused.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    mirrorLog.addHandler(seen);
    cleanup.add(() -> mirrorLog.removeHandler(seen));
    var opened = TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR,
        new JsonObject().put("title", "written on a full disk").put("services", new JsonArray().add("DPP")));
    assertEquals(201, opened.statusCode(), opened.body());
    String id = new JsonObject(opened.body()).getString("id");
    await("the journal's copy met the full disk", Duration.ofSeconds(30),
        () -> refused.stream().anyMatch(m -> m.contains("callwatch.incidents")));
    Files.delete(filler);
    // nothing else changes in the journal: the copy is written because there is room again, not because of a change
    Path copy = data.resolve("incidents.json");
    await("the journal's copy on disk holds the incident", Duration.ofSeconds(60),
        () -> Files.exists(copy) && read(copy).contains(id));
    node.closeBlocking();
    AggregatorNode again = TestNodes.start(cfg);
    cleanup.add(again::closeBlocking);
    // the copies are put back just after the start
    await("the incident after the restart", Duration.ofSeconds(30),
        () -> TestNodes.getRaw(again.port(), "/api/incidents/" + id).statusCode() == 200);
    assertEquals("written on a full disk", TestNodes.get(again.port(), "/api/incidents/" + id).getString("title"));
  }

  @Test
  @Timeout(240)
  @DisplayName("a server whose op names go wild cannot fill the data disk: new round-robin files stop at the reserve, and batches are still acknowledged")
  void wildLabelsLeaveTheReserve() throws Exception {
    Path data = mounted("member-data", 120);
    AggregatorNode node = TestNodes.start(TestNodes.config(data, TestNodes.uniqueClusterName(), 5859, List.of(), Map.of("raw", SECRET),
        Map.of("diskReserveMiB", 40)));
    cleanup.add(node::closeBlocking);
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    long slot = RawAgent.currentSlot() - 120;
    int batches = 16;
    try (RawAgent a = new RawAgent(vertx, node.port(), "raw", SECRET)) {
      a.hello("raw", "e1", 2 + batches);
      a.send(RawAgent.batch(1, slot, slot + 10, "DPP", "fine", 5).encode());
      assertEquals("ack", a.next().getString("type"));
      // one batch naming 30 ops: 30 round-robin files of 7.9 MiB, far more than the 120 MiB disk holds
      JsonObject wild = RawAgent.batch(2, slot + 10, slot + 20, "DPP", "fine", 6);
      JsonArray rows = wild.getJsonArray("slots").getJsonObject(0).getJsonArray("rows");
      for (int i = 0; i < 30; i++) {
        JsonArray row = rows.getJsonArray(0).copy();
        row.set(0, "RECIPE").set(1, "id-" + i);
        rows.add(row);
      }
      a.send(wild.encode());
      assertEquals("ack", a.next().getString("type"));
      await("the writer went past the wild slot", Duration.ofSeconds(60), () -> node.writer().writtenUpTo("raw") >= slot + 20);
      long free = Files.getFileStore(data).getUsableSpace();
      assertTrue(free >= 40L << 20, "the new files left " + (free >> 20) + " MiB free on the data disk, under the reserve of 40");
      // the agents' batches go on into the journal: 16 of about 700 KB
      for (int b = 0; b < batches; b++) {
        JsonObject next = RawAgent.batch(3 + b, slot + 20 + 10L * b, slot + 30 + 10L * b, "DPP", "fine", 1);
        JsonArray calls = new JsonArray();
        for (int i = 0; i < 50_000; i++) calls.add(100_000 + i % 5_000).add(0);
        next.put("pharmacyPairs", new JsonObject().put("0", new JsonArray().add("DPP").add("V")))
            .put("pharmacyCalls", new JsonArray().add(new JsonObject().put("m", (slot + 20) / 60 * 60).put("c", calls)));
        a.send(next.encode());
        JsonObject answer = a.next();
        assertEquals("ack", answer.getString("type"), "batch " + (3 + b) + ": " + answer.encode());
      }
    }
    await("the writer went past every slot", Duration.ofSeconds(60), () -> node.writer().writtenUpTo("raw") >= slot + 20 + 10L * batches);
    assertEquals(5 + 6 + batches, total(node.port(), "DPP.fine.calls", "from=" + (slot - 10) + "&to=" + (slot + 40 + 10L * batches)),
        "the source that existed goes on");
    assertTrue(TestNodes.get(node.port(), "/api/health").getInteger("unwritableSources") > 0, "the refused files are shown");
  }

  @Test
  @Timeout(240)
  @DisplayName("a new member whose disk cannot hold the peers' history and the reserve refuses to start, says why, and leaves the journal's room")
  void historyLargerThanTheDiskIsRefused() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5866", "127.0.0.1:5867");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("agg-a"), cluster, 5866, members, Map.of("raw", SECRET)));
    cleanup.add(a::closeBlocking);
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    long slot = RawAgent.currentSlot() - 120;
    try (RawAgent agent = new RawAgent(vertx, a.port(), "raw", SECRET)) {
      agent.hello("raw", "e1", 2);
      // six ops: six round-robin files of 7.9 MiB on member a
      JsonObject batch = RawAgent.batch(1, slot, slot + 10, "DPP", "op-0", 5);
      JsonArray rows = batch.getJsonArray("slots").getJsonObject(0).getJsonArray("rows");
      for (int i = 1; i < 6; i++) rows.add(rows.getJsonArray(0).copy().set(1, "op-" + i));
      agent.send(batch.encode());
      assertEquals("ack", agent.next().getString("type"));
    }
    await("member a wrote its six files", Duration.ofSeconds(60), () -> a.writer().writtenUpTo("raw") >= slot + 10);
    assertEquals(6, a.repository().allSources().size());

    Path data = mounted("member-b", 64);
    Throwable refused = null;
    try {
      AggregatorNode b = TestNodes.start(TestNodes.config(data, cluster, 5867, members, Map.of("raw", SECRET), Map.of("diskReserveMiB", 32)));
      cleanup.add(b::closeBlocking);
    } catch (Exception e) {
      refused = e;
    }
    assertTrue(refused != null && String.valueOf(refused.getMessage()).contains("diskReserveMiB"),
        "47 MiB of history and a 32 MiB reserve on a 64 MiB disk: the member must refuse to start and say why, got " + refused);
    long free = Files.getFileStore(data).getUsableSpace();
    assertTrue(free >= 32L << 20, "the member's attempt left " + (free >> 20) + " MiB free, under the reserve of 32");
    await("the refused member left the cluster", Duration.ofSeconds(30), () -> a.hazelcast().getCluster().getMembers().size() == 1);

    // as a process: an exit status that the systemd unit does not restart, so it does not join again every few seconds
    AggregatorProcess process = new AggregatorProcess(tmp.resolve("member-b-process"), new JsonObject().put("dataDir", data.toString())
        .put("agents", new JsonObject().put("raw", SECRET)).put("diskReserveMiB", 32)
        .put("cluster", new JsonObject().put("name", cluster).put("port", 5867).put("members", new JsonArray(members))));
    process.start();
    cleanup.add(() -> {
      try {
        if (process.alive()) process.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Integer status = process.exitStatus(120);
    assertEquals(AggregatorMain.NO_ROOM_EXIT, status, "exit status; output: " + process.output());
    assertTrue(process.output().contains("diskReserveMiB keeps 32 MiB"), process.output());
    assertTrue(Files.getFileStore(data).getUsableSpace() >= 32L << 20, "the journal's room is left");
    String unit = Files.readString(Path.of("..", "ansible", "roles", "callwatch_aggregator", "templates", "callwatch-aggregator.service.j2"));
    assertTrue(unit.contains("RestartPreventExitStatus=" + AggregatorMain.NO_ROOM_EXIT), "the deployed unit does not restart it");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String output(AgentProcess agent) {
    try {
      return agent.output();
    } catch (IOException e) {
      return "";
    }
  }

  /** A tmpfs of {@code mib} MiB at a new folder under the test's; unmounted after the test. */
  private Path mounted(String name, int mib) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString()) == 0,
        "cannot mount a tmpfs here (needs root): a full disk is not tried");
    cleanup.add(() -> run("umount", "-l", dir.toString()));
    return dir;
  }

  private static void remount(Path dir, int mib) {
    assertEquals(0, run("mount", "-o", "remount,size=" + mib + "m", dir.toString()), "remount " + dir);
  }

  private static int run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based: random sequences of write, partial write, rotation (rename, copytruncate, symlink
 * swap), truncation and agent crash, checked against a model of what was written. The agent's
 * pipeline is driven step by step (scan, read, cut a batch), so each sequence is reproducible
 * from its seed. What the agent spooled, summed, must equal the model for every sequence.
 */
class TailerModelTest {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "EFORMS"};

  @TempDir Path tmp;

  /** The system under test plus the model. */
  private final class Run {
    final Path logs;
    final Path state;
    final Random random;
    final boolean symlinks;
    /** Symlink layout: does the glob also match the link's targets, or only the link? */
    boolean linkOnly;
    final Map<String, Long> model = new HashMap<>();
    final Map<String, Long> delivered = new HashMap<>();
    final List<String> trace = new ArrayList<>();
    AgentPipeline agent;
    String pendingPartial;     // the service of a line written without its newline yet
    int generation;
    long lineNo;

    Run(long seed, boolean symlinks) throws IOException {
      this(seed, symlinks, false);
    }

    Run(long seed, boolean symlinks, boolean linkOnly) throws IOException {
      this.random = new Random(seed);
      this.symlinks = symlinks;
      this.linkOnly = linkOnly;
      this.logs = Files.createDirectories(tmp.resolve("logs-" + seed + "-" + symlinks));
      this.state = tmp.resolve("state-" + seed + "-" + symlinks);
      if (symlinks) {
        Files.createFile(logs.resolve("app-0.data"));
        Files.createSymbolicLink(logs.resolve("current.log"), logs.resolve("app-0.data"));
      } else {
        Files.createFile(logs.resolve("app.log"));
      }
      agent = open();
      if (linkOnly) agent.scanBlocking();
    }

    AgentPipeline open() throws IOException {
      // with symlinks, a glob over the folder matches the link and its dated targets (counted once, by inode)
      String glob = symlinks ? (linkOnly ? logs + "/current.log" : logs + "/*") : logs + "/app.log*";
      return AgentPipeline.openBlocking(AgentConfig.from(new ConfigSection("model", "", new JsonObject()
          .put("aggregators", new JsonArray().add("ws://127.0.0.1:1/agent"))
          .put("files", new JsonArray().add(new JsonObject().put("glob", glob).put("format", "app")))
          .put("stateDir", state.toString()).put("drainGraceMillis", 0).put("graceMillis", 0))));
    }

    Path live() throws IOException {
      return symlinks ? logs.resolve("current.log").toRealPath() : logs.resolve("app.log");
    }

    String line(String service) {
      long t = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli() + lineNo++ * 37;
      return ISO.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC)) + " INFO [h] call service=" + service
          + " op=o pharmacy=1 vendor=V status=OK code=0 ms=" + (lineNo % 500);
    }

    void append(String text) throws IOException {
      Files.writeString(live(), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    void write() throws IOException {
      if (pendingPartial != null) partial(); // a writer finishes its line before it starts the next
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        String svc = SERVICES[random.nextInt(SERVICES.length)];
        sb.append(line(svc)).append('\n');
        model.merge(svc, 1L, Long::sum);
      }
      append(sb.toString());
    }

    void partial() throws IOException {
      if (pendingPartial == null) {
        pendingPartial = SERVICES[random.nextInt(SERVICES.length)];
        String l = line(pendingPartial);
        append(l.substring(0, l.length() - 1));      // all but the last digit, no newline
        lastPartialTail = l.substring(l.length() - 1);
      } else {
        append(lastPartialTail + "\n");
        model.merge(pendingPartial, 1L, Long::sum);
        pendingPartial = null;
      }
    }

    String lastPartialTail;

    void rotate() throws IOException {
      if (pendingPartial != null) return; // applications do not rotate in the middle of a line
      generation++;
      // through a link-only glob a target is seen only while it is current: the agent scans every
      // second, files rotate daily, so the model lets it see each target before the next swap
      if (linkOnly) agent.scanBlocking();
      if (symlinks) {
        Path next = logs.resolve("app-" + generation + ".data");
        Files.createFile(next);
        Path link = logs.resolve("current.tmp");
        Files.createSymbolicLink(link, next);
        Files.move(link, logs.resolve("current.log"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      Path file = logs.resolve("app.log");
      for (int i = generation; i >= 1; i--) {
        Path older = logs.resolve("app.log." + i);
        if (Files.exists(older)) Files.move(older, logs.resolve("app.log." + (i + 1)));
      }
      if (random.nextBoolean()) {
        Files.move(file, logs.resolve("app.log.1"));
        Files.createFile(file);
        trace.add("=rename");
      } else {
        Files.copy(file, logs.resolve("app.log.1"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(0);
        }
        trace.add("=copytruncate");
      }
    }

    /** A plain truncation drops what the agent has not read: done only right after the agent read everything. */
    void truncate() throws IOException {
      if (pendingPartial != null) return;
      poll();
      try (FileChannel ch = FileChannel.open(live(), StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
    }

    void poll() throws IOException {
      agent.scanBlocking();
      while (agent.readBlocking(1 << 20) > 0) {
        // read everything there is
      }
      AgentPipeline.Spooled s = agent.cutBatchBlocking();
      if (s != null) {
        tally(s.json());
        if (random.nextBoolean()) agent.ackedBlocking(s.seq());
      }
    }

    /** kill -9: whatever was read but not spooled is gone from memory and must be read again. */
    void crash() throws IOException {
      agent = open();
    }

    void tally(String json) {
      for (Object so : new JsonObject(json).getJsonArray("slots")) {
        for (Object ro : ((JsonObject) so).getJsonArray("rows")) {
          JsonArray r = (JsonArray) ro;
          delivered.merge(r.getString(0), r.getJsonArray(4).getLong(0), Long::sum);
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
  @DisplayName("rename and copytruncate rotations, partial lines, truncations and crashes: the agent's counts equal the model's")
  void agentCountsEqualTheModel(long seed) throws IOException {
    checkSequence(new Run(seed, false));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108})
  @DisplayName("symlink swaps, partial lines, truncations and crashes: the agent's counts equal the model's")
  void agentCountsEqualTheModelWithSymlinks(long seed) throws IOException {
    checkSequence(new Run(seed, true));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {201, 202, 203, 204, 205, 206})
  @DisplayName("a glob that matches only the symlink: swapped-out targets are drained through the open file while the agent runs")
  void symlinkOnlyGlobWhileRunning(long seed) throws IOException {
    checkSequence(new Run(seed, true, true), false);
  }

  private void checkSequence(Run run) throws IOException {
    checkSequence(run, true);
  }

  private void checkSequence(Run run, boolean crashes) throws IOException {
    for (int step = 0; step < 60; step++) {
      int action = run.random.nextInt(100);
      if (!crashes && action >= 66 && action < 74) action = 80;
      if (action < 40) run.write();
      else if (action < 50) run.partial();
      else if (action < 62) run.rotate();
      else if (action < 66) run.truncate();
      else if (action < 74) run.crash();
      else run.poll();
      long modelTotal = run.model.values().stream().mapToLong(Long::longValue).sum();
      run.trace.add((action < 40 ? "write" : action < 50 ? "partial" : action < 62 ? "rotate" : action < 66 ? "truncate"
          : action < 74 ? "crash" : "poll") + "(" + modelTotal + "/" + run.delivered.values().stream().mapToLong(Long::longValue).sum() + ")");
    }
    if (run.pendingPartial != null) run.partial();
    run.poll();
    run.poll();
    assertEquals(run.model, run.delivered, "after " + run.trace);
  }

  @Test
  @DisplayName("a checkpoint written while rotations happened with the agent stopped is resumed exactly")
  void resumesAfterRotationsWhileStopped() throws IOException {
    Run run = new Run(999, false);
    run.write();
    run.poll();
    run.write();                       // unread when the agent stops
    run.agent = null;
    run.rotate();
    run.write();
    run.rotate();
    run.write();
    run.crash();
    run.poll();
    run.poll();
    assertEquals(run.model, run.delivered, "after " + run.trace);
  }

  @Test
  @DisplayName("a file deleted by rotation while the agent was stopped, with lines it never read: counted as lost bytes, not silently")
  void deletedUnreadFileIsCountedAsLost() throws IOException {
    Run run = new Run(4242, false);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6000; i++) sb.append(run.line("DPP")).append('\n');   // ~700 KB: more than one read chunk
    run.append(sb.toString());
    run.agent.scanBlocking();
    run.agent.readBlocking(1);                      // the agent is behind: one chunk read
    AgentPipeline.Spooled batch = run.agent.cutBatchBlocking();
    long offset = new JsonObject(Files.readString(run.state.resolve("checkpoint.json"))).getJsonArray("files").getJsonObject(0).getLong("offset");
    long size = Files.size(run.logs.resolve("app.log"));
    assertEquals(true, batch != null && offset > 0 && offset < size, "a checkpoint in the middle of the file");
    run.agent = null;                               // the agent stops; logrotate renames and deletes the file
    Files.move(run.logs.resolve("app.log"), run.logs.resolve("old.rotated"));
    Files.delete(run.logs.resolve("old.rotated"));
    Files.createFile(run.logs.resolve("app.log"));
    run.crash();                                    // the agent starts again
    run.agent.scanBlocking();
    run.agent.scanBlocking();
    assertEquals(1L, run.agent.stats().get("lostFiles"));
    assertEquals(size - offset, run.agent.stats().get("lostBytes"), "every unread byte is reported as lost");
  }
}

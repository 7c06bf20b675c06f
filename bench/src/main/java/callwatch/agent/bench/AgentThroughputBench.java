package callwatch.agent.bench;

import callwatch.agent.AgentPipeline;
import callwatch.agent.config.AgentConfig;
import callwatch.common.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Agent throughput: a large file of call lines, read, parsed and added up by the agent's own
 * pipeline (Tailer + parser + accumulator + batch cut) on one thread. Prints the median lines/s of
 * several runs, the heap in use and the process RSS. Run with bench/agent-throughput.sh.
 */
public final class AgentThroughputBench {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final DateTimeFormatter APACHE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  private static final String[] OPS = {"register", "consult", "update", "prescribe", "deliver"};
  private static final String[] STATUS = {"OK code=0", "OK code=0", "OK code=0", "OK code=0", "ERROR code=E401", "ERROR code=E500", "TIMEOUT code=E504"};
  private static final int[] HTTP = {200, 200, 200, 200, 401, 500, 504};

  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * Runs not counted: the JIT's last optimisations of the hot loop land during the second or third
   * pass over the file (single runs showed 2.2 M and then 2.9 M lines/s in one process), and the
   * target is about an agent that runs for weeks.
   */
  private static final int WARMUP_RUNS = 3;

  private AgentThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("callwatch-bench-");
    try {
      for (String format : new String[] {"app", "access"}) {
        Path logs = Files.createDirectories(dir.resolve(format));
        long bytes = generate(logs.resolve("bench.log"), format, lines);
        List<Double> rates = new ArrayList<>();
        List<Double> cpuRates = new ArrayList<>();
        long heap = 0;
        for (int r = 0; r < WARMUP_RUNS + runs; r++) {
          Path state = dir.resolve("state-" + format + "-" + r);
          AgentPipeline p = AgentPipeline.openBlocking(AgentConfig.from(new ConfigSection("bench", "", new JsonObject()
              .put("aggregators", new JsonArray().add("ws://127.0.0.1:1/agent"))
              .put("files", new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", format)))
              .put("stateDir", state.toString()))));
          long t0 = System.nanoTime();
          long cpu0 = THREADS.getCurrentThreadCpuTime();
          p.scanBlocking();
          long read;
          int cuts = 0;
          do {
            read = p.readBlocking(64L << 20);
            if (p.cutBatchBlocking() != null) cuts++;  // batches are cut and spooled as in production
          } while (read > 0);
          double secs = (System.nanoTime() - t0) / 1e9;
          double cpuSecs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
          long parsed = p.stats().get("parsed");
          if (parsed != lines) throw new IllegalStateException("parsed " + parsed + " of " + lines);
          if (r >= WARMUP_RUNS) {
            rates.add(lines / secs);
            cpuRates.add(lines / cpuSecs);
          }
          heap = Math.max(heap, usedHeap());
          if (r == WARMUP_RUNS + runs - 1) {
            System.out.printf(Locale.ROOT, "  (%d batches cut per run)%n", cuts);
          }
        }
        Collections.sort(rates);
        Collections.sort(cpuRates);
        System.out.printf(Locale.ROOT, "%-6s %,d lines (%,d MB): median %,.0f lines/s on one thread (runs: %s); heap in use %d MiB, RSS %d MiB%n",
            format, lines, bytes >> 20, rates.get(rates.size() / 2), fmt(rates), heap >> 20, rssBytes() >> 20);
        // per second of the thread's own CPU time: what one core does, without the time the VM
        // gave to others or the thread spent waiting on fsync
        System.out.printf(Locale.ROOT, "%-6s median %,.0f lines per CPU second of the thread (runs: %s)%n",
            format, cpuRates.get(cpuRates.size() / 2), fmt(cpuRates));
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String fmt(List<Double> rates) {
    StringBuilder sb = new StringBuilder();
    for (double r : rates) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2fM", r / 1e6));
    return sb.toString();
  }

  static long generate(Path file, String format, int lines) throws IOException {
    Random random = new Random(1);
    long t = Instant.parse("2026-11-24T08:00:00Z").toEpochMilli();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        t += random.nextInt(4);
        int s = random.nextInt(STATUS.length);
        String svc = SERVICES[random.nextInt(SERVICES.length)];
        String op = OPS[random.nextInt(OPS.length)];
        int pharmacy = 100000 + random.nextInt(5000);
        int ms = 5 + random.nextInt(800);
        if (format.equals("app")) {
          w.write(ISO.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(1))) + " INFO [app-03] call service=" + svc
              + " op=" + op + " pharmacy=" + pharmacy + " vendor=V" + (i % 7) + " status=" + STATUS[s] + " ms=" + ms + "\n");
        } else {
          w.write("10.20.3." + (i % 250) + " - " + pharmacy + " [" + APACHE.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(1)))
              + "] \"POST /" + svc.toLowerCase(Locale.ROOT) + "/" + op + " HTTP/1.1\" " + HTTP[s] + " 512 \"-\" \"V" + (i % 7) + "/4." + (i % 3)
              + "\" " + ms + "\n");
        }
      }
    }
    return Files.size(file);
  }

  static long usedHeap() {
    var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return mem.getUsed();
  }

  static long rssBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}

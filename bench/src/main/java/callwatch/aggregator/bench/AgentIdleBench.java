package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.demo.TrafficModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The agent's cost at the platform's average rate: a real agent JVM (the deployed flags) tails a
 * file written at 600 lines/s and ships to a real aggregator in this process. After a warm-up, the
 * agent's CPU time over the measured window and its RSS are read from the OS.
 * Run with bench/agent-idle.sh [SECONDS] [LINES_PER_SECOND].
 */
public final class AgentIdleBench {
  static final String DEPLOYED_FLAGS = "-Xms16m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
      + " -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=10000 -XX:CompileThresholdScaling=0.05";

  private AgentIdleBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    Path dir = Files.createTempDirectory("callwatch-idle-");
    AggregatorNode node = BenchNode.start("idle", dir.resolve("agg"), 5991, "idle-agent", "idle-secret-1");
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path cfg = dir.resolve("agent.json");
    Files.writeString(cfg, new JsonObject().put("agentId", "idle-agent").put("secret", "idle-secret-1")
        .put("aggregators", new JsonArray().add("ws://127.0.0.1:" + node.port() + "/agent"))
        .put("files", new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app")))
        .put("stateDir", dir.resolve("state").toString())
        // to try settings: AGENT_CONFIG='{"flushMillis":5000}' bench/agent-idle.sh
        .mergeIn(new JsonObject(System.getenv().getOrDefault("AGENT_CONFIG", "{}"))).encode());
    Path jar = Path.of("agent", "target", "callwatch-agent.jar").toAbsolutePath();
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m"));
    // the flags the Ansible role deploys the agent with (callwatch_agent_jvm_flags), unless overridden
    String extra = System.getenv().getOrDefault("AGENT_JAVA_OPTS", DEPLOYED_FLAGS);
    if (!extra.isBlank()) command.addAll(java.util.List.of(extra.trim().split("\\s+")));
    command.addAll(java.util.List.of("-jar", jar.toString(), cfg.toString()));
    Process agent = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
    TrafficModel model = new TrafficModel(9, 1);
    Path file = logs.resolve("app.log");
    long warmup = Long.parseLong(System.getenv().getOrDefault("WARMUP_SECONDS", "20"));
    long cpuStart = 0, wallStart = 0;
    long[] ticksStart = {0, 0};
    java.util.Map<String, Long> threadsStart = java.util.Map.of();
    long begin = System.nanoTime();
    for (long tick = 0; ; tick++) {
      long elapsed = (System.nanoTime() - begin) / 1_000_000_000L;
      if (elapsed >= warmup + seconds) break;
      if (wallStart == 0 && elapsed >= warmup) {
        wallStart = System.nanoTime();
        cpuStart = cpuNanos(agent);
        ticksStart = userAndSystemTicks(agent.pid());
        threadsStart = threadTicks(agent.pid());
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < rate / 10; i++) sb.append(model.line(System.currentTimeMillis(), "app-01")).append('\n');
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long next = begin + (tick + 1) * 100_000_000L;
      long sleep = next - System.nanoTime();
      if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
    }
    double wall = System.nanoTime() - wallStart;
    double cpu = (cpuNanos(agent) - cpuStart) / wall;
    long[] ticks = userAndSystemTicks(agent.pid());
    double tick = 1e9 / 100; // USER_HZ
    long rss = rssKiB(agent.pid());
    System.out.printf(Locale.ROOT, "agent at %d lines/s for %d s (after %d s warm-up): %.3f %% of one core (user %.2f %%, kernel %.2f %%), RSS %d MiB%n",
        rate, seconds, warmup, cpu * 100, (ticks[0] - ticksStart[0]) * tick / wall * 100, (ticks[1] - ticksStart[1]) * tick / wall * 100, rss / 1024);
    // where the time went, by thread name: tells the JVM's own threads from the agent's work
    java.util.Map<String, Long> threads = threadTicks(agent.pid());
    final java.util.Map<String, Long> before = threadsStart;
    threads.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-28s %.3f %%%n", e.getKey(), e.getValue() * tick / wall * 100));
    agent.destroy();
    agent.waitFor();
    node.closeBlocking();
  }

  private static long cpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }

  /** utime and stime of a process, in clock ticks, from /proc/PID/stat. */
  private static long[] userAndSystemTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** utime + stime per thread name (threads of one name added up), in clock ticks. */
  static java.util.Map<String, Long> threadTicks(long pid) throws java.io.IOException {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (java.nio.file.NoSuchFileException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  private static long rssKiB(long pid) throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    return -1;
  }
}

package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.demo.TrafficModel;
import callwatch.common.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's cost at the platform's average rate: a real agent JVM (the deployed flags) tails a
 * file written at 600 lines/s and ships to a real aggregator in this process. After a warm-up, the
 * agent's CPU time over the measured window and its RSS are read from the OS.
 * Run with bench/agent-idle.sh [SECONDS] [LINES_PER_SECOND].
 */
public final class AgentIdleBench {
  private AgentIdleBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    Path dir = Files.createTempDirectory("callwatch-idle-");
    AggregatorNode node = AggregatorNode.start(AggregatorConfig.from(ConfigSection.of("bench", Map.of(
        "httpPort", 0, "dataDir", dir.resolve("agg").toString(), "agents", Map.of("idle-agent", "idle-secret-1"),
        "cluster", Map.of("name", "callwatch-idle-bench-" + ProcessHandle.current().pid(), "port", 5991))))).await();
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path cfg = dir.resolve("agent.json");
    Files.writeString(cfg, new JsonObject().put("agentId", "idle-agent").put("secret", "idle-secret-1")
        .put("aggregators", new JsonArray().add("ws://127.0.0.1:" + node.port() + "/agent"))
        .put("files", new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app")))
        .put("stateDir", dir.resolve("state").toString()).encode());
    Path jar = Path.of("agent", "target", "callwatch-agent.jar").toAbsolutePath();
    Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-XX:+UseSerialGC", "-jar", jar.toString(), cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
    TrafficModel model = new TrafficModel(9, 1);
    Path file = logs.resolve("app.log");
    long warmup = 20;
    long cpuStart = 0, wallStart = 0;
    long begin = System.nanoTime();
    for (long tick = 0; ; tick++) {
      long elapsed = (System.nanoTime() - begin) / 1_000_000_000L;
      if (elapsed >= warmup + seconds) break;
      if (wallStart == 0 && elapsed >= warmup) {
        wallStart = System.nanoTime();
        cpuStart = cpuNanos(agent);
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < rate / 10; i++) sb.append(model.line(System.currentTimeMillis(), "app-01")).append('\n');
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long next = begin + (tick + 1) * 100_000_000L;
      long sleep = next - System.nanoTime();
      if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
    }
    double cpu = (cpuNanos(agent) - cpuStart) / (double) (System.nanoTime() - wallStart);
    long rss = rssKiB(agent.pid());
    System.out.printf(Locale.ROOT, "agent at %d lines/s for %d s (after %d s warm-up): %.3f %% of one core, RSS %d MiB%n",
        rate, seconds, warmup, cpu * 100, rss / 1024);
    agent.destroy();
    agent.waitFor();
    node.closeBlocking();
  }

  private static long cpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }

  private static long rssKiB(long pid) throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    return -1;
  }
}

package callwatch.aggregator.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Soak: three aggregator members and N agents, each its own process, with the platform's call rate
 * written to the agents' log files (four agents' DPP calls move to a new op every minute, so
 * round-robin files are being created all along, at a bounded disk cost). Every interval, at a random moment, a random member is killed with SIGKILL
 * and restarted a few seconds later. At the end every member's count of every service is compared
 * with what was written. Run with bench/soak.sh MINUTES AGENTS LINES_PER_SECOND.
 */
public final class SoakBench {
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Map<String, Long> oracle = new TreeMap<>();
  private long written;

  private SoakBench() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 556; // 2 M lines an hour
    int killEverySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 120;
    new SoakBench().run(minutes, agents, perSecond, killEverySeconds);
  }

  private void run(int minutes, int agentCount, int perSecond, int killEverySeconds) throws Exception {
    Path dir = Files.createTempDirectory("callwatch-soak-");
    // copies: a rebuild during the run must not swap classes under the running processes
    Path aggJar = Files.copy(Path.of("aggregator/target/callwatch-aggregator.jar"), dir.resolve("callwatch-aggregator.jar"));
    Path agentJar = Files.copy(Path.of("agent/target/callwatch-agent.jar"), dir.resolve("callwatch-agent.jar"));
    String cluster = "soak-" + ProcessHandle.current().pid();
    int base = 5761;
    JsonArray members = new JsonArray();
    for (int i = 0; i < 3; i++) members.add("127.0.0.1:" + (base + i));
    JsonObject secrets = new JsonObject();
    for (int a = 0; a < agentCount; a++) secrets.put("soak-" + a, "soak-secret-" + a);
    List<BenchProcess> aggs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int http = BenchApi.freePort();
      JsonObject cfg = new JsonObject().put("httpPort", http).put("dataDir", dir.resolve("agg-" + i).toString()).put("agents", secrets)
          .put("cluster", new JsonObject().put("name", cluster).put("port", base + i).put("members", members));
      aggs.add(new BenchProcess(dir, "agg-" + i, cfg, aggJar, "callwatch.aggregator.AggregatorMain", "512m", http));
      new callwatch.aggregator.auth.UserFile(dir.resolve("agg-" + i).resolve("users.json")).putBlocking(
          BenchApi.user());
    }
    List<BenchProcess> agentProcs = new ArrayList<>();
    // whatever happens, no process of the soak outlives it
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (BenchProcess p : aggs) p.destroy();
      for (BenchProcess p : agentProcs) p.destroy();
    }));
    for (BenchProcess p : aggs) p.start();
    for (BenchProcess p : aggs) BenchApi.awaitHealthy(p, Duration.ofMinutes(2));
    List<Path> logs = new ArrayList<>();
    for (int a = 0; a < agentCount; a++) {
      Path logDir = Files.createDirectories(dir.resolve("logs-" + a));
      logs.add(logDir.resolve("app.log"));
      JsonArray urls = new JsonArray();
      for (int k = 0; k < 3; k++) urls.add("ws://127.0.0.1:" + aggs.get((a + k) % 3).http + "/agent");
      JsonObject cfg = new JsonObject().put("agentId", "soak-" + a).put("secret", "soak-secret-" + a).put("host", "app-" + a)
          .put("aggregators", urls).put("stateDir", dir.resolve("agent-" + a).toString()).put("graceMillis", 5000)
          .put("reconnectMaxMillis", 5000)
          .put("files", new JsonArray().add(new JsonObject().put("glob", logDir + "/app.log*").put("format", "app")));
      BenchProcess p = new BenchProcess(dir, "agent-" + a, cfg, agentJar, "callwatch.agent.AgentMain", "96m", 0);
      p.start();
      agentProcs.add(p);
    }
    long start = System.currentTimeMillis() / 1000;
    long end = System.currentTimeMillis() + minutes * 60_000L;
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread feeder = new Thread(() -> feed(logs, perSecond, writing), "soak-feeder");
    feeder.start();
    Random random = new Random();
    int kills = 0;
    while (System.currentTimeMillis() + killEverySeconds * 1000L < end) {
      long cycleEnd = System.currentTimeMillis() + killEverySeconds * 1000L;
      Thread.sleep(random.nextInt(killEverySeconds * 1000 - 20_000));
      BenchProcess victim = aggs.get(random.nextInt(3));
      victim.kill();
      kills++;
      System.out.printf(Locale.ROOT, "soak: %s killed (kill %d) at +%d s%n", victim.name, kills, System.currentTimeMillis() / 1000 - start);
      Thread.sleep(2000 + random.nextInt(8000));
      victim.start();
      BenchApi.awaitHealthy(victim, Duration.ofMinutes(3));
      Thread.sleep(Math.max(0, cycleEnd - System.currentTimeMillis()));
    }
    Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
    writing.set(false);
    feeder.join();
    long stop = System.currentTimeMillis() / 1000;
    String range = "from=" + (start - 120) + "&to=" + (stop + 600);
    long deadline = System.currentTimeMillis() + 300_000;
    for (BenchProcess p : aggs) BenchApi.awaitHealthy(p, Duration.ofMinutes(3));
    while (System.currentTimeMillis() < deadline && !allExact(aggs, range)) Thread.sleep(2000);
    Thread.sleep(3000); // a double count would show now
    long lost = 0, doubled = 0;
    StringBuilder detail = new StringBuilder();
    for (BenchProcess p : aggs) {
      for (Map.Entry<String, Long> e : oracle.entrySet()) {
        long stored = BenchApi.total(p.http, e.getKey(), range);
        lost += Math.max(0, e.getValue() - stored);
        doubled += Math.max(0, stored - e.getValue());
        if (stored != e.getValue()) detail.append(String.format(Locale.ROOT, "  %s %s: wrote %d, stored %d%n", p.name, e.getKey(), e.getValue(), stored));
      }
    }
    System.out.printf(Locale.ROOT, "soak: %d min, %d agents, %d lines/s, %d member kills survived; %,d calls written;"
        + " summed over the 3 members: %,d lost, %,d counted twice%n%s", minutes, agentCount, perSecond, kills, written, lost, doubled, detail);
    for (BenchProcess p : agentProcs) p.kill();
    for (BenchProcess p : aggs) p.kill();
    System.out.println("soak: processes' logs are under " + dir);
  }

  /** Writes the platform's rate into the agents' files, 10 times a second; a new op every minute for some (new files). */
  private void feed(List<Path> logs, int perSecond, AtomicBoolean writing) {
    long tick = 0;
    try {
      while (writing.get()) {
        long now = System.currentTimeMillis();
        int n = perSecond / 10 / logs.size() + 1;
        for (int a = 0; a < logs.size(); a++) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < n; i++) {
            String svc = SERVICES[(int) (written % SERVICES.length)];
            sb.append(ISO.format(Instant.ofEpochMilli(now + i % 100).atOffset(ZoneOffset.ofHours(1)))).append(" INFO [app-").append(a)
                .append("] call service=").append(svc).append(" op=op").append(a < 4 && svc.equals("DPP") ? now / 60_000 % 1000 : 1).append(" pharmacy=").append(1000 + written % 5000)
                .append(" vendor=V").append(written % 3).append(" status=OK code=0 ms=").append(10 + written % 90).append('\n');
            oracle.merge(svc, 1L, Long::sum);
            written++;
          }
          Files.writeString(logs.get(a), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        tick++;
        Thread.sleep(Math.max(1, 100 - (System.currentTimeMillis() - now)));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean allExact(List<BenchProcess> aggs, String range) {
    for (BenchProcess p : aggs) {
      for (Map.Entry<String, Long> e : oracle.entrySet()) {
        if (BenchApi.total(p.http, e.getKey(), range) != e.getValue()) return false;
      }
    }
    return true;
  }
}

package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.demo.TrafficModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live path, end to end: a line written to a log file, read by a real agent, shipped,
 * stored and pushed by a real aggregator, to the moment it reaches each of many open wallboard
 * connections on {@code /live}. Background traffic runs at the platform's average rate; every
 * couple of seconds a probe burst of a service of its own is written and timed until every
 * wallboard has it. Run with bench/live-path.sh [WALLBOARDS] [PROBES].
 */
public final class LivePathBench {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final int PROBE_LINES = 7;

  private LivePathBench() {}

  public static void main(String[] args) throws Exception {
    int wallboards = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int probes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path dir = Files.createTempDirectory("callwatch-live-");
    AggregatorNode node = BenchNode.start("live", dir.resolve("agg"), 5993, "live-agent", "live-secret-1");
    String cookie = BenchNode.operatorCookie(dir.resolve("agg"), node.port());
    Path logs = dir.resolve("logs");
    Vertx agentVertx = BenchNode.startAgent(dir, node.port(), "live-agent", "live-secret-1");

    // the wallboards: each counts the probe service's calls from the pushed slot totals
    // written by the writer loop, read by the wallboards' event loops
    java.util.concurrent.atomic.AtomicLongArray probeWrittenAt = new java.util.concurrent.atomic.AtomicLongArray(probes);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger connected = new AtomicInteger();
    Vertx browsers = Vertx.vertx();
    WebSocketClient client = browsers.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(wallboards + 10));
    List<int[]> seenPerBoard = new ArrayList<>();
    for (int i = 0; i < wallboards; i++) {
      int[] seen = {0};
      seenPerBoard.add(seen);
      Map<Long, Long> probeSlots = new HashMap<>();
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/live")
          .addHeader("cookie", cookie)).onSuccess(ws -> {
        connected.incrementAndGet();
        ws.textMessageHandler(text -> {
          long now = System.currentTimeMillis();
          JsonObject m = new JsonObject(text);
          if (!"slots".equals(m.getString("type"))) return;
          for (Object o : m.getJsonArray("slots")) {
            JsonObject slot = (JsonObject) o;
            JsonArray probe = slot.getJsonObject("services").getJsonArray("PROBE");
            if (probe != null) probeSlots.put(slot.getLong("t"), probe.getLong(0));
          }
          long total = probeSlots.values().stream().mapToLong(Long::longValue).sum();
          while (seen[0] < probes && total >= (long) (seen[0] + 1) * PROBE_LINES && probeWrittenAt.get(seen[0]) > 0) {
            latencies.add(now - probeWrittenAt.get(seen[0]));
            seen[0]++;
          }
        });
      }).onFailure(err -> System.err.println("a wallboard could not connect: " + err));
    }
    while (connected.get() < wallboards) Thread.sleep(50);

    TrafficModel model = new TrafficModel(5, 1); // only its lines: the rate is 60 lines per 100 ms here
    Path file = logs.resolve("app.log");
    long begin = System.nanoTime();
    int probe = 0;
    long nextProbe = begin + 3_000_000_000L;
    for (long tick = 0; probe < probes || System.nanoTime() < nextProbe + 3_000_000_000L; tick++) {
      StringBuilder sb = new StringBuilder();
      long nowMillis = System.currentTimeMillis();
      for (int i = 0; i < 60; i++) sb.append(model.line(nowMillis, "app-01")).append('\n');
      if (probe < probes && System.nanoTime() >= nextProbe) {
        for (int i = 0; i < PROBE_LINES; i++) sb.append(probeLine(nowMillis));
        probeWrittenAt.set(probe++, nowMillis);
        nextProbe = System.nanoTime() + 2_300_000_000L; // not a multiple of the 1 s batch or the 0.5 s push
      }
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long sleep = begin + (tick + 1) * 100_000_000L - System.nanoTime();
      if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
    }
    Thread.sleep(3000);

    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long missed = (long) wallboards * probes - sorted.size();
    int behind = 0;
    for (int[] seen : seenPerBoard) if (seen[0] < probes) behind++;
    System.out.printf(Locale.ROOT, "live path: %d wallboards x %d probes: line written -> on every wallboard: p50 %d ms, p99 %d ms,"
            + " max %d ms; %d deliveries missing, %d wallboards behind at the end%n",
        wallboards, probes, pct(sorted, 0.50), pct(sorted, 0.99), sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), missed, behind);
    browsers.close().await();
    agentVertx.close().await();
    node.closeBlocking();
    System.exit(0);
  }

  private static String probeLine(long epochMillis) {
    return ISO.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC))
        + " INFO [app-01] call service=PROBE op=ping pharmacy=1 vendor=Bench status=OK code=0 ms=1\n";
  }

  private static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return -1;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}

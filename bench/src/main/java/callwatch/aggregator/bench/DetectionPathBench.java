package callwatch.aggregator.bench;

import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.detect.Row;
import callwatch.aggregator.detect.Rules;
import callwatch.common.model.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletionStage;

/**
 * Detection through the real path: {@link DetectionBench}'s traffic (the platform's daily and
 * weekly rhythm, {@code WEEKS} normal weeks and a test week with its faults) written as the four
 * servers' log files with past timestamps, read by four real agent processes into a real
 * aggregator member, which stores the history, learns its profiles from its round-robin files and
 * judges the whole backlog in event time. Prints, per fault, the time to detect ({@code firedAt} −
 * fault start, from {@code /api/alerts}) and the false alarms of the normal weeks, as
 * {@link DetectionBench} does. The stopped agent is not among the faults: an agent that stops is
 * a wall-clock event, which a replayed file cannot hold (DetectionTest and bench/stall-alert.sh
 * cover it live). Bench only.
 *
 * <p>usage: DetectionPathBench [SEED=1] [WEEKS=3] [PEAK=20 calls/s, a 27th of the platform]
 */
public final class DetectionPathBench {
  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  /** The member's heap, with the flags the Ansible role gives such a heap. */
  private static final String MEMBER_HEAP = "2g";
  private static final String[] STATUS = {"status=OK code=0", "status=ERROR code=E500", "status=ERROR code=E401", "status=TIMEOUT code=E504"};

  private DetectionPathBench() {}

  public static void main(String[] args) throws Exception {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    double peak = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    if (System.getProperty("bench.jvmArgs.agent") == null) System.setProperty("bench.jvmArgs.agent", AgentIdleBench.DEPLOYED_FLAGS);
    if (System.getProperty("bench.jvmArgs.agg") == null) System.setProperty("bench.jvmArgs.agg", CatchUpBench.memberFlags(MEMBER_HEAP));
    Rules rules = Rules.defaults();
    ZoneId zone = rules.zone();
    // the test week ends at the start of this week: everything is in the past, as a backlog of files is
    LocalDate first = LocalDate.now(zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(weeks + 1);
    long start = first.atStartOfDay(zone).toEpochSecond();
    long testWeek = first.plusWeeks(weeks).atStartOfDay(zone).toEpochSecond();
    long end = first.plusWeeks(weeks + 1).atStartOfDay(zone).toEpochSecond();
    DetectionTraffic traffic = new DetectionTraffic(seed, peak, zone);
    List<DetectionBench.Fault> faults = new ArrayList<>(DetectionBench.faults(traffic, testWeek, zone));
    faults.removeIf(f -> f.kind().equals("silent-agent"));

    Path dir = Files.createTempDirectory("callwatch-detection-path-");
    long began = System.nanoTime();
    long lines = writeLogs(dir, traffic, faults, start, end, zone, new Random(seed));
    double writing = (System.nanoTime() - began) / 1e9;

    Path aggJar = Files.copy(Path.of("aggregator/target/callwatch-aggregator.jar"), dir.resolve("callwatch-aggregator.jar"));
    Path agentJar = Files.copy(Path.of("agent/target/callwatch-agent.jar"), dir.resolve("callwatch-agent.jar"));
    int http = BenchApi.freePort();
    JsonObject secrets = new JsonObject();
    for (int h = 1; h <= DetectionTraffic.HOSTS; h++) secrets.put("a" + h, "detection-path-secret-" + h);
    JsonObject aggCfg = new JsonObject().put("httpPort", http).put("dataDir", dir.resolve("agg").toString()).put("agents", secrets)
        .put("cluster", new JsonObject().put("name", "detection-path-" + ProcessHandle.current().pid()).put("port", 5752));
    Files.createDirectories(dir.resolve("agg"));
    new callwatch.aggregator.auth.UserFile(dir.resolve("agg").resolve("users.json")).putBlocking(BenchApi.user());
    BenchProcess agg = new BenchProcess(dir, "agg", aggCfg, aggJar, "callwatch.aggregator.AggregatorMain", MEMBER_HEAP, http);
    List<BenchProcess> agents = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agg.destroy();
      for (BenchProcess p : agents) p.destroy();
    }));
    for (int h = 1; h <= DetectionTraffic.HOSTS; h++) {
      JsonObject cfg = new JsonObject().put("agentId", "a" + h).put("secret", "detection-path-secret-" + h).put("host", "app" + h)
          .put("aggregators", new JsonArray().add("ws://127.0.0.1:" + http + "/agent")).put("stateDir", dir.resolve("agent-" + h).toString())
          .put("files", new JsonArray().add(new JsonObject().put("glob", dir.resolve("logs-" + h) + "/app.log").put("format", "app")));
      agents.add(new BenchProcess(dir, "agent-" + h, cfg, agentJar, "callwatch.agent.AgentMain", "96m", 0));
    }
    agg.start();
    BenchApi.awaitHealthy(agg, java.time.Duration.ofMinutes(2));
    Tiles tiles = Tiles.watch(http);
    long t0 = System.nanoTime();
    for (BenchProcess p : agents) p.start();
    long deadline = System.nanoTime() + 3 * 3600_000_000_000L;
    long lastReport = 0;
    while (tiles.judgedUpTo < (end - 60) * 1000L && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      if (System.nanoTime() - lastReport > 60_000_000_000L) {
        lastReport = System.nanoTime();
        System.err.printf(Locale.ROOT, "%.0f s: detection has judged up to %s%n", (System.nanoTime() - t0) / 1e9,
            tiles.judgedUpTo == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(tiles.judgedUpTo).atZone(zone).toLocalDateTime());
      }
    }
    double judging = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(5000); // the last alerts' records
    HttpResponse<String> r = BenchApi.get(http, "/api/alerts?from=" + start + "&to=" + (end + 86400));
    List<Alert> alerts = new ArrayList<>();
    int afterTheEnd = 0;
    for (Object o : new JsonObject(r.body()).getJsonArray("alerts")) {
      Alert a = callwatch.aggregator.watch.AlertJson.from((JsonObject) o);
      // the files end with the test week: the silence after it is the bench's, not a false alarm; so is a
      // finding called only after the end (a quiet service's few minutes without a call before it, then the end's silence)
      if (a.since >= end - 60 || a.firedAt >= end) afterTheEnd++;
      else alerts.add(a);
    }
    double cpu = CatchUpBench.cpuSeconds(agg.pid());
    String report = DetectionBench.report(seed, weeks, peak, start, testWeek, faults, alerts, traffic, judging);
    System.out.print(report.replaceFirst("\\(run [0-9]+ s\\)", String.format(Locale.ROOT,
        "through files, 4 agents and a member: %,d lines written in %.0f s, read, stored and judged in %.0f s, the member's CPU %.0f s",
        lines, writing, judging, cpu)));
    System.out.printf(Locale.ROOT, "(%d alerts of the silence after the files end, not counted)%n", afterTheEnd);
    for (BenchProcess p : agents) p.kill();
    agg.stop();
    CatchUpBench.deleteTree(dir);
  }

  /** The member's /live tiles: how far detection has judged. */
  static final class Tiles implements WebSocket.Listener {
    volatile long judgedUpTo = Long.MIN_VALUE;
    private final StringBuilder text = new StringBuilder();

    static Tiles watch(int port) throws Exception {
      Tiles t = new Tiles();
      HttpClient.newHttpClient().newWebSocketBuilder().header("cookie", BenchApi.cookie(port))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/live"), t).join();
      return t;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        if (text.indexOf("\"judgedUpTo\"") >= 0) {
          JsonObject m = new JsonObject(text.toString());
          if ("tiles".equals(m.getString("type")) && m.getLong("judgedUpTo") != null) judgedUpTo = m.getLong("judgedUpTo");
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** The four servers' log files, slot by slot with the faults switched on and off in event time; returns the lines written. */
  private static long writeLogs(Path dir, DetectionTraffic traffic, List<DetectionBench.Fault> faults, long start, long end, ZoneId zone,
                                Random random) throws IOException {
    List<BufferedWriter> out = new ArrayList<>();
    for (int h = 1; h <= DetectionTraffic.HOSTS; h++) {
      out.add(Files.newBufferedWriter(Files.createDirectories(dir.resolve("logs-" + h)).resolve("app.log"), StandardCharsets.UTF_8));
    }
    DetectionTraffic.Faults on = traffic.faults;
    long lines = 0;
    String[] host = new String[DetectionTraffic.HOSTS];
    for (int h = 0; h < host.length; h++) host[h] = " INFO [app" + (h + 1) + "] call ";
    List<List<String>> perHost = new ArrayList<>();
    for (int h = 0; h < DetectionTraffic.HOSTS; h++) perHost.add(new ArrayList<>());
    for (long t = start; t < end; t += 10) {
      for (DetectionBench.Fault f : faults) {
        if (f.start() >= t && f.start() < t + 10) f.on().run();
        if (f.end() >= t && f.end() < t + 10) f.off().run();
      }
      for (List<String> l : perHost) l.clear();
      for (Row row : traffic.slot(t)) {
        int h = Integer.parseInt(row.agent().substring(1)) - 1;
        calls(row, traffic, random, perHost.get(h));
      }
      // the hog's calls and those of the pharmacy without a contract, on the first server
      if (on.hog != null) extra(on.hog, traffic.poisson(1000 / 360.0), 0, traffic, perHost.get(0));
      if (on.noContract != null) {
        int p = DetectionTraffic.pharmacyIndex(on.noContract);
        extra(on.noContract, traffic.poisson(traffic.rate(t) * 10 * traffic.share(p)), 2, traffic, perHost.get(0));
      }
      String offset = Instant.ofEpochSecond(t).atZone(zone).getOffset().getId().replace("Z", "+00:00");
      for (int h = 0; h < DetectionTraffic.HOSTS; h++) {
        List<String> l = perHost.get(h);
        Collections.shuffle(l, random);
        BufferedWriter w = out.get(h);
        long lastSecond = Long.MIN_VALUE;
        String stamp = null;
        for (int k = 0; k < l.size(); k++) {
          long millis = t * 1000 + (long) k * 10_000 / l.size();
          if (millis / 1000 != lastSecond) {
            lastSecond = millis / 1000;
            stamp = SECOND.format(Instant.ofEpochSecond(lastSecond).atZone(zone).toLocalDateTime());
          }
          int ms = (int) (millis % 1000);
          w.write(stamp);
          w.write('.');
          w.write((char) ('0' + ms / 100));
          w.write((char) ('0' + ms / 10 % 10));
          w.write((char) ('0' + ms % 10));
          w.write(offset);
          w.write(host[h]);
          w.write(l.get(k));
          w.write('\n');
        }
        lines += l.size();
      }
    }
    for (BufferedWriter w : out) w.close();
    return lines;
  }

  /** A row's calls as lines (without their time): its statuses, its latencies drawn within its histogram's buckets, pharmacies by size. */
  private static void calls(Row row, DetectionTraffic traffic, Random random, List<String> into) {
    long[] v = row.v();
    int n = (int) v[Metrics.CALLS];
    int timeouts = (int) v[Metrics.TIMEOUT], e401 = (int) v[Metrics.E401], errors = (int) (v[Metrics.ERROR] - v[Metrics.E401]);
    List<Integer> status = new ArrayList<>(n);
    for (int i = 0; i < n - timeouts - e401 - errors; i++) status.add(0);
    for (int i = 0; i < errors; i++) status.add(1);
    for (int i = 0; i < e401; i++) status.add(2);
    Collections.shuffle(status, random);
    int k = 0;
    for (int b = 0; b < Metrics.HISTOGRAM_BUCKETS; b++) {
      long lower = b == 0 ? 1 : Metrics.HISTOGRAM_BOUNDS_MS[b - 1];
      long upper = b < Metrics.HISTOGRAM_BOUNDS_MS.length ? Metrics.HISTOGRAM_BOUNDS_MS[b] : 30_000;
      long inBucket = v[Metrics.HISTOGRAM + b];
      // the timeouts are the slowest: the last of the last bucket
      if (b == Metrics.HISTOGRAM_BUCKETS - 1) inBucket -= timeouts;
      for (long i = 0; i < inBucket && k < status.size(); i++, k++) {
        long ms = lower + (long) (random.nextDouble() * (upper - lower));
        into.add(line(row, pharmacy(traffic, random), STATUS[status.get(k)], ms));
      }
    }
    for (int i = 0; i < timeouts; i++) into.add(line(row, pharmacy(traffic, random), STATUS[3], 30_000));
  }

  private static String pharmacy(DetectionTraffic traffic, Random random) {
    DetectionTraffic.Faults on = traffic.faults;
    while (true) {
      String id = DetectionTraffic.pharmacyId(traffic.drawPharmacy(random.nextDouble()));
      // the hog and the pharmacy without a contract make their own calls while their faults last
      if (!id.equals(on.hog) && !id.equals(on.noContract)) return id;
    }
  }

  private static void extra(String pharmacy, long calls, int status, DetectionTraffic traffic, List<String> into) {
    int p = DetectionTraffic.pharmacyIndex(pharmacy);
    String service = DetectionTraffic.SERVICES[p % DetectionTraffic.SERVICES.length];
    String vendor = DetectionTraffic.VENDORS[p % DetectionTraffic.VENDORS.length];
    for (long i = 0; i < calls; i++) {
      into.add("service=" + service + " op=read pharmacy=" + pharmacy + " vendor=" + vendor + " " + STATUS[status] + " ms=90");
    }
  }

  private static String line(Row row, String pharmacy, String status, long ms) {
    return "service=" + row.service() + " op=" + row.op() + " pharmacy=" + pharmacy + " vendor=" + row.vendor() + " " + status + " ms=" + ms;
  }
}

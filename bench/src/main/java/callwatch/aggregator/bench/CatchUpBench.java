package callwatch.aggregator.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Catch-up: HOURS of the platform's calls (2 M an hour) spread over AGENTS log files, each agent its
 * own process, one aggregator member (or bench.members members of one Hazelcast cluster). Three shapes:
 * <ul>
 *   <li>{@code spooled}: the agents run while the aggregator is down, read everything and spool
 *       their batches; then the aggregator starts. Timed from its start.</li>
 *   <li>{@code files}: the aggregator runs; fresh agents start on files that already hold the
 *       backlog. Timed from the agents' start.</li>
 *   <li>{@code outage}: as spooled, but the agents cut small batches through the outage, as live.</li>
 * </ul>
 * The clock stops when every service's count is exact on every member and every agent's
 * slots are in every member's files. Also printed: mawk's time to read the same files, the aggregator's CPU
 * seconds per million calls and the peak resident memory of each process.
 * Run with {@code [MEMBERS=n] bench/catch-up.sh HOURS AGENTS spooled|files|outage}.
 */
public final class CatchUpBench {
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private final Map<String, Long> oracle = new TreeMap<>();
  /** If positive: this long into the catch-up the member gets SIGTERM, and the time it takes to exit is printed. */
  private int sigtermAfterSeconds = -1;
  /** The platform's calls an hour, spread over the agents (bench.callsPerHour: a long backlog at a lower rate). */
  private final long callsPerHour = Long.getLong("bench.callsPerHour", 2_000_000L);
  /** Each agent's backlog in this many files, rotated as logrotate does (bench.files; files and spooled shapes). */
  private final int filesPerAgent = Integer.getInteger("bench.files", 1);
  /** Aggregator members in the cluster (bench.members): with more than one, each batch is also copied to a peer's journal. */
  private final int memberCount = Integer.getInteger("bench.members", 1);
  /** The slowest answer of /api/agents while the member catches up, ms. */
  private double worstAgentsApi;

  private CatchUpBench() {}

  /**
   * The member's flags as the Ansible role deploys them (callwatch_aggregator_jvm_flags): G1, and the
   * C2 compiler kept to small inlining trees (a member that has just started compiles the hot paths
   * of Hazelcast, Vert.x and rrd4j while it stores a backlog; smaller trees compile in about half the
   * CPU and the code runs as fast: docs/performance.md, "The member's compiling and young generation").
   */
  static final String MEMBER_FLAGS = "-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true"
      + " -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -XX:MaxInlineLevel=5";

  /**
   * The member's flags for a heap such as "2g" or "512m", as the systemd unit gives them: the heap
   * started at its maximum, and two fifths of it young (callwatch_aggregator_young_mb).
   */
  static String memberFlags(String heap) {
    long mib = heapMiB(heap);
    return "-Xms" + heap + " -Xmn" + (mib * 2 / 5) + "m " + MEMBER_FLAGS;
  }

  private static long heapMiB(String heap) {
    char unit = Character.toLowerCase(heap.charAt(heap.length() - 1));
    long n = Long.parseLong(heap.substring(0, heap.length() - 1));
    return switch (unit) {
      case 'g' -> n * 1024;
      case 'm' -> n;
      default -> throw new IllegalArgumentException("a heap such as 2g or 512m, not " + heap);
    };
  }

  public static void main(String[] args) throws Exception {
    double hours = args.length > 0 ? Double.parseDouble(args[0]) : 4;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    String mode = args.length > 2 ? args[2] : "spooled";
    String aggHeap = args.length > 3 ? args[3] : "512m";
    String agentHeap = args.length > 4 ? args[4] : "96m";
    boolean sigterm = args.length > 5 && args[5].equals("sigterm");
    if (!List.of("spooled", "files", "outage").contains(mode)) throw new IllegalArgumentException("mode: spooled, files or outage");
    CatchUpBench bench = new CatchUpBench();
    bench.sigtermAfterSeconds = sigterm ? 10 : -1;
    bench.run(hours, agents, mode, aggHeap, agentHeap);
  }

  private void run(double hours, int agentCount, String mode, String aggHeap, String agentHeap) throws Exception {
    boolean files = mode.equals("files");
    boolean outage = mode.equals("outage");
    // the processes run as deployed (the Ansible roles' flags), unless told otherwise
    if (System.getProperty("bench.jvmArgs.agent") == null) {
      System.setProperty("bench.jvmArgs.agent", AgentIdleBench.DEPLOYED_FLAGS);
    }
    if (System.getProperty("bench.jvmArgs.agg") == null) System.setProperty("bench.jvmArgs.agg", memberFlags(aggHeap));
    Path dir = Files.createTempDirectory("callwatch-catchup-");
    Path aggJar = Files.copy(Path.of("aggregator/target/callwatch-aggregator.jar"), dir.resolve("callwatch-aggregator.jar"));
    Path agentJar = Files.copy(Path.of("agent/target/callwatch-agent.jar"), dir.resolve("callwatch-agent.jar"));
    long now = System.currentTimeMillis() / 1000;
    long lastSlot = now - 600;
    long firstSlot = lastSlot - (long) (hours * 3600);
    long total = (long) (hours * callsPerHour);
    List<Path> logs = new ArrayList<>();
    for (int a = 0; a < agentCount; a++) logs.add(Files.createDirectories(dir.resolve("logs-" + a)).resolve("app.log"));
    if (!outage) appendLines(logs, total, firstSlot, lastSlot, 0, 1);

    JsonObject secrets = new JsonObject();
    for (int a = 0; a < agentCount; a++) secrets.put("cu-" + a, "catch-up-secret-" + a);
    List<BenchProcess> aggs = new ArrayList<>();
    JsonArray clusterMembers = new JsonArray();
    for (int m = 0; m < memberCount; m++) clusterMembers.add("127.0.0.1:" + (5751 + m));
    JsonArray aggregatorUrls = new JsonArray();
    for (int m = 0; m < memberCount; m++) {
      int port = BenchApi.freePort();
      Path data = Files.createDirectories(dir.resolve("agg-" + m));
      JsonObject aggCfg = new JsonObject().put("httpPort", port).put("dataDir", data.toString()).put("agents", secrets)
          .put("cluster", new JsonObject().put("name", "catchup-" + ProcessHandle.current().pid()).put("port", 5751 + m)
              .put("members", clusterMembers));
      new callwatch.aggregator.auth.UserFile(data.resolve("users.json")).putBlocking(BenchApi.user());
      aggs.add(new BenchProcess(dir, "agg-" + m, aggCfg, aggJar, "callwatch.aggregator.AggregatorMain", aggHeap, port));
      aggregatorUrls.add("ws://127.0.0.1:" + port + "/agent");
    }
    BenchProcess agg = aggs.get(0); // the one the sigterm run stops
    List<BenchProcess> agentProcs = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (BenchProcess p : aggs) p.destroy();
      for (BenchProcess p : agentProcs) p.destroy();
    }));
    for (int a = 0; a < agentCount; a++) {
      JsonObject cfg = new JsonObject().put("agentId", "cu-" + a).put("secret", "catch-up-secret-" + a).put("host", "app-" + a)
          .put("aggregators", aggregatorUrls).put("stateDir", dir.resolve("agent-" + a).toString())
          .put("files", new JsonArray().add(new JsonObject().put("glob", logs.get(a).getParent() + "/app.log*").put("format", "app")));
      // through an outage the agents cut a batch every flush, as live: a compressed clock needs
      // shorter flushes to give as many small batches per hour of traffic as production does
      if (outage) cfg.put("flushMillis", 50).put("graceMillis", 1000);
      agentProcs.add(new BenchProcess(dir, "agent-" + a, cfg, agentJar, "callwatch.agent.AgentMain", agentHeap, 0));
    }
    long t0;
    double mawk;
    if (files) {
      mawk = mawkSeconds(logs); // before anything else runs: mawk and the member do not share the cores
      startAll(aggs);
      t0 = System.nanoTime();
      for (BenchProcess p : agentProcs) p.start();
    } else {
      for (BenchProcess p : agentProcs) p.start();
      if (outage) {
        // the outage: the servers' traffic goes on, 60 times faster than the clock, while the agents spool
        int chunks = (int) Math.max(1, hours * 3600 / 60 * 20); // 20 appends per wall second
        long tick = System.nanoTime();
        for (int k = 0; k < chunks; k++) {
          appendLines(logs, total, firstSlot, lastSlot, k, chunks);
          tick += 50_000_000L;
          long sleep = (tick - System.nanoTime()) / 1_000_000;
          if (sleep > 0) Thread.sleep(sleep);
        }
      }
      awaitSpooled(dir, agentCount);
      mawk = mawkSeconds(logs);
      t0 = System.nanoTime();
      startAll(aggs);
    }
    double healthy = (System.nanoTime() - t0) / 1e9;
    // what the members spent on their own start (JVM, Hazelcast, files), apart from the backlog's cost
    double startCpu = 0, startJit = 0;
    for (BenchProcess member : aggs) {
      startCpu += cpuSeconds(member.pid());
      startJit += cpuByPart(AgentIdleBench.threadTicks(member.pid())).getOrDefault("JIT compiler", 0.0);
    }
    if (sigtermAfterSeconds > 0) {
      // what systemd does on a stop or a restart in the middle of a backlog
      Thread.sleep(sigtermAfterSeconds * 1000L);
      boolean busy = !written(agg.http, agentCount, lastSlot);
      long asked = System.nanoTime();
      agg.stop();
      System.out.printf(Locale.ROOT, "catch-up %s: SIGTERM %d s into the catch-up (still catching up: %s): the member exited after %.1f s%n",
          mode, sigtermAfterSeconds, busy, (System.nanoTime() - asked) / 1e9);
      for (BenchProcess p : agentProcs) p.kill();
      deleteTree(dir);
      return;
    }
    String range = "from=" + (firstSlot - 60) + "&to=" + (lastSlot + 60);
    double exact = -1, onDisk = -1;
    long deadline = System.nanoTime() + 30 * 60_000_000_000L;
    while (System.nanoTime() < deadline && (exact < 0 || onDisk < 0)) {
      if (exact < 0 && exactOnEvery(aggs, range)) exact = (System.nanoTime() - t0) / 1e9;
      if (onDisk < 0 && writtenOnEvery(aggs, agentCount, lastSlot)) onDisk = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(500); // the polling costs the member little: six short queries
    }
    double done = Math.max(exact, onDisk);
    boolean exactAtEnd = exactOnEvery(aggs, range);
    // a cluster's cost is its members' together: every call is stored (and copied) by each
    double cpu = 0;
    Map<String, Double> byPart = new java.util.LinkedHashMap<>();
    long liveMb = 0, aggPeak = 0;
    for (BenchProcess member : aggs) {
      cpu += cpuSeconds(member.pid());
      Map<String, Long> threads = AgentIdleBench.threadTicks(member.pid());
      cpuByPart(threads).forEach((part, s) -> byPart.merge(part, s, Double::sum));
      if (Boolean.getBoolean("bench.threads")) System.out.println(member.name + "'s threads: " + threadsByKind(threads));
      liveMb = Math.max(liveMb, liveHeapMb(member.pid()));
      aggPeak = Math.max(aggPeak, peakRssKb(member.pid()));
    }
    long agentPeak = 0;
    for (BenchProcess p : agentProcs) agentPeak = Math.max(agentPeak, peakRssKb(p.pid()));
    int batches = 0;
    for (int a = 0; a < agentCount; a++) batches += spooledBatches(dir.resolve("agent-" + a));
    System.out.printf(Locale.ROOT, "catch-up %s (%d batches acknowledged): %.2f h, %d agents, %d member(s), %,d calls: aggregator healthy after %.1f s; exact after %.1f s,"
            + " on disk after %.1f s (done %.1f s, exact at the end: %s); mawk reads the files in %.1f s (done/mawk %.1f);"
            + " aggregator %.1f CPU-s (%.2f CPU-s per million calls), peak RSS %d MiB (heap %s, live after a full GC %d MiB);"
            + " agents' peak RSS max %d MiB (heap %s); /api/agents answered within %.0f ms at worst while catching up%n",
        mode, batches, hours, agentCount, memberCount, total, healthy, exact, onDisk, done, exactAtEnd, mawk, done / mawk,
        cpu, cpu / (total / 1e6), aggPeak / 1024, aggHeap, liveMb, agentPeak / 1024, agentHeap, worstAgentsApi);
    StringBuilder parts = new StringBuilder();
    byPart.forEach((part, seconds) -> parts.append(String.format(Locale.ROOT, "%s %.1f, ", part, seconds)));
    double jit = byPart.getOrDefault("JIT compiler", 0.0);
    System.out.printf(Locale.ROOT, "aggregator CPU-s by part: %s(without the JIT's compiling: %.2f CPU-s per million calls)%n",
        parts, (cpu - jit) / (total / 1e6));
    // threads that ended between the two readings are not in the parts: the totals are the process's
    System.out.printf(Locale.ROOT, "aggregator's start until healthy: %.1f CPU-s (JIT %.1f); from then to done: %.1f CPU-s,"
            + " %.2f CPU-s per million calls (%.2f without the JIT's compiling)%n",
        startCpu, startJit, cpu - startCpu, (cpu - startCpu) / (total / 1e6), (cpu - startCpu - (jit - startJit)) / (total / 1e6));
    // each member's own account of its start (how long each step took after joining the cluster)
    for (BenchProcess m : aggs) {
      try (var lines = Files.lines(dir.resolve(m.name + ".log"))) {
        lines.filter(l -> l.contains("aggregator listening on")).forEach(l -> System.out.println(m.name + ": " + l));
      }
    }
    // how the members paced the agents: batches held at most, and connections the agents gave up on
    for (BenchProcess m : aggs) {
      var health = BenchApi.get(m.http, "/api/health");
      if (health != null && health.statusCode() == 200) {
        JsonObject h = new JsonObject(health.body());
        System.out.printf(Locale.ROOT, "%s held at most %.1f MiB of agents' batches (limit %.0f MiB)%n", m.name,
            h.getLong("ingestPeakBytes", 0L) / 1048576.0, h.getLong("ingestLimitBytes", 0L) / 1048576.0);
      }
    }
    long disconnects = 0, ackTimeouts = 0;
    for (int a = 0; a < agentCount; a++) {
      Path log = dir.resolve("agent-" + a + ".log");
      if (!Files.exists(log)) continue;
      try (var lines = Files.lines(log)) {
        for (String l : (Iterable<String>) lines::iterator) {
          if (l.contains("disconnected from the aggregator")) disconnects++;
          if (l.contains("no acknowledgement for")) ackTimeouts++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "agents disconnected %d times after the member's start (%d lines about an acknowledgement not come in time)%n",
        disconnects, ackTimeouts);
    for (BenchProcess p : agentProcs) p.kill();
    for (BenchProcess p : aggs) p.stop();
    deleteTree(dir);
  }

  /** Starts the members together (a restarted cluster) and waits until each is healthy. */
  private static void startAll(List<BenchProcess> members) throws Exception {
    for (BenchProcess m : members) m.start();
    for (BenchProcess m : members) BenchApi.awaitHealthy(m, java.time.Duration.ofMinutes(2));
  }

  private boolean exactOnEvery(List<BenchProcess> members, String range) {
    for (BenchProcess m : members) if (!exact(m.http, range)) return false;
    return true;
  }

  private boolean writtenOnEvery(List<BenchProcess> members, int agents, long lastSlot) {
    for (BenchProcess m : members) if (!written(m.http, agents, lastSlot)) return false;
    return true;
  }

  /**
   * Appends part {@code part} of {@code parts} of the {@code total} app-format lines, spread evenly
   * over [first, last) across the agents' files (all of them with parts = 1).
   */
  private void appendLines(List<Path> logs, long total, long first, long last, int part, int parts) throws IOException {
    long perAgent = total / logs.size();
    double spacingMillis = (last - first) * 1000.0 / perAgent;
    long from = perAgent * part / parts, to = perAgent * (part + 1) / parts;
    // a backlog read from files (parts = 1) may lie in several rotated files: app.log.N-1 (oldest) ... app.log.1, app.log
    int rotated = parts == 1 ? filesPerAgent : 1;
    long chunk = (to - from + rotated - 1) / rotated;
    for (int a = 0; a < logs.size(); a++) {
      for (int k = 0; k < rotated; k++) {
        int suffix = rotated - 1 - k;
        Path file = suffix == 0 ? logs.get(a) : logs.get(a).resolveSibling(logs.get(a).getFileName() + "." + suffix);
        writeLines(file, a, a * perAgent, from + k * chunk, Math.min(to, from + (k + 1) * chunk), first, spacingMillis);
      }
    }
  }

  /** Appends lines {@code [from, to)} of agent {@code agent}'s share to {@code file}. */
  private void writeLines(Path file, int agent, long offset, long from, long to, long first, double spacingMillis) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      long second = -1;
      String stamp = null;
      for (long i = from; i < to; i++) {
        long millis = first * 1000 + (long) (i * spacingMillis);
        if (millis / 1000 != second) {
          second = millis / 1000;
          stamp = ISO.format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC));
        }
        long n = offset + i;
        String svc = SERVICES[(int) (n % SERVICES.length)];
        boolean error = n % 50 == 0;
        w.write(stamp);
        w.write(String.format(Locale.ROOT, ".%03d+00:00 INFO [app-%d] call service=%s op=op%d pharmacy=%06d vendor=V%d status=%s code=%s ms=%d%n",
            millis % 1000, agent, svc, n % 3, 100000 + n % 5000, n % 7, error ? "ERROR" : "OK", error ? "E503" : "0", 10 + n % 400));
        oracle.merge(svc, 1L, Long::sum);
      }
    }
  }

  private static double mawkSeconds(List<Path> logs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mawk", "{ n[$5]++ } END { for (s in n) print s, n[s] }"));
    for (Path log : logs) {
      try (var files = Files.list(log.getParent())) {
        files.filter(f -> f.getFileName().toString().startsWith("app.log")).forEach(f -> cmd.add(f.toString()));
      }
    }
    long t = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) return Double.NaN;
    return (System.nanoTime() - t) / 1e9;
  }

  /**
   * Waits until every agent has read its whole file (its checkpoint's offset is the file's size:
   * the checkpoint moves once the batch is safe in the spool), and its grace for late lines has passed.
   */
  private static void awaitSpooled(Path dir, int agents) throws Exception {
    for (int a = 0; a < agents; a++) {
      Path checkpoint = dir.resolve("agent-" + a).resolve("checkpoint.json");
      while (true) {
        if (Files.exists(checkpoint)) {
          JsonArray files = new JsonObject(Files.readString(checkpoint)).getJsonArray("files", new JsonArray());
          boolean all = !files.isEmpty();
          for (Object o : files) {
            JsonObject f = (JsonObject) o;
            all &= f.getLong("offset") >= Files.size(Path.of(f.getString("path")));
          }
          if (all) break;
        }
        Thread.sleep(500);
      }
    }
    Thread.sleep(12_000); // the agents' grace (10 s) for lines of the last open slots
  }

  /** The seq of the agent's last acknowledged batch (its checkpoint), i.e. how many batches it cut. */
  private static int spooledBatches(Path agentState) throws IOException {
    Path checkpoint = agentState.resolve("checkpoint.json");
    return Files.exists(checkpoint) ? (int) new JsonObject(Files.readString(checkpoint)).getLong("seq", 0L).longValue() : 0;
  }

  private static long sizeOf(Path p) throws IOException {
    if (!Files.exists(p)) return 0;
    try (var s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private boolean exact(int http, String range) {
    for (Map.Entry<String, Long> e : oracle.entrySet()) {
      if (BenchApi.total(http, e.getKey(), range + "&step=600") != e.getValue()) return false;
    }
    return true;
  }

  private boolean written(int http, int agents, long lastSlot) {
    long asked = System.nanoTime();
    var r = BenchApi.get(http, "/api/agents");
    // the agents page must stay responsive while the member stores the backlog: the time to its answer,
    // not also this process's reading of it
    worstAgentsApi = Math.max(worstAgentsApi, (System.nanoTime() - asked) / 1e6);
    if (r == null || r.statusCode() != 200) return false;
    JsonArray list = new JsonObject(r.body()).getJsonArray("agents");
    if (list.size() < agents) return false;
    for (Object o : list) if (((JsonObject) o).getLong("writtenUpTo") < lastSlot) return false;
    return true;
  }

  /** CPU seconds of the member's threads, by what they do (threads that ended are not counted), largest first. */
  static Map<String, Double> cpuByPart(Map<String, Long> ticksByThread) {
    Map<String, Double> parts = new java.util.HashMap<>();
    ticksByThread.forEach((name, ticks) -> parts.merge(part(name), ticks / 100.0, Double::sum));
    Map<String, Double> sorted = new java.util.LinkedHashMap<>();
    parts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** CPU-s of each kind of thread (numbers in names left out), the largest first, those of 0.1 CPU-s or more. */
  static String threadsByKind(Map<String, Long> ticksByThread) {
    Map<String, Double> kinds = new TreeMap<>();
    ticksByThread.forEach((name, ticks) -> kinds.merge(name.replaceAll("\\d+", "#"), ticks / 100.0, Double::sum));
    StringBuilder out = new StringBuilder();
    kinds.entrySet().stream().filter(e -> e.getValue() >= 0.1)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.1f; ", e.getKey(), e.getValue())));
    return out.toString();
  }

  private static String part(String thread) {
    if (thread.contains("CompilerThre")) return "JIT compiler";
    if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.startsWith("VM Thread")) return "GC and VM";
    if (thread.startsWith("callwatch-inges")) return "ingest pool";
    if (thread.startsWith("hz.")) return "Hazelcast";
    if (thread.startsWith("callwatch-detec")) return "detection";
    if (thread.startsWith("callwatch-rrd")) return "rrd writer";
    if (thread.startsWith("vert.x-eventloo")) return "event loops";
    if (thread.startsWith("callwatch-query")) return "queries";
    return "other";
  }

  /** User plus system CPU seconds of a live process (Linux /proc; clock ticks of 1/100 s). */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** The heap still in use after a full GC (what the member holds), MiB; -1 if jcmd cannot tell. */
  static long liveHeapMb(long pid) {
    try {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Peak resident memory (VmHWM) of a live process, KiB. */
  static long peakRssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }

  static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}

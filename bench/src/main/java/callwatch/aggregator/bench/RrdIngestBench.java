package callwatch.aggregator.bench;

import callwatch.aggregator.store.RrdLayout;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.rrd4j.ConsolFun;

/**
 * One node's round-robin ingest at the writer's access pattern (every source, slot after slot,
 * files kept open), and the latency of a year-long query of a service with its last-year overlay.
 * A series is one counter of one source; a source file holds {@link Metrics#SIZE} of them.
 * Run with bench/rrd-ingest.sh SERIES SLOTS.
 */
public final class RrdIngestBench {
  private RrdIngestBench() {}

  public static void main(String[] args) throws Exception {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    int slots = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int files = Math.max(1, series / Metrics.SIZE);
    Path dir = Files.createTempDirectory("callwatch-rrd-bench-");
    Path root = dir.resolve("rrd"); // the member's layout: its update log beside the files, inside dir
    try (RrdRepository repo = new RrdRepository(root, Integer.MAX_VALUE, 0, files + 16)) {
      List<Source> sources = new ArrayList<>();
      for (int i = 0; i < files; i++) sources.add(new Source("agent-" + (i % 14), "host-" + (i % 14), "SVC" + (i % 6), "op" + i));
      long now = System.currentTimeMillis() / 1000 / RrdLayout.STEP * RrdLayout.STEP;
      long first = now - (long) (slots + 1) * RrdLayout.STEP;
      Random random = new Random(1);
      long[] v = new long[Metrics.SIZE];
      long t0 = System.nanoTime();
      for (Source s : sources) repo.writeBlocking(s, first, v); // creation, timed apart
      double createSecs = (System.nanoTime() - t0) / 1e9;
      List<Double> rates = new ArrayList<>();
      for (int slot = 1; slot <= slots; slot++) {
        long t = first + (long) slot * RrdLayout.STEP;
        long s0 = System.nanoTime();
        for (Source s : sources) {
          v[Metrics.CALLS] = random.nextInt(50);
          v[Metrics.OK] = v[Metrics.CALLS];
          repo.writeBlocking(s, t, v);
        }
        rates.add(files / ((System.nanoTime() - s0) / 1e9));
      }
      Collections.sort(rates);
      double fileRate = rates.get(rates.size() / 2);
      System.out.printf(Locale.ROOT, "ingest: %,d series in %,d files (%,d MB on disk, %,.0f KB per series), created in %.1f s%n",
          files * Metrics.SIZE, files, du(root) >> 20, Files.size(sources.get(0).path(root)) / 1024.0 / Metrics.SIZE, createSecs);
      System.out.printf(Locale.ROOT, "ingest: median %,.0f file updates/s = %,.0f series updates/s over %d slots (a 10 s step needs %,.0f/s)%n",
          fileRate, fileRate * Metrics.SIZE, slots, files / (double) RrdLayout.STEP);

      // a year of one service (6 sources) at 1 h, and the same range a year earlier
      List<Source> service = sources.subList(0, Math.min(6, sources.size()));
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        long q0 = System.nanoTime();
        for (long shift : new long[] {0, 365L * 86400}) {
          for (Source s : service) repo.fetchBlocking(s, ConsolFun.TOTAL, now - 365L * 86400 - shift, now - shift, 3600);
        }
        if (i >= 5) millis.add((System.nanoTime() - q0) / 1e6);
      }
      Collections.sort(millis);
      System.out.printf(Locale.ROOT, "query: a year at 1 h of a service over %d files plus its last-year overlay: median %.2f ms (20 runs)%n",
          service.size(), millis.get(millis.size() / 2));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long du(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}

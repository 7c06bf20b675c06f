package callwatch.aggregator.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends synthetic call lines to one log file per host: first the history (so graphs and
 * last-week overlays have something behind them), then live lines every 200 ms. Runs on its own
 * thread; blocking file I/O.
 */
public final class TrafficWriter implements Runnable {
  private final Path dir;
  private final List<String> hosts;
  private final TrafficModel model;
  private final long historySeconds;
  /** Where the written traffic ends (ms): live lines go on from there, so the demo's backlog has no silence in it. */
  private long writtenUpTo = -1;
  private volatile boolean running = true;

  public TrafficWriter(Path dir, List<String> hosts, double peakPerSecond, long historySeconds) {
    this.dir = dir;
    this.hosts = hosts;
    this.model = new TrafficModel(42, peakPerSecond);
    this.historySeconds = historySeconds;
  }

  /**
   * Writes the history, synchronously, into one file per host: the last {@code historySeconds}
   * and the same hours one week earlier (for the wallboard's last-week overlay).
   */
  public void writeHistoryBlocking(long nowMillis) throws IOException {
    long week = 7 * 86_400_000L;
    long[][] windows = {
        {nowMillis - week - historySeconds * 1000, nowMillis - week + 3_600_000},
        {nowMillis - historySeconds * 1000, nowMillis}};
    for (String host : hosts) {
      Path f = dir.resolve("history-" + host + ".log");
      try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
        for (long[] window : windows) {
          for (long t = window[0]; t < window[1]; t += 1000) {
            int n = model.callsIn(t, 1.0 / hosts.size());
            for (int i = 0; i < n; i++) {
              w.write(model.line(t + i * 7 % 1000, host));
              w.write('\n');
            }
          }
        }
      }
    }
    writtenUpTo = nowMillis - STEP_MILLIS; // live steps go on from nowMillis, where the history ends
  }

  @Override
  public void run() {
    try {
      while (running) {
        long now = System.currentTimeMillis();
        // the time since the last lines (the history's end while the aggregator started), in
        // 200 ms steps: a silence of the demo's own making would be a stall of every service
        long from = writtenUpTo < 0 ? now : Math.max(writtenUpTo + STEP_MILLIS, now - 3_600_000);
        if (from > now) {
          Thread.sleep(from - now);
          continue;
        }
        for (String host : hosts) {
          StringBuilder sb = new StringBuilder();
          for (long t = from; t <= now; t += STEP_MILLIS) {
            int n = model.callsIn(t, STEP_MILLIS / 1000.0 / hosts.size());
            for (int i = 0; i < n; i++) sb.append(model.line(t, host)).append('\n');
          }
          if (sb.isEmpty()) continue;
          Files.writeString(dir.resolve("app-" + host + ".log"), sb, StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        writtenUpTo = from + (now - from) / STEP_MILLIS * STEP_MILLIS;
        Thread.sleep(STEP_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final long STEP_MILLIS = 200;

  public void stop() {
    running = false;
  }
}

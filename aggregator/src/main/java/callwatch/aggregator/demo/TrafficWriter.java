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
  }

  @Override
  public void run() {
    try {
      while (running) {
        long now = System.currentTimeMillis();
        for (String host : hosts) {
          int n = model.callsIn(now, 0.2 / hosts.size());
          if (n == 0) continue;
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < n; i++) sb.append(model.line(now, host)).append('\n');
          Files.writeString(dir.resolve("app-" + host + ".log"), sb, StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public void stop() {
    running = false;
  }
}

package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog spread over several servers' files (an agent back after days away, or a fresh one) is
 * read in time order across them: the agent closes a slot only once every file still behind has
 * passed it, so reading one file to its end first would keep the whole backlog's slots open.
 */
class TailerTimeOrderTest {
  private static final long HOUR = 3_600_000;
  @TempDir Path dir;

  /** Lines that are just their own time (epoch ms); the sink keeps each file's last one, as the agent does. */
  private static final class TimeSink implements LineSink {
    long newest = Long.MIN_VALUE;
    long widestSpread;
    long lines;
    private final List<TailedFile> files;

    TimeSink(List<TailedFile> files) {
      this.files = files;
    }

    @Override
    public void line(TailedFile file, byte[] buf, int from, int to) {
      long t = Long.parseLong(new String(buf, from, to - from, StandardCharsets.US_ASCII).trim().split(" ")[0]);
      file.lastLineMillis = t;
      newest = Math.max(newest, t);
      lines++;
    }

    /** How far the newest line read ran ahead of the oldest position among files not yet at their end. */
    void measure() {
      long floor = Long.MAX_VALUE;
      for (TailedFile f : files) if (f.lagBytes() > 0 && f.lastLineMillis != Long.MIN_VALUE) floor = Math.min(floor, f.lastLineMillis);
      if (floor != Long.MAX_VALUE) widestSpread = Math.max(widestSpread, newest - floor);
    }

    @Override
    public void overlongLine(TailedFile file) {}
  }

  @Test
  void threeFilesOfTwoHoursAreReadSideBySide() throws IOException {
    long start = 1_796_000_000_000L;
    for (String server : List.of("app1", "app2", "app3")) {
      StringBuilder b = new StringBuilder();
      // 10 lines a second, each naming its server (files with the very same bytes would be copies of one another)
      for (long t = start; t < start + 2 * HOUR; t += 100) b.append(t).append(' ').append(server).append("       \n");
      Files.writeString(dir.resolve(server + ".log"), b);
    }
    Tailer tailer = new Tailer(List.of(new Tailer.Glob(dir + "/*.log", "app", null)), 64 * 1024, 1000, false, List.of());
    tailer.scanBlocking(System.nanoTime());
    TimeSink sink = new TimeSink(tailer.files());
    while (tailer.readBlocking(sink, 256 * 1024) > 0) sink.measure();
    assertEquals(3 * 72_000, sink.lines, "every line read");
    // one chunk (256 KiB: 10,082 lines of 26 bytes, 17 minutes of one file here) is as far as one file
    // may run ahead; read file after file, the newest line ran more than an hour ahead
    assertTrue(sink.widestSpread <= 20 * 60_000, "the newest line read ran " + sink.widestSpread / 60_000 + " min ahead of a file still behind");
  }
}

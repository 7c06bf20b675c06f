package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that rotation took away is let go once drained, also when its last bytes never got their
 * newline (a writer that died mid-line, a copytruncate copy cut mid-line, a line over the cap cut
 * by the rotation). Held open, a deleted log keeps its disk space taken for as long as the agent
 * runs: one more file each rotation, on the application server's disk.
 */
class TailerLetGoTest {
  private static final long GRACE_NANOS = 2_000_000_000L;

  @TempDir Path dir;

  /** Lines as the sink got them, and the overlong ones it was told of. */
  private static final class Lines implements LineSink {
    final List<String> lines = new ArrayList<>();
    int overlong;

    @Override
    public void line(TailedFile file, byte[] buf, int from, int to) {
      lines.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
    }

    @Override
    public void overlongLine(TailedFile file) {
      overlong++;
    }
  }

  private Tailer tailer(int maxLineBytes) {
    return new Tailer(List.of(new Tailer.Glob(dir + "/app.log", "app", null)), maxLineBytes, GRACE_NANOS / 1_000_000, false, List.of());
  }

  /** Scans and reads at {@code nanos} (the tailer's clock), as the agent's worker does every second. */
  private static void round(Tailer t, Lines sink, long nanos) throws Exception {
    t.scanBlocking(nanos);
    t.readBlocking(sink, Long.MAX_VALUE);
  }

  @Test
  @DisplayName("a deleted file whose last line has no newline: the line is handed on (to be parsed or rejected) and the file let go")
  void lastLineWithoutNewline() throws Exception {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "first\nsecond, cut short");
    Tailer t = tailer(64 * 1024);
    Lines sink = new Lines();
    round(t, sink, 0);
    assertEquals(List.of("first"), sink.lines, "a line without its newline waits while the file is the live one");

    Files.delete(log); // rotation with compression: the renamed copy is compressed and removed
    round(t, sink, 1);
    assertEquals(1, t.files().size(), "within the drain grace the writer may still append");
    for (long at = GRACE_NANOS + 1; at < 3 * GRACE_NANOS; at += GRACE_NANOS / 2) round(t, sink, at);
    assertEquals(List.of("first", "second, cut short"), sink.lines);
    assertEquals(0, t.files().size(), "the deleted file is still held open");
  }

  @Test
  @DisplayName("a deleted file that ends inside a line over the cap: reported as overlong once, and the file let go")
  void endsInsideAnOverlongLine() throws Exception {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "first\n" + "x".repeat(5000));
    Tailer t = tailer(1000);
    Lines sink = new Lines();
    round(t, sink, 0);
    Files.delete(log);
    for (long at = 1; at < 3 * GRACE_NANOS; at += GRACE_NANOS / 2) round(t, sink, at);
    assertEquals(List.of("first"), sink.lines);
    assertEquals(1, sink.overlong);
    assertEquals(0, t.files().size(), "the deleted file is still held open");
  }

  @Test
  @DisplayName("a renamed file whose writer finishes its line within the grace: one whole line, not two pieces")
  void writerFinishesWithinTheGrace() throws Exception {
    Path log = dir.resolve("app.log");
    Files.writeString(log, "first\nsec");
    Tailer t = tailer(64 * 1024);
    Lines sink = new Lines();
    round(t, sink, 0);
    Path renamed = dir.resolve("app.log.1");
    Files.move(log, renamed);
    round(t, sink, 1);
    Files.writeString(renamed, "ond\n", java.nio.file.StandardOpenOption.APPEND);
    for (long at = GRACE_NANOS / 2; at < 3 * GRACE_NANOS; at += GRACE_NANOS / 2) round(t, sink, at);
    assertEquals(List.of("first", "second"), sink.lines);
    assertEquals(0, t.files().size());
  }
}

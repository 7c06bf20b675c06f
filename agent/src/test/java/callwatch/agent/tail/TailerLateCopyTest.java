package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copytruncate when the copy takes its time, or when the tailer does not see it at once: the lines
 * already read from the live file are never read again from the copy. A large log takes logrotate
 * longer than the drain grace to copy; a directory listing made while rotation renames files can
 * miss one, twice in a row on a loaded machine, so a copy may turn up only after the truncate was
 * given up on.
 */
class TailerLateCopyTest {
  private static final long GRACE_NANOS = 2_000_000_000L;
  private static final long SCAN_NANOS = 1_000_000_000L;

  @TempDir Path dir;

  /** Lines as the sink got them. */
  private static final class Lines implements LineSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public void line(TailedFile file, byte[] buf, int from, int to) {
      lines.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
    }

    @Override
    public void overlongLine(TailedFile file) {}
  }

  private final Lines sink = new Lines();
  private long now;

  private Tailer tailer() {
    return new Tailer(List.of(new Tailer.Glob(dir + "/app.log*", "app", null)), 64 * 1024, GRACE_NANOS / 1_000_000, false, List.of());
  }

  /** One second of the agent's worker: a scan, then a read of everything new. */
  private void second(Tailer t) throws IOException {
    now += SCAN_NANOS;
    t.scanBlocking(now);
    t.readBlocking(sink, Long.MAX_VALUE);
  }

  private static String lines(String prefix, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append(prefix).append(' ').append(i).append(" call service=DPP\n");
    return sb.toString();
  }

  private static void truncate(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
  }

  /** A tailer that has read the 400 "old" lines of the live file. */
  private Tailer oldLinesRead() throws IOException {
    Files.writeString(dir.resolve("app.log"), lines("old", 400));
    Tailer t = tailer();
    second(t);
    return t;
  }

  private long count(String prefix) {
    return sink.lines.stream().filter(l -> l.startsWith(prefix + " ")).count();
  }

  @Test
  @DisplayName("a copy made over longer than the drain grace (a large log) is not read again: 0 double")
  void slowCopy() throws Exception {
    Path live = dir.resolve("app.log");
    String before = lines("old", 400);
    Files.writeString(live, before);
    Tailer t = tailer();
    second(t);
    assertEquals(400, count("old"));

    Path copy = dir.resolve("app.log.1");
    byte[] bytes = before.getBytes(StandardCharsets.UTF_8);
    int step = bytes.length / 8;
    for (int done = 0; done < bytes.length; done += step) { // eight seconds of copying, a piece per second
      Files.write(copy, java.util.Arrays.copyOfRange(bytes, done, Math.min(bytes.length, done + step)),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      second(t);
    }
    truncate(live);
    Files.writeString(live, lines("new", 10), StandardOpenOption.APPEND);
    for (int i = 0; i < 5; i++) second(t);

    assertEquals(400, count("old"), "lines of the old content, read from the live file and perhaps its copy");
    assertEquals(10, count("new"));
    assertEquals(0, t.lostBytes());
  }

  @Test
  @DisplayName("an agent restarted beside a copy of the live file (logrotate's copy, or a truncate still to come) reads neither twice")
  void restartBesideACopy() throws Exception {
    Path live = dir.resolve("app.log");
    Tailer before = oldLinesRead();
    Files.copy(live, dir.resolve("app.log.1"));
    for (int i = 0; i < 4; i++) second(before);
    assertEquals(400, count("old"), "while it runs, the copy is held back");

    Tailer after = new Tailer(List.of(new Tailer.Glob(dir + "/app.log*", "app", null)), 64 * 1024, GRACE_NANOS / 1_000_000, false,
        before.checkpoints());
    Files.writeString(live, lines("new", 10), StandardOpenOption.APPEND);
    for (int i = 0; i < 5; i++) second(after);
    assertEquals(400, count("old"));
    assertEquals(10, count("new"));
  }

  @Test
  @DisplayName("a new agent on a folder that holds the live file and a copy of it counts each line once")
  void firstStartBesideACopy() throws Exception {
    Path live = dir.resolve("app.log");
    Files.writeString(live, lines("old", 400));
    Files.copy(live, dir.resolve("app.log.1"));
    Files.writeString(live, lines("new", 10), StandardOpenOption.APPEND); // the live file went on after the copy
    Tailer t = tailer();
    for (int i = 0; i < 5; i++) second(t);
    assertEquals(400, count("old"));
    assertEquals(10, count("new"));
  }

  /** What takes a file out of the globs' sight, as listings that miss it. */
  private interface Hide {
    void hide(Path live, Path hidden) throws IOException;
  }

  /**
   * 400 lines read from the live file; {@code hide} takes the old content out of sight; the live
   * file gets 10 new lines; four seconds pass (past the drain grace); the old content comes back
   * as {@code app.log.1}. Every line must be counted once.
   */
  private void missedForFourSeconds(Hide hide) throws IOException {
    Path live = dir.resolve("app.log");
    Tailer t = oldLinesRead();
    Path hidden = dir.resolve("hidden.tmp"); // out of the globs' sight
    hide.hide(live, hidden);
    Files.writeString(live, lines("new", 10), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    for (int i = 0; i < 4; i++) second(t);
    Files.move(hidden, dir.resolve("app.log.1"));
    for (int i = 0; i < 5; i++) second(t);

    assertEquals(400, count("old"));
    assertEquals(10, count("new"));
    assertEquals(0, t.lostBytes());
  }

  @Test
  @DisplayName("a copy seen only after its truncate was given up on is taken up where the live file was read to: 0 double")
  void copySeenLate() throws Exception {
    missedForFourSeconds((live, hidden) -> {
      Files.copy(live, hidden);
      truncate(live);
    });
  }

  @Test
  @DisplayName("a copy seen late that holds lines not read yet: reported lost meanwhile, then read once and the loss withdrawn")
  void copySeenLateWithUnreadLines() throws Exception {
    Path live = dir.resolve("app.log");
    Tailer t = oldLinesRead();
    Files.writeString(live, lines("unread", 50), StandardOpenOption.APPEND); // written just before the rotation
    t.scanBlocking(now); // seen to have grown, not read yet
    Path hidden = dir.resolve("hidden.tmp");
    Files.copy(live, hidden);
    truncate(live);
    for (int i = 0; i < 4; i++) second(t);
    assertEquals(0, count("unread"));
    org.junit.jupiter.api.Assertions.assertTrue(t.lostBytes() > 0, "no copy within the grace: the unread bytes are reported lost");

    Files.move(hidden, dir.resolve("app.log.1"));
    for (int i = 0; i < 5; i++) second(t);
    assertEquals(400, count("old"));
    assertEquals(50, count("unread"));
    assertEquals(0, t.lostBytes(), "found after all");
    assertEquals(0, t.lostFiles());
  }

  @Test
  @DisplayName("a renamed file missed by the listings until it was let go is not read again when it is seen again: 0 double")
  void rotatedFileSeenAgain() throws Exception {
    missedForFourSeconds((live, hidden) -> Files.move(live, hidden));
  }
}

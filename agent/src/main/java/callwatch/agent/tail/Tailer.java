package callwatch.agent.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Follows the files that a set of globs match, through rotation, and hands every complete line to
 * a {@link LineSink}. Blocking file I/O: runs on one worker thread, never on an event loop.
 *
 * <p>How rotation is followed (see docs/architecture.md):
 * <ul>
 *   <li>A file is known by device + inode, checked against a fingerprint of its first bytes, so a
 *       reused inode is taken for the new file it is.</li>
 *   <li>Rename-and-create and symlink swaps: the path now leads elsewhere; the old file is still
 *       open and is drained to its end before it is let go; the new one is read from its start.</li>
 *   <li>Copytruncate: the file shrank below our offset; the copy (a new file the globs match, with
 *       the same first bytes) is adopted at the old offset, and the truncated file read from 0.</li>
 *   <li>A line without its newline yet is left for the next read; a line longer than the cap is
 *       skipped as it streams past and reported to the sink.</li>
 * </ul>
 */
public final class Tailer {
  private static final Logger LOG = Logger.getLogger(Tailer.class.getName());
  private final List<Glob> globs;
  private final int maxLineBytes;
  private final long drainGraceNanos;
  private final boolean startAtEnd;
  private final ByteBuffer buffer;
  private final List<TailedFile> files = new ArrayList<>();
  /** Checkpoint entries not yet matched to a file on disk (only right after a restart). */
  private final List<FileCheckpoint> restored = new ArrayList<>();
  private boolean firstScan = true;
  private long lostFiles;
  private long lostBytes;
  private long truncationsWithoutCopy;

  /** One glob and the format of the files it matches. */
  public record Glob(String pattern, String format, String regex) {}

  public Tailer(List<Glob> globs, int maxLineBytes, long drainGraceMillis, boolean startAtEnd, List<FileCheckpoint> checkpoints) {
    this.globs = globs;
    this.maxLineBytes = maxLineBytes;
    this.drainGraceNanos = drainGraceMillis * 1_000_000L;
    this.startAtEnd = startAtEnd;
    this.buffer = ByteBuffer.allocate(Math.max(256 * 1024, maxLineBytes + 64 * 1024));
    this.restored.addAll(checkpoints);
  }

  public List<TailedFile> files() {
    return files;
  }

  public long lostFiles() {
    return lostFiles;
  }

  /** Bytes that rotation removed before the agent read them (at least: known from the checkpoint). */
  public long lostBytes() {
    return lostBytes;
  }

  public long truncationsWithoutCopy() {
    return truncationsWithoutCopy;
  }

  public List<FileCheckpoint> checkpoints() {
    List<FileCheckpoint> out = new ArrayList<>();
    for (TailedFile f : files) out.add(f.checkpoint());
    return out;
  }

  public long lagBytes() {
    long lag = 0;
    for (TailedFile f : files) lag += f.lagBytes();
    return lag;
  }

  /** Finds new, rotated, truncated and vanished files. */
  public void scanBlocking(long nowNanos) throws IOException {
    Map<FileKey, Candidate> candidates = candidates();
    List<TailedFile> truncated = new ArrayList<>();
    List<TailedFile> replaced = new ArrayList<>();
    for (TailedFile f : files) {
      Candidate c = candidates.remove(key(f.dev, f.ino));
      if (c == null) {
        if (!f.rotatedAway) {
          f.rotatedAway = true;
          f.rotatedAtNanos = nowNanos;
        }
        continue;
      }
      f.path = c.path;
      f.rotatedAway = false;
      f.size = c.size;
      FileChannel ch = channel(f);
      if (ch == null) continue;
      long fp = f.fpLen > 0 ? Fingerprints.of(ch, f.fpLen) : 0;
      if (fp != f.fpHash) {
        replaced.add(f); // the inode now holds another file
      } else if (c.size < f.offset) {
        truncated.add(f);
      } else {
        growFingerprint(f, ch);
      }
    }
    for (TailedFile f : replaced) {
      LOG.warning("inode of " + f.path + " was reused by a new file; the old file was let go");
      files.remove(f);
      f.close();
      restored.add(f.checkpoint()); // its copy, if any, may still turn up by fingerprint
      candidates.put(key(f.dev, f.ino), new Candidate(f.path, f.dev, f.ino, f.size, f.glob));
    }
    for (TailedFile f : truncated) {
      TailedFile copy = adoptCopy(f.checkpoint(), candidates);
      if (copy == null) {
        truncationsWithoutCopy++;
        LOG.warning(f.path + " was truncated and no copy matches the globs: lines after offset " + f.offset + " may be lost");
      }
      f.offset = 0;
      f.skipPos = -1;
      f.fpLen = 0;
      f.fpHash = 0;
      growFingerprint(f, channel(f));
    }
    for (Candidate c : candidates.values()) {
      TailedFile f = restore(c, candidates);
      if (f == null) {
        f = open(c);
        if (f == null) continue;
        if (startAtEnd && firstScan) f.offset = c.size;
        growFingerprint(f, f.channel);
      }
      files.add(f);
    }
    if (!restored.isEmpty() && !firstScan) {
      for (FileCheckpoint r : restored) {
        lostFiles++;
        lostBytes += r.unreadBytes();
        if (r.unreadBytes() > 0) {
          LOG.warning("LOST: " + r.path() + " (from the checkpoint) is gone or no longer matched by any glob with "
              + r.unreadBytes() + " bytes unread (and whatever was written to it after the checkpoint)");
        }
      }
      restored.clear();
    }
    firstScan = false;
    letGoOfDrainedFiles(nowNanos);
  }

  /**
   * Reads what is new in every file, up to about {@code budgetBytes} in all; returns the number of
   * bytes read, so the caller knows whether a backlog remains.
   */
  public long readBlocking(LineSink sink, long budgetBytes) throws IOException {
    long total = 0;
    for (TailedFile f : files) {
      FileChannel ch = channel(f);
      if (ch == null) continue;
      f.size = ch.size();
      while (total < budgetBytes && !sink.full()) {
        int n = readChunk(f, ch, sink);
        if (n <= 0) break;
        total += n;
      }
    }
    return total;
  }

  /** Reads and hands on the complete lines of one chunk; returns the bytes consumed (0: nothing new). */
  private int readChunk(TailedFile f, FileChannel ch, LineSink sink) throws IOException {
    long pos = f.skipPos >= 0 ? f.skipPos : f.offset;
    if (pos >= f.size) return 0;
    buffer.clear();
    int n = ch.read(buffer, pos);
    if (n <= 0) return 0;
    byte[] b = buffer.array();
    int start = 0;
    if (f.skipPos >= 0) {
      int nl = indexOf(b, 0, n, (byte) '\n');
      if (nl < 0) {
        f.skipPos = pos + n;
        return n;
      }
      sink.overlongLine(f);
      f.skipPos = -1;
      start = nl + 1;
      f.offset = pos + start;
    }
    int nl;
    while ((nl = indexOf(b, start, n, (byte) '\n')) >= 0) {
      if (nl - start > maxLineBytes) {
        sink.overlongLine(f);
      } else {
        sink.line(f, b, start, nl);
      }
      start = nl + 1;
      f.offset = pos + start;
    }
    if (n - start > maxLineBytes || (start == 0 && n == buffer.capacity())) {
      f.skipPos = pos + n; // the line is too long already: stream past it, keep nothing
      return n;
    }
    return start; // a line without its newline yet stays unread until it is complete
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) return i;
    }
    return -1;
  }

  private void letGoOfDrainedFiles(long nowNanos) {
    for (Iterator<TailedFile> it = files.iterator(); it.hasNext(); ) {
      TailedFile f = it.next();
      if (!f.rotatedAway || f.skipPos >= 0) continue;
      boolean drained = f.channel == null || f.offset >= safeSize(f.channel);
      // the writer may still append to a renamed file for a moment: wait a grace period at its end
      if (drained && nowNanos - f.rotatedAtNanos >= drainGraceNanos) {
        f.close();
        it.remove();
      }
    }
  }

  private static long safeSize(FileChannel ch) {
    try {
      return ch.size();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The checkpoint entry that this candidate continues: the same inode with the same first bytes;
   * failing that (copytruncate or rename while the agent was stopped), an entry with the same first
   * bytes whose own inode is gone or now holds other bytes, so two live files with the same header
   * are never merged.
   */
  private TailedFile restore(Candidate c, Map<FileKey, Candidate> candidates) throws IOException {
    if (restored.isEmpty()) return null;
    FileCheckpoint match = null;
    try (FileChannel ch = FileChannel.open(c.path, StandardOpenOption.READ)) {
      for (FileCheckpoint r : restored) {
        boolean sameInode = r.dev() == c.dev && r.ino() == c.ino;
        if (sameInode && (r.fpLen() == 0 || Fingerprints.of(ch, r.fpLen()) == r.fpHash())) {
          match = r;
          break;
        }
      }
      for (int i = 0; match == null && i < restored.size(); i++) {
        FileCheckpoint r = restored.get(i);
        if (r.fpLen() == 0 || c.size < r.fpLen() || Fingerprints.of(ch, r.fpLen()) != r.fpHash()) continue;
        Candidate own = candidates.get(key(r.dev(), r.ino()));
        if (own == null || !sameStart(own.path, r)) match = r;
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    if (match == null) return null;
    restored.remove(match);
    TailedFile f = open(c);
    if (f == null) return null;
    f.offset = Math.min(match.offset(), c.size);
    f.fpLen = match.fpLen();
    f.fpHash = match.fpHash();
    f.lastLineMillis = match.lastLineMillis();
    return f;
  }

  private static boolean sameStart(Path path, FileCheckpoint r) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return Fingerprints.of(ch, r.fpLen()) == r.fpHash();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private TailedFile adoptCopy(FileCheckpoint truncated, Map<FileKey, Candidate> candidates) throws IOException {
    if (truncated.fpLen() == 0) return null;
    for (Iterator<Candidate> it = candidates.values().iterator(); it.hasNext(); ) {
      Candidate c = it.next();
      if (c.size < truncated.offset()) continue;
      TailedFile copy = open(c);
      if (copy == null) continue;
      if (Fingerprints.of(copy.channel, truncated.fpLen()) == truncated.fpHash()) {
        it.remove();
        copy.offset = truncated.offset();
        copy.lastLineMillis = truncated.lastLineMillis();
        copy.fpLen = truncated.fpLen();
        copy.fpHash = truncated.fpHash();
        files.add(copy);
        return copy;
      }
      copy.close();
    }
    return null;
  }

  private void growFingerprint(TailedFile f, FileChannel ch) throws IOException {
    if (ch == null || f.fpLen >= Fingerprints.MAX_LEN) return;
    int len = (int) Math.min(Fingerprints.MAX_LEN, ch.size());
    if (len > f.fpLen) {
      long h = Fingerprints.of(ch, len);
      if (h >= 0) {
        f.fpLen = len;
        f.fpHash = h;
      }
    }
  }

  private FileChannel channel(TailedFile f) throws IOException {
    if (f.channel == null && !f.rotatedAway) {
      try {
        f.channel = FileChannel.open(f.path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    return f.channel;
  }

  private TailedFile open(Candidate c) throws IOException {
    TailedFile f = new TailedFile(c.path, c.dev, c.ino, c.glob);
    try {
      f.channel = FileChannel.open(c.path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    f.size = c.size;
    return f;
  }

  private record Candidate(Path path, long dev, long ino, long size, Glob glob) {}

  private Map<FileKey, Candidate> candidates() throws IOException {
    Map<FileKey, Candidate> out = new LinkedHashMap<>();
    for (Glob g : globs) {
      Path pattern = Path.of(g.pattern());
      Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
      if (!Files.isDirectory(dir)) continue;
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (!m.matches(p.getFileName())) continue;
          try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,isRegularFile");
            if (!(Boolean) a.get("isRegularFile")) continue;
            long dev = (Long) a.get("dev"), ino = (Long) a.get("ino");
            out.putIfAbsent(key(dev, ino), new Candidate(p, dev, ino, (Long) a.get("size"), g));
          } catch (NoSuchFileException e) {
            // rotated away between listing and stat: the next scan sees where it went
          }
        }
      }
    }
    return out;
  }

  private record FileKey(long dev, long ino) {}

  private static FileKey key(long dev, long ino) {
    return new FileKey(dev, ino);
  }
}

package callwatch.agent.tail;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 *   <li>Copytruncate: the file shrank below our offset or no longer starts with its old bytes (it
 *       may have grown again since); the copy (a new file the globs match, with the old first bytes)
 *       is adopted at the old offset, and the truncated file read from 0. A new file that starts
 *       like a followed one is held back until the truncate comes, so a copy in the making is not
 *       read twice (for as long as every byte it has is the followed file's own: a large copy takes
 *       time); a read chunk counts only if the file still starts as before once it is read.</li>
 *   <li>A path is opened only if it still leads to the inode that the listing saw.</li>
 *   <li>Files let go and checkpoints given up on are remembered a while longer: a listing can
 *       miss a file while rotation renames, and a file seen again goes on where it was read to.</li>
 *   <li>A line without its newline yet is left for the next read; a line longer than the cap is
 *       skipped as it streams past and reported to the sink.</li>
 * </ul>
 */
public final class Tailer {
  private static final Logger LOG = Logger.getLogger(Tailer.class.getName());
  private final List<Glob> globs;
  /** Compiled once: a glob is a regex, and compiling it every second costs more than the scan itself. */
  private final Map<Glob, PathMatcher> matchers = new HashMap<>();
  private final int maxLineBytes;
  private final long drainGraceNanos;
  private final boolean startAtEnd;
  private final ByteBuffer buffer;
  private final List<TailedFile> files = new ArrayList<>();
  /** Checkpoint entries not yet matched to a file on disk (only right after a restart). */
  private final List<FileCheckpoint> restored = new ArrayList<>();
  /** New files that start like a file being followed, by when they were first seen: copytruncate copies in the making. */
  private final Map<FileKey, Seen> pendingCopies = new HashMap<>();
  /** Since when (and since which scan) each entry of {@link #restored} waits for its file. */
  private final Map<FileCheckpoint, Awaiting> awaiting = new HashMap<>();
  private final RecentlyLetGo recent;
  private long scans;
  /** The clock of the last scan: reads judge a rotated-away file's drain grace by it. */
  private long lastScanNanos;
  private boolean firstScan = true;
  private long lostFiles;
  private long lostBytes;
  private long truncationsWithoutCopy;

  /** One glob and the format of the files it matches. */
  /** @param zone the zone of a regex format's times written without an offset */
  public record Glob(String pattern, String format, String regex, java.time.ZoneId zone) {
    public Glob(String pattern, String format, String regex) {
      this(pattern, format, regex, java.time.ZoneId.systemDefault());
    }
  }

  public Tailer(List<Glob> globs, int maxLineBytes, long drainGraceMillis, boolean startAtEnd, List<FileCheckpoint> checkpoints) {
    this.globs = globs;
    this.maxLineBytes = maxLineBytes;
    this.drainGraceNanos = drainGraceMillis * 1_000_000L;
    this.startAtEnd = startAtEnd;
    this.buffer = ByteBuffer.allocate(Math.max(256 * 1024, maxLineBytes + 64 * 1024));
    this.restored.addAll(checkpoints);
    this.recent = new RecentlyLetGo(drainGraceNanos);
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
    scans++;
    lastScanNanos = nowNanos;
    Map<FileKey, Candidate> candidates = candidates();
    List<TailedFile> restarted = new ArrayList<>();
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
      FileChannel ch = channel(f);
      if (ch == null) continue;
      if (!startsAsBefore(f, ch) || c.size < f.offset) {
        restarted.add(f);  // truncated (copytruncate, perhaps grown again since), or the inode was reused
      } else {
        f.size = c.size;
        growFingerprint(f, ch);
      }
    }
    for (TailedFile f : restarted) {
      LOG.info(f.path + " was truncated or now holds another file: reading it from the start, and what was"
          + " unread of the old content from its copy, if the globs match one");
      files.remove(f);
      f.close();
      awaitCopy(f.checkpoint(), nowNanos, true); // checkpoint() still holds the size at the last read
      candidates.put(key(f.dev, f.ino), new Candidate(f.path, f.dev, f.ino, f.size, f.glob));
    }
    Map<FileKey, Seen> stillPending = new HashMap<>();
    for (Candidate c : firstScan ? largestFirst(candidates.values()) : candidates.values()) {
      TailedFile f = restore(c, candidates);
      if (f == null) {
        if (c.size == 0) continue; // nothing to read yet, and it may be a copy about to be filled
        if (heldBackAsCopy(c, nowNanos, stillPending)) continue;
        f = open(c);
        if (f == null) continue;
        if (f.size == 0) {
          f.close(); // emptied since the listing (a truncate): look again at the next scan
          continue;
        }
        if (startAtEnd && firstScan) f.offset = c.size;
        growFingerprint(f, f.channel);
      }
      files.add(f);
    }
    pendingCopies.clear();
    pendingCopies.putAll(stillPending);
    if (firstScan) {
      for (FileCheckpoint r : restored) awaitCopy(r, nowNanos, false);
    }
    giveUpOnMissingCopies(nowNanos);
    firstScan = false;
    letGoOfDrainedFiles(nowNanos);
    recent.forgetOld(nowNanos, scans);
  }

  /**
   * Whether a new file that starts like a followed one is still held back as a copytruncate copy in
   * the making: for at least one more scan and the drain grace, waiting for the truncate that adopts
   * it at the right offset, and after that for as long as it is a prefix of the followed file.
   * Then it is a file of its own that happens to share a header.
   */
  private boolean heldBackAsCopy(Candidate c, long nowNanos, Map<FileKey, Seen> stillPending) throws IOException {
    Likeness likeness = likenessToAFollowedFile(c);
    // at the first scan no truncate can be waited for, but a copy of a followed file (logrotate's
    // copy, a truncate still to come when the agent stopped) holds only lines the file holds too
    if (likeness == Likeness.NONE || (firstScan && likeness != Likeness.PREFIX)) return false;
    FileKey k = key(c.dev, c.ino);
    Seen seen = pendingCopies.getOrDefault(k, new Seen(nowNanos, scans));
    // a copy of a large log takes logrotate longer than the grace: while every byte it has so far
    // is the followed file's own, it is a copy in the making (or one whose truncate is still to
    // come), and its lines are read from the followed file
    if (likeness == Likeness.PREFIX || nowNanos - seen.sinceNanos < drainGraceNanos || seen.scan + 1 >= scans) {
      stillPending.put(k, seen);
      return true;
    }
    LOG.info(c.path + " starts like a file being followed but no truncate came: read as a file of its own");
    return false;
  }

  /** When (and at which scan) something was first seen. */
  private record Seen(long sinceNanos, long scan) {}

  /**
   * Keeps a checkpoint whose file is gone or was truncated until a file with its first bytes turns
   * up (the copy, or the renamed file), for at least one more scan and the drain grace: the copy
   * may be made just after the directory was listed.
   */
  private void awaitCopy(FileCheckpoint r, long nowNanos, boolean truncated) {
    if (!restored.contains(r)) restored.add(r);
    awaiting.putIfAbsent(r, new Awaiting(nowNanos, scans, truncated));
  }

  private void giveUpOnMissingCopies(long nowNanos) {
    for (Iterator<FileCheckpoint> it = restored.iterator(); it.hasNext(); ) {
      FileCheckpoint r = it.next();
      Awaiting a = awaiting.get(r);
      if (a == null || a.scan >= scans || nowNanos - a.sinceNanos < drainGraceNanos) continue;
      it.remove();
      awaiting.remove(r);
      recent.remember(r, nowNanos, scans, a.truncated);
      if (r.unreadBytes() == 0) continue; // everything it held was read: nothing lost
      lostFiles++;
      lostBytes += r.unreadBytes();
      if (a.truncated) truncationsWithoutCopy++;
      LOG.warning("LOST: " + r.path() + (a.truncated ? " was truncated and no copy matches the globs" : " (from the checkpoint)"
          + " is gone or no longer matched by any glob") + ", with " + r.unreadBytes() + " bytes unread"
          + " (and whatever was written to it after the last read)");
    }
    awaiting.keySet().retainAll(restored);
  }

  private record Awaiting(long sinceNanos, long scan, boolean truncated) {}

  /**
   * Reads what is new in every file, up to about {@code budgetBytes} in all; returns the number of
   * bytes read, so the caller knows whether a backlog remains.
   *
   * <p>Chunk by chunk, always from the file whose last line is the oldest (a file not read yet
   * first): a backlog spread over several files is read in time order across them. The agent
   * closes a slot only once every file still behind has passed it, so reading one file to its end
   * before the next would keep the whole backlog's slots open, in the agent and in the
   * aggregator's cache; read in time order, what is open stays within the grace window.
   */
  public long readBlocking(LineSink sink, long budgetBytes) throws IOException {
    long total = 0;
    for (int pass = 0; pass < 2; pass++) {
      boolean truncated = false;
      List<TailedFile> readable = new ArrayList<>();
      for (TailedFile f : files) {
        FileChannel ch = channel(f);
        if (ch == null) continue;
        f.size = ch.size();
        if (f.skipPos >= f.size && drainedAway(f)) {
          // the rotated-away file ends inside a line over the cap, streamed past already
          sink.overlongLine(f);
          f.skipPos = -1;
          f.offset = f.size;
        }
        if ((f.skipPos >= 0 ? f.skipPos : f.offset) < f.size) readable.add(f);
      }
      while (total < budgetBytes && !sink.full() && !readable.isEmpty()) {
        TailedFile f = oldest(readable);
        int n = readChunk(f, f.channel, sink);
        if (n < 0) truncated = true;
        if (n <= 0) {
          readable.remove(f);
          continue;
        }
        total += n;
      }
      if (!truncated) break;
      scanBlocking(System.nanoTime()); // a file was truncated under us: sort it out before reading on
    }
    return total;
  }

  /** Whether rotation took {@code f} away long enough ago that its writer has finished with it. */
  private boolean drainedAway(TailedFile f) {
    return f.rotatedAway && lastScanNanos - f.rotatedAtNanos >= drainGraceNanos;
  }

  /** The file whose last line read is the oldest; one not read yet counts as oldest. */
  private static TailedFile oldest(List<TailedFile> files) {
    TailedFile best = files.get(0);
    for (TailedFile f : files) if (f.lastLineMillis < best.lastLineMillis) best = f;
    return best;
  }

  /**
   * Reads and hands on the complete lines of one chunk; returns the bytes consumed (0: nothing
   * new; -1: the file was truncated under us, nothing was consumed).
   */
  private int readChunk(TailedFile f, FileChannel ch, LineSink sink) throws IOException {
    long pos = f.skipPos >= 0 ? f.skipPos : f.offset;
    if (pos >= f.size) return 0;
    buffer.clear();
    int n = ch.read(buffer, pos);
    if (n <= 0) return 0;
    if (f.fpLen == 0 && pos == 0) {
      // no fingerprint yet (the file was empty when found): take it from these very bytes
      f.fpLen = Math.min(n, Fingerprints.MAX_LEN);
      f.fpHash = Fingerprints.of(buffer.array(), 0, f.fpLen);
    }
    // the chunk counts only if the file still starts as before once it is read: else it was
    // truncated (and may have grown again), and these bytes belong to content not yet placed
    if (!startsAsBefore(f, ch)) return -1;
    byte[] b = buffer.array();
    int start = 0;
    // a file rotation took away, whose writer has had the grace to finish: what is left after its
    // last newline is its last line (cut short by a crash or by copytruncate), handed on as it is,
    // so the parser counts or rejects it and the file can be let go (held open, a deleted log keeps its disk space)
    boolean lastBytes = drainedAway(f) && pos + n >= f.size;
    if (f.skipPos >= 0) {
      int nl = indexOfNewline(b, 0, n);
      if (nl < 0) {
        if (lastBytes) {
          sink.overlongLine(f);
          f.skipPos = -1;
          f.offset = pos + n;
          return n;
        }
        f.skipPos = pos + n;
        return n;
      }
      sink.overlongLine(f);
      f.skipPos = -1;
      start = nl + 1;
      f.offset = pos + start;
    }
    int nl;
    while ((nl = indexOfNewline(b, start, n)) >= 0) {
      if (nl - start > maxLineBytes) {
        sink.overlongLine(f);
      } else {
        sink.line(f, b, start, nl);
      }
      start = nl + 1;
      f.offset = pos + start;
    }
    if (lastBytes && start < n) {
      if (n - start > maxLineBytes) sink.overlongLine(f);
      else sink.line(f, b, start, n);
      f.offset = pos + n;
      return n;
    }
    if (n - start > maxLineBytes || (start == 0 && n == buffer.capacity())) {
      f.skipPos = pos + n; // the line is too long already: stream past it, keep nothing
      return n;
    }
    return start; // a line without its newline yet stays unread until it is complete
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The first newline in {@code b[from, to)}, or -1. Looks at 8 bytes per step (the classic "has a
   * zero byte" bit trick on the bytes xor '\n'): the scan touches every byte of every log line.
   */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long zeros = (x - ONES) & ~x & HIGHS; // the lowest flagged byte is the first '\n' (little-endian)
      if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
    }
    for (; i < to; i++) {
      if (b[i] == '\n') return i;
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
        recent.remember(f.checkpoint(), nowNanos, scans, false);
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
    if (restored.isEmpty() && recent.isEmpty()) return null;
    TailedFile f = open(c);
    if (f == null) return null;
    FileChannel ch = f.channel;
    FileCheckpoint match = restored.isEmpty() ? null : match(restored, ch, c, candidates);
    if (match != null) {
      restored.remove(match);
      awaiting.remove(match);
    } else {
      match = seenAgain(ch, c, candidates);
    }
    if (match == null) {
      f.close();
      return null;
    }
    f.offset = Math.min(match.offset(), f.size);
    f.fpLen = match.fpLen();
    f.fpHash = match.fpHash();
    f.lastLineMillis = match.lastLineMillis();
    return f;
  }

  /** The entry of {@code entries} that the candidate continues, if any (see {@link #restore}). */
  private FileCheckpoint match(List<FileCheckpoint> entries, FileChannel ch, Candidate c, Map<FileKey, Candidate> candidates)
      throws IOException {
    byte[] head = Fingerprints.head(ch, (int) Math.min(ch.size(), Fingerprints.MAX_LEN)); // read once, not per entry
    for (FileCheckpoint r : entries) {
      boolean sameInode = r.dev() == c.dev && r.ino() == c.ino;
      boolean truncatedHere = awaiting.containsKey(r) && awaiting.get(r).truncated;
      boolean sameStart = r.fpLen() == 0 ? !truncatedHere : startsWith(head, r);
      if (sameInode && sameStart) return r;
    }
    for (FileCheckpoint r : entries) {
      if (r.fpLen() == 0 || !startsWith(head, r)) continue;
      Candidate own = candidates.get(key(r.dev(), r.ino()));
      if (own == null || !sameStart(own.path, r)) return r;
    }
    return null;
  }

  private static boolean startsWith(byte[] head, FileCheckpoint r) {
    return head != null && r.fpLen() <= head.length && Fingerprints.of(head, 0, r.fpLen()) == r.fpHash();
  }

  /**
   * A file let go or a checkpoint given up on lately that the candidate continues: seen again after
   * listings missed it, or the copy of a truncated file seen late. What was given up as lost is
   * found after all.
   */
  private FileCheckpoint seenAgain(FileChannel ch, Candidate c, Map<FileKey, Candidate> candidates) throws IOException {
    if (recent.isEmpty()) return null;
    FileCheckpoint match = match(recent.checkpoints(), ch, c, candidates);
    if (match == null) return null;
    RecentlyLetGo.Entry e = recent.take(match);
    if (match.unreadBytes() > 0) {
      lostFiles--;
      lostBytes -= match.unreadBytes();
      if (e.truncated()) truncationsWithoutCopy--;
    }
    LOG.info(c.path + " continues " + match.path() + ", seen again after it was let go: read on from where it was read to"
        + (match.unreadBytes() > 0 ? " (the " + match.unreadBytes() + " bytes reported LOST are found after all)" : ""));
    return match;
  }

  /**
   * Whether a new file begins with the same bytes as a file being followed: while logrotate's
   * copytruncate copies, the copy looks like a new file, and reading it from 0 would count its
   * lines twice. It is held back until the original is truncated (then it is adopted at the old
   * offset) or a grace period passes while it is no longer a prefix of the original (then it is a
   * file of its own that happens to share a header).
   */
  private Likeness likenessToAFollowedFile(Candidate c) throws IOException {
    try (FileChannel ch = openChecked(c.path, c.dev, c.ino)) {
      if (ch == null) return Likeness.STARTS_ALIKE; // moved on while we looked: decide at the next scan
      int n = (int) Math.min(ch.size(), Fingerprints.MAX_LEN);
      if (n == 0) return Likeness.STARTS_ALIKE;
      long head = Fingerprints.of(ch, n);
      Likeness found = Likeness.NONE;
      for (TailedFile f : files) {
        if (f.rotatedAway || f.channel == null) continue;
        // as the file was when last checked: it may have been truncated since this scan looked at
        // it, and its new bytes would no longer match the copy that was just made of the old ones
        boolean likeAsLastChecked = f.fpLen > 0 && f.fpLen <= ch.size() && Fingerprints.of(ch, f.fpLen) == f.fpHash;
        if (!likeAsLastChecked && Fingerprints.of(f.channel, n) != head) continue;
        if (isPrefixOf(ch, f.channel)) return Likeness.PREFIX;
        // the copy of what the file held before a truncate that came after this scan looked at it:
        // the next scan sees the truncate and adopts the copy (read now, the copy's lines would
        // count twice: TailerRaceTest, a truncate that came long after its copy)
        if (likeAsLastChecked && !startsAsBefore(f, f.channel)) return Likeness.PREFIX;
        if (f.offset > 0) found = Likeness.STARTS_ALIKE; // a file not read yet has given nothing a copy could repeat
      }
      return found;
    } catch (NoSuchFileException e) {
      return Likeness.NONE;
    }
  }

  /**
   * The first scan's order: larger files first, and of two the same size the shorter name (the
   * live file before its numbered copies), so that a file is followed before any copy of it is
   * looked at, and the copy is held back.
   */
  private static List<Candidate> largestFirst(Collection<Candidate> candidates) {
    List<Candidate> out = new ArrayList<>(candidates);
    out.sort(Comparator.comparingLong(Candidate::size).reversed()
        .thenComparingInt(c -> c.path().getFileName().toString().length()));
    return out;
  }

  /** How a new file's first bytes compare with the files being followed. */
  private enum Likeness {
    /** Starts like none of them. */
    NONE,
    /** Starts like one of them, or cannot be told yet. */
    STARTS_ALIKE,
    /**
     * Every byte it has is one of them's own, at the same place, or was before that file was
     * truncated a moment ago: a copy, complete or in the making.
     */
    PREFIX
  }

  private static final int PREFIX_TAIL = 4096;

  /**
   * Whether {@code copy} holds the first bytes of {@code original}: the starts matched already, so
   * its last bytes (up to 4 KiB) are compared with the original's at the same place.
   */
  private static boolean isPrefixOf(FileChannel copy, FileChannel original) throws IOException {
    long size = copy.size();
    if (size == 0 || original.size() < size) return false;
    int len = (int) Math.min(size, PREFIX_TAIL);
    byte[] mine = Fingerprints.bytesAt(copy, size - len, len);
    byte[] theirs = Fingerprints.bytesAt(original, size - len, len);
    return mine != null && theirs != null && Arrays.equals(mine, theirs);
  }

  private static boolean sameStart(Path path, FileCheckpoint r) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return Fingerprints.of(ch, r.fpLen()) == r.fpHash();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static boolean startsAsBefore(TailedFile f, FileChannel ch) throws IOException {
    return f.fpLen == 0 || Fingerprints.of(ch, f.fpLen) == f.fpHash;
  }

  /**
   * Lengthens the fingerprint as the file grows. The longer one is read in one go and taken only if
   * its start still matches the shorter one: the file may have been truncated and rewritten since
   * it was last checked, and a fingerprint of the new content would hide that.
   */
  private void growFingerprint(TailedFile f, FileChannel ch) throws IOException {
    if (ch == null || f.fpLen >= Fingerprints.MAX_LEN) return;
    int len = (int) Math.min(Fingerprints.MAX_LEN, ch.size());
    if (len <= f.fpLen) return;
    byte[] head = Fingerprints.head(ch, len);
    if (head == null || (f.fpLen > 0 && Fingerprints.of(head, 0, f.fpLen) != f.fpHash)) return;
    f.fpLen = len;
    f.fpHash = Fingerprints.of(head, 0, len);
  }

  private FileChannel channel(TailedFile f) throws IOException {
    if (f.channel == null && !f.rotatedAway) {
      try {
        f.channel = openChecked(f.path, f.dev, f.ino);
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    return f.channel;
  }

  private TailedFile open(Candidate c) throws IOException {
    TailedFile f = new TailedFile(c.path, c.dev, c.ino, c.glob);
    try {
      f.channel = openChecked(c.path, c.dev, c.ino);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (f.channel == null) return null;
    f.size = f.channel.size();
    return f;
  }

  /**
   * Opens a path only if it still leads to the inode the directory listing saw: rotation may have
   * moved another file there in between, and following that one under this identity would count
   * its lines twice. Null if it moved: the next scan sees where everything went.
   */
  private static FileChannel openChecked(Path path, long dev, long ino) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino");
      if ((Long) a.get("dev") == dev && (Long) a.get("ino") == ino) return ch;
    } catch (NoSuchFileException e) {
      // renamed away just after the open: we cannot tell what we opened
    }
    ch.close();
    return null;
  }

  private record Candidate(Path path, long dev, long ino, long size, Glob glob) {}

  private Map<FileKey, Candidate> candidates() throws IOException {
    Map<FileKey, Candidate> out = new LinkedHashMap<>();
    for (Glob g : globs) {
      Path pattern = Path.of(g.pattern());
      Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
      if (!Files.isDirectory(dir)) continue;
      PathMatcher m = matchers.computeIfAbsent(g, x -> FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName()));
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (!m.matches(p.getFileName()) || compressed(p)) continue;
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

  /**
   * logrotate's compressed copies ({@code app.log.2.gz}) hold lines already read from the plain
   * file they were before: a glob like {@code app.log*} must not read them again as text.
   */
  static boolean compressed(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".gz") || n.endsWith(".xz") || n.endsWith(".bz2") || n.endsWith(".zst") || n.endsWith(".lz4")
        || n.endsWith(".zip");
  }

  private record FileKey(long dev, long ino) {}

  private static FileKey key(long dev, long ino) {
    return new FileKey(dev, ino);
  }
}

package callwatch.agent.tail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Files let go and checkpoints given up on, kept for ten scans and ten drain graces more (256 at
 * most): a listing made while rotation renames files can miss one, twice in a row on a loaded
 * machine, and a file seen again (or a copy seen late) must go on where it was read to, not be
 * read again from its start. Long enough for listings that missed a file, short enough not to take
 * a new file for an old one. Owned by {@link Tailer}.
 */
final class RecentlyLetGo {
  private static final int MAX = 256;
  private static final int SCANS = 10;
  private final long keepNanos;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  /** A checkpoint let go at {@code sinceNanos} (scan {@code scan}); {@code truncated}: its file was truncated without a copy seen. */
  record Entry(FileCheckpoint checkpoint, long sinceNanos, long scan, boolean truncated) {}

  RecentlyLetGo(long drainGraceNanos) {
    this.keepNanos = 10 * drainGraceNanos;
  }

  void remember(FileCheckpoint r, long nowNanos, long scan, boolean truncated) {
    if (r.fpLen() == 0) return; // nothing read from it: read from the start, it is read once
    if (entries.size() == MAX) entries.removeFirst();
    entries.addLast(new Entry(r, nowNanos, scan, truncated));
  }

  void forgetOld(long nowNanos, long scan) {
    while (!entries.isEmpty()) {
      Entry oldest = entries.peekFirst();
      if (scan - oldest.scan < SCANS || nowNanos - oldest.sinceNanos < keepNanos) break;
      entries.removeFirst();
    }
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  List<FileCheckpoint> checkpoints() {
    List<FileCheckpoint> out = new ArrayList<>(entries.size());
    for (Entry e : entries) out.add(e.checkpoint);
    return out;
  }

  /** Takes out the entry of a checkpoint that a file seen again continues. */
  Entry take(FileCheckpoint checkpoint) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.checkpoint == checkpoint) {
        it.remove();
        return e;
      }
    }
    return null;
  }
}

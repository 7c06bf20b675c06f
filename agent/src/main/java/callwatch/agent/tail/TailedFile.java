package callwatch.agent.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One file being followed: its identity (device, inode and a fingerprint of its first bytes), the
 * offset just past its last complete line, and what the agent made of it. Owned by {@link Tailer}.
 */
public final class TailedFile {
  public static final int MAX_SAMPLES = 5;
  Path path;
  final long dev;
  final long ino;
  /** Fingerprint of the first {@code fpLen} bytes (CRC32); fpLen grows until {@link Fingerprints#MAX_LEN}. */
  int fpLen;
  long fpHash;
  final Tailer.Glob glob;
  FileChannel channel;
  long offset;
  /** While a line longer than the cap is skipped: where reading goes on (offset stays at its start). */
  long skipPos = -1;
  long size;
  /** The path no longer leads to this file (rename, symlink swap, delete): drain it, then let go. */
  boolean rotatedAway;
  long rotatedAtNanos;
  public long lastLineMillis = Long.MIN_VALUE;
  long rejected;
  final List<String> samples = new ArrayList<>();

  TailedFile(Path path, long dev, long ino, Tailer.Glob glob) {
    this.path = path;
    this.dev = dev;
    this.ino = ino;
    this.glob = glob;
  }

  public Path path() { return path; }
  public Tailer.Glob glob() { return glob; }
  public long offset() { return offset; }
  public long lagBytes() { return Math.max(0, size - offset); }
  public long rejected() { return rejected; }
  public List<String> samples() { return samples; }

  public void reject(String reason, String sample) {
    rejected++;
    if (samples.size() < MAX_SAMPLES) samples.add(reason + ": " + sample);
  }

  void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a read-only channel: nothing to recover
      }
      channel = null;
    }
  }

  FileCheckpoint checkpoint() {
    return new FileCheckpoint(path.toString(), dev, ino, fpLen, fpHash, offset, lastLineMillis, glob.format(), size);
  }
}

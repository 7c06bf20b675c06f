package callwatch.agent.tail;

/** Where the agent stands in one file, as written in the checkpoint; see {@link TailedFile}. */
public record FileCheckpoint(String path, long dev, long ino, int fpLen, long fpHash, long offset, long lastLineMillis, String format,
                             long size) {
  /** Bytes known to be unread when the checkpoint was written. */
  public long unreadBytes() {
    return Math.max(0, size - offset);
  }
}

package callwatch.agent.tail;

/** Receives each complete line the {@link Tailer} reads, on the tailer's thread. */
public interface LineSink {
  /** A line (without its line end) of {@code file} in {@code buf[from, to)}; valid only during the call. */
  void line(TailedFile file, byte[] buf, int from, int to);

  /** Whether the sink wants no more lines until it has been emptied (checked between chunks). */
  default boolean full() {
    return false;
  }

  /** A line longer than the cap was skipped without being held in memory. */
  void overlongLine(TailedFile file);
}

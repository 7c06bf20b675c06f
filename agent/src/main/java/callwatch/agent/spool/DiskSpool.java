package callwatch.agent.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batches that are written but not yet acknowledged, one file per batch named by its sequence
 * number. Each file holds two lines: the agent's checkpoint state after the batch, and the batch.
 * A batch is in the spool before it is sent, so neither a lost connection nor a crash loses it.
 * Blocking: call from the agent's worker thread only.
 */
public final class DiskSpool {
  private static final String SUFFIX = ".batch";
  private final Path dir;
  private final long maxBytes;
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  private long totalBytes;

  public DiskSpool(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        sizes.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), Files.size(p));
      }
    }
    for (long s : sizes.values()) totalBytes += s;
  }

  public void appendBlocking(long seq, String state, byte[] batch) throws IOException {
    byte[] head = (state + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] content = Arrays.copyOf(head, head.length + batch.length + 1);
    System.arraycopy(batch, 0, content, head.length, batch.length);
    content[content.length - 1] = '\n';
    AtomicFiles.writeBlocking(file(seq), content);
    long size = content.length;
    Long before = sizes.put(seq, size); // a retry after a failed checkpoint write spools the same seq again
    totalBytes += size - (before == null ? 0 : before);
  }

  /** The batch text of {@code seq}, or null if it is no longer spooled. */
  public String readBatchBlocking(long seq) throws IOException {
    String[] lines = readBlocking(seq);
    return lines == null ? null : lines[1];
  }

  /** The checkpoint state stored with the newest spooled batch, or null if the spool is empty. */
  public String newestStateBlocking() throws IOException {
    if (sizes.isEmpty()) return null;
    String[] lines = readBlocking(sizes.lastKey());
    return lines == null ? null : lines[0];
  }

  private String[] readBlocking(long seq) throws IOException {
    try {
      String text = Files.readString(file(seq));
      int nl = text.indexOf('\n');
      if (nl < 0) throw new IOException("spool file " + file(seq) + " is damaged");
      return new String[] {text.substring(0, nl), text.substring(nl + 1).strip()};
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Forgets every batch up to and including {@code seq}: the aggregator has stored them. */
  public void removeUpToBlocking(long seq) throws IOException {
    Map<Long, Long> done = sizes.headMap(seq, true);
    if (done.isEmpty()) return;
    for (Map.Entry<Long, Long> e : done.entrySet()) {
      Files.deleteIfExists(file(e.getKey()));
      totalBytes -= e.getValue();
    }
    done.clear();
  }

  public boolean isFull() {
    return totalBytes >= maxBytes;
  }

  public long bytes() {
    return totalBytes;
  }

  public int batches() {
    return sizes.size();
  }

  public long newestSeq() {
    return sizes.isEmpty() ? 0 : sizes.lastKey();
  }

  /** The oldest spooled sequence number above {@code seq}, or -1. */
  public long nextAfter(long seq) {
    Long k = sizes.higherKey(seq);
    return k == null ? -1 : k;
  }

  private Path file(long seq) {
    return dir.resolve(String.format("%020d", seq) + SUFFIX);
  }
}

package callwatch.agent.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batches that are written but not yet acknowledged, one file per batch named by its sequence
 * number. Each file holds two lines: the agent's checkpoint state after the batch, and the batch.
 * A batch is in the spool before it is sent, so neither a lost connection nor a crash loses it.
 *
 * <p>A batch never sent may be merged with the next (see {@link #replaceWithMergedBlocking}): the
 * merged batch's file is named {@code <seq>-<first seq it covers>.batch}, written whole before the
 * batch it replaces is deleted; a crash between the two leaves both, and opening the spool deletes
 * what a merged file covers, so no count is sent twice. Blocking: the agent's worker thread only.
 */
public final class DiskSpool {
  private static final String SUFFIX = ".batch";
  private final Path dir;
  private final long maxBytes;
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  /** Merged batches: seq → the first seq it covers. */
  private final TreeMap<Long, Long> mergedFrom = new TreeMap<>();
  private long totalBytes;

  public DiskSpool(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String[] seqs = n.substring(0, n.length() - SUFFIX.length()).split("-", 2);
        long seq = Long.parseLong(seqs[0]);
        sizes.put(seq, Files.size(p));
        if (seqs.length == 2) mergedFrom.put(seq, Long.parseLong(seqs[1]));
      }
    }
    // a crash between writing a merged batch and deleting the one it replaced: the merged one counts
    for (Map.Entry<Long, Long> m : new TreeMap<>(mergedFrom).entrySet()) {
      for (long covered : List.copyOf(sizes.subMap(m.getValue(), true, m.getKey(), false).keySet())) {
        Files.deleteIfExists(file(covered));
        sizes.remove(covered);
        mergedFrom.remove(covered);
      }
    }
    for (long s : sizes.values()) totalBytes += s;
  }

  /**
   * Replaces batch {@code replaced} (never sent) with {@code seq}, the merge of it and the batch
   * cut after it. The merged file is whole on disk before the replaced one goes.
   */
  public void replaceWithMergedBlocking(long replaced, long seq, String state, byte[] batch) throws IOException {
    long from = mergedFrom.getOrDefault(replaced, replaced);
    Path merged = dir.resolve(String.format("%020d-%020d", seq, from) + SUFFIX);
    AtomicFiles.writeBlocking(merged, content(state, batch));
    long size = Files.size(merged);
    Files.deleteIfExists(file(replaced));
    Long before = sizes.remove(replaced);
    if (before != null) totalBytes -= before;
    mergedFrom.remove(replaced);
    mergedFrom.put(seq, from);
    sizes.put(seq, size);
    totalBytes += size;
  }

  /** The size on disk of batch {@code seq}, or -1 if it is not spooled. */
  public long sizeOf(long seq) {
    Long size = sizes.get(seq);
    return size == null ? -1 : size;
  }

  private static byte[] content(String state, byte[] batch) {
    byte[] head = (state + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] content = Arrays.copyOf(head, head.length + batch.length + 1);
    System.arraycopy(batch, 0, content, head.length, batch.length);
    content[content.length - 1] = '\n';
    return content;
  }

  public void appendBlocking(long seq, String state, byte[] batch) throws IOException {
    byte[] content = content(state, batch);
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
    mergedFrom.headMap(seq, true).clear();
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
    Long from = mergedFrom.get(seq);
    return dir.resolve(String.format("%020d", seq) + (from == null ? "" : String.format("-%020d", from)) + SUFFIX);
  }
}

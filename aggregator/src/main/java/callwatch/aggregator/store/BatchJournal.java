package callwatch.aggregator.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * This node's write-ahead journal of the batches it acknowledged: a batch is appended and synced
 * before its ack, so that even if every member of the cluster stops at once, nothing acknowledged
 * is lost: at start the node replays its journal into the cache (applying is idempotent). A
 * segment is deleted once every slot in it is in this node's round-robin files. Thread-safe; blocking.
 */
public final class BatchJournal implements AutoCloseable {
  private static final long SEGMENT_BYTES = 64L << 20;
  private final Path dir;
  /** Per segment: agent → the newest slot a batch of that agent in it touches. */
  private final TreeMap<Path, Map<String, Long>> segments = new TreeMap<>();
  private FileChannel current;
  private Path currentPath;
  private long currentBytes;

  /** One journalled batch. */
  public record Entry(String agentId, long seq, String host, String version, String batchJson) {}

  public BatchJournal(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.journal")) {
      for (Path p : ds) segments.put(p, new HashMap<>());
    }
  }

  /** Every journalled batch, oldest segment first (a torn last line from a crash is skipped). */
  public synchronized List<Entry> readAllBlocking() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<Path, Map<String, Long>> seg : segments.entrySet()) {
      try (BufferedReader r = Files.newBufferedReader(seg.getKey(), StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          String[] f = line.split("\t", 6);
          if (f.length < 6 || !f[5].endsWith("}")) continue;
          out.add(new Entry(f[0], Long.parseLong(f[1]), f[3], f[4], f[5]));
          seg.getValue().merge(f[0], Long.parseLong(f[2]), Math::max);
        }
      }
    }
    return out;
  }

  /** Appends and syncs; {@code newestSlot} is the newest slot the batch may touch. */
  public synchronized void appendBlocking(String agentId, long seq, long newestSlot, String host, String version, String batchJson)
      throws IOException {
    if (current == null || currentBytes > SEGMENT_BYTES) roll();
    byte[] line = (agentId + '\t' + seq + '\t' + newestSlot + '\t' + host.replace('\t', ' ') + '\t'
        + version.replace('\t', ' ') + '\t' + batchJson + '\n').getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) current.write(buf);
    current.force(false); // on disk before the ack
    currentBytes += line.length;
    segments.get(currentPath).merge(agentId, newestSlot, Math::max);
  }

  /** Deletes the segments (but the one being written) whose slots are all written, per {@code writtenUpTo}. */
  public synchronized int trimBlocking(ToLongFunction<String> writtenUpTo) throws IOException {
    int deleted = 0;
    for (var it = segments.entrySet().iterator(); it.hasNext(); ) {
      var seg = it.next();
      if (seg.getKey().equals(currentPath)) continue;
      boolean done = seg.getValue().entrySet().stream().allMatch(e -> e.getValue() < writtenUpTo.applyAsLong(e.getKey()));
      if (done) {
        Files.deleteIfExists(seg.getKey());
        it.remove();
        deleted++;
      }
    }
    if (current != null && currentBytes > 0 && segments.size() == 1) {
      // everything else is gone: start a fresh segment so the old one can go next time
      boolean done = segments.get(currentPath).entrySet().stream().allMatch(e -> e.getValue() < writtenUpTo.applyAsLong(e.getKey()));
      if (done) roll();
    }
    return deleted;
  }

  public synchronized int segments() {
    return segments.size();
  }

  private void roll() throws IOException {
    if (current != null) current.close();
    currentPath = dir.resolve(String.format("%020d.journal", System.nanoTime() & Long.MAX_VALUE));
    while (segments.containsKey(currentPath) || Files.exists(currentPath)) {
      currentPath = dir.resolve(String.format("%020d.journal", (System.nanoTime() & Long.MAX_VALUE) + 1));
    }
    current = FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    currentBytes = 0;
    segments.put(currentPath, new HashMap<>());
  }

  @Override
  public synchronized void close() throws IOException {
    if (current != null) current.close();
  }
}

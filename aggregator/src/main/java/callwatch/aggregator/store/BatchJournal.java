package callwatch.aggregator.store;

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
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * This node's write-ahead journal of the batches it acknowledged: a batch is appended and synced
 * before its ack, so that even if every member of the cluster stops at once, nothing acknowledged
 * is lost: at start the node replays its journal into the cache (applying is idempotent). A
 * segment is deleted once every slot in it is in this node's round-robin files. Thread-safe; blocking.
 *
 * <p>Records are framed, so no byte of a batch (a raw newline is legal JSON whitespace) can split
 * one: a 4-byte marker, the payload's length, its CRC-32C, the payload. Reading, a record cut
 * short at the end of a segment (a crash mid-write) is cut off the file and logged; a damaged
 * record elsewhere is skipped (the reader looks for the next marker whose checksum holds),
 * counted and logged. Segments of the older line-per-batch format are still read.
 */
public final class BatchJournal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BatchJournal.class.getName());
  private static final long SEGMENT_BYTES = 64L << 20;
  static final int MAGIC = 0xC0A1_7C4A;
  static final int HEADER_BYTES = 12;
  /** Far above the largest batch an agent may send (Bounds.MAX_AGENT_MESSAGE_BYTES) plus its header. */
  private static final int MAX_RECORD_BYTES = 80 << 20;
  private final Path dir;
  /** Per segment: agent → the newest slot a batch of that agent in it touches. */
  private final TreeMap<Path, Map<String, Long>> segments = new TreeMap<>();
  private FileChannel current;
  private Path currentPath;
  private long currentBytes;
  private long damagedRecords;
  private long tornTails;

  /** One journalled batch; {@code seq} is the cluster's number for it (the agent's seq plus its epoch's base). */
  public record Entry(String agentId, long seq, String host, String version, String batchJson) {}

  public BatchJournal(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.journal")) {
      for (Path p : ds) segments.put(p, new HashMap<>());
    }
  }

  /** The journal's size on disk: what this member still holds of acknowledged batches not yet in its files. */
  public synchronized long bytes() {
    long sum = 0;
    for (Path p : segments.keySet()) {
      try {
        sum += Files.size(p);
      } catch (IOException e) {
        // a segment trimmed meanwhile
      }
    }
    return sum;
  }

  /** Every journalled batch, oldest segment first; torn tails are cut off, damaged records skipped. */
  public synchronized List<Entry> readAllBlocking() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<Path, Map<String, Long>> seg : segments.entrySet()) {
      byte[] bytes = Files.readAllBytes(seg.getKey());
      List<Record> records = bytes.length >= 4 && ByteBuffer.wrap(bytes).getInt() != MAGIC
          ? readLegacy(bytes) : readFramed(seg.getKey(), bytes);
      for (Record r : records) {
        out.add(r.entry);
        seg.getValue().merge(r.entry.agentId(), r.newestSlot, Math::max);
      }
    }
    return out;
  }

  private record Record(Entry entry, long newestSlot) {}

  private List<Record> readFramed(Path file, byte[] bytes) throws IOException {
    List<Record> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < HEADER_BYTES || buf.getInt(pos) != MAGIC) {
        int next = bytes.length - pos < HEADER_BYTES ? -1 : nextValidRecord(bytes, pos + 1);
        if (next < 0) {
          tornTail(file, pos, bytes.length);
          break;
        }
        damaged(file, pos, next);
        pos = next;
        continue;
      }
      int len = buf.getInt(pos + 4);
      int end = pos + HEADER_BYTES + len;
      if (len < 0 || len > MAX_RECORD_BYTES || end > bytes.length || !checksumHolds(bytes, pos)) {
        int next = nextValidRecord(bytes, pos + 1);
        if (next < 0 && (len >= 0 && len <= MAX_RECORD_BYTES && end > bytes.length)) {
          tornTail(file, pos, bytes.length); // the last record, cut short by a crash mid-write
          break;
        }
        if (next < 0) next = bytes.length;
        damaged(file, pos, next);
        pos = next;
        continue;
      }
      Record r = parse(new String(bytes, pos + HEADER_BYTES, len, StandardCharsets.UTF_8));
      if (r == null) damaged(file, pos, end);
      else out.add(r);
      pos = end;
    }
    return out;
  }

  private static boolean checksumHolds(byte[] bytes, int pos) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    int len = buf.getInt(pos + 4);
    if (len < 0 || pos + HEADER_BYTES + len > bytes.length) return false;
    CRC32C crc = new CRC32C();
    crc.update(bytes, pos + HEADER_BYTES, len);
    return (int) crc.getValue() == buf.getInt(pos + 8);
  }

  /** The next position after {@code from} where a whole record with a valid checksum starts, or -1. */
  private static int nextValidRecord(byte[] bytes, int from) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    for (int p = from; p + HEADER_BYTES <= bytes.length; p++) {
      if (buf.getInt(p) == MAGIC && checksumHolds(bytes, p)) return p;
    }
    return -1;
  }

  private void tornTail(Path file, int from, int length) throws IOException {
    tornTails++;
    LOG.warning("journal " + file.getFileName() + ": the last record is incomplete (" + (length - from)
        + " bytes at offset " + from + ", a crash while writing it: it was never acknowledged); cut off");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(from);
      ch.force(true);
    }
  }

  private void damaged(Path file, int from, int to) {
    damagedRecords++;
    LOG.warning("journal " + file.getFileName() + ": damaged record at offset " + from + " (" + (to - from)
        + " bytes) skipped; counted as damagedJournalRecords on /api/health");
  }

  /** Segments written by earlier versions: one record per line (their batches had no raw newline, or they split). */
  private List<Record> readLegacy(byte[] bytes) {
    List<Record> out = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      Record r = parse(line);
      if (r != null) out.add(r);
      else if (!line.isEmpty()) damagedRecords++;
    }
    return out;
  }

  private static Record parse(String payload) {
    String[] f = payload.split("\t", 6);
    if (f.length < 6 || !f[5].endsWith("}")) return null;
    try {
      return new Record(new Entry(f[0], Long.parseLong(f[1]), f[3], f[4], f[5]), Long.parseLong(f[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Appends and syncs; {@code newestSlot} is the newest slot the batch may touch. */
  public synchronized void appendBlocking(String agentId, long seq, long newestSlot, String host, String version, String batchJson)
      throws IOException {
    appendBlocking(agentId, seq, newestSlot, host, version, batchJson, true);
  }

  /**
   * Appends a batch; with {@code force} false it is not yet synced (several batches stored together
   * are synced once, after the last, before any of them is acknowledged).
   */
  public synchronized void appendBlocking(String agentId, long seq, long newestSlot, String host, String version, String batchJson,
                                          boolean force) throws IOException {
    if (current == null || currentBytes > SEGMENT_BYTES) roll();
    // the payload is the labels, then the batch: written as two buffers, so that a backlog's
    // megabytes of batch text are copied once (into bytes), not three times
    byte[] labels = (agentId + '\t' + seq + '\t' + newestSlot + '\t' + host.replace('\t', ' ') + '\t'
        + version.replace('\t', ' ') + '\t').getBytes(StandardCharsets.UTF_8);
    byte[] batch = batchJson.getBytes(StandardCharsets.UTF_8);
    int payloadBytes = labels.length + batch.length;
    CRC32C crc = new CRC32C();
    crc.update(labels);
    crc.update(batch);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES + labels.length);
    header.putInt(MAGIC).putInt(payloadBytes).putInt((int) crc.getValue()).put(labels).flip();
    ByteBuffer[] record = {header, ByteBuffer.wrap(batch)};
    while (record[1].hasRemaining()) current.write(record);
    if (force) current.force(false); // on disk before the ack
    currentBytes += HEADER_BYTES + payloadBytes;
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

  /** Bytes in the journal's segments now (what a restart would replay). */
  public synchronized long bytesBlocking() {
    long total = 0;
    for (Path p : segments.keySet()) {
      try {
        total += Files.size(p);
      } catch (IOException e) {
        // a segment just trimmed: nothing to count
      }
    }
    return total;
  }

  /** Damaged records skipped since this node started. */
  public synchronized long damagedRecords() {
    return damagedRecords;
  }

  /** Records cut short by a crash, cut off since this node started. */
  public synchronized long tornTails() {
    return tornTails;
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

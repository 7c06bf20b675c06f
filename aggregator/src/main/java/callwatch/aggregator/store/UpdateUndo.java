package callwatch.aggregator.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * What one update of a round-robin file overwrites, kept first in a small mapped file beside the
 * files. rrd4j updates a file in place, data source by data source, and its last-update time last:
 * a member killed in the middle leaves the file half updated, and the same slot written again
 * after the restart is then stored a second time and moves the file's history by a row
 * (KilledWhileWritingTest). So each write of an update first appends the bytes it replaces here,
 * and the update ends by emptying the log; at start, a log that is not empty is played backwards
 * into its file, which is then exactly as before that update, and the writer writes the slot again.
 *
 * <p>Stores into a mapped file reach the kernel's page cache at once and in program order, so a
 * killed process leaves the log at least as far as the file. (A machine that loses power loses the
 * pages of both that were not yet on disk; a file that then does not open whole is set aside and
 * rebuilt, see {@link FileRepair}.) One update at a time; thread-safe.
 */
final class UpdateUndo implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(UpdateUndo.class.getName());
  /** An update of one slot keeps a few kilobytes; an update that would keep more fails, and what it wrote is put back. */
  static final int CAPACITY = 1 << 20;
  private static final int MAX_PATH_BYTES = 4096;
  private static final int MAX_KEY_BYTES = 256;
  private static final int COUNT_AT = 0;
  private static final int PATH_LENGTH_AT = 4;
  private static final int PATH_AT = 8;
  private static final int KEY_LENGTH_AT = PATH_AT + MAX_PATH_BYTES;
  private static final int KEY_AT = KEY_LENGTH_AT + 4;
  private static final int ENTRIES_AT = KEY_AT + MAX_KEY_BYTES;
  private final Path where;
  private final FileChannel channel;
  private final MappedByteBuffer log;
  /** The file whose update is being kept; null between updates. */
  private String updating;
  private int entries;
  private int end = ENTRIES_AT;

  private UpdateUndo(Path where, FileChannel channel, MappedByteBuffer log) {
    this.where = where;
    this.channel = channel;
    this.log = log;
  }

  /** Opens the log at {@code file}, first putting back what an update cut short by a kill had overwritten. */
  static UpdateUndo open(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    MappedByteBuffer log = channel.map(FileChannel.MapMode.READ_WRITE, 0, ENTRIES_AT + CAPACITY);
    UpdateUndo undo = new UpdateUndo(file, channel, log);
    try {
      undo.rollBackBlocking();
    } catch (RuntimeException e) {
      // not a log this class wrote whole (a damaged disk block): the member starts all the same
      LOG.warning("the update log " + file + " is damaged (" + e + "): nothing undone; a file may hold one slot twice");
      undo.done();
    }
    return undo;
  }

  /** Puts back what the update under way, or one a kill cut short, has overwritten; then nothing is kept. */
  synchronized void rollBackBlocking() throws IOException {
    int count = log.getInt(COUNT_AT);
    if (count <= 0) return;
    Path file = Path.of(text(PATH_LENGTH_AT, PATH_AT, MAX_PATH_BYTES));
    String key = text(KEY_LENGTH_AT, KEY_AT, MAX_KEY_BYTES);
    boolean whole = count <= CAPACITY / 12;
    long[] offsets = new long[whole ? count : 0];
    int[] positions = new int[offsets.length];
    int[] lengths = new int[offsets.length];
    int at = ENTRIES_AT;
    for (int i = 0; whole && i < count; i++) {
      offsets[i] = log.getLong(at);
      lengths[i] = log.getInt(at + 8);
      positions[i] = at + 12;
      at += 12 + lengths[i];
      whole = offsets[i] >= 0 && lengths[i] >= 0 && at <= ENTRIES_AT + CAPACITY;
    }
    if (!whole) {
      // not a log this class wrote whole (a damaged disk block): the member starts all the same
      LOG.warning("the update log " + where + " is damaged: nothing undone (" + file + " may hold one slot twice)");
    } else if (!Files.exists(file) || !key.equals(fileKey(file))) {
      // replaced since (a peer's copy taken at start, a broken file set aside): nothing of it to undo
      LOG.info(file + ": an update of it was cut short, but the file was replaced since: nothing to undo");
    } else {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        // backwards: where two writes of the update overlap, the older bytes are put back last
        for (int i = count - 1; i >= 0; i--) {
          byte[] old = new byte[lengths[i]];
          log.get(positions[i], old);
          ByteBuffer b = ByteBuffer.wrap(old);
          while (b.hasRemaining()) ch.write(b, offsets[i] + b.position());
        }
        ch.force(false);
      }
      LOG.warning(file + ": an update of this file was cut short (the member was killed, or the write failed, halfway);"
          + " put back as it was before it (" + count + " writes undone); the slot is written again");
    }
    log.putInt(COUNT_AT, 0);
    log.force();
    updating = null;
  }

  private String text(int lengthAt, int at, int max) {
    byte[] b = new byte[Math.max(0, Math.min(log.getInt(lengthAt), max))];
    log.get(at, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private void putText(int lengthAt, int at, int max, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length > max) throw new IllegalArgumentException("longer than " + max + " bytes: " + text);
    log.putInt(lengthAt, b.length);
    log.put(at, b);
  }

  /** The file's identity on disk (device and inode): a file put in its place since has another. */
  static String fileKey(Path file) throws IOException {
    return String.valueOf(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
  }

  /**
   * An update of {@code path}, the file {@code key} ({@link #fileKey}), starts: what it overwrites
   * is kept from now until {@link #done}.
   */
  synchronized void begin(String path, String key) {
    log.putInt(COUNT_AT, 0);
    putText(PATH_LENGTH_AT, PATH_AT, MAX_PATH_BYTES, path);
    putText(KEY_LENGTH_AT, KEY_AT, MAX_KEY_BYTES, key);
    updating = path;
    entries = 0;
    end = ENTRIES_AT;
  }

  /** Whether writes to {@code path} are being kept now (only those of the update under way). */
  synchronized boolean keeps(String path) {
    return path.equals(updating);
  }

  /** Keeps {@code old}, the bytes at {@code offset} that a write is about to replace; the entry counts once it is whole. */
  synchronized void keep(long offset, byte[] old) throws IOException {
    if (end + 12 + old.length > ENTRIES_AT + CAPACITY) {
      throw new IOException("an update of " + updating + " overwrites more than " + CAPACITY + " bytes: not written");
    }
    log.putLong(end, offset);
    log.putInt(end + 8, old.length);
    log.put(end + 12, old);
    end += 12 + old.length;
    log.putInt(COUNT_AT, ++entries);
  }

  /** The update is whole in the file: nothing to put back any more. */
  synchronized void done() {
    log.putInt(COUNT_AT, 0);
    updating = null;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}

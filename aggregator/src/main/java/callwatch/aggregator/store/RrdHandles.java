package callwatch.aggregator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rrd4j.core.RrdDb;

/**
 * Keeps up to {@code capacity} round-robin files open, least recently used first out, so that
 * the writer does not re-open and re-map a file for every update (rrd4j's own RrdDbPool closes a
 * file as soon as its last user lets go). Handles are counted: a file in use is never closed
 * under its user; rrd4j synchronises each RrdDb, so a writer and readers may share one.
 * Thread-safe; blocking.
 */
final class RrdHandles implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<Path, Handle> open = new LinkedHashMap<>(64, 0.75f, true);

  /** One open file and how many callers hold it now. */
  static final class Handle implements AutoCloseable {
    final RrdDb db;
    private final RrdHandles owner;
    private int users;

    private Handle(RrdDb db, RrdHandles owner) {
      this.db = db;
      this.owner = owner;
    }

    @Override
    public void close() {
      owner.release(this);
    }
  }

  /** How files are opened for writing: their updates kept until whole ({@link UpdateUndo}). */
  private final org.rrd4j.core.RrdBackendFactory backends;

  RrdHandles(int capacity, org.rrd4j.core.RrdBackendFactory backends) {
    this.capacity = capacity;
    this.backends = backends;
  }

  /** The bytes of a new file, made only when the file does not exist. */
  interface NewFile {
    byte[] bytes() throws IOException;
  }

  /**
   * Opens (or creates, with {@code newFile}'s bytes, if it does not exist) and holds the file. A
   * file that does not open as a complete file of the layout is refused with {@link BrokenFileException}.
   */
  synchronized Handle acquire(Path path, NewFile newFile) throws IOException {
    Handle h = open.get(path);
    if (h == null) {
      if (newFile != null && !Files.exists(path)) createAtomically(path, newFile.bytes());
      h = new Handle(openChecked(path, backends), this);
      open.put(path, h);
    }
    h.users++;
    evict();
    return h;
  }

  /**
   * Creates the file under a temporary name and renames it when complete: a process killed while
   * creating leaves a {@code .creating} file that is never taken for a round-robin file. Not
   * synced, like the updates that follow (rrd4j syncs a mapped file every 300 s): a machine that
   * crashes before the kernel writes it leaves a file that does not open whole, set aside and
   * rebuilt from a peer and the cache ({@link FileRepair}).
   */
  private static void createAtomically(Path path, byte[] bytes) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".creating");
    Files.deleteIfExists(tmp);
    try {
      Files.write(tmp, bytes);
    } catch (IOException e) {
      Files.deleteIfExists(tmp); // a full disk: the part written would only take the journal's room
      throw e;
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Opens a file and checks that it is one of the layout, whole; never returns a broken one. */
  static RrdDb openChecked(Path path) throws IOException {
    return openChecked(path, org.rrd4j.core.RrdBackendFactory.getDefaultFactory());
  }

  private static RrdDb openChecked(Path path, org.rrd4j.core.RrdBackendFactory backends) throws IOException {
    if (!Files.isRegularFile(path)) throw new IOException(path + " is not a regular file"); // not ours to move aside
    long size = Files.size(path);
    if (size != RrdLayout.FILE_BYTES) {
      throw new BrokenFileException(path, size + " bytes where the layout has " + RrdLayout.FILE_BYTES);
    }
    RrdDb db;
    try {
      db = RrdDb.getBuilder().setBackendFactory(backends).setPath(path.toString()).build();
    } catch (IOException | RuntimeException e) {
      throw new BrokenFileException(path, String.valueOf(e.getMessage() == null ? e : e.getMessage()));
    }
    String problem = RrdLayout.problemWith(db);
    if (problem != null) {
      closeQuietly(db);
      throw new BrokenFileException(path, problem);
    }
    // files made before the heartbeat was raised: a backlog round over a quiet source is zero, not unknown
    for (int i = 0; i < db.getDsCount(); i++) {
      if (db.getDatasource(i).getHeartbeat() < RrdLayout.HEARTBEAT) db.getDatasource(i).setHeartbeat(RrdLayout.HEARTBEAT);
    }
    return db;
  }

  /** Closes the file if open, so it can be moved aside or replaced. */
  synchronized void forget(Path path) {
    Handle h = open.remove(path);
    if (h != null) closeQuietly(h.db);
  }

  /** Closes {@code db}, a file this holds open, so that it is opened anew from disk the next time. */
  synchronized void forget(RrdDb db) {
    open.values().removeIf(h -> h.db == db);
    closeQuietly(db);
  }

  synchronized int openFiles() {
    return open.size();
  }

  private synchronized void release(Handle h) {
    h.users--;
    evict();
  }

  private void evict() {
    Iterator<Map.Entry<Path, Handle>> it = open.entrySet().iterator();
    while (open.size() > capacity && it.hasNext()) {
      Handle h = it.next().getValue();
      if (h.users == 0) {
        closeQuietly(h.db);
        it.remove();
      }
    }
  }

  @Override
  public synchronized void close() {
    for (Handle h : open.values()) closeQuietly(h.db);
    open.clear();
  }

  private static void closeQuietly(RrdDb db) {
    try {
      db.close();
    } catch (IOException e) {
      // the file was synced on every update by the NIO backend's own schedule; nothing to do here
    }
  }
}

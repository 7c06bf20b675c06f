package callwatch.aggregator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.RrdDef;

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

  RrdHandles(int capacity) {
    this.capacity = capacity;
  }

  /** Opens (or creates, with {@code def}, if it does not exist) and holds the file. */
  synchronized Handle acquire(Path path, Supplier<RrdDef> def) throws IOException {
    Handle h = open.get(path);
    if (h == null) {
      RrdDb db = def != null && !Files.exists(path)
          ? RrdDb.getBuilder().setRrdDef(def.get()).build()
          : RrdDb.getBuilder().setPath(path.toString()).build();
      h = new Handle(db, this);
      open.put(path, h);
    }
    h.users++;
    evict();
    return h;
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

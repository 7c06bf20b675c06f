package callwatch.aggregator.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * A whole copy of one of the cluster's small maps of JSON text (the alerts, the incident journal)
 * on this member's disk, so that they outlive a restart of every member: every change anywhere in
 * the cluster is written here (one file, replaced atomically, mode 0600), and at start what the
 * file holds goes back into the map where the map has less of it ({@code progress}: the number
 * of an incident's entries, of an alert's transitions — a copy that has seen less never replaces
 * a newer one).
 */
public final class MapMirror {
  private static final Logger LOG = Logger.getLogger(MapMirror.class.getName());
  private final IMap<String, String> map;
  private final Path file;
  private final ToLongFunction<String> progress;
  private final Map<String, String> copy = new ConcurrentHashMap<>();
  private final java.util.concurrent.ScheduledExecutorService saver;
  /** A copy the disk refused (full, say) is written again this long after, until it is written. */
  static final long RETRY_SECONDS = 5;
  private long lastWarnedMillis;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private boolean following;

  public MapMirror(IMap<String, String> map, Path file, ToLongFunction<String> progress) {
    this.map = map;
    this.file = file;
    this.progress = progress;
    this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "callwatch-mirror-" + map.getName());
      t.setDaemon(true);
      return t;
    });
  }

  /** What this member's file holds (read once at start). */
  public Map<String, String> savedBlocking() throws IOException {
    Map<String, String> saved = new java.util.HashMap<>();
    if (Files.exists(file)) new JsonObject(Files.readString(file)).forEach(e -> saved.put(e.getKey(), String.valueOf(e.getValue())));
    return saved;
  }

  /**
   * Puts back what the file holds where the map has less of it, then follows the map's changes.
   * Needs the map writable (its majority, for a protected map): throws otherwise, and may be
   * called again.
   */
  public synchronized void restoreAndFollowBlocking() throws IOException {
    if (following) return;
    Map<String, String> saved = savedBlocking();
    int restored = 0;
    for (Map.Entry<String, String> e : saved.entrySet()) {
      String current = map.putIfAbsent(e.getKey(), e.getValue());
      if (current == null) {
        restored++;
      } else if (progress.applyAsLong(current) < progress.applyAsLong(e.getValue()) && map.replace(e.getKey(), current, e.getValue())) {
        restored++;
      }
    }
    if (restored > 0) LOG.info(map.getName() + ": " + restored + " entries put back from " + file);
    map.addEntryListener((EntryAddedListener<String, String>) ev -> changed(ev.getKey(), ev.getValue()), true);
    map.addEntryListener((EntryUpdatedListener<String, String>) ev -> changed(ev.getKey(), ev.getValue()), true);
    map.addEntryListener((EntryRemovedListener<String, String>) ev -> changed(ev.getKey(), null), false);
    map.addEntryListener((EntryExpiredListener<String, String>) ev -> changed(ev.getKey(), null), false);
    copy.putAll(saved);
    map.forEach(copy::put);
    save();
    following = true;
  }

  private void changed(String key, String value) {
    if (value == null) copy.remove(key);
    else copy.put(key, value);
    if (dirty.compareAndSet(false, true)) saver.execute(this::save);
  }

  /** Writes the whole copy: a few hundred kilobytes at most, and changes come seconds apart. */
  private void save() {
    dirty.set(false);
    try {
      JsonObject o = new JsonObject();
      copy.forEach(o::put);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(tmp, o.encode());
      } catch (IOException full) {
        Files.deleteIfExists(tmp); // its part would only take the room the next try needs
        throw full;
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // tried again until it is written: with no later change, a restart would otherwise lose what the disk refused
      long now = System.currentTimeMillis();
      if (now - lastWarnedMillis >= 60_000) {
        lastWarnedMillis = now;
        LOG.warning("cannot keep the copy of " + map.getName() + " in " + file + " (tried again every " + RETRY_SECONDS + " s): " + e);
      }
      if (dirty.compareAndSet(false, true)) saver.schedule(this::save, RETRY_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  public void close() {
    saver.shutdown();
  }
}

package callwatch.aggregator.store;

import callwatch.common.model.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rrd4j.ConsolFun;
import org.rrd4j.core.FetchData;
import org.rrd4j.core.FetchRequest;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.Sample;

/**
 * The node's round-robin files, one per {@link Source}, kept open in a bounded {@link RrdHandles}.
 * Blocking: writes come from the node's single RRD writer thread (so each file sees its updates
 * in time order), reads from a worker pool (rrd4j synchronises each file).
 *
 * <p>Row {@code slot + STEP} holds slot {@code slot}. Writing is idempotent: a row at or before a
 * file's last update is skipped, so a writer that crashed halfway simply writes the round again.
 * That holds because an update a crash cut short is undone when the repository opens
 * ({@link UpdateUndo}): rrd4j sets a file's last update after its rows, so a half-done update
 * would otherwise be done a second time on top.
 */
public final class RrdRepository implements AutoCloseable {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RrdRepository.class.getName());
  private static final double[] ZEROS = new double[Metrics.SIZE];
  private final Path root;
  private final RrdHandles handles;
  private final UpdateUndo undo;
  private final EmptyFiles emptyFiles = new EmptyFiles();
  private final int maxSourcesPerAgent;
  private final long diskReserveBytes;
  private final Map<String, Set<Source>> byAgent = new ConcurrentHashMap<>();
  private final AtomicLong refusedSources = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();

  /** @param diskReserveBytes free space a new file must leave on the disk (the journal's room) */
  public RrdRepository(Path root, int maxSourcesPerAgent, long diskReserveBytes, int openFiles) throws IOException {
    this.root = root;
    this.maxSourcesPerAgent = maxSourcesPerAgent;
    this.diskReserveBytes = diskReserveBytes;
    Files.createDirectories(root);
    // before any file is opened: a file whose update a kill cut short is put back as it was
    this.undo = UpdateUndo.open(root.resolveSibling(root.getFileName() + "-update.undo"));
    this.handles = new RrdHandles(openFiles, new UndoableNioBackend.Factory(undo));
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".rrd") && root.relativize(p).getNameCount() == 4)::iterator) {
        Source s = Source.of(root, p);
        if (s == null) {
          LOG.warning("round-robin file " + p + " has a shortened name and no labels beside it: left alone");
          continue;
        }
        byAgent.computeIfAbsent(s.agent(), a -> ConcurrentHashMap.newKeySet()).add(s);
      }
    }
  }

  public Path root() {
    return root;
  }

  public Set<Source> sources(String agent) {
    return byAgent.getOrDefault(agent, Set.of());
  }

  public List<Source> allSources() {
    List<Source> out = new ArrayList<>();
    byAgent.values().forEach(out::addAll);
    return out;
  }

  /** Sources refused because their agent already had {@code maxSourcesPerAgent} files. */
  public long refusedSources() {
    return refusedSources.get();
  }

  public long updates() {
    return updates.get();
  }

  public int openFiles() {
    return handles.openFiles();
  }

  /**
   * Writes the counts of {@code slot} into the source's file, creating it if new; returns false if
   * the source was refused (too many per agent: a bad config must not create millions of files).
   */
  public boolean writeBlocking(Source s, long slot, long[] v) throws IOException {
    Set<Source> known = byAgent.computeIfAbsent(s.agent(), a -> ConcurrentHashMap.newKeySet());
    long row = slot + RrdLayout.STEP;
    if (!known.contains(s)) {
      if (known.size() >= maxSourcesPerAgent) {
        if (refusedSources.getAndIncrement() % 1000 == 0) {
          LOG.warning("agent " + s.agent() + " has " + known.size() + " round-robin files, the cap (maxSourcesPerAgent):"
              + " refusing new ones such as " + s + " (counted as refusedSources on /api/agents); check its config");
        }
        return false;
      }
      checkRoomForNewFile();
      Path p = s.path(root);
      Files.createDirectories(p.getParent());
      if (s.hashed()) {
        // the labels first: a file whose name cannot be read back is never without them
        Path labels = s.labelsPath(root);
        Path tmp = labels.resolveSibling(labels.getFileName() + ".tmp");
        Files.writeString(tmp, s.labelsJson());
        Files.move(tmp, labels, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      // created with its last update at the slot's start, so the first row written is this slot
      handles.acquire(p, () -> emptyFiles.startingAt(slot)).close();
      known.add(s);
    }
    try (RrdHandles.Handle h = open(s)) {
      RrdDb db = h.db;
      long last = db.getLastUpdateTime();
      if (row <= last) return true;
      if (last < slot) store(db, slot, ZEROS); // rows before it: zero, or unknown past the heartbeat
      double[] d = new double[Metrics.SIZE];
      for (int i = 0; i < d.length; i++) d[i] = v[i];
      store(db, row, d);
    }
    return true;
  }

  /**
   * Refuses a new file that would leave less than the reserve free: the source is then unwritable
   * for now (its slots wait in the cache, it is tried again, and written from the cache once there is room).
   */
  public void checkRoomForNewFile() throws IOException {
    if (diskReserveBytes <= 0) return;
    long free = Files.getFileStore(root).getUsableSpace();
    if (free - RrdLayout.FILE_BYTES < diskReserveBytes) {
      throw new IOException("the data disk has " + (free >> 20) + " MiB free: a new round-robin file (" + (RrdLayout.FILE_BYTES >> 10)
          + " KiB) would leave less than diskReserveMiB (" + (diskReserveBytes >> 20) + "), the journal's room");
    }
  }

  /**
   * Moves the file on to the end of slot {@code closedBefore - STEP} with no calls, so that coarse
   * rows complete on time even for a source that is quiet; one update covers a gap of any length.
   */
  public void advanceBlocking(Source s, long closedBefore) throws IOException {
    try (RrdHandles.Handle h = open(s)) {
      if (h.db.getLastUpdateTime() < closedBefore) store(h.db, closedBefore, ZEROS);
    }
  }

  public long lastUpdateBlocking(Source s) throws IOException {
    try (RrdHandles.Handle h = open(s)) {
      return h.db.getLastUpdateTime();
    }
  }

  /** Rows of {@code cf} at {@code resolution} whose slots start in [from, to): bucket start → vector. */
  public FetchData fetchBlocking(Source s, ConsolFun cf, long from, long to, long resolution) throws IOException {
    try (RrdHandles.Handle h = open(s)) {
      FetchRequest req = h.db.createFetchRequest(cf, from + resolution, to, resolution);
      return req.fetchData();
    }
  }

  /** Moves a broken file aside (as {@code .broken}, the newest one kept) so that a whole one can take its place. */
  public void setAsideBlocking(Source s) throws IOException {
    Path p = s.path(root);
    handles.forget(p);
    if (Files.exists(p)) Files.move(p, p.resolveSibling(p.getFileName() + ".broken"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Set<Source> known = byAgent.get(s.agent());
    if (known != null) known.remove(s);
  }

  /** Puts a peer's copy where the file is missing, if the copy is whole; returns whether it was taken. */
  public boolean installCopyBlocking(Source s, byte[] bytes) throws IOException {
    Path p = s.path(root);
    Path part = p.resolveSibling(p.getFileName() + ".part"); // removed at start if a crash leaves it
    Files.write(part, bytes);
    try {
      RrdHandles.openChecked(part).close();
    } catch (BrokenFileException e) {
      Files.delete(part);
      return false;
    }
    Files.move(part, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    byAgent.computeIfAbsent(s.agent(), a -> ConcurrentHashMap.newKeySet()).add(s);
    return true;
  }

  public boolean hasFile(Source s) {
    return sources(s.agent()).contains(s);
  }

  private void store(RrdDb db, long time, double[] values) throws IOException {
    Sample sample = db.createSample(time);
    sample.setValues(values);
    ((UndoableNioBackend) db.getRrdBackend()).beginUpdate();
    try {
      sample.update();
    } catch (IOException | RuntimeException e) {
      // an update that failed halfway is undone as a kill's would be: closed first (rrd4j keeps
      // values it read in memory), then put back from the log, so the slot can be written again
      handles.forget(db);
      undo.rollBackBlocking();
      throw e;
    }
    undo.done();
    updates.incrementAndGet();
  }

  private RrdHandles.Handle open(Source s) throws IOException {
    return handles.acquire(s.path(root), null);
  }

  @Override
  public void close() {
    handles.close();
    try {
      undo.close();
    } catch (IOException e) {
      LOG.warning("cannot close the update log: " + e.getMessage());
    }
  }
}

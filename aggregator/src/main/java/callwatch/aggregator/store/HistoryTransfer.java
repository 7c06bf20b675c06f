package callwatch.aggregator.store;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * History beyond the replicated cache's window, copied between members over the clustered event
 * bus: a member that comes back after longer than the window, or a new member, or one whose disk
 * was lost, takes every round-robin file from a complete peer before it opens its own, so it serves
 * the whole history from its first request (see docs/architecture.md).
 *
 * <p>Consistency: the peer lists its files and its written marks on its single RRD writer thread,
 * so every file already holds every slot below the marks; each file is read on that thread too,
 * so it is never read half-written. A file may hold rows past the mark: the receiver's writer goes
 * on from the mark and skips rows a file already has.
 */
public final class HistoryTransfer {
  public static final String MANIFEST = "callwatch.history.manifest";
  private static final String FILE = "callwatch.history.file.";
  private static final Logger LOG = Logger.getLogger(HistoryTransfer.class.getName());
  private static final long TIMEOUT_MS = 120_000;

  private HistoryTransfer() {}

  /**
   * Answers peers' requests for history. Called once this member is complete, so a member that is
   * itself catching up never hands out a partial history.
   */
  public static void serve(Vertx vertx, String memberId, RrdRepository repo, SlotWriter writer, WorkerExecutor rrdWriter) {
    String fileAddress = FILE + memberId;
    vertx.eventBus().<JsonObject>consumer(MANIFEST, msg -> rrdWriter.executeBlocking(() -> {
      JsonArray files = new JsonArray();
      for (Source s : repo.allSources()) {
        if (s.hashed()) files.add(repo.root().relativize(s.labelsPath(repo.root())).toString()); // before its file
        files.add(repo.root().relativize(s.path(repo.root())).toString());
      }
      return writer.stateJson().put("files", files).put("fileAddress", fileAddress);
    }).onComplete(ar -> reply(msg, ar.succeeded() ? ar.result() : null, ar.cause())));
    vertx.eventBus().<String>consumer(fileAddress, msg -> rrdWriter.executeBlocking(() -> {
      Path p = inside(repo.root(), msg.body());
      return Buffer.buffer(Files.readAllBytes(p));
    }).onComplete(ar -> reply(msg, ar.succeeded() ? ar.result() : null, ar.cause())));
  }

  private static void reply(Message<?> msg, Object body, Throwable err) {
    if (err == null) msg.reply(body);
    else msg.fail(500, String.valueOf(err.getMessage()));
  }

  /** A relative path from a peer, refused unless it names a round-robin file under {@code root}. */
  static Path inside(Path root, String relative) {
    Path p = root.resolve(relative).normalize();
    if (!p.startsWith(root) || !(p.toString().endsWith(".rrd") || p.toString().endsWith(".labels")) || root.relativize(p).getNameCount() != 4) {
      throw new IllegalArgumentException("not a round-robin file of this node: " + relative);
    }
    return p;
  }

  /**
   * Whether this member must take the history from a peer: it has no written state (new, or its
   * disk was lost), or it was last written longer ago than the cache keeps slots.
   */
  public static boolean neededBlocking(Path stateFile, long cacheWindowSeconds) throws IOException {
    try {
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(stateFile).toMillis();
      return age > (cacheWindowSeconds - 600) * 1000L;
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /**
   * Copies every round-robin file and the written marks from a complete peer into this member's
   * data directory; blocking, before the repository is opened. Returns the files copied, or -1 if
   * no complete peer answered (then this member starts with what it has, and says so). Refuses,
   * before copying anything, a history that would leave less than {@code diskReserveBytes} free:
   * the journal's room, without which the member could acknowledge no batch.
   */
  public static int catchUpBlocking(Vertx vertx, Path rrdRoot, Path stateFile, long diskReserveBytes) throws Exception {
    JsonObject manifest;
    try {
      manifest = vertx.eventBus().<JsonObject>request(MANIFEST, new JsonObject(), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
          .toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).body();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
        LOG.info("history: no other member is serving yet (a new cluster, or all members starting together): this member starts with its own files");
        return -1;
      }
      throw e;
    }
    JsonArray files = manifest.getJsonArray("files");
    String address = manifest.getString("fileAddress");
    Files.createDirectories(rrdRoot);
    checkRoom(rrdRoot, files, diskReserveBytes);
    LOG.info("taking " + files.size() + " round-robin files from a peer before serving");
    for (Object o : files) {
      String relative = (String) o;
      Buffer bytes = vertx.eventBus().<Buffer>request(address, relative, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
          .toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).body();
      Path target = inside(rrdRoot, relative);
      Files.createDirectories(target.getParent());
      Path part = target.resolveSibling(target.getFileName() + ".part");
      Files.write(part, bytes.getBytes());
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    manifest.remove("files");
    manifest.remove("fileAddress");
    SlotWriter.adoptStateBlocking(stateFile, manifest);
    return files.size();
  }

  /** This member's data disk cannot hold the peers' history and the reserve: starting again will not help. */
  public static final class NoRoomForHistory extends IOException {
    NoRoomForHistory(String message) {
      super(message);
    }
  }

  private static void checkRoom(Path rrdRoot, JsonArray files, long diskReserveBytes) throws IOException {
    long needed = bytesToTake(rrdRoot, files);
    long free = Files.getFileStore(rrdRoot).getUsableSpace();
    if (free - needed < diskReserveBytes) {
      throw new NoRoomForHistory("history: the peers' " + files.size() + " round-robin files need " + (needed >> 20) + " MiB more on "
          + rrdRoot + ", which has " + (free >> 20) + " MiB free, and diskReserveMiB keeps " + (diskReserveBytes >> 20)
          + " MiB for the journal: give this member a larger data disk (docs/performance.md, disk per member)");
    }
  }

  /**
   * What copying {@code files} adds on this disk: each file not here yet at the layout's size (its
   * labels file at a block), and one file more for the copy in flight beside the one it replaces.
   */
  static long bytesToTake(Path rrdRoot, JsonArray files) {
    long bytes = RrdLayout.FILE_BYTES;
    for (Object o : files) {
      String relative = (String) o;
      if (Files.exists(rrdRoot.resolve(relative))) continue;
      bytes += relative.endsWith(".rrd") ? RrdLayout.FILE_BYTES : 4096;
    }
    return bytes;
  }

  /**
   * One file from the first peer that has a whole copy (a broken file of ours is rebuilt from it);
   * null if none answers with one. Asks each other member directly, never this one.
   */
  public static byte[] fetchFromPeersBlocking(Vertx vertx, com.hazelcast.core.HazelcastInstance hz, String relative) {
    for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
      if (m.localMember()) continue;
      try {
        return vertx.eventBus().<Buffer>request(FILE + m.getUuid(), relative, new DeliveryOptions().setSendTimeout(30_000))
            .toCompletionStage().toCompletableFuture().get(31, TimeUnit.SECONDS).body().getBytes();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        // this peer has no such file, or is not complete yet: ask the next
      }
    }
    return null;
  }

  /** Round-robin files left half-copied by a crash during a catch-up. */
  public static void removePartsBlocking(Path rrdRoot) throws IOException {
    if (!Files.isDirectory(rrdRoot)) return;
    try (Stream<Path> walk = Files.walk(rrdRoot)) {
      for (Path p : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".rrd.part"))::iterator) Files.deleteIfExists(p);
    }
  }
}

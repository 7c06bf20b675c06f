package callwatch.aggregator.ingest;

import callwatch.aggregator.store.BatchJournal;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a copy of every batch a member is about to acknowledge into one other member's journal.
 *
 * <p>Why: the cache's synchronous backups are not enough when two members die within a second.
 * A replica promoted during the first one's migrations was seen to lack batches the second had
 * acknowledged ({@code TwoMembersKilledTest}), and the second's own journal left with it. With a
 * copy on a peer's disk, an acknowledged batch is on two members' disks; every member replays its
 * whole journal (copies included) into the cache when a member leaves and when it starts, and the
 * cache entries' sets of applied batches keep that exactly once.
 */
public final class JournalCopies {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(JournalCopies.class.getName());
  private static final String ADDRESS = "callwatch.journal.copy.";
  /** A peer that does not answer in this time is taken for gone: the next one is asked. */
  private static final long PEER_TIMEOUT_MS = 5_000;
  private final Vertx vertx;
  private final HazelcastInstance hz;

  /** One journal record to copy. */
  public record Copy(String agentId, long seq, long newestSlot, String host, String version, String batchJson) {}

  /** Encodes the copies off the event loop: a backlog's group of batches is megabytes of text. */
  private final WorkerExecutor pool;

  /**
   * Set once a peer has taken a copy. From then on, no serving peer is no longer "the cluster is
   * starting": it is a peer restarting, or the event bus's record of the peers went missing while
   * members died — and a batch acknowledged then would be on this member's disk only. The copy
   * fails instead and the agent sends again.
   */
  private volatile boolean peerServed;

  public JournalCopies(Vertx vertx, HazelcastInstance hz, WorkerExecutor pool) {
    this.vertx = vertx;
    this.hz = hz;
    this.pool = pool;
  }

  /** The event-bus address where the member {@code memberId} takes peers' copies. */
  public static String address(String memberId) {
    return ADDRESS + memberId;
  }

  /** Takes peers' copies into this member's journal, synced before the answer. */
  public static io.vertx.core.eventbus.MessageConsumer<Buffer> serve(Vertx vertx, String memberId, BatchJournal journal,
                                                                      WorkerExecutor pool) {
    return vertx.eventBus().<Buffer>consumer(ADDRESS + memberId, msg -> pool.executeBlocking(() -> {
      JsonArray records = new JsonArray(msg.body());
      for (int i = 0; i < records.size(); i++) {
        JsonObject r = records.getJsonObject(i);
        journal.appendBlocking(r.getString("agent"), r.getLong("seq"), r.getLong("newestSlot"), r.getString("host"),
            r.getString("version"), r.getString("batch"), i == records.size() - 1);
      }
      return records.size();
    }, false).onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else msg.fail(500, String.valueOf(ar.cause().getMessage()));
    }));
  }

  /**
   * Copies the records to the first peer that takes them. Succeeded at once when this member is
   * alone (a cluster of one has no other disk), and when no other member has served copies yet
   * (they are all starting: their journals are not ready, and the batches stay as safe as the
   * cache's backups and this journal make them). Fails otherwise when no peer took them: the
   * batches are then not acknowledged, and the agent sends them again.
   */
  public Future<Void> copy(List<Copy> copies) {
    List<String> peers = peers();
    if (peers.isEmpty() || copies.isEmpty()) return Future.succeededFuture();
    return pool.executeBlocking(() -> {
      JsonArray records = new JsonArray();
      for (Copy c : copies) {
        records.add(new JsonObject().put("agent", c.agentId()).put("seq", c.seq()).put("newestSlot", c.newestSlot())
            .put("host", c.host()).put("version", c.version()).put("batch", c.batchJson()));
      }
      return records.toBuffer();
    }, false).compose(records -> tryPeers(peers, records, System.currentTimeMillis()));
  }

  /**
   * Asks the peers in turn; when none of them has a handler yet, asks them again a moment later,
   * until {@link #PEER_TIMEOUT_MS} after the first try. Why: a member that has just rejoined
   * registers its address on the event bus a moment after it joins the cluster, and meanwhile
   * every batch of every agent would be refused (the agents reconnect and send again; seen in
   * {@code BrokenFileTest}). A peer that does not answer is not asked again: that is a peer gone.
   */
  private Future<Void> tryPeers(List<String> peers, Buffer records, long firstTry) {
    return tryPeer(peers, 0, records, true, true).recover(err -> {
      if (!(err instanceof NoHandlerYet) || System.currentTimeMillis() - firstTry >= PEER_TIMEOUT_MS) {
        return Future.failedFuture(err.getMessage());
      }
      io.vertx.core.Promise<Void> again = io.vertx.core.Promise.promise();
      vertx.setTimer(NO_HANDLER_RETRY_MS, t -> tryPeers(peers, records, firstTry).onComplete(again));
      return again.future();
    });
  }

  private static final long NO_HANDLER_RETRY_MS = 200;

  /** No peer has a handler for copies, although one has served before: a peer rejoining. */
  private static final class NoHandlerYet extends RuntimeException {
    NoHandlerYet(String message) {
      super(message, null, false, false);
    }
  }

  private static final callwatch.common.log.LogLimiter UNCOPIED = new callwatch.common.log.LogLimiter(60_000);

  private Future<Void> tryPeer(List<String> peers, int i, Buffer records, boolean noneServing, boolean noHandlers) {
    return vertx.eventBus().request(ADDRESS + peers.get(i), records, new DeliveryOptions().setSendTimeout(PEER_TIMEOUT_MS))
        .<Void>map(reply -> {
          peerServed = true;
          return null;
        })
        .recover(err -> {
          boolean noHandler = err instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
          boolean stillNoneServing = noneServing && !peerServed && noHandler;
          boolean stillNoHandlers = noHandlers && noHandler;
          if (i + 1 < peers.size()) return tryPeer(peers, i + 1, records, stillNoneServing, stillNoHandlers);
          if (stillNoneServing) {
            long held = UNCOPIED.allow("starting", System.currentTimeMillis());
            if (held >= 0) LOG.info("no other member serves journal copies yet (starting): batches are acknowledged with this"
                + " member's journal and the cache's backups only" + callwatch.common.log.LogLimiter.heldBack(held));
            return Future.succeededFuture();
          }
          String message = "no other member took a copy of the batch (" + err.getMessage() + ")";
          return Future.failedFuture(stillNoHandlers ? new NoHandlerYet(message) : new IllegalStateException(message));
        });
  }

  /** The other members, the one after this member (by id) first: each member copies to a different one. */
  private List<String> peers() {
    String self = hz.getCluster().getLocalMember().getUuid().toString();
    List<String> ids = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) ids.add(m.getUuid().toString());
    return peersAfter(self, ids);
  }

  /** {@code ids} without {@code self}, in id order starting after it. Pure, for tests. */
  static List<String> peersAfter(String self, List<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    sorted.remove(self);
    sorted.sort(null);
    List<String> out = new ArrayList<>();
    for (String id : sorted) if (id.compareTo(self) > 0) out.add(id);
    for (String id : sorted) if (id.compareTo(self) < 0) out.add(id);
    return out;
  }
}

package callwatch.agent;

import callwatch.agent.config.AgentConfig;
import callwatch.agent.ship.Shipper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Runs one agent: the {@link AgentPipeline} on a single dedicated worker thread (file reads,
 * parsing, spool and checkpoint writes never touch the event loop) and the {@link Shipper} on the
 * event loop.
 *
 * <p>The worker works in turns. A turn clears the batches the aggregator acknowledged, re-lists
 * the globs when that is due, reads what is new and, once caught up (or when the batch is full or
 * the flush period has passed), cuts a batch. While there is a backlog, turns follow each other;
 * once caught up, the next turn comes one flush period later. So an agent at rest wakes its worker
 * once a second, and a line waits at most one flush period before it is in a batch: reading more
 * often would only cost CPU on every server, since the batch goes out once a second anyway.
 */
public final class AgentVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AgentVerticle.class.getName());

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }
  /** Bytes read per turn: small enough that batch cuts interleave with a large backlog. */
  private static final long READ_BUDGET = 8L << 20;

  private final AgentConfig cfg;
  /** The highest batch the aggregator acknowledged; the next turn removes it from the spool. */
  private final AtomicLong ackedUpTo = new AtomicLong();
  private WorkerExecutor io;
  private AgentPipeline pipeline;
  private Shipper shipper;
  private boolean stopping;
  private long turnTimer = -1;
  private long lastSpoolWarningNanos;
  // touched by the worker thread only
  private long lastScanNanos, lastCutNanos, removedUpTo;

  public AgentVerticle(AgentConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public Future<?> start() {
    for (java.net.URI u : cfg.aggregators()) {
      if ("ws".equals(u.getScheme()) && !isLoopback(u.getHost())) {
        LOG.warning("aggregator " + u + " is reached over ws://: this agent's credential crosses the network unencrypted; use wss://");
      }
    }
    io = vertx.createSharedWorkerExecutor("callwatch-agent-io-" + cfg.agentId(), 1, 60, TimeUnit.SECONDS);
    return io.executeBlocking(() -> AgentPipeline.openBlocking(cfg)).map(p -> {
      pipeline = p;
      callwatch.agent.spool.SendGate gate = new callwatch.agent.spool.SendGate(p.spooledNewest());
      p.gate(gate);
      shipper = new Shipper(vertx, cfg.agentId(), cfg.secret(), cfg.host(), p.epoch(), cfg.aggregators(), cfg.trustPem(),
          cfg.reconnectMin().toMillis(), cfg.reconnectMax().toMillis(), p.spooledNewest(),
          Shipper.access(seq -> io.executeBlocking(() -> pipeline.readSpooledBlocking(seq)), seq -> {
            ackedUpTo.accumulateAndGet(seq, Math::max);
            return Future.succeededFuture();
          }),
          pipeline.reconnects::incrementAndGet, gate);
      shipper.start();
      turn();
      return p;
    });
  }

  /** What a turn did: whether it caught up with the files, and the batch it cut, if any. */
  private record Turn(boolean caughtUp, AgentPipeline.Spooled cut, Exception cutFailure) {}

  private void turn() {
    turnTimer = -1;
    if (stopping) return;
    io.executeBlocking(this::turnBlocking).onComplete(ar -> {
      if (ar.failed()) LOG.warning("an agent turn failed: " + ar.cause());
      Turn t = ar.succeeded() ? ar.result() : new Turn(true, null, null);
      handOn(t);
      if (stopping) return;
      if (t.caughtUp()) turnTimer = vertx.setTimer(cfg.flushEvery().toMillis(), id -> turn());
      else vertx.runOnContext(v -> turn());
    });
  }

  private Turn turnBlocking() {
    long now = System.nanoTime();
    removeAckedBlocking();
    if (now - lastScanNanos >= cfg.scanEvery().toNanos() || lastScanNanos == 0) {
      lastScanNanos = now;
      try {
        pipeline.scanBlocking();
      } catch (IOException e) {
        LOG.warning("scanning the log files failed: " + e);
      }
    }
    long read = 0;
    try {
      read = pipeline.readBlocking(READ_BUDGET);
    } catch (IOException e) {
      LOG.warning("reading the log files failed: " + e);
    }
    boolean full = pipeline.full();
    boolean caughtUp = read < READ_BUDGET && !full;
    if (!(full || caughtUp || now - lastCutNanos >= cfg.flushEvery().toNanos())) return new Turn(false, null, null);
    return cutBlocking(caughtUp);
  }

  private void removeAckedBlocking() {
    long acked = ackedUpTo.get();
    if (acked <= removedUpTo) return;
    try {
      pipeline.ackedBlocking(acked);
      removedUpTo = acked;
    } catch (IOException e) {
      LOG.warning("cannot clear the spool: " + e);
    }
  }

  private Turn cutBlocking(boolean caughtUp) {
    lastCutNanos = System.nanoTime();
    try {
      return new Turn(caughtUp, pipeline.cutBatchBlocking(), null);
    } catch (IOException e) {
      return new Turn(true, null, e); // the batch is kept and retried next turn; reading pauses meanwhile
    }
  }

  private void handOn(Turn t) {
    if (t.cut() != null) shipper.offer(t.cut().seq(), t.cut().json());
    else shipper.poke(); // a batch held back for a merge that did not happen may go
    if (t.cutFailure() != null) {
      // retried every turn while it fails (a full disk): say so once a minute, not every second
      long now = System.nanoTime();
      if (now - lastSpoolWarningNanos >= 60_000_000_000L || lastSpoolWarningNanos == 0) {
        lastSpoolWarningNanos = now;
        LOG.warning("cannot spool a batch (it is kept and retried; reading pauses): " + t.cutFailure());
      }
    }
  }

  public AgentPipeline pipeline() {
    return pipeline;
  }

  public Shipper shipper() {
    return shipper;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (turnTimer >= 0) vertx.cancelTimer(turnTimer);
    // a graceful stop spools what was read, so nothing waits for a re-read after the restart
    return io.executeBlocking(() -> cutBlocking(true)).map(t -> {
          handOn(t);
          return (Void) null;
        }).recover(err -> Future.succeededFuture())
        .compose(v -> shipper.stop()).recover(err -> Future.succeededFuture())
        .compose(v -> io.close());
  }
}

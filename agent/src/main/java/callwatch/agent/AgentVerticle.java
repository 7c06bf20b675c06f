package callwatch.agent;

import callwatch.agent.config.AgentConfig;
import callwatch.agent.ship.Shipper;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs one agent: the {@link AgentPipeline} on a single dedicated worker thread (file reads,
 * parsing, spool and checkpoint writes never touch the event loop) and the {@link Shipper} on the
 * event loop. Timers drive it: scan for files, read what is new, cut a batch every flush period.
 */
public final class AgentVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AgentVerticle.class.getName());
  /** Bytes read per worker task: small enough that batch cuts interleave with a large backlog. */
  private static final long READ_BUDGET = 8L << 20;
  /**
   * Pause between reads once caught up. Lines wait for the next batch (once a second) anyway, so
   * reading more often buys little latency and costs CPU on every server.
   */
  private static final long IDLE_READ_MS = 250;
  private long lastSpoolWarningNanos;

  private final AgentConfig cfg;
  private WorkerExecutor io;
  private AgentPipeline pipeline;
  private Shipper shipper;
  private boolean stopping;
  private long scanTimer, cutTimer;

  public AgentVerticle(AgentConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public Future<?> start() {
    io = vertx.createSharedWorkerExecutor("callwatch-agent-io-" + cfg.agentId(), 1, 60, TimeUnit.SECONDS);
    return io.executeBlocking(() -> AgentPipeline.openBlocking(cfg)).map(p -> {
      pipeline = p;
      shipper = new Shipper(vertx, cfg.agentId(), cfg.secret(), cfg.host(), cfg.aggregators(), cfg.trustPem(),
          cfg.reconnectMin().toMillis(), cfg.reconnectMax().toMillis(), p.spooledNewest(),
          Shipper.access(seq -> io.executeBlocking(() -> pipeline.readSpooledBlocking(seq)),
              seq -> io.executeBlocking(() -> {
                pipeline.ackedBlocking(seq);
                return null;
              })),
          pipeline.reconnects::incrementAndGet);
      shipper.start();
      scan();
      scanTimer = vertx.setPeriodic(cfg.scanEvery().toMillis(), id -> scan());
      cutTimer = vertx.setPeriodic(cfg.flushEvery().toMillis(), id -> cut());
      read();
      return p;
    });
  }

  private void scan() {
    io.executeBlocking(() -> {
      pipeline.scanBlocking();
      return null;
    }).onFailure(err -> LOG.warning("scanning the log files failed: " + err));
  }

  private void read() {
    if (stopping) return;
    io.executeBlocking(() -> pipeline.readBlocking(READ_BUDGET)).onComplete(ar -> {
      if (ar.failed()) LOG.warning("reading the log files failed: " + ar.cause());
      boolean full = pipeline.full();
      boolean backlog = ar.succeeded() && (ar.result() >= READ_BUDGET || full);
      if (full) {
        cut().onComplete(x -> read()); // a full batch goes out before reading on
      } else if (backlog) {
        vertx.runOnContext(v -> read());
      } else if (!stopping) {
        vertx.setTimer(IDLE_READ_MS, id -> read());
      }
    });
  }

  private Future<Void> cut() {
    return io.executeBlocking(() -> pipeline.cutBatchBlocking()).map(s -> {
      if (s != null) shipper.offer(s.seq(), s.json());
      return (Void) null;
    }).onFailure(err -> {
      // retried on every read while it fails (a full disk): say so once a minute, not four times a second
      long now = System.nanoTime();
      if (now - lastSpoolWarningNanos >= 60_000_000_000L || lastSpoolWarningNanos == 0) {
        lastSpoolWarningNanos = now;
        LOG.warning("cannot spool a batch (it is kept and retried; reading pauses): " + err);
      }
    });
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
    vertx.cancelTimer(scanTimer);
    vertx.cancelTimer(cutTimer);
    // a graceful stop spools what was read, so nothing waits for a re-read after the restart
    return cut().recover(err -> Future.succeededFuture())
        .compose(v -> shipper.stop()).recover(err -> Future.succeededFuture())
        .compose(v -> io.close());
  }
}

package callwatch.agent;

import callwatch.agent.batch.CallAccumulator;
import callwatch.agent.batch.SlotClock;
import callwatch.agent.config.AgentConfig;
import callwatch.agent.parse.CallLineParser;
import callwatch.agent.parse.LineKind;
import callwatch.agent.parse.ParsedCall;
import callwatch.agent.spool.CheckpointStore;
import callwatch.agent.spool.DiskSpool;
import callwatch.agent.tail.FileCheckpoint;
import callwatch.agent.tail.LineSink;
import callwatch.agent.tail.TailedFile;
import callwatch.agent.tail.Tailer;
import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Bounds;
import callwatch.common.protocol.BatchTextWriter;
import callwatch.common.protocol.FileStatus;
import callwatch.common.protocol.ProtocolCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The agent's data path, from file bytes to spooled batches: tail, parse, add up per slot, cut a
 * batch, put it in the spool together with the checkpoint it completes. Blocking; every method
 * runs on the agent's single I/O worker thread, which keeps file offsets and counters consistent
 * with each other without locks.
 *
 * <p>Order of writes (why a crash loses and doubles nothing): the batch and the checkpoint state
 * after it go into one spool file first; then the checkpoint file is replaced. On start the newer
 * of the two states wins. Spooled batches leave the spool only when the aggregator acknowledges them.
 */
public final class AgentPipeline implements LineSink {
  private static final Logger LOG = Logger.getLogger(AgentPipeline.class.getName());
  private static final long MAX_AHEAD_MILLIS = Bounds.LINE_MAX_AHEAD_SECONDS * 1000;
  private static final long MAX_AGE_MILLIS = Bounds.MAX_AGE_SECONDS * 1000;
  private static final long HEARTBEAT_NANOS = 10_000_000_000L;
  /** Rows per batch before reading pauses for a cut: bounds batch size (and memory) while catching up. */
  static final int MAX_BATCH_ROWS = 50_000;

  private final AgentConfig cfg;
  private final Tailer tailer;
  private final CallAccumulator accumulator;
  private final SlotClock clock;
  private final DiskSpool spool;
  /** Set once the shipper exists: which spooled batches were never sent and may be merged. */
  private volatile callwatch.agent.spool.SendGate gate;
  private final callwatch.agent.spool.UnsentMerge merge;
  private final CheckpointStore checkpoints;
  private final Map<Tailer.Glob, CallLineParser> parsers = new HashMap<>();
  private final ParsedCall call = new ParsedCall();
  private Tailer.Glob lastGlob;
  private CallLineParser lastParser;
  private final int defaultHostId;
  /** Reconnections, counted by the shipper on the event loop. */
  public final AtomicLong reconnects = new AtomicLong();

  private final String epoch;
  private long seq;
  private long sentClosedBefore;
  private long lastCutNanos;
  private long lastCallsNanos = Long.MIN_VALUE / 2;
  /** How long after its last calls an agent still reports its clock every second (then every 10 s). */
  private static final long CLOCK_NEWS_NANOS = 300_000_000_000L;
  private long nowNanos;
  private long wallNowMillis;
  private long linesRead, parsed, other, rejected;
  private boolean readPaused;
  private Unspooled unspooled;
  /** Size of the previous batch's text: the next one's buffer starts about that big. */
  private int lastBatchBytes;

  /** A batch in the spool, ready to send. */
  public record Spooled(long seq, String json) {}

  /** A batch cut but not yet in the spool (the disk refused it): kept and retried. */
  private record Unspooled(long seq, byte[] text) {}

  private AgentPipeline(AgentConfig cfg, String epoch, long seq, long closedBefore, List<FileCheckpoint> files) throws IOException {
    this.cfg = cfg;
    this.epoch = epoch;
    this.seq = seq;
    this.sentClosedBefore = closedBefore;
    this.spool = new DiskSpool(cfg.stateDir().resolve("spool"), cfg.spoolMaxBytes());
    this.merge = new callwatch.agent.spool.UnsentMerge(spool);
    this.checkpoints = new CheckpointStore(cfg.stateDir());
    this.tailer = new Tailer(cfg.files(), cfg.maxLineBytes(), cfg.drainGrace().toMillis(), cfg.startAtEnd(), files);
    this.accumulator = new CallAccumulator(cfg.stepSeconds());
    this.accumulator.closeBefore(closedBefore);
    this.clock = new SlotClock(cfg.stepSeconds(), cfg.grace().toMillis(), closedBefore);
    this.defaultHostId = accumulator.hostId(cfg.host());
    for (Tailer.Glob g : cfg.files()) parsers.put(g, CallLineParser.forFormat(g.format(), g.regex(), g.zone()));
  }

  /** Opens the state folder and resumes from the newest of the checkpoint and the spool. */
  public static AgentPipeline openBlocking(AgentConfig cfg) throws IOException {
    CheckpointStore store = new CheckpointStore(cfg.stateDir());
    DiskSpool spool = new DiskSpool(cfg.stateDir().resolve("spool"), cfg.spoolMaxBytes());
    JsonObject state = parseState(store.readBlocking());
    JsonObject spooled = parseState(spool.newestStateBlocking());
    if (spooled != null && (state == null || spooled.getLong("seq") > state.getLong("seq"))) state = spooled;
    if (state == null) return new AgentPipeline(cfg, newEpoch(), 0, 0, List.of());
    List<FileCheckpoint> files = new ArrayList<>();
    for (Object o : state.getJsonArray("files")) {
      JsonObject f = (JsonObject) o;
      files.add(new FileCheckpoint(f.getString("path"), f.getLong("dev"), f.getLong("ino"), f.getInteger("fpLen"),
          f.getLong("fpHash"), f.getLong("offset"), f.getLong("lastLineMillis"), f.getString("format"), f.getLong("size", 0L)));
    }
    long closedBefore = state.getLong("closedBefore");
    long limit = (System.currentTimeMillis() / 1000 + Bounds.LINE_MAX_AHEAD_SECONDS) / cfg.stepSeconds() * cfg.stepSeconds();
    if (closedBefore > limit) {
      // written by an older version that let one line from the future close slots ahead of time
      LOG.warning("the checkpoint's closed-slot mark " + closedBefore + " is ahead of this host's clock: lowered to " + limit);
      closedBefore = limit;
    }
    // a state from before epochs keeps the empty epoch, which the aggregator knows it by
    AgentPipeline pipeline = new AgentPipeline(cfg, state.getString("epoch", ""), state.getLong("seq"), closedBefore, files);
    // a state from before the event clock was kept: the newest line read stands for it, as of now
    long eventMillis = state.getLong("eventMillis", files.stream().mapToLong(FileCheckpoint::lastLineMillis).max().orElse(Long.MIN_VALUE));
    long savedAt = state.getLong("savedAtMillis", System.currentTimeMillis());
    pipeline.clock.restore(eventMillis, System.currentTimeMillis() - savedAt, System.nanoTime());
    return pipeline;
  }

  /** A new identity for a state created now: random, so a wiped and recreated state never repeats one. */
  private static String newEpoch() {
    byte[] b = new byte[12];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** This state's identity, sent in every hello. */
  public String epoch() {
    return epoch;
  }

  private static JsonObject parseState(String text) {
    return text == null ? null : new JsonObject(text);
  }

  public long seq() {
    return seq;
  }

  public void gate(callwatch.agent.spool.SendGate gate) {
    this.gate = gate;
  }

  public long spooledNewest() {
    return spool.newestSeq();
  }

  public void scanBlocking() throws IOException {
    tailer.scanBlocking(System.nanoTime());
  }

  /** Reads up to {@code budgetBytes}; reads nothing while the spool is full (the log files are then the buffer). */
  public long readBlocking(long budgetBytes) throws IOException {
    boolean paused = spool.isFull() || unspooled != null;
    if (paused != readPaused) {
      if (paused) {
        LOG.warning("reading paused: the spool is full (" + spool.bytes() + " of " + cfg.spoolMaxBytes() + " bytes)"
            + (unspooled != null ? " or the disk refused a batch" : "") + "; the log files are the buffer until the aggregator takes the backlog");
      } else {
        LOG.info("reading resumed: the spool has room again");
      }
    }
    readPaused = paused;
    if (readPaused) return 0;
    nowNanos = System.nanoTime();
    wallNowMillis = System.currentTimeMillis();
    return tailer.readBlocking(this, budgetBytes);
  }

  /** The open batch is as large as a batch may be: cut it before reading on. */
  @Override
  public boolean full() {
    return accumulator.rows() >= MAX_BATCH_ROWS;
  }

  @Override
  public void line(TailedFile file, byte[] buf, int from, int to) {
    linesRead++;
    if (file.glob() != lastGlob) { // a record's hashCode walks its strings: not once per line
      lastGlob = file.glob();
      lastParser = parsers.get(lastGlob);
    }
    CallLineParser parser = lastParser;
    LineKind kind = parser.parse(buf, from, to, call);
    if (kind == LineKind.CALL) {
      // one line stamped far ahead would close every slot up to it: the calls after it would all be late
      if (call.epochMillis > wallNowMillis + MAX_AHEAD_MILLIS) {
        reject(file, "timestamp more than " + Bounds.LINE_MAX_AHEAD_SECONDS + " s ahead of this host's clock", buf, from, to);
        return;
      }
      if (call.epochMillis < wallNowMillis - MAX_AGE_MILLIS) {
        reject(file, "timestamp older than the " + Bounds.MAX_AGE_SECONDS / 86400 + " days of history kept", buf, from, to);
        return;
      }
      String labelProblem = call.labelProblem();
      if (labelProblem != null) {
        reject(file, labelProblem, buf, from, to);
        return;
      }
      accumulator.add(call, defaultHostId);
      clock.sawLine(call.epochMillis, nowNanos, wallNowMillis);
      file.lastLineMillis = call.epochMillis;
      parsed++;
    } else if (kind == LineKind.REJECTED) {
      reject(file, parser.lastRejectReason(), buf, from, to);
    } else if (Binary.isBinary(buf, from, to)) {
      reject(file, "binary content (NUL, control bytes or invalid UTF-8)", buf, from, to);
    } else {
      other++;
    }
  }

  @Override
  public void overlongLine(TailedFile file) {
    linesRead++;
    rejected++;
    file.reject("line longer than " + cfg.maxLineBytes() + " bytes", "(skipped)");
  }

  private void reject(TailedFile file, String reason, byte[] buf, int from, int to) {
    rejected++;
    int len = Math.min(to - from, 200);
    file.reject(reason, new String(buf, from, len, StandardCharsets.UTF_8));
  }

  /**
   * Cuts the next batch if there is anything to say (new counts, newly closed slots, or a
   * heartbeat of figures every 10 s), spools it and moves the checkpoint. Returns null if there
   * was nothing to cut; throws if the disk refused, in which case the batch is kept and retried.
   */
  public Spooled cutBatchBlocking() throws IOException {
    if (unspooled == null) {
      long now = System.nanoTime();
      long floor = laggingFloor();
      long closedBefore = clock.advance(now, floor);
      boolean heartbeat = now - lastCutNanos >= HEARTBEAT_NANOS;
      // while calls flowed lately, a silent second is news too: detection calls a stall from it
      boolean clockNews = now - lastCallsNanos < CLOCK_NEWS_NANOS && now - lastCutNanos >= 1_000_000_000L;
      boolean calls = accumulator.hasPending();
      if (!calls && closedBefore == sentClosedBefore && !heartbeat && !clockNews) return null;
      lastCutNanos = now;
      if (calls) lastCallsNanos = now;
      String figures = ProtocolCodec.encodeStats(stats()).encode();
      BatchTextWriter w = new BatchTextWriter(lastBatchBytes + lastBatchBytes / 4).begin(seq + 1, cfg.stepSeconds(), closedBefore,
          clock.seenUpToMillis(now, floor));
      accumulator.drainInto(w);
      byte[] text = w.end(figures);
      lastBatchBytes = text.length;
      accumulator.closeBefore(closedBefore);
      unspooled = new Unspooled(seq + 1, text);
      sentClosedBefore = closedBefore;
    }
    String state = state(unspooled.seq()).encode();
    // A full disk fails here: the batch stays in memory, reading pauses, the checkpoint is untouched.
    byte[] spooled = merge.spoolBlocking(gate, unspooled.seq(), state, unspooled.text());
    checkpoints.writeBlocking(state);
    Spooled done = new Spooled(unspooled.seq(), new String(spooled, StandardCharsets.UTF_8));
    unspooled = null;
    seq = done.seq();
    return done;
  }

  /** The aggregator has stored every batch up to {@code ackedSeq}: they leave the spool. */
  public void ackedBlocking(long ackedSeq) throws IOException {
    spool.removeUpToBlocking(ackedSeq);
  }

  public String readSpooledBlocking(long spooledSeq) throws IOException {
    return spool.readBatchBlocking(spooledSeq);
  }

  private long laggingFloor() {
    long floor = Long.MAX_VALUE;
    for (TailedFile f : tailer.files()) {
      if (f.lagBytes() > 0) floor = Math.min(floor, f.lastLineMillis == Long.MIN_VALUE ? Long.MIN_VALUE / 2 : f.lastLineMillis);
    }
    return floor;
  }

  private JsonObject state(long stateSeq) {
    JsonArray files = new JsonArray();
    for (FileCheckpoint c : tailer.checkpoints()) {
      files.add(new JsonObject().put("path", c.path()).put("dev", c.dev()).put("ino", c.ino()).put("fpLen", c.fpLen())
          .put("fpHash", c.fpHash()).put("offset", c.offset()).put("lastLineMillis", c.lastLineMillis())
          .put("format", c.format()).put("size", c.size()));
    }
    return new JsonObject().put("epoch", epoch).put("seq", stateSeq).put("closedBefore", sentClosedBefore)
        .put("eventMillis", clock.eventNowMillis(System.nanoTime())).put("savedAtMillis", System.currentTimeMillis())
        .put("files", files);
  }

  /** The agent's own figures, as shipped with each batch and shown by its status. */
  public AgentStats stats() {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("linesRead", linesRead);
    c.put("parsed", parsed);
    c.put("other", other);
    c.put("rejected", rejected);
    c.put("late", accumulator.late());
    c.put("lagBytes", tailer.lagBytes());
    c.put("lostFiles", tailer.lostFiles());
    c.put("lostBytes", tailer.lostBytes());
    c.put("truncationsWithoutCopy", tailer.truncationsWithoutCopy());
    c.put("spoolBytes", spool.bytes());
    c.put("spoolBatches", (long) spool.batches());
    c.put("reconnects", reconnects.get());
    c.put("readPaused", readPaused ? 1L : 0L);
    List<FileStatus> files = new ArrayList<>();
    for (TailedFile f : tailer.files()) {
      files.add(new FileStatus(f.path().toString(), f.lagBytes(), f.rejected(), List.copyOf(f.samples())));
    }
    return new AgentStats(c, files);
  }
}

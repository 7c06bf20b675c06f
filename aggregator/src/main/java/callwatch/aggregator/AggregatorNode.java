package callwatch.aggregator;

import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.cluster.ClusterWatch;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.ingest.AgentAuth;
import callwatch.aggregator.ingest.AgentEndpoint;
import callwatch.aggregator.ingest.IngestLoad;
import callwatch.aggregator.live.LiveHub;
import callwatch.aggregator.query.SeriesQuery;
import callwatch.aggregator.store.BatchJournal;
import callwatch.aggregator.store.FileRepair;
import callwatch.aggregator.store.HistoryTransfer;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.aggregator.web.Admission;
import callwatch.aggregator.web.ApiRoutes;
import callwatch.common.protocol.Bounds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One aggregator node, wired: the replicated cache, this node's round-robin files and their
 * writer, the agent endpoint, the live hub and the web server. Everything blocking (Hazelcast,
 * rrd4j) runs on named worker pools; the RRD writer has a single thread of its own.
 */
public final class AggregatorNode {
  private static final Logger LOG = Logger.getLogger(AggregatorNode.class.getName());
  private final ClusterSetup.Node node;
  private final AggregatorConfig cfg;
  /** Agents' batches only: queries can never starve it. */
  private WorkerExecutor ingestPool;
  private callwatch.aggregator.cluster.CacheExpiry expiry;
  /** Half the cache's window: a backlog is stored at most that far ahead of what detection has judged. */
  private callwatch.aggregator.ingest.DetectionPace pace;
  /** Slot entries and pharmacy minutes this member owns in the cache, as of the last writer round. */
  private volatile long[] cacheOwned = {0, 0};
  /** API queries, PNG renders, live totals: bounded by {@link Admission}, so they never pile up. */
  private WorkerExecutor queryPool;
  private WorkerExecutor rrdWriter;
  private RrdRepository repo;
  private SlotWriter writer;
  private BatchJournal journal;
  private LiveCache cache;
  private LiveHub hub;
  private callwatch.aggregator.watch.DetectionService detection;
  private callwatch.aggregator.status.StatusBoard status;
  /** Copies of the alerts and the journal on this member's disk; put back once the cluster can take them. */
  private volatile List<callwatch.aggregator.cluster.MapMirror> mirrors = List.of();
  private boolean mirrorsFollowing;
  private HttpServer http;
  private long writerTimer;
  /** Journal records this version could not decode, as agent and seq: counted once however often replayed. */
  private final java.util.Set<String> unreadableJournalRecords = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static final int INGEST_THREADS = 8;
  static final int QUERY_THREADS = 4;
  static final int PNG_RENDERS = 2;
  static final int IDLE_TIMEOUT_SECONDS = 120;
  /** How long history writing waits for members lost together to come back with their journals. */
  static final long LOST_MEMBER_WAIT_MILLIS = 15 * 60_000L;
  static final long HISTORY_COMPLETE_LAG_SECONDS = 60;
  private ClusterWatch watch;
  private IngestLoad ingestLoad;
  private Router router;
  private callwatch.aggregator.auth.Sessions sessions;
  /** The accounts, as last read (at start, then every {@link #USERS_EVERY_MS}). */
  private callwatch.aggregator.auth.UserFile users;
  private volatile List<String> awaited = List.of();
  private boolean writing;
  private volatile boolean closing;

  private AggregatorNode(ClusterSetup.Node node, AggregatorConfig cfg) {
    this.node = node;
    this.cfg = cfg;
  }

  /** Joins (or forms) the cluster and starts serving. */
  public static Future<AggregatorNode> start(AggregatorConfig cfg) {
    // not chained on the node's own context: a member that cannot serve is closed, and then nothing
    // runs on that context any more
    io.vertx.core.Promise<AggregatorNode> started = io.vertx.core.Promise.promise();
    ClusterSetup.startClustered(cfg).onComplete(joined -> {
      if (joined.failed()) {
        started.fail(joined.cause());
        return;
      }
      ClusterSetup.Node node = joined.result();
      new AggregatorNode(node, cfg).serve().onComplete(served -> {
        if (served.succeeded()) started.complete(served.result());
        // it leaves the cluster at once, not when its process ends
        else node.vertx().close().toCompletionStage().whenComplete((closed, e) -> started.fail(served.cause()));
      });
    });
    return started.future();
  }

  private Future<AggregatorNode> serve() {
    Vertx vertx = node.vertx();
    // how long each step of the start took, in the "listening" line: a member slow to serve says why
    long startedAt = System.nanoTime();
    long[] stepEnds = new long[3]; // history taken, journal replayed, everything before the routes
    ingestPool = vertx.createSharedWorkerExecutor("callwatch-ingest", INGEST_THREADS, 60, TimeUnit.SECONDS);
    queryPool = vertx.createSharedWorkerExecutor("callwatch-query", QUERY_THREADS, 60, TimeUnit.SECONDS);
    rrdWriter = vertx.createSharedWorkerExecutor("callwatch-rrd-writer", 1, 10, TimeUnit.MINUTES);
    cache = new LiveCache(node.hazelcast());
    watch = new ClusterWatch(node.hazelcast(), cfg.memberList(), LOST_MEMBER_WAIT_MILLIS);
    pace = new callwatch.aggregator.ingest.DetectionPace(cfg.cacheWindowMinutes() * 60L / 2);
    vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(callwatch.aggregator.watch.DetectionService.TILES,
        m -> pace.report(m.body().getLong("judgedUpTo"), System.currentTimeMillis()));
    expiry = new callwatch.aggregator.cluster.CacheExpiry(node.hazelcast(), cfg.memberList(), cfg.cacheWindowMinutes() * 60L,
        cfg.pharmacyHours() * 3600L, () -> pace.judgedUpToSeconds(System.currentTimeMillis()));
    return ingestPool.executeBlocking(() -> {
      Files.createDirectories(cfg.dataDir());
      // history, journal, sessions and accounts: for the service user only, also outside systemd's UMask
      try {
        Files.setPosixFilePermissions(cfg.dataDir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException | java.io.IOException e) {
        LOG.warning("cannot restrict " + cfg.dataDir() + " to the service user: " + e.getMessage());
      }
      // peers' copies are taken from the start: once a peer has taken copies, a member acknowledges
      // nothing without one, so a member taking history from a peer for minutes must not hold them up
      journal = new BatchJournal(cfg.dataDir().resolve("journal"));
      boolean journalHeldBatches = journal.segments() > 0; // before peers' copies arrive
      callwatch.aggregator.ingest.JournalCopies.serve(vertx, node.hazelcast().getCluster().getLocalMember().getUuid().toString(), journal, ingestPool);
      catchUpHistoryBlocking();
      stepEnds[0] = System.nanoTime();
      repo = new RrdRepository(cfg.dataDir().resolve("rrd"), cfg.maxSourcesPerAgent(), (long) cfg.diskReserveMiB() << 20, 1000);
      FileRepair repair = new FileRepair(repo, cache,
          relative -> HistoryTransfer.fetchFromPeersBlocking(vertx, node.hazelcast(), relative), cfg.cacheWindowMinutes() * 60L);
      writer = new SlotWriter(cache, repo, cfg.dataDir().resolve("written.json"), repair);
      cache.knownAgentsFrom(writer::knownAgent);
      boolean ranBefore = !writer.knownAgents().isEmpty() || journalHeldBatches;
      sessions = new callwatch.aggregator.auth.Sessions(node.hazelcast());
      users = new callwatch.aggregator.auth.UserFile(cfg.usersFile());
      readUsers(users);
      try {
        // alone at start: the whole cluster was stopped; the logged-in users stay logged in
        sessions.keepCopyIn(cfg.dataDir().resolve("sessions.json"), node.hazelcast().getCluster().getMembers().size() == 1);
      } catch (RuntimeException e) {
        LOG.warning("sessions could not be put back (" + e.getMessage() + "): users log in again");
      }
      stepEnds[1] = System.nanoTime();
      replayJournalOrPostponeBlocking();
      stepEnds[2] = System.nanoTime();
      if (ranBefore && node.hazelcast().getCluster().getMembers().size() == 1) {
        watch.awaitAfterFullRestart(cfg.memberList().othersThan(cfg.clusterHost() + ":" + cfg.clusterPort()));
      }
      return null;
    }).compose(v -> {
      // the live pushes read the cache on a pool of their own: a crowd of long queries never holds them up
      hub = new LiveHub(vertx, cache, vertx.createSharedWorkerExecutor("callwatch-live", 1, 60, TimeUnit.SECONDS),
          callwatch.aggregator.watch.AlertIds.of(node.hazelcast()));
      SeriesQuery query = new SeriesQuery(cache, repo, writer, cfg.cacheWindowMinutes() * 60L - 600);
      Router router = Router.router(vertx);
      this.router = router;
      callwatch.aggregator.auth.Sessions sessions = this.sessions;
      router.route().handler(new callwatch.aggregator.web.SecurityHeaders(cfg.tlsCertPem() != null)::handle);
      // a small body (a login) is read before anything async happens; nothing else takes a body
      // no file uploads: by default Vert.x writes every uploaded file to ./file-uploads and keeps it,
      // before any login is checked (nothing here takes a file)
      router.post().handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));
      callwatch.aggregator.auth.UserFile users = this.users;
      java.util.function.Predicate<callwatch.aggregator.auth.Sessions.Session> current =
          session -> session.stamp() != null && session.stamp().equals(users.stampOf(session.user()));
      router.route().handler(new callwatch.aggregator.web.AccessControl(sessions, cfg.hostNames(), current)::handle);
      new callwatch.aggregator.web.AuthRoutes(users, sessions, queryPool, cfg.tlsCertPem() != null).mount(router);
      // the accounts read again every 2 s: a removed account, a new role or password ends its sessions, open pages included
      vertx.setPeriodic(USERS_EVERY_MS, id -> queryPool.executeBlocking(() -> readUsers(users), false)
          .onSuccess(read -> hub.endSessions(current)));
      ingestLoad = new IngestLoad((long) cfg.ingestQueueMiB() << 20);
      AgentEndpoint agents = new AgentEndpoint(vertx, new AgentAuth(cfg.agents(), cfg.openAgents()), cache, ingestPool, journal,
          new callwatch.aggregator.ingest.JournalCopies(vertx, node.hazelcast(), ingestPool),
          ingestLoad, pace);
      router.route("/agent").handler(agents::handle);
      router.route("/live").handler(rc -> {
        callwatch.aggregator.auth.Sessions.Session session = callwatch.aggregator.web.AccessControl.session(rc);
        rc.request().toWebSocket().onSuccess(ws -> hub.add(ws, session)).onFailure(rc::fail);
      });
      Admission queries = new Admission(QUERY_THREADS);
      detection = new callwatch.aggregator.watch.DetectionService(vertx, node.hazelcast(), cache, query, cfg.detection(), agents.heard(),
          cfg.alerting(), alert -> alertGraph(query, alert));
      new ApiRoutes(cache, repo, query, writer, queryPool, queries, new Admission(PNG_RENDERS), detection::lastHeardMillis).mount(router);
      new callwatch.aggregator.web.AlertRoutes(detection.store(), detection.outbox(), detection.silences(), queryPool, queries, vertx).mount(router);
      var incidents = new callwatch.aggregator.status.IncidentStore(node.hazelcast());
      // the alerts, the journal and the public states' history outlive a restart of every member: each member keeps a whole copy
      mirrors = List.of(
          new callwatch.aggregator.cluster.MapMirror(node.hazelcast().getMap(callwatch.aggregator.watch.AlertStore.MAP),
              cfg.dataDir().resolve("alerts.json"), json -> new io.vertx.core.json.JsonObject(json).getJsonArray("transitions", new io.vertx.core.json.JsonArray()).size()),
          new callwatch.aggregator.cluster.MapMirror(node.hazelcast().getMap(callwatch.aggregator.status.IncidentStore.MAP),
              cfg.dataDir().resolve("incidents.json"), json -> new io.vertx.core.json.JsonObject(json).getJsonArray("entries", new io.vertx.core.json.JsonArray()).size()),
          new callwatch.aggregator.cluster.MapMirror(node.hazelcast().getMap(callwatch.aggregator.status.StatusBoard.HISTORY_MAP),
              cfg.dataDir().resolve("status-history.json"), json -> new io.vertx.core.json.JsonArray(json).size()));
      new callwatch.aggregator.web.IncidentRoutes(incidents, detection.store(), queryPool, vertx, query::serviceNamesBlocking).mount(router);
      status = new callwatch.aggregator.status.StatusBoard(vertx, node.hazelcast(), incidents,
          vertx.createSharedWorkerExecutor("callwatch-status", 1, 60, TimeUnit.SECONDS), cfg.detection().zone(),
          callwatch.aggregator.watch.DetectionService.TILES, cfg.publicServices());
      new callwatch.aggregator.web.StatusRoutes(status).mount(router);
      queryPool.executeBlocking(() -> detection.store().listBlocking(Long.MIN_VALUE, Long.MAX_VALUE, callwatch.aggregator.detect.Alert.FIRING), false)
          .onSuccess(hub::firing);
      router.get("/api/health").handler(this::health);
      router.route().failureHandler(new callwatch.aggregator.web.LastResortFailures(BODY_LIMIT_BYTES)::handle);
      router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
      router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));
      HttpServerOptions options = new HttpServerOptions().setHost(cfg.httpHost()).setPort(cfg.httpPort())
          .setMaxWebSocketFrameSize(Bounds.MAX_FRAME_BYTES).setMaxWebSocketMessageSize(Bounds.MAX_AGENT_MESSAGE_BYTES)
          .setCompressionSupported(true)
          // a connection that says nothing for this long is closed: agents send a batch at least every
          // 10 s, and /live sends browsers a ping every LiveHub.PING_EVERY_MS
          .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS);
      if (cfg.tlsCertPem() != null) {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cfg.tlsCertPem()).setKeyPath(cfg.tlsKeyPem()));
      }
      // complete now: this member may hand its history to others that catch up
      HistoryTransfer.serve(vertx, node.hazelcast().getCluster().getLocalMember().getUuid().toString(), repo, writer, rrdWriter);
      // the journal and the alerts are there from the first request: not an empty journal for a moment after a restart
      return rrdWriter.executeBlocking(() -> {
        if (quorum()) restoreMirrorsBlocking();
        return null;
      }, false).recover(err -> {
        LOG.warning("the alerts and the journal are put back later (" + err + ")");
        return io.vertx.core.Future.succeededFuture();
      }).compose(restored -> vertx.createHttpServer(options).invalidRequestHandler(req -> invalidRequest(req, options))
          .requestHandler(router).listen());
    }).map(server -> {
      http = server;
      writerTimer = vertx.setPeriodic(1000, id -> writeRound());
      long now = System.nanoTime();
      LOG.info(String.format(java.util.Locale.ROOT, "aggregator listening on %s:%d (ready %.1f s after joining the cluster: history from peers %.1f s,"
              + " files, accounts and sessions %.1f s, journal replay %.1f s, the rest %.1f s)", cfg.httpHost(), server.actualPort(),
          (now - startedAt) / 1e9, (stepEnds[0] - startedAt) / 1e9, (stepEnds[1] - stepEnds[0]) / 1e9,
          (stepEnds[2] - stepEnds[1]) / 1e9, (now - stepEnds[2]) / 1e9));
      return this;
    });
  }

  /** The calls of an alert's service over the three hours around it, as a PNG for its e-mail; null without a service. */
  private static byte[] alertGraph(SeriesQuery query, io.vertx.core.json.JsonObject alert) {
    String service = alert.getJsonObject("subject", new io.vertx.core.json.JsonObject()).getString("service");
    if (service == null) return null;
    try {
      long now = System.currentTimeMillis() / 1000, since = alert.getLong("since", now);
      long from = since - 7200, to = Math.min(now, since + 3600);
      callwatch.aggregator.query.SeriesSpec spec = new callwatch.aggregator.query.SeriesSpec(service, null, "calls", null, null);
      SeriesQuery.Result r = query.runBlocking(spec, from, Math.max(to, from + 600), 0, now);
      return callwatch.aggregator.web.PngChart.render(new callwatch.aggregator.web.PngChart.Chart(service + ".calls",
          spec.unit(callwatch.aggregator.query.SeriesSpec.Per.MINUTE, r.step()), r.times(), r.display(spec, callwatch.aggregator.query.SeriesSpec.Per.MINUTE),
          null, null, r.total(callwatch.common.model.Metrics.CALLS),
          r.total(callwatch.common.model.Metrics.ERROR) + r.total(callwatch.common.model.Metrics.TIMEOUT), r.historyStart()), 640, 240,
          java.time.ZoneId.systemDefault());
    } catch (Exception e) {
      LOG.warning("no graph for the alert's e-mail: " + e);
      return null;
    }
  }

  /**
   * A member that was away longer than the cache keeps slots (or is new, or lost its disk) takes
   * the round-robin files from a complete peer before it opens its own and serves anything.
   */
  private void catchUpHistoryBlocking() throws Exception {
    Path rrdRoot = cfg.dataDir().resolve("rrd");
    HistoryTransfer.removePartsBlocking(rrdRoot);
    if (node.hazelcast().getCluster().getMembers().size() < 2) return;
    if (!HistoryTransfer.neededBlocking(cfg.dataDir().resolve("written.json"), cfg.cacheWindowMinutes() * 60L)) return;
    int copied = HistoryTransfer.catchUpBlocking(node.vertx(), rrdRoot, cfg.dataDir().resolve("written.json"), (long) cfg.diskReserveMiB() << 20);
    if (copied >= 0) LOG.info("history taken from a peer: " + copied + " round-robin files");
  }

  /**
   * Puts back into the cache what this node acknowledged and has not yet written (idempotent). A
   * record this version cannot decode is skipped and counted; a cache that refuses (no majority
   * yet) fails the whole replay, which is then done again by the writer once the majority is there
   * — history is not written before.
   */
  private void replayJournalBlocking() throws java.io.IOException {
    int n = 0;
    for (BatchJournal.Entry e : journal.readAllBlocking()) {
      callwatch.common.protocol.Batch batch;
      try {
        batch = callwatch.common.protocol.ProtocolCodec.decodeBatchText(e.batchJson());
      } catch (RuntimeException err) {
        // one record this version cannot read must not keep the node from starting
        if (unreadableJournalRecords.add(e.agentId() + " " + e.seq())) {
          LOG.warning("journal: batch " + e.seq() + " of agent " + e.agentId() + " cannot be read (" + err.getMessage() + "); skipped");
        }
        continue;
      }
      cache.replayBlocking(e.agentId(), e.host(), e.version(), batch, e.seq());
      n++;
    }
    writer.knownAgents().forEach(cache::restoreBlocking);
    if (n > 0) LOG.info("replayed " + n + " journalled batches into the cache");
  }

  /** At start: replays now if the cluster can take it, else as soon as it can (before any history is written). */
  private void replayJournalOrPostponeBlocking() throws java.io.IOException {
    if (quorum()) {
      try {
        replayJournalBlocking();
        return;
      } catch (RuntimeException e) {
        // the majority went away meanwhile: as below
      }
    }
    watch.requestReplayAgain();
    LOG.info("journal replay waits until this member sees the majority of the cluster; history is written after it");
  }

  /**
   * Puts the alerts, the journal and the status history back from this member's copies (where the
   * cluster has less of them) and follows their changes from then on; once. On the RRD writer's
   * thread: before the member listens when it has its majority, else in its first round that has.
   */
  private void restoreMirrorsBlocking() throws java.io.IOException {
    if (mirrorsFollowing || mirrors.isEmpty()) return;
    for (var m : mirrors) m.restoreAndFollowBlocking();
    mirrorsFollowing = true;
    if (detection != null) detection.storeRestored();
  }

  /** One RRD writer round; rounds never overlap, and a round that had a backlog is followed at once. */
  private void writeRound() {
    if (writing || closing) return;
    writing = true;
    rrdWriter.executeBlocking(() -> {
      if (!quorum()) return 0; // health says so; nothing can be read or written meanwhile
      cache.releaseStuckLocksBlocking();
      if (watch.takeReplayRequest()) {
        try {
          replayJournalBlocking(); // idempotent: puts back what the lost partitions held of this member's batches
        } catch (RuntimeException e) {
          watch.requestReplayAgain();
          throw e;
        }
      }
      restoreMirrorsBlocking();
      awaited = watch.awaitedBlocking();
      if (!awaited.isEmpty()) {
        writer.lookBlocking();
        return 0;
      }
      int written = writer.writeRoundBlocking();
      if (written > 0) journal.trimBlocking(writer::writtenUpTo);
      expiry.publishBlocking(writer.writtenMarks());
      if (node.hazelcast().getCluster().getMembers().iterator().next().localMember()) expiry.dropBlocking(cache.agentsBlocking());
      cacheOwned = expiry.ownedEntries();
      return written;
    }).onComplete(ar -> {
      writing = false;
      if (ar.failed()) {
        if (!closing) LOG.warning("writing slots to the round-robin files failed: " + ar.cause());
      } else if (ar.result() > 0 && !closing) {
        node.vertx().runOnContext(v -> writeRound());
      }
    });
  }

  /**
   * What this member can do now: 200 with {@code status: ok} when it can take batches, 503 with the
   * reason when it cannot (no cluster majority). Always answered from memory and the cluster's view.
   */
  private boolean quorum() {
    return ClusterSetup.majorityName(cfg) == null
        || node.hazelcast().getSplitBrainProtectionService().getSplitBrainProtection(ClusterSetup.majorityName(cfg)).hasMinimumSize();
  }

  private void health(io.vertx.ext.web.RoutingContext rc) {
    boolean quorum = quorum();
    long lag = writer.lagSeconds();
    int members = node.hazelcast().getCluster().getMembers().size();
    io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject()
        .put("status", quorum ? "ok" : "no-quorum")
        .put("members", members)
        .put("expectedMembers", cfg.memberList().size())
        .put("quorum", quorum)
        // every slot the agents have closed is in this member's files, give or take a minute
        .put("historyComplete", quorum && awaited.isEmpty() && lag <= HISTORY_COMPLETE_LAG_SECONDS)
        .put("writerLagSeconds", lag)
        .put("awaitedJournals", new io.vertx.core.json.JsonArray(List.copyOf(awaited)))
        .put("journalBytes", journal.bytes())
        .put("unwritableSources", writer.unwritableSources())
        .put("journalSegments", journal.segments())
        .put("damagedJournalRecords", journal.damagedRecords() + unreadableJournalRecords.size())
        .put("tornJournalTails", journal.tornTails())
        .put("cacheSlotsOwned", cacheOwned[0])
        .put("cachePharmacyMinutesOwned", cacheOwned[1])
        .put("ingestPendingBytes", ingestLoad.pending())
        .put("ingestPeakBytes", ingestLoad.peak())
        .put("ingestLimitBytes", ingestLoad.limit())
        .put("agentsHeldBack", ingestLoad.heldBack());
    rc.response().setStatusCode(quorum ? 200 : 503).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }

  public int port() {
    return http.actualPort();
  }

  public Vertx vertx() {
    return node.vertx();
  }

  public SlotWriter writer() {
    return writer;
  }

  public RrdRepository repository() {
    return repo;
  }

  public LiveCache cache() {
    return cache;
  }

  /** The routes, for the test that checks every one has an access rule. */
  Router router() {
    return router;
  }

  public LiveHub hub() {
    return hub;
  }

  /** For tests that play the passing of time on the cache (its entries expire after the window). */
  com.hazelcast.core.HazelcastInstance hazelcast() {
    return node.hazelcast();
  }

  /**
   * Dies as a crashed process would: the Hazelcast member drops out at once (no hand-over of its
   * partitions; the others promote their backups), then everything else stops. For tests.
   */
  void crashBlocking() {
    closing = true;
    if (detection != null) detection.close();
    mirrors.forEach(callwatch.aggregator.cluster.MapMirror::close);
    node.hazelcast().getLifecycleService().terminate();
    try {
      http.close().await();
      node.vertx().close().await();
    } catch (RuntimeException e) {
      // a crashed member does not get to leave cleanly
    }
    try {
      repo.close();
      journal.close();
    } catch (java.io.IOException e) {
      // as above
    }
  }

  /**
   * A request the HTTP decoder refused before any route saw it: an address or headers over the
   * limit, a malformed request line. Answered as Vert.x does (414, 431, 400, then closed), with the
   * reason and the limit in the body.
   */
  private static void invalidRequest(io.vertx.core.http.HttpServerRequest req, HttpServerOptions options) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String reason;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      status = 414;
      reason = "the request line (method, address and query) is longer than the limit of " + options.getMaxInitialLineLength() + " bytes";
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      status = 431;
      reason = "the request's headers are longer than the limit of " + options.getMaxHeaderSize() + " bytes";
    } else {
      status = 400;
      reason = "not a valid HTTP request" + (cause == null ? "" : ": " + cause.getMessage());
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("connection", "close")
        .end(new io.vertx.core.json.JsonObject().put("error", reason).encode())
        .onComplete(done -> req.connection().close());
  }

  /** The largest request body taken: a login, an incident's entry, a silence. */
  private static final int BODY_LIMIT_BYTES = 4096;

  /** How often the accounts file is looked at (a stat; read again only when it changed). */
  private static final long USERS_EVERY_MS = 2000;
  private static final callwatch.common.log.LogLimiter USERS_FILE_LINES = new callwatch.common.log.LogLimiter(60_000);

  /** Reads the accounts if their file changed; a file that cannot be read keeps the accounts as last read. */
  private static Void readUsers(callwatch.aggregator.auth.UserFile users) {
    try {
      users.usersBlocking();
    } catch (java.io.IOException | RuntimeException e) {
      // looked at every 2 s: a file left broken is one line a minute, not thirty
      long held = USERS_FILE_LINES.allow(String.valueOf(e.getMessage()), System.currentTimeMillis());
      if (held >= 0) {
        LOG.warning("cannot read the accounts in " + users.path() + " (the accounts as last read stay): " + e.getMessage()
            + callwatch.common.log.LogLimiter.heldBack(held));
      }
    }
    return null;
  }

  /**
   * Leaves the cluster gracefully (the partitions move to the others first) and closes the files.
   * Blocking: call from a test or shutdown-hook thread, never from an event loop (nothing can be
   * chained after Vert.x itself is closed).
   */
  public void closeBlocking() {
    closing = true;
    if (detection != null) detection.close();
    node.vertx().cancelTimer(writerTimer);
    http.close().await();
    rrdWriter.executeBlocking(() -> {
      repo.close();
      journal.close();
      return null;
    }).await();
    node.vertx().close().await();
  }
}

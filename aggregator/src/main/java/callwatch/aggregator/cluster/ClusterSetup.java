package callwatch.aggregator.cluster;

import callwatch.aggregator.AggregatorConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the clustered Vert.x of one aggregator node: Hazelcast with TCP-IP join to the listed
 * members (none = a cluster of one), bound to the configured interface only, multicast and
 * auto-detection off, and phone-home off so that nothing leaves the hosting centre.
 */
public final class ClusterSetup {
  public static final String SLOTS_MAP = "callwatch.slots";
  public static final String AGENTS_MAP = "callwatch.agents";
  public static final String PHARMACY_MAP = "callwatch.pharmacies";
  static final String MEMBERS_ATTRIBUTE = "callwatch.members";

  private ClusterSetup() {}

  public static Config hazelcastConfig(AggregatorConfig cfg) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cfg.clusterName());
    // Compact for our values and entry processors. Java deserialisation only for the JDK's, Vert.x's
    // and Hazelcast's own classes (Hazelcast sends its exceptions that way), with Hazelcast's list
    // of known gadget classes refused: a crafted object of any other class sent to the cluster
    // port is refused before it is built
    StoredForms forms = new StoredForms();
    ClusterSerializers.register(hz.getSerializationConfig().getCompactSerializationConfig(), forms);
    hz.addListenerConfig(new com.hazelcast.config.ListenerConfig(forms));
    com.hazelcast.config.JavaSerializationFilterConfig onlyPlatform = new com.hazelcast.config.JavaSerializationFilterConfig();
    onlyPlatform.getWhitelist().addPrefixes("java.", "javax.", "com.hazelcast.", "io.vertx.");
    hz.getSerializationConfig().setJavaSerializationFilterConfig(onlyPlatform);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
    // members that start at the same moment may each form a cluster of their own: merge them within
    // seconds, not after Hazelcast's default five minutes
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // A member-only endpoint (Hazelcast's advanced network): the cluster port speaks the member
    // protocol alone, so no Hazelcast client can connect to it and read the maps. Bound to the
    // configured interface only, on the configured port or none: a member on another port would be
    // one no firewall rule and no peer expects.
    com.hazelcast.config.AdvancedNetworkConfig net = hz.getAdvancedNetworkConfig().setEnabled(true);
    net.setMemberEndpointConfig(new com.hazelcast.config.ServerSocketEndpointConfig()
        .setPort(cfg.clusterPort()).setPortCount(1).setPortAutoIncrement(false)
        .setInterfaces(new com.hazelcast.config.InterfacesConfig().setEnabled(true).addInterface(cfg.clusterHost())));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // No members listed: a cluster of one, which probes nobody.
    join.getTcpIpConfig().setEnabled(true).setMembers(cfg.clusterMembers());
    // With three or more members, the minority side of a network split must stop taking batches,
    // so agents move to the majority and nothing is counted twice after the heal.
    String quorum = majorityName(cfg);
    if (quorum != null) {
      hz.addSplitBrainProtectionConfig(new com.hazelcast.config.SplitBrainProtectionConfig(quorum, true, cfg.memberList().majority()));
    }
    // every member says which cluster it was configured for, so one whose list disagrees is refused
    hz.getMemberAttributeConfig().setAttribute(MEMBERS_ATTRIBUTE, cfg.memberList().fingerprint());
    hz.getMemberAttributeConfig().setAttribute(StoredForms.ATTRIBUTE, StoredForms.NUMBERED_PHARMACIES);
    // The live cache: synchronous backups, so a batch acknowledged is on 1 + backups members when they are up.
    int backups = cfg.cacheBackups();
    hz.addMapConfig(new MapConfig(SLOTS_MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setTimeToLiveSeconds(cfg.cacheWindowMinutes() * 60).setSplitBrainProtectionName(quorum));
    hz.addMapConfig(new MapConfig(AGENTS_MAP).setBackupCount(backups).setAsyncBackupCount(0).setSplitBrainProtectionName(quorum));
    hz.addMapConfig(new MapConfig(PHARMACY_MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setTimeToLiveSeconds(cfg.pharmacyHours() * 3600).setSplitBrainProtectionName(quorum));
    // the incident journal and the public states' history: an entry written on a minority's side
    // would be lost when the sides merge, so they take writes only with the majority
    hz.addMapConfig(new MapConfig(callwatch.aggregator.status.IncidentStore.MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setSplitBrainProtectionName(quorum));
    hz.addMapConfig(new MapConfig(callwatch.aggregator.status.StatusBoard.HISTORY_MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setSplitBrainProtectionName(quorum));
    // bookkeeping of lost members: readable and writable without the majority, by design
    hz.addMapConfig(new MapConfig(callwatch.aggregator.watch.AlertStore.MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setTimeToLiveSeconds(callwatch.aggregator.watch.AlertStore.KEEP_DAYS * 86400));
    hz.addMapConfig(new MapConfig(callwatch.aggregator.watch.Silences.MAP).setBackupCount(backups).setAsyncBackupCount(0));
    hz.addMapConfig(new MapConfig(callwatch.aggregator.watch.Outbox.MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setTimeToLiveSeconds(callwatch.aggregator.watch.AlertStore.KEEP_DAYS * 86400));
    hz.addMapConfig(new MapConfig(CacheExpiry.MARKS_MAP).setBackupCount(backups));
    hz.addMapConfig(new MapConfig(CacheExpiry.DROPPED_MAP).setBackupCount(backups));
    hz.addMapConfig(new MapConfig(ClusterWatch.LOST_MAP).setBackupCount(backups));
    hz.addMapConfig(new MapConfig(ClusterWatch.READY_MAP).setBackupCount(backups));
    // sessions: any member accepts them; a login works wherever the member stands
    hz.addMapConfig(new MapConfig(callwatch.aggregator.auth.Sessions.MAP).setBackupCount(backups));
    return hz;
  }

  /** The name of the majority rule, or null when the cluster is too small to have one. */
  public static String majorityName(AggregatorConfig cfg) {
    return cfg.memberList().majority() > 0 ? "callwatch-majority" : null;
  }

  /** A started node: its clustered Vert.x and the Hazelcast member inside it. */
  public record Node(Vertx vertx, HazelcastInstance hazelcast) {}

  /** Starts the member; blocks the calling thread's caller only through the returned future. */
  public static Future<Node> startClustered(AggregatorConfig cfg) {
    try {
      requireFree(cfg.clusterHost(), cfg.clusterPort(), "cluster.port");
      requireFree(cfg.clusterHost(), cfg.eventBusPort(), "cluster.eventBusPort");
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager mgr = new HazelcastClusterManager(hazelcastConfig(cfg));
    EventBusOptions bus = new EventBusOptions().setHost(cfg.clusterHost()).setClusterPublicHost(cfg.clusterHost()).setPort(cfg.eventBusPort());
    if (cfg.clusterTlsCertPem() != null) {
      // members prove themselves to each other with the cluster's certificate: a connection
      // without one is refused at the handshake (the event bus carries history and live totals)
      String ca = cfg.clusterTlsCaPem() != null ? cfg.clusterTlsCaPem() : cfg.clusterTlsCertPem();
      bus.setSsl(true).setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED)
          .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(cfg.clusterTlsCertPem()).setKeyPath(cfg.clusterTlsKeyPem()))
          .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(ca));
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(bus);
    return Vertx.builder().with(options).withClusterManager(mgr).buildClustered()
        .map(vertx -> new Node(vertx, mgr.getHazelcastInstance()))
        .compose(node -> {
          String disagreement = disagreement(node.hazelcast(), cfg);
          if (disagreement == null) return Future.succeededFuture(node);
          return node.vertx().close().transform(ar -> Future.failedFuture(new IllegalStateException(disagreement)));
        });
  }

  /** Fails with the key to change when a port is taken (Hazelcast would otherwise move to another). */
  private static void requireFree(String host, int port, String key) {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(key + " " + host + ":" + port + " cannot be bound (" + e.getMessage()
          + "): another member or program holds it, or the address is not this host's");
    }
  }

  /** Why this member's list of members disagrees with a running member's (null when all agree). */
  static String disagreement(HazelcastInstance hz, AggregatorConfig cfg) {
    String own = cfg.memberList().fingerprint();
    for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
      String theirs = m.getAttribute(MEMBERS_ATTRIBUTE);
      if (m.localMember() || theirs == null || theirs.equals(own)) continue;
      return "cluster.members disagrees with the running member " + m.getAddress().getHost() + ":" + m.getAddress().getPort()
          + ": this member's cluster is [" + own + "], that member's is [" + theirs + "]; every member must name the same"
          + " members (each may leave itself out), or the majority rule differs between them";
    }
    return null;
  }
}

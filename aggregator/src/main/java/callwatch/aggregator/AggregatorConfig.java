package callwatch.aggregator;

import callwatch.common.config.ConfigSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The aggregator's settings, with defaults for everything: a single node on 127.0.0.1:8080 that
 * keeps its data under ./callwatch-data. See the config reference in README.md.
 *
 * @param agents         agent id to secret; an agent not listed is refused (unless openAgents)
 * @param openAgents     accept any agent id without a secret (demo and trials only)
 * @param clusterMembers the members' host:port, this one included or not (same cluster either way); empty = a cluster of one
 * @param eventBusPort   the port members copy history over (Vert.x event bus); default cluster port + 1000
 * @param backups        synchronous backups of every cache entry; -1 = as many as the cluster allows, up to 2
 * @param detection      detection's thresholds, overrides and maintenance windows (docs/detection.md)
 * @param alerting       where alert changes are POSTed and mailed, and when again (alerting:)
 * @param publicServices the services the public status page names (status.services); empty: every one detection knows
 */
public record AggregatorConfig(
    String httpHost, int httpPort, Path dataDir, Map<String, String> agents, boolean openAgents,
    String clusterName, String clusterHost, int clusterPort, List<String> clusterMembers, int eventBusPort, int backups,
    int cacheWindowMinutes, int maxSourcesPerAgent, int diskReserveMiB, int pharmacyHours, int ingestQueueMiB, String tlsCertPem, String tlsKeyPem, Path usersFile, List<String> publicNames,
    String clusterTlsCertPem, String clusterTlsKeyPem, String clusterTlsCaPem, callwatch.aggregator.detect.Rules detection,
    callwatch.aggregator.watch.Alerting alerting, List<String> publicServices) {

  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final int EVENT_BUS_PORT_OFFSET = 1000;
  public static final int DEFAULT_CACHE_WINDOW_MINUTES = 180;
  public static final int DEFAULT_MAX_SOURCES_PER_AGENT = 2000;
  /**
   * Free space on the data disk that new round-robin files never take: the journal, which every
   * acknowledgement needs, writes into it. Without it a server whose op names go wild fills the
   * disk with 7.9 MiB files and the member stops acknowledging every agent's batches.
   */
  public static final int DEFAULT_DISK_RESERVE_MIB = 1024;
  /**
   * How long the per-pharmacy minutes stay in the replicated cache for the drill-down. They are
   * nearly one row per call (about 130 MiB per hour of the platform's 2 M calls, and with the
   * backups every member of three holds all of it): 6 h fit a 2 GiB heap; each further hour needs
   * about 130 MiB more on every member (docs/performance.md).
   */
  public static final int DEFAULT_PHARMACY_HOURS = 6;
  /**
   * Agents' batches received and not yet stored, at most: past it, agents that are sending wait
   * (the member stops reading their connections) and new ones are told to come back in a moment.
   * Room for 16 agents' full windows (4 MiB each); a batch decoded takes a few times its text.
   */
  public static final int DEFAULT_INGEST_QUEUE_MIB = 64;

  public static AggregatorConfig from(ConfigSection c) {
    return from(c, false);
  }

  /**
   * Reads the config, reporting every problem of the file at once. With {@code checkPaths} (what
   * {@code --check-config} does) it also checks that the data folder can be made and written and
   * that the certificate, key, agents and users files it names can be read.
   */
  public static AggregatorConfig from(ConfigSection c, boolean checkPaths) {
    AggregatorConfig cfg;
    try {
      cfg = read(c);
      if (checkPaths) cfg.checkPaths(c);
    } catch (RuntimeException e) {
      c.throwIfProblems(); // a problem already reported may have caused this one: say those
      throw e;
    }
    c.throwIfProblems();
    return cfg;
  }

  private void checkPaths(ConfigSection c) {
    c.checkWritableFolder("dataDir", dataDir);
    if (usersFile.getParent() != null) c.checkWritableFolder("usersFile", usersFile.getParent());
    ConfigSection tls = c.section("tls");
    tls.checkReadableFile("certPem", tlsCertPem);
    tls.checkReadableFile("keyPem", tlsKeyPem);
    tls.checkPrivateFile("keyPem", tlsKeyPem);
    ConfigSection clusterTls = c.section("cluster").section("tls");
    clusterTls.checkReadableFile("certPem", clusterTlsCertPem);
    clusterTls.checkReadableFile("keyPem", clusterTlsKeyPem);
    clusterTls.checkPrivateFile("keyPem", clusterTlsKeyPem);
    clusterTls.checkReadableFile("caPem", clusterTlsCaPem);
  }

  private static AggregatorConfig read(ConfigSection c) {
    ConfigSection cluster = c.section("cluster");
    ConfigSection tls = c.section("tls");
    ConfigSection clusterTls = cluster.section("tls");
    AggregatorConfig cfg = new AggregatorConfig(
        c.string("httpHost", "127.0.0.1"),
        (int) c.number("httpPort", DEFAULT_HTTP_PORT, 0, 65535),
        Path.of(c.string("dataDir", "callwatch-data")),
        agents(c),
        c.bool("openAgents", false),
        cluster.string("name", "callwatch"),
        cluster.string("host", "127.0.0.1"),
        (int) cluster.number("port", DEFAULT_CLUSTER_PORT, 1, 65535),
        cluster.strings("members", List.of()),
        (int) cluster.number("eventBusPort", defaultEventBusPort(cluster), 1, 65535),
        (int) cluster.number("backups", -1, 0, 6),
        (int) c.number("cacheWindowMinutes", DEFAULT_CACHE_WINDOW_MINUTES, 130, 7 * 24 * 60),
        (int) c.number("maxSourcesPerAgent", DEFAULT_MAX_SOURCES_PER_AGENT, 1, 1_000_000),
        (int) c.number("diskReserveMiB", DEFAULT_DISK_RESERVE_MIB, 0, 1 << 24),
        (int) c.number("pharmacyHours", DEFAULT_PHARMACY_HOURS, 1, 8 * 24),
        (int) c.number("ingestQueueMiB", DEFAULT_INGEST_QUEUE_MIB, 1, 4096),
        tls.string("certPem", null),
        tls.string("keyPem", null),
        Path.of(c.string("usersFile", Path.of(c.string("dataDir", "callwatch-data")).resolve("users.json").toString())),
        c.strings("publicNames", List.of()),
        clusterTls.string("certPem", null),
        clusterTls.string("keyPem", null),
        clusterTls.string("caPem", null),
        DetectionConfig.read(c.section("detection")),
        alerting(c.section("alerting")),
        publicServices(c.section("status")));
    try {
      callwatch.aggregator.cluster.MemberList.normalise(cfg.selfAddress());
    } catch (IllegalArgumentException e) {
      cluster.report("host", "'" + cfg.clusterHost + "' is not a host name or an IP address");
    }
    for (String member : cfg.clusterMembers) { // each bad entry named, all in one run
      try {
        callwatch.aggregator.cluster.MemberList.normalise(member);
      } catch (IllegalArgumentException e) {
        cluster.report("members", e.getMessage());
      }
    }
    boolean allowWildcard = cluster.bool("allowWildcard", false);
    if ((cfg.clusterHost.equals("0.0.0.0") || cfg.clusterHost.equals("::")) && !allowWildcard) {
      cluster.report("host", "is a wildcard: the cluster ports have no authentication (Hazelcast open source), bind them to the"
          + " one interface the members share (or set cluster.allowWildcard: true and firewall them)");
    }
    if (cfg.eventBusPort == 0) cluster.report("eventBusPort", "is needed: cluster.port + " + EVENT_BUS_PORT_OFFSET + " is past 65535");
    if (cfg.eventBusPort == cfg.clusterPort) cluster.report("eventBusPort", "must differ from cluster.port");
    if ((cfg.tlsCertPem == null) != (cfg.tlsKeyPem == null)) c.report("tls", "needs both certPem and keyPem");
    cluster.rejectUnknownKeys();
    tls.rejectUnknownKeys();
    if ((cfg.clusterTlsCertPem == null) != (cfg.clusterTlsKeyPem == null)) cluster.report("tls", "needs both certPem and keyPem");
    clusterTls.rejectUnknownKeys();
    c.rejectUnknownKeys();
    return cfg;
  }

  /**
   * Agent id to secret: the config's {@code agents:} map plus, when {@code agentsFile} names one,
   * a separate file holding only that map (kept readable by the service alone, e.g. from a vault).
   */
  private static Map<String, String> agents(ConfigSection c) {
    Map<String, String> agents = new java.util.LinkedHashMap<>();
    checkSecrets(c, "agents.", c.secretMap("agents"), agents);
    String file = c.string("agentsFile", null);
    c.checkPrivateFile("agentsFile", file);
    if (file != null) {
      ConfigSection f = callwatch.common.config.ConfigFiles.load(Path.of(file));
      checkSecrets(f, "", f.asSecretMap(), agents);
      f.throwIfProblems(); // another file: its problems are its own
    }
    return agents;
  }

  /** {@code alerting.webhooks}: where alert changes are POSTed, signed with each one's secret. */
  private static List<callwatch.aggregator.watch.Webhook> webhooks(ConfigSection alerting) {
    List<callwatch.aggregator.watch.Webhook> out = new java.util.ArrayList<>();
    for (ConfigSection w : alerting.sections("webhooks")) {
      String url = w.string("url", null);
      if (url == null) {
        w.report("url", "is needed: an http:// or https:// address");
      } else if (!(url.startsWith("http://") || url.startsWith("https://"))) {
        // the address itself is not repeated: a receiver's token is often part of it
        w.report("url", "must be an http:// or https:// address, not " + (url.contains(":") ? url.substring(0, url.indexOf(':') + 1) + "//…" : "a bare name"));
      }
      String secret = w.secret("secret");
      if (secret == null || secret.length() < 16) w.report("secret", "must have at least 16 characters (the receiver checks the HMAC signature with it)");
      out.add(new callwatch.aggregator.watch.Webhook(w.string("name", "webhook-" + (out.size() + 1)), url, secret, route(w)));
      w.rejectUnknownKeys();
    }
    return out;
  }

  /** {@code status.services}: what the public page may name (a service that logs call itself anything). */
  private static List<String> publicServices(ConfigSection status) {
    List<String> services = status.strings("services", List.of());
    status.rejectUnknownKeys();
    return services;
  }

  /** {@code alerting}: webhooks, e-mail, and the reminder of an alert nobody acknowledged. */
  private static callwatch.aggregator.watch.Alerting alerting(ConfigSection alerting) {
    var a = new callwatch.aggregator.watch.Alerting(webhooks(alerting), email(alerting.section("email")),
        alerting.number("renotifyMinutes", callwatch.aggregator.watch.Alerting.DEFAULT_RENOTIFY_MINUTES, 0, 7 * 24 * 60));
    alerting.rejectUnknownKeys();
    return a;
  }

  /** {@code alerting.email}: the SMTP server and addresses alert e-mails go to; null when not set. */
  private static callwatch.aggregator.watch.EmailChannel email(ConfigSection e) {
    if (!e.has("host") && !e.has("to") && !e.has("routes")) {
      e.rejectUnknownKeys();
      return null;
    }
    String host = e.string("host", null);
    if (host == null) e.report("host", "is needed: the SMTP server");
    List<callwatch.aggregator.watch.EmailChannel.Route> routes = new java.util.ArrayList<>();
    if (e.has("to") || !e.has("routes")) routes.add(emailRoute(e));
    for (ConfigSection r : e.sections("routes")) {
      routes.add(emailRoute(r));
      r.rejectUnknownKeys();
    }
    String from = e.string("from", "callwatch@localhost");
    String starttls = e.string("starttls", "OPTIONAL");
    if (!List.of("DISABLED", "OPTIONAL", "REQUIRED").contains(starttls)) e.report("starttls", "must be DISABLED, OPTIONAL or REQUIRED");
    var channel = new callwatch.aggregator.watch.EmailChannel(host, (int) e.number("port", 25, 1, 65535), from, starttls,
        e.string("username", null), e.secret("password"), routes);
    e.rejectUnknownKeys();
    return channel;
  }

  /** {@code to}, with the alerts it takes: alerting.email itself, or one of alerting.email.routes. */
  private static callwatch.aggregator.watch.EmailChannel.Route emailRoute(ConfigSection e) {
    List<String> to = e.strings("to", List.of());
    if (to.isEmpty()) e.report("to", "names no address");
    for (String a : to) if (!a.matches("[^@\\s]+@[^@\\s]+")) e.report("to", "'" + a + "' is not an e-mail address");
    return new callwatch.aggregator.watch.EmailChannel.Route(to, route(e));
  }

  /** {@code kinds}, {@code services} and {@code severities} of a channel: which alerts go there (empty: all). */
  private static callwatch.aggregator.watch.AlertRoute route(ConfigSection c) {
    List<String> severities = c.strings("severities", List.of());
    for (String s : severities) {
      if (!callwatch.aggregator.watch.AlertRoute.SEVERITIES.contains(s)) c.report("severities", "'" + s + "' is not outage, degraded or unknown");
    }
    List<String> kinds = c.strings("kinds", List.of());
    for (String k : kinds) {
      String problem = callwatch.aggregator.detect.Alert.kindProblem(k);
      if (problem != null) c.report("kinds", problem);
    }
    return new callwatch.aggregator.watch.AlertRoute(new java.util.LinkedHashSet<>(kinds),
        new java.util.LinkedHashSet<>(c.strings("services", List.of())), new java.util.LinkedHashSet<>(severities));
  }

  private static void checkSecrets(ConfigSection where, String prefix, Map<String, String> found, Map<String, String> into) {
    for (Map.Entry<String, String> a : found.entrySet()) {
      if (a.getValue() == null || a.getValue().length() < 8) where.report(prefix + a.getKey(), "secret must have at least 8 characters");
      if (into.put(a.getKey(), a.getValue()) != null) where.report(prefix + a.getKey(), "agent listed twice (in agents: and in agentsFile)");
    }
  }

  private static long defaultEventBusPort(ConfigSection cluster) {
    long port = cluster.number("port", DEFAULT_CLUSTER_PORT, 1, 65535) + EVENT_BUS_PORT_OFFSET;
    return port <= 65535 ? port : 0; // 0 is refused: such a cluster port needs an explicit eventBusPort
  }

  /**
   * Synchronous backups of each cache entry: by default two (one fewer in a cluster of two, none
   * alone, which costs nothing), so that with three members any two may die at once and the third still holds every
   * acknowledged batch not yet in the files.
   */
  public int cacheBackups() {
    return backups >= 0 ? backups : Math.max(1, Math.min(2, memberList().size() - 1));
  }

  /** The names browsers may use for this member (its Host header): the configured ones, its address, and loopback. */
  public java.util.Set<String> hostNames() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String n : publicNames) out.add(n.toLowerCase(java.util.Locale.ROOT));
    out.add(httpHost.toLowerCase(java.util.Locale.ROOT));
    out.addAll(List.of("localhost", "127.0.0.1", "[::1]", "::1"));
    return out;
  }

  /** The whole cluster as configured: the listed members and this one. */
  public callwatch.aggregator.cluster.MemberList memberList() {
    return new callwatch.aggregator.cluster.MemberList(selfAddress(), clusterMembers);
  }

  /** This member as host:port, an IPv6 host in brackets. */
  private String selfAddress() {
    return (clusterHost.contains(":") && !clusterHost.startsWith("[") ? "[" + clusterHost + "]" : clusterHost) + ":" + clusterPort;
  }

  public AggregatorConfig withHttpPort(int port) {
    return new AggregatorConfig(httpHost, port, dataDir, agents, openAgents, clusterName, clusterHost, clusterPort,
        clusterMembers, eventBusPort, backups, cacheWindowMinutes, maxSourcesPerAgent, diskReserveMiB, pharmacyHours, ingestQueueMiB, tlsCertPem, tlsKeyPem, usersFile, publicNames,
        clusterTlsCertPem, clusterTlsKeyPem, clusterTlsCaPem, detection, alerting, publicServices);
  }
}

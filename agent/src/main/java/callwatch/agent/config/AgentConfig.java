package callwatch.agent.config;

import callwatch.agent.parse.CallLineParser;
import callwatch.agent.tail.Tailer;
import callwatch.common.config.ConfigSection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the agent is told, with defaults for all but the aggregator addresses and the files.
 * Built by {@link #from(ConfigSection)}, which names the file and the key of any bad value.
 * See the config reference in README.md.
 */
public record AgentConfig(
    String agentId, String secret, String host, List<URI> aggregators, List<Tailer.Glob> files,
    int stepSeconds, Duration flushEvery, Duration grace, Path stateDir, long spoolMaxBytes,
    int maxLineBytes, Duration scanEvery, boolean startAtEnd, Duration reconnectMin,
    Duration reconnectMax, Duration drainGrace, String trustPem) {

  public static final int DEFAULT_STEP_SECONDS = 10;
  public static final Duration DEFAULT_FLUSH_EVERY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/callwatch-agent");
  public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
  public static final Duration DEFAULT_SCAN_EVERY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(500);
  /**
   * Short, so that agents are back within seconds when the aggregator returns after a long outage
   * (140 agents trying every few seconds cost a down port nothing); a busy aggregator paces them
   * itself with Retry-After.
   */
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(2);

  public static AgentConfig from(ConfigSection c) {
    return from(c, false);
  }

  /**
   * Reads the config, reporting every problem of the file at once. With {@code checkPaths} (what
   * {@code --check-config} does) it also checks that the state folder can be made and written,
   * that each glob's folder exists and that the files it names can be read.
   */
  public static AgentConfig from(ConfigSection c, boolean checkPaths) {
    AgentConfig cfg;
    try {
      cfg = read(c);
      if (checkPaths) checkPaths(c, cfg);
    } catch (RuntimeException e) {
      // a problem already reported may have caused this one: say those
      c.throwIfProblems();
      throw e;
    }
    c.throwIfProblems();
    return cfg;
  }

  private static AgentConfig read(ConfigSection c) {
    String host = c.string("host", localHostName());
    String agentId = c.string("agentId", host);
    if (!agentId.matches("[A-Za-z0-9._-]{1,64}")) c.report("agentId", "must be 1-64 of A-Z a-z 0-9 . _ -, got '" + agentId + "'");
    String secret = c.secret("secret");
    String secretFile = c.string("secretFile", null);
    c.checkPrivateFile("secretFile", secretFile);
    if (secret == null && secretFile != null) {
      try {
        secret = java.nio.file.Files.readString(Path.of(secretFile)).strip();
      } catch (java.io.IOException e) {
        c.report("secretFile", "cannot read " + secretFile + ": " + e.getMessage());
      }
    }
    List<URI> aggregators = new ArrayList<>();
    List<String> urls = c.strings("aggregators", null);
    if (urls == null || urls.isEmpty()) c.report("aggregators", "is required: a list of ws:// or wss:// URLs");
    for (String u : urls == null ? List.<String>of() : urls) {
      try {
        URI uri = new URI(u);
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
          c.report("aggregators", "'" + u + "' must be a ws:// or wss:// URL with a host");
        } else {
          aggregators.add(uri);
        }
      } catch (URISyntaxException e) {
        c.report("aggregators", "'" + u + "' is not a URL: " + e.getReason());
      }
    }
    List<Tailer.Glob> files = new ArrayList<>();
    List<ConfigSection> fileSections = c.sections("files");
    for (ConfigSection f : fileSections) {
      String glob = f.requiredString("glob");
      String format = f.string("format", "app");
      String pattern = f.string("pattern", null);
      java.time.ZoneId zone = java.time.ZoneId.systemDefault();
      String zoneName = f.string("zone", null);
      if (zoneName != null) {
        try {
          zone = java.time.ZoneId.of(zoneName);
        } catch (java.time.DateTimeException e) {
          f.report("zone", "'" + zoneName + "' is not a time zone (e.g. Europe/Brussels)");
        }
      }
      try {
        CallLineParser.forFormat(format, pattern, zone);
      } catch (IllegalArgumentException e) {
        f.report("regex".equals(format) ? "pattern" : "format", e.getMessage());
      }
      f.rejectUnknownKeys();
      if (glob != null) files.add(new Tailer.Glob(glob, format, pattern, zone));
    }
    if (fileSections.isEmpty()) c.report("files", "is required: a list of {glob, format} entries");
    int step = (int) c.number("stepSeconds", DEFAULT_STEP_SECONDS, 1, 3600);
    if (step != DEFAULT_STEP_SECONDS) {
      c.report("stepSeconds", "must be " + DEFAULT_STEP_SECONDS + ": the aggregator stores " + DEFAULT_STEP_SECONDS
          + " s slots and refuses every batch of another step, got " + step);
    }
    AgentConfig cfg = new AgentConfig(agentId, secret, host, aggregators, files, step,
        c.millis("flushMillis", DEFAULT_FLUSH_EVERY, 50, 60_000),
        c.millis("graceMillis", DEFAULT_GRACE, 0, 3_600_000),
        Path.of(c.string("stateDir", DEFAULT_STATE_DIR.toString())),
        c.number("spoolMaxBytes", DEFAULT_SPOOL_MAX_BYTES, 1024, Long.MAX_VALUE),
        (int) c.number("maxLineBytes", DEFAULT_MAX_LINE_BYTES, 256, 16 << 20),
        c.millis("scanMillis", DEFAULT_SCAN_EVERY, 50, 60_000),
        "end".equals(startAt(c)),
        c.millis("reconnectMinMillis", DEFAULT_RECONNECT_MIN, 10, 600_000),
        c.millis("reconnectMaxMillis", DEFAULT_RECONNECT_MAX, 10, 3_600_000),
        c.millis("drainGraceMillis", DEFAULT_DRAIN_GRACE, 0, 600_000),
        c.string("trustPem", null));
    if (cfg.reconnectMax.compareTo(cfg.reconnectMin) < 0) c.report("reconnectMaxMillis", "must be >= reconnectMinMillis");
    c.rejectUnknownKeys();
    return cfg;
  }

  private static void checkPaths(ConfigSection c, AgentConfig cfg) {
    c.checkWritableFolder("stateDir", cfg.stateDir());
    c.checkReadableFile("trustPem", cfg.trustPem());
    c.checkReadableFile("secretFile", c.string("secretFile", null));
    for (int i = 0; i < cfg.files().size(); i++) {
      Path dir = Path.of(cfg.files().get(i).pattern()).getParent();
      // a warning, not an error: the application may create its log folder after the agent is
      // installed, and the agent picks the files up as soon as they appear
      if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
        c.warn("files[" + i + "].glob", "the folder " + dir + " does not exist (yet): nothing is read until it does");
      }
    }
  }

  private static String startAt(ConfigSection c) {
    String s = c.string("startAt", "beginning");
    if (!s.equals("beginning") && !s.equals("end")) c.report("startAt", "must be 'beginning' or 'end', got '" + s + "'");
    return s;
  }

  static String localHostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) return h;
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}

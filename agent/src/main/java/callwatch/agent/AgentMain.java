package callwatch.agent;

import callwatch.agent.config.AgentConfig;
import callwatch.common.config.ConfigException;
import callwatch.common.config.ConfigFiles;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;

/**
 * {@code java -jar callwatch-agent.jar [--check-config] FILE}: validates the config (naming the
 * file and key of any mistake), then runs the agent until it is stopped. Opens no listening port.
 */
public final class AgentMain {
  private AgentMain() {}

  static final String USAGE = """
      usage: java -jar callwatch-agent.jar CONFIG.yaml|CONFIG.json
             java -jar callwatch-agent.jar --check-config CONFIG.yaml|CONFIG.json
             java -jar callwatch-agent.jar --help

      Tails the call logs the config names and ships per-slot counts to the aggregators over an
      outbound WebSocket; opens no port. --check-config reports every mistake of the file at once
      (file, key, line) and checks that the state folder can be written and that the files it names
      can be read; a glob whose folder does not exist yet is a warning. Exit status 0 when the file
      is fine, 2 if not.
      The keys are listed in README.md (Agent config).""";

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    boolean checkOnly = args.length == 2 && args[0].equals("--check-config");
    String file = checkOnly ? args[1] : args.length == 1 && !args[0].startsWith("-") ? args[0]
        : args.length == 2 && args[0].equals("--config") ? args[1] : null;
    if (file == null) {
      System.err.println(USAGE);
      System.exit(2);
    }
    AgentConfig cfg;
    java.util.List<String> warnings;
    try {
      callwatch.common.config.ConfigSection section = ConfigFiles.load(Path.of(file));
      cfg = AgentConfig.from(section, checkOnly);
      warnings = section.warnings();
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage().replace("\n", "\nconfig error: "));
      System.exit(2);
      return;
    }
    for (String w : warnings) System.err.println("config warning: " + w);
    if (checkOnly) {
      System.out.println(file + ": OK (agent " + cfg.agentId() + ", " + cfg.files().size() + " file globs, "
          + cfg.aggregators().size() + " aggregator addresses" + (warnings.isEmpty() ? "" : "; " + warnings.size() + " warning(s) above") + ")");
      return;
    }
    // Small and quiet: one event loop, one blocking thread (the agent's I/O worker is its own), and
    // the blocked-thread check once a minute instead of every second (it costs a share of a core
    // that matters when the whole agent should cost well under 1 %; see docs/performance.md).
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(2)
        .setBlockedThreadCheckInterval(60_000));
    vertx.deployVerticle(new AgentVerticle(cfg)).onFailure(err -> {
      System.err.println("agent failed to start: " + err);
      vertx.close();
      System.exit(1);
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
  }
}

package callwatch.aggregator;

import callwatch.aggregator.demo.Demo;
import callwatch.common.config.ConfigException;
import callwatch.common.config.ConfigFiles;
import callwatch.common.config.ConfigSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar callwatch-aggregator.jar [--check-config] [CONFIG]} runs (or checks) one
 * aggregator node; {@code ... demo [--port N]} runs the self-contained demo.
 */
public final class AggregatorMain {
  private AggregatorMain() {}

  /** The exit status of a member whose disk cannot hold the history: the systemd unit does not restart it. */
  static final int NO_ROOM_EXIT = 3;

  static final String USAGE = """
      usage: java -jar callwatch-aggregator.jar [CONFIG.yaml|CONFIG.json]   run a member (no file: the defaults)
             java -jar callwatch-aggregator.jar --check-config CONFIG       check a config, every mistake at once
             java -jar callwatch-aggregator.jar demo [--port N]            the self-contained demo
             java -jar callwatch-aggregator.jar user add|passwd|remove|list NAME [ROLE] [--generate] [--config CONFIG]
             java -jar callwatch-aggregator.jar --help

      --check-config names the file, key and line of each problem, checks that the data folder can
      be written and that the certificate, key, agents and users files can be read; exit status 0
      when the file is fine, 2 if not. The keys are listed in README.md (Aggregator config).""";

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    System.setProperty("java.awt.headless", "true");
    // On a 2-CPU machine the JVM's common pool has parallelism 1, and CompletableFuture (which
    // Hazelcast's map calls complete through) then starts a new thread for every async step: tens
    // of thousands of threads in a backlog. Two workers bound that.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", String.valueOf(
          Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
    Logging.configure();
    if (args.length >= 1 && args[0].equals("demo")) {
      demo(args);
      return;
    }
    if (args.length >= 1 && args[0].equals("user")) {
      System.exit(user(java.util.Arrays.asList(args).subList(1, args.length)));
      return;
    }
    boolean checkOnly = args.length == 2 && args[0].equals("--check-config");
    String file = checkOnly ? args[1] : args.length == 1 && !args[0].startsWith("-") ? args[0]
        : args.length == 2 && args[0].equals("--config") ? args[1] : null;
    if (args.length > 0 && file == null) {
      System.err.println(USAGE);
      System.exit(2);
    }
    AggregatorConfig cfg;
    try {
      cfg = AggregatorConfig.from(file == null ? ConfigSection.of("(defaults)", Map.of()) : ConfigFiles.load(Path.of(file)), checkOnly);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage().replace("\n", "\nconfig error: "));
      System.exit(2);
      return;
    }
    if (checkOnly) {
      System.out.println(file + ": OK");
      return;
    }
    AggregatorNode node;
    try {
      node = AggregatorNode.start(cfg).await();
    } catch (Exception e) { // await() rethrows the cause as it is, checked or not
      // Hazelcast's threads would keep a half-started process alive with the cluster port held and
      // no HTTP: exit, so that the supervisor sees the failure and restarts it
      System.err.println("callwatch aggregator failed to start: " + e);
      if (e instanceof callwatch.aggregator.store.HistoryTransfer.NoRoomForHistory) {
        // joining again every few seconds would only move the cluster's partitions back and forth
        System.err.println("not restarted by systemd (exit status " + NO_ROOM_EXIT + ", RestartPreventExitStatus): make room, then start it");
        System.exit(NO_ROOM_EXIT);
      }
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.println("callwatch aggregator: http://" + cfg.httpHost() + ":" + node.port() + "/");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> node.closeBlocking()));
  }

  /** {@code user ... [--config FILE]}: manages the users file the config names (default ./callwatch-data/users.json). */
  private static int user(java.util.List<String> args) throws Exception {
    java.util.List<String> rest = new java.util.ArrayList<>(args);
    String file = null;
    int i = rest.indexOf("--config");
    if (i >= 0 && i + 1 < rest.size()) {
      file = rest.get(i + 1);
      rest.remove(i + 1);
      rest.remove(i);
    }
    AggregatorConfig cfg;
    try {
      cfg = AggregatorConfig.from(file == null ? ConfigSection.of("(defaults)", Map.of()) : ConfigFiles.load(Path.of(file)));
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return 2;
    }
    return callwatch.aggregator.auth.UserCommand.run(rest, new callwatch.aggregator.auth.UserFile(cfg.usersFile()), System.out, System.err);
  }

  private static void demo(String[] args) throws Exception {
    int port = 8080;
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals("--port")) port = Integer.parseInt(args[i + 1]);
    }
    Path dir = Files.createTempDirectory("callwatch-demo-");
    System.out.println("callwatch demo: writing synthetic history and traffic under " + dir);
    Demo.Running demo = Demo.start(port, dir, 6.0, 24 * 3600).await();
    System.out.println("callwatch demo: wallboard at http://127.0.0.1:" + demo.node().port() + "/  (Ctrl-C to stop)");
    System.out.println("callwatch demo: log in as " + Demo.OPERATOR + " with the password " + demo.operatorPassword());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.writer().stop();
      demo.node().closeBlocking();
      // the demo's history is throw-away: Ctrl-C leaves nothing under the temp folder
      deleteTree(dir);
    }));
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      System.err.println("callwatch demo: could not remove " + dir + ": " + e);
    }
  }
}

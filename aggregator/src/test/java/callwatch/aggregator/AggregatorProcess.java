package callwatch.aggregator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An aggregator member as a separate JVM (the test's own classpath), so that a test can kill it
 * with SIGKILL as a crash would: no shutdown hook, no Hazelcast goodbye, files as they are.
 */
final class AggregatorProcess {
  private final Path config;
  private final Path log;
  private final int httpPort;
  private Process process;

  AggregatorProcess(Path dir, JsonObject cfg) throws IOException {
    Files.createDirectories(dir);
    this.httpPort = freePort();
    this.config = dir.resolve("aggregator.json");
    this.log = dir.resolve("aggregator-process.log");
    Files.writeString(config, cfg.copy().put("httpPort", httpPort).encodePrettily());
    TestNodes.writeUsers(Path.of(cfg.getString("dataDir")));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  int httpPort() {
    return httpPort;
  }

  void start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "callwatch.aggregator.AggregatorMain", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Answers health with 200 (it takes batches). */
  boolean healthy() {
    try {
      return TestNodes.getRaw(httpPort, "/api/health").statusCode() == 200;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** Asks the JVM to print its threads into the member's output (SIGQUIT): for reading a hang after a run. */
  void dumpThreads() throws IOException, InterruptedException {
    if (alive()) new ProcessBuilder("kill", "-3", Long.toString(process.pid())).start().waitFor();
    Thread.sleep(1000); // the JVM prints it on its own thread
  }

  /** Its exit status once it has ended, or null if it still runs after {@code seconds}. */
  Integer exitStatus(int seconds) throws InterruptedException {
    return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS) ? process.exitValue() : null;
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}

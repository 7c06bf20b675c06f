package callwatch.aggregator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent as a separate JVM, started from its shaded jar, so a test can kill it with SIGKILL. */
final class AgentProcess {
  private static final Path JAR = Path.of("..", "agent", "target", "callwatch-agent.jar").toAbsolutePath().normalize();
  private final Path config;
  private final Path log;
  private final String maxHeap;
  private Process process;

  AgentProcess(Path dir, JsonObject cfg, String maxHeap) throws IOException {
    if (!Files.exists(JAR)) throw new IllegalStateException("build the agent first: " + JAR + " is missing");
    this.config = dir.resolve("agent-" + System.nanoTime() + ".json");
    this.log = dir.resolve("agent-process.log");
    this.maxHeap = maxHeap;
    Files.writeString(config, cfg.encodePrettily());
  }

  void start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx" + maxHeap, "-cp", JAR.toString(), "callwatch.agent.AgentMain", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** SIGKILL: no shutdown hook, no last flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}

package callwatch.aggregator.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One process of a bench (an aggregator member or an agent), restartable, its output appended to a log file. */
final class BenchProcess {
  final String name;
  final int http;
  private final Path config;
  private final Path log;
  private final Path jar;
  private final String main;
  private final String heap;
  private Process process;

BenchProcess(Path dir, String name, JsonObject cfg, Path jar, String main, String heap, int http) throws IOException {
    this.name = name;
    this.http = http;
    this.config = dir.resolve(name + ".json");
    this.log = dir.resolve(name + ".log");
    this.jar = jar;
    this.main = main;
    this.heap = heap;
    Files.writeString(config, cfg.encodePrettily());
  }

  void start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap));
    // e.g. -Dbench.jvmArgs.agg=-XX:StartFlightRecording=... to profile one kind of process of a bench
    String extra = System.getProperty("bench.jvmArgs." + name.replaceAll("-\\d+$", ""));
    if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
    cmd.addAll(List.of("-cp", jar.toString(), main, config.toString()));
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  void destroy() {
    if (process != null) process.destroyForcibly();
  }

  void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    process.waitFor();
  }

  /** Stops the process as systemd would (SIGTERM, then SIGKILL after 20 s), so that it can write what it keeps on exit. */
  void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) kill();
  }

  /** The process id, for its CPU time and resident memory in /proc. */
  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }
}

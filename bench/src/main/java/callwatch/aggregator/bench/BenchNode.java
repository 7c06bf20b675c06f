package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.common.config.ConfigSection;
import java.nio.file.Path;
import java.util.Map;

/** A single aggregator node on 127.0.0.1 for a benchmark, knowing one agent. */
final class BenchNode {
  private BenchNode() {}

  /** The bench's operator account, made in {@code dataDir}'s users file; returns its session cookie at {@code port}. */
  static String operatorCookie(Path dataDir, int port) throws Exception {
    String password = callwatch.aggregator.auth.PasswordHash.generate();
    var users = new callwatch.aggregator.auth.UserFile(dataDir.resolve("users.json"));
    users.putBlocking(new callwatch.aggregator.auth.UserFile.User("bench-operator", callwatch.aggregator.auth.Role.OPERATOR,
        callwatch.aggregator.auth.PasswordHash.hash(password)));
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/api/login")).header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new io.vertx.core.json.JsonObject()
            .put("user", "bench-operator").put("password", password).encode())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("bench login refused: " + r.statusCode() + " " + r.body());
    return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  static AggregatorNode start(String name, Path dataDir, int clusterPort, String agentId, String secret) {
    return start(name, dataDir, clusterPort, agentId, secret, Map.of());
  }

  /** With more settings (e.g. {@code alerting}). */
  static AggregatorNode start(String name, Path dataDir, int clusterPort, String agentId, String secret, Map<String, Object> more) {
    Map<String, Object> c = new java.util.HashMap<>(Map.of(
        "httpPort", 0, "dataDir", dataDir.toString(), "agents", Map.of(agentId, secret),
        "cluster", Map.of("name", "callwatch-" + name + "-bench-" + ProcessHandle.current().pid(), "port", clusterPort)));
    c.putAll(more);
    return AggregatorNode.start(AggregatorConfig.from(ConfigSection.of("bench", c))).await();
  }

  /** An agent (in this JVM, a Vert.x of its own) tailing {@code logs/*.log} for the node on {@code port}. */
  static io.vertx.core.Vertx startAgent(Path dir, int port, String agentId, String secret) throws Exception {
    Path logs = java.nio.file.Files.createDirectories(dir.resolve("logs"));
    io.vertx.core.Vertx agentVertx = io.vertx.core.Vertx.vertx();
    agentVertx.deployVerticle(new callwatch.agent.AgentVerticle(callwatch.agent.config.AgentConfig.from(new ConfigSection("bench", "",
        new io.vertx.core.json.JsonObject().put("agentId", agentId).put("secret", secret)
            .put("aggregators", new io.vertx.core.json.JsonArray().add("ws://127.0.0.1:" + port + "/agent"))
            .put("files", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("glob", logs + "/*.log").put("format", "app")))
            .put("stateDir", dir.resolve("state").toString()))))).await();
    return agentVertx;
  }
}

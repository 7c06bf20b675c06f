package callwatch.aggregator.demo;

import callwatch.agent.AgentVerticle;
import callwatch.agent.config.AgentConfig;
import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.common.config.ConfigSection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The embedded default: an aggregator (a Hazelcast cluster of one on 127.0.0.1), an agent in the
 * same process with its own secret, and a synthetic traffic writer, all on a temp folder.
 */
public final class Demo {
  private Demo() {}

  /** The running demo; {@code operatorPassword} is the demo account's, made at start and said once. */
  public record Running(AggregatorNode node, TrafficWriter writer, Path dir, String operatorPassword) {}

  public static final String OPERATOR = "demo-operator";

  public static Future<Running> start(int port, Path dir, double peakPerSecond, long historySeconds) throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    String secret = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
    List<String> hosts = List.of("app-01", "app-02");
    TrafficWriter writer = new TrafficWriter(dir.resolve("logs"), hosts, peakPerSecond, historySeconds);
    writer.writeHistoryBlocking(System.currentTimeMillis());
    String password = callwatch.aggregator.auth.PasswordHash.generate();
    new callwatch.aggregator.auth.UserFile(dir.resolve("data").resolve("users.json")).putBlocking(new callwatch.aggregator.auth.UserFile.User(
        OPERATOR, callwatch.aggregator.auth.Role.OPERATOR, callwatch.aggregator.auth.PasswordHash.hash(password)));
    AggregatorConfig acfg = AggregatorConfig.from(ConfigSection.of("demo", Map.of(
        "httpPort", port, "dataDir", dir.resolve("data").toString(),
        // the demo's journal stays small: a laptop's nearly full temp disk still shows history
        "diskReserveMiB", 64,
        "agents", Map.of("demo-agent", secret),
        "cluster", Map.of("name", "callwatch-demo-" + ProcessHandle.current().pid()))));
    return AggregatorNode.start(acfg).compose(node -> {
      AgentConfig agentCfg = AgentConfig.from(new ConfigSection("demo", "", new JsonObject()
          .put("agentId", "demo-agent").put("secret", secret).put("host", "demo-host")
          .put("aggregators", new JsonArray().add("ws://127.0.0.1:" + node.port() + "/agent"))
          .put("files", new JsonArray().add(new JsonObject().put("glob", dir.resolve("logs") + "/*.log").put("format", "app")))
          .put("stateDir", dir.resolve("agent-state").toString())));
      return node.vertx().deployVerticle(new AgentVerticle(agentCfg)).map(id -> {
        Thread t = new Thread(writer, "demo-traffic");
        t.setDaemon(true);
        t.start();
        return new Running(node, writer, dir, password);
      });
    });
  }
}

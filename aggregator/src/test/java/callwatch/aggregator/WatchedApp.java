package callwatch.aggregator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application server as detection's tests need one: DPP and RECIPE calls written now into
 * {@code logs/app.log} under {@code dir}, and an agent tailing it for an aggregator.
 */
public final class WatchedApp implements AutoCloseable {
  public final ServiceWriter writer;
  private final Vertx agent;
  private boolean agentStopped;

  private WatchedApp(ServiceWriter writer, Vertx agent) {
    this.writer = writer;
    this.agent = agent;
  }

  /** The agent connects to the first of {@code aggregatorPorts} and moves along them when one fails. */
  public static WatchedApp start(Path dir, String agentId, String secret, int... aggregatorPorts) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    JsonObject cfg = TestNodes.agentJson(agentId, secret, dir.resolve("agent"), aggregatorPorts[0],
        new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app")));
    JsonArray addresses = new JsonArray();
    for (int port : aggregatorPorts) addresses.add("ws://127.0.0.1:" + port + "/agent");
    Vertx agent = TestNodes.startAgent(cfg.put("aggregators", addresses));
    return new WatchedApp(new ServiceWriter(logs.resolve("app.log"), "DPP", "RECIPE"), agent);
  }

  /** The agent stops as a stopped service would (the application goes on writing). */
  public synchronized void stopAgent() {
    if (agentStopped) return;
    agentStopped = true;
    agent.close().await();
  }

  @Override
  public void close() {
    writer.close();
    stopAgent();
  }
}

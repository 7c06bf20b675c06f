package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.demo.TrafficModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The live figure of detection, on the wall clock: the platform's peak traffic (550 calls/s over
 * six services) written to a log file, read by a real agent, stored by a real aggregator; then
 * RECIPE's writes stop, and the bench times from the last RECIPE line written to the stall alert
 * arriving on a {@code /live} connection; and from the alert's {@code firedAtWallMillis} to the
 * {@code /live} message and to its webhook's delivery. A fresh installation: no history, so detection expects
 * the last minutes' rate and needs 1.5 × the stall evidence. Run with bench/stall-alert.sh [RUNS].
 */
public final class StallAlertBench {
  private StallAlertBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("callwatch-stall-");
    // a webhook receiver: when each alert's delivery arrives
    Vertx receiverVertx = Vertx.vertx();
    LinkedBlockingQueue<JsonObject> hooks = new LinkedBlockingQueue<>();
    var receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      hooks.add(new JsonObject(b.toString()).put("receivedAt", System.currentTimeMillis()));
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    AggregatorNode node = BenchNode.start("stall", dir.resolve("agg"), 5994, "stall-agent", "stall-secret-1", java.util.Map.of("detection", java.util.Map.of("holdDownSeconds", 10), "alerting",
        java.util.Map.of("webhooks", List.of(java.util.Map.of("url", "http://127.0.0.1:" + receiver.actualPort() + "/", "secret", "bench-webhook-secret")))));
    String cookie = BenchNode.operatorCookie(dir.resolve("agg"), node.port());
    Path logs = dir.resolve("logs");
    Vertx agentVertx = BenchNode.startAgent(dir, node.port(), "stall-agent", "stall-secret-1");
    LinkedBlockingQueue<JsonObject> alerts = new LinkedBlockingQueue<>();
    Vertx browser = Vertx.vertx();
    // kept to the end: Vert.x closes a client's connections once the client is garbage collected
    var wsClient = browser.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
    var ws = wsClient.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(node.port()).setURI("/live").addHeader("cookie", cookie)).await();
    ws.textMessageHandler(t -> {
      JsonObject m = new JsonObject(t);
      if ("alert".equals(m.getString("type"))) alerts.add(m.put("receivedAt", System.currentTimeMillis()));
    });

    TrafficModel model = new TrafficModel(7, 1);
    Path file = dir.resolve("logs").resolve("app.log");
    List<Long> times = new ArrayList<>();
    List<Long> toLive = new ArrayList<>(), toHook = new ArrayList<>();
    long[] lastRecipe = {0};
    boolean[] recipeOn = {true};
    Thread writer = new Thread(() -> {
      long begin = System.nanoTime();
      try {
        for (long tick = 0; !Thread.currentThread().isInterrupted(); tick++) {
          StringBuilder sb = new StringBuilder();
          long now = System.currentTimeMillis();
          boolean on;
          synchronized (recipeOn) {
            on = recipeOn[0];
          }
          for (int i = 0; i < 55; i++) { // 550 calls/s
            String line = model.line(now, "app-01");
            if (line.contains("service=RECIPE ")) {
              if (!on) continue;
              synchronized (lastRecipe) {
                lastRecipe[0] = now;
              }
            }
            sb.append(line).append('\n');
          }
          Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          long sleep = begin + (tick + 1) * 100_000_000L - System.nanoTime();
          if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    Thread.sleep(90_000); // detection learns the rate of this fresh installation
    for (int run = 0; run < runs; run++) {
      alerts.clear();
      synchronized (recipeOn) {
        recipeOn[0] = false;
      }
      JsonObject alert = null;
      while (alert == null) {
        JsonObject m = alerts.poll(120, TimeUnit.SECONDS);
        if (m == null) throw new IllegalStateException("no stall alert within 2 minutes");
        if ("stall".equals(m.getString("kind")) && "RECIPE".equals(m.getString("service")) && "firing".equals(m.getString("state"))) alert = m;
      }
      long last;
      synchronized (lastRecipe) {
        last = lastRecipe[0];
      }
      long took = alert.getLong("receivedAt") - last;
      times.add(took);
      toLive.add(alert.getLong("receivedAt") - alert.getLong("firedAtWallMillis"));
      JsonObject hook = null;
      while (hook == null) {
        JsonObject h = hooks.poll(60, TimeUnit.SECONDS);
        if (h == null) throw new IllegalStateException("no webhook within a minute");
        if ("firing".equals(h.getString("transition")) && alert.getString("id").equals(h.getJsonObject("alert").getString("id"))) hook = h;
      }
      toHook.add(hook.getLong("receivedAt") - alert.getLong("firedAtWallMillis"));
      System.out.printf(Locale.ROOT, "run %d: last RECIPE line written -> stall alert on /live: %d ms (fired %d ms after; %s)%n",
          run + 1, took, alert.getLong("firedAtWallMillis") - last, alert.getString("reason"));
      synchronized (recipeOn) {
        recipeOn[0] = true;
      }
      String id = alert.getString("id");
      for (JsonObject m = alerts.poll(180, TimeUnit.SECONDS); m == null || !(id.equals(m.getString("id")) && "resolved".equals(m.getString("state")));
           m = alerts.poll(180, TimeUnit.SECONDS)) {
        if (m == null) throw new IllegalStateException("the stall did not resolve within 3 minutes");
      }
      Thread.sleep(60_000); // a minute of normal traffic again
    }
    Collections.sort(times);
    Collections.sort(toLive);
    Collections.sort(toHook);
    System.out.printf(Locale.ROOT, "stall of a service at 137 calls/s: last line written -> alert on /live: median %d ms, max %d ms (%d runs)%n",
        times.get(times.size() / 2), times.get(times.size() - 1), times.size());
    System.out.printf(Locale.ROOT, "firedAtWallMillis -> /live: p50 %d ms, max %d ms; -> webhook received: p50 %d ms, max %d ms%n",
        toLive.get(toLive.size() / 2), toLive.get(toLive.size() - 1), toHook.get(toHook.size() / 2), toHook.get(toHook.size() - 1));
    writer.interrupt();
    writer.join();
    wsClient.close().await();
    receiverVertx.close().await();
    browser.close().await();
    agentVertx.close().await();
    node.closeBlocking();
    System.exit(0);
  }
}

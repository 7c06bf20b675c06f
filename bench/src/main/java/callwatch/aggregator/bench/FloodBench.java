package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorNode;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.Protocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ingest under a flood of queries: a well-behaved agent sends a batch every 200 ms and times each
 * acknowledgement, first with the node idle, then while many clients request year-long PNG
 * renders and series queries as fast as they can (bounded in count and time). Prints ack latency
 * p50/p99 for both phases and what the flood got (200s and 503s). Run with bench/flood.sh.
 */
public final class FloodBench {
  private static final String AGENT = "flood-agent";
  private static final String SECRET = "flood-secret-1";

  private FloodBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    // "renders": operators' year-long PNGs and series; "status": a crowd of pharmacists on the public status page
    boolean status = args.length > 2 && args[2].equals("status");
    Path dir = Files.createTempDirectory("callwatch-flood-");
    AggregatorNode node = BenchNode.start("flood", dir.resolve("agg"), 5995, AGENT, SECRET);
    String cookie = BenchNode.operatorCookie(dir.resolve("agg"), node.port());
    Vertx vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(Protocol.AGENT_PATH).addHeader(Protocol.AUTH_HEADER, Protocol.bearer(AGENT, SECRET))).await();
    LinkedBlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
    ws.textMessageHandler(t -> answers.add(new JsonObject(t)));
    ws.writeTextMessage(new JsonObject().put("type", "hello").put("v", Protocol.VERSION).put("agent", AGENT)
        .put("host", "bench").put("version", "bench").put("epoch", "bench").put("spooled", 0).encode());
    answers.poll(30, TimeUnit.SECONDS);
    long[] seq = {0};
    List<Long> idle = sendBatches(ws, answers, seq, batches);

    AtomicBoolean flooding = new AtomicBoolean(true);
    ConcurrentHashMap<Integer, Long> statuses = new ConcurrentHashMap<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Thread> flood = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < clients; i++) {
      String path = status ? "/status" : i % 2 == 0 ? "/graph.png?s=*.calls&range=1y&overlay=1y&width=4000&height=3000"
          : "/api/series/*.calls?from=-1y&format=vectors";
      String language = List.of("fr-BE,fr;q=0.9", "nl-BE,nl;q=0.9", "en").get(i % 3);
      Thread t = new Thread(() -> {
        while (flooding.get() && System.nanoTime() < deadline) {
          try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(60));
            if (status) req.header("accept-language", language); else req.header("cookie", cookie); // the public page: no login
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            statuses.merge(r.statusCode(), 1L, Long::sum);
          } catch (Exception e) {
            statuses.merge(-1, 1L, Long::sum);
          }
        }
      });
      t.start();
      flood.add(t);
    }
    Thread.sleep(2000); // the flood is running
    long floodStart = System.nanoTime();
    long before = statuses.values().stream().mapToLong(Long::longValue).sum();
    List<Long> flooded = sendBatches(ws, answers, seq, batches);
    long served = statuses.values().stream().mapToLong(Long::longValue).sum() - before;
    double seconds = (System.nanoTime() - floodStart) / 1e9;
    flooding.set(false);
    for (Thread t : flood) t.join();
    System.out.printf("flood: %.0f requests/s answered while the batches were sent (%s)%n", served / seconds, status ? "/status" : "renders and series");
    System.out.printf("ack latency, idle:    p50 %d ms, p99 %d ms (%d batches)%n", pct(idle, 50), pct(idle, 99), idle.size());
    System.out.printf("ack latency, flooded: p50 %d ms, p99 %d ms (%d batches, %d flood clients)%n",
        pct(flooded, 50), pct(flooded, 99), flooded.size(), clients);
    System.out.println("flood answers by status (-1 = client error): " + statuses);
    client.close().await();
    vertx.close().await();
    node.closeBlocking();
    System.exit(0);
  }

  /** Sends {@code n} batches 200 ms apart and returns each one's time to its ack, in ms. */
  private static List<Long> sendBatches(WebSocket ws, LinkedBlockingQueue<JsonObject> answers, long[] seq, int n) throws Exception {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long slot = System.currentTimeMillis() / 10_000 * 10;
      JsonArray c = new JsonArray();
      for (int k = 0; k < Metrics.SIZE; k++) c.add(k <= 1 ? 3L : 0L);
      JsonObject b = new JsonObject().put("type", "batch").put("v", Protocol.VERSION).put("seq", ++seq[0]).put("step", 10)
          .put("closedBefore", slot - 10).put("slots", new JsonArray().add(new JsonObject().put("t", slot)
              .put("rows", new JsonArray().add(new JsonArray().add("DPP").add("register").add("V").add("bench").add(c)))));
      long t0 = System.nanoTime();
      ws.writeTextMessage(b.encode());
      JsonObject ack = answers.poll(60, TimeUnit.SECONDS);
      if (ack == null || !"ack".equals(ack.getString("type"))) throw new IllegalStateException("no ack: " + ack);
      out.add((System.nanoTime() - t0) / 1_000_000);
      Thread.sleep(200);
    }
    return out;
  }

  private static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}

package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated agent frames and random API requests against a real node, while a
 * well-behaved agent sends real calls beside them. Seeded: a failure names its seed, and
 * {@code -Dfuzz.seed=N} replays it. The node must answer every frame (an error and a close, or an
 * ack), never answer a request with a 5xx other than 503 (busy), and store every call of the good
 * agent exactly once.
 */
class FuzzTest {
  private static final String SECRET = "fuzz-secret-123";
  private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
  private static final int FRAMES = Integer.getInteger("fuzz.frames", 3000);
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2000);
  @TempDir Path tmp;

  @Test
  @Timeout(600)
  @DisplayName("thousands of random frames and requests: every frame answered, no 5xx, the node stays up, the good agent's calls all stored once")
  void fuzzProtocolAndApi() throws Exception {
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5871, List.of(),
        Map.of("good", SECRET, "fuzz", SECRET)));
    Vertx vertx = Vertx.vertx();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    Vertx good = TestNodes.startAgent(TestNodes.agentJson("good", SECRET, tmp.resolve("state"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))));
    AtomicBoolean writing = new AtomicBoolean(true);
    long start = System.currentTimeMillis() / 1000;
    Thread writer = new Thread(() -> {
      try {
        while (writing.get()) {
          w.write(10, System.currentTimeMillis());
          Thread.sleep(50);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    try {
      Random rnd = new Random(SEED);
      fuzzFrames(vertx, node.port(), rnd);
      fuzzRequests(node.port(), rnd);
      writing.set(false);
      writer.join();
      await("the good agent's lines are all stored", Duration.ofSeconds(60),
          () -> TestNodes.counter(node.port(), "good", "parsed") == w.written());
      assertEquals(200, TestNodes.getRaw(node.port(), "/api/health").statusCode(), "the node is up");
      long end = System.currentTimeMillis() / 1000 + 20;
      for (String svc : CallLogWriter.services()) {
        assertEquals(w.written(svc), total(node.port(), svc + ".calls", "agent=good&from=" + (start - 20) + "&to=" + end),
            svc + ": every call of the good agent once (seed " + SEED + ")");
      }
    } finally {
      writing.set(false);
      good.close().await();
      vertx.close().await();
      node.closeBlocking();
    }
  }

  private void fuzzFrames(Vertx vertx, int port, Random rnd) {
    RawAgent conn = null;
    long seq = 0;
    for (int i = 0; i < FRAMES; i++) {
      if (conn == null) {
        conn = new RawAgent(vertx, port, "fuzz", SECRET);
        long last = conn.hello("fuzz", "fuzz-epoch", seq);
        seq = Math.max(seq, last);
      }
      String frame = frame(rnd, seq);
      conn.send(frame);
      JsonObject answer = conn.next();
      switch (answer.getString("type")) {
        case "ack" -> seq = Math.max(seq, answer.getLong("seq"));
        case "error", "closed" -> {
          conn.close();
          conn = null;
        }
        default -> fail("case " + i + " (seed " + SEED + "): unexpected answer " + answer + " to " + cut(frame));
      }
    }
    if (conn != null) conn.close();
  }

  /** A valid batch mutated at random, or random text. */
  private static String frame(Random rnd, long seq) {
    long slot = RawAgent.currentSlot() - 10L * rnd.nextInt(30);
    JsonObject b = RawAgent.batch(seq + 1, slot, slot - 10, pick(rnd, "DPP", "RECIPE", "X"), "op" + rnd.nextInt(3), 1 + rnd.nextInt(5));
    return switch (rnd.nextInt(8)) {
      case 0 -> randomText(rnd);
      case 1 -> { // a field replaced by a value of any type
        String key = pick(rnd, "type", "v", "seq", "step", "closedBefore", "slots", "stats", "pharmacyPairs", "pharmacyCalls");
        b.put(key, randomValue(rnd, 3));
        yield b.encode();
      }
      case 2 -> { // a field removed
        b.remove(pick(rnd, "type", "v", "seq", "step", "closedBefore", "slots"));
        yield b.encode();
      }
      case 3 -> { // a row field or counter replaced
        JsonArray row = b.getJsonArray("slots").getJsonObject(0).getJsonArray("rows").getJsonArray(0);
        int k = rnd.nextInt(5);
        if (k < 4) row.set(k, randomValue(rnd, 2));
        else row.getJsonArray(4).set(rnd.nextInt(20), randomValue(rnd, 1));
        yield b.encode();
      }
      case 4 -> { // pharmacy calls with random pairs and codes
        b.put("pharmacyPairs", new JsonObject().put(String.valueOf(rnd.nextInt(3)), new JsonArray().add("DPP").add(randomValue(rnd, 1))));
        b.put("pharmacyCalls", new JsonArray().add(new JsonObject().put("m", slot / 60 * 60 + rnd.nextInt(3))
            .put("c", new JsonArray().add(randomValue(rnd, 1)).add(randomValue(rnd, 1)))));
        yield b.encode();
      }
      case 5 -> b.encode().substring(0, rnd.nextInt(b.encode().length())); // cut short
      case 6 -> { // another message type, or a second hello
        yield new JsonObject().put("type", pick(rnd, "hello", "welcome", "ack", "error", "nope", "")).put("v", 2)
            .put("agent", randomValue(rnd, 1)).put("seq", randomValue(rnd, 1)).encode();
      }
      default -> b.encode(); // a valid batch: acknowledged
    };
  }

  private static Object randomValue(Random rnd, int depth) {
    return switch (rnd.nextInt(depth > 0 ? 12 : 10)) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2 -> rnd.nextLong();
      case 3 -> rnd.nextInt(100);
      case 4 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(300));
      case 5 -> new java.math.BigInteger(80, rnd);
      case 6 -> randomText(rnd);
      case 7 -> "x".repeat(rnd.nextInt(200));
      case 8 -> -rnd.nextInt(1000);
      case 9 -> "";
      case 10 -> new JsonArray().add(randomValue(rnd, depth - 1)).add(randomValue(rnd, depth - 1));
      default -> new JsonObject().put("k", randomValue(rnd, depth - 1));
    };
  }

  private static String randomText(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(40);
    for (int i = 0; i < n; i++) {
      sb.append(switch (rnd.nextInt(6)) {
        case 0 -> (char) rnd.nextInt(32);
        case 1 -> (char) (0xD800 + rnd.nextInt(0x800)); // lone surrogates
        case 2 -> pick(rnd, "{", "}", "[", "]", "\"", ":", ",", "\\");
        case 3 -> "<img src=x onerror=alert(1)>";
        default -> (char) (32 + rnd.nextInt(95));
      });
    }
    return sb.toString();
  }

  private void fuzzRequests(int port, Random rnd) {
    for (int i = 0; i < REQUESTS; i++) {
      String path = request(rnd);
      HttpResponse<String> r = TestNodes.getRaw(port, path);
      if (r.statusCode() == 503) {
        assertTrue(r.headers().firstValue("retry-after").isPresent(), "503 without Retry-After: " + path);
      } else if (r.statusCode() >= 500) {
        fail("request " + i + " (seed " + SEED + "): " + path + " -> " + r.statusCode() + " " + cut(r.body()));
      }
    }
  }

  private static String request(Random rnd) {
    String base = pick(rnd, "/api/series/", "/api/drilldown", "/graph.png", "/api/agents", "/api/series", "/api/health", "/nope/",
        "/graph.html", "/");
    StringBuilder q = new StringBuilder(base);
    if (base.equals("/api/series/")) q.append(enc(pick(rnd, "DPP.calls", "*.calls", "DPP.x.p95", "NOPE.calls", "DPP", "..", "*.errorrate", "DPP.calls.x", randomText(rnd))));
    q.append('?');
    String[] keys = {"from", "to", "step", "shift", "host", "agent", "format", "service", "top", "s", "range", "overlay", "width", "height"};
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      String k = pick(rnd, keys);
      q.append(k).append('=').append(enc(value(rnd, k))).append('&');
    }
    return q.toString();
  }

  private static String value(Random rnd, String key) {
    return switch (rnd.nextInt(5)) {
      case 0 -> pick(rnd, "now", "-1h", "-7d", "1h", "1d", "1w", "1M", "1y", "100y", "100000y", "0", "-5", "x", "", "1e30",
          "9223372036854775807", "-9223372036854775808", "10s", "0s", "vectors", "DPP", "*");
      case 1 -> Long.toString(System.currentTimeMillis() / 1000 - rnd.nextInt(400 * 86400));
      case 2 -> Long.toString(rnd.nextLong());
      case 3 -> Integer.toString(rnd.nextInt(5000) - 100);
      default -> key.equals("width") || key.equals("height") ? Integer.toString(100 + rnd.nextInt(200)) : randomText(rnd);
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s.replaceAll("[\\uD800-\\uDFFF]", "?"), StandardCharsets.UTF_8);
  }

  @SafeVarargs
  private static <T> T pick(Random rnd, T... options) {
    return options[rnd.nextInt(options.length)];
  }

  private static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}

package callwatch.aggregator.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** What the benches ask a member over HTTP, logged in as a bench operator. */
final class BenchApi {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final String SOAK_PASSWORD = callwatch.aggregator.auth.PasswordHash.generate();
  private static final String SOAK_HASH = callwatch.aggregator.auth.PasswordHash.hash(SOAK_PASSWORD);
  private static final Map<Integer, String> COOKIES = new java.util.concurrent.ConcurrentHashMap<>();

  private BenchApi() {}

  /** The bench's operator account, to be written into each member's users file. */
  static callwatch.aggregator.auth.UserFile.User user() {
    return new callwatch.aggregator.auth.UserFile.User("soak", callwatch.aggregator.auth.Role.OPERATOR, SOAK_HASH);
  }

  /** The bench operator's session cookie on a member (logged in once); null if it refuses. */
  static String cookie(int port) throws IOException, InterruptedException {
    String cookie = COOKIES.get(port);
    if (cookie == null) {
      HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              new JsonObject().put("user", "soak").put("password", SOAK_PASSWORD).encode())).build(), HttpResponse.BodyHandlers.ofString());
      if (login.statusCode() != 200) return null;
      cookie = login.headers().firstValue("set-cookie").orElse("").split(";", 2)[0];
      COOKIES.put(port, cookie);
    }
    return cookie;
  }

  /** A GET as the bench operator; null if the member does not answer. */
  static HttpResponse<String> get(int port, String pathAndQuery) {
    try {
      String cookie = cookie(port);
      if (cookie == null) return null;
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
          .header("cookie", cookie).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401) COOKIES.remove(port);
      return r;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The sum of a service's calls over a range; -1 if the member cannot say. */
  static long total(int port, String service, String range) {
    HttpResponse<String> r = get(port, "/api/series/" + service + ".calls?" + range);
    if (r == null || r.statusCode() != 200) return -1;
    long sum = 0;
    for (Object o : new JsonObject(r.body()).getJsonArray("points")) {
      Object v = ((JsonArray) o).getValue(1);
      if (v != null) sum += ((Number) v).longValue();
    }
    return sum;
  }

  static void awaitHealthy(BenchProcess p, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.http + "/api/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(p.name + " did not become healthy within " + max);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}

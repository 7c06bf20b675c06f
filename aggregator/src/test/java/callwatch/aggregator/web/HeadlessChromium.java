package callwatch.aggregator.web;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the DevTools protocol from the test: open a page at a
 * viewport size, evaluate JavaScript in it, take a screenshot. No test-tool browser download.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private final Process process;
  private final java.net.http.WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();

  HeadlessChromium(Path profile) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("browser tests need Debian's chromium: apt-get install -y chromium (.ci/run does)");
    }
    process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // chromium writes the file in pieces: wait for the whole browser path, not just two lines
    while (!Files.exists(portFile) || !Files.readString(portFile).matches("(?s)\\d+\\s+/devtools/browser/[0-9a-f-]{36}\\s*")) {
      if (System.nanoTime() > deadline || !process.isAlive()) throw new IllegalStateException("chromium did not start");
      Thread.sleep(100);
    }
    var lines = Files.readAllLines(portFile);
    ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()), new java.net.http.WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              received(partial.toString());
              partial.setLength(0);
            }
            socket.request(1);
            return null;
          }
        }).get(30, TimeUnit.SECONDS);
  }

  private void received(String text) {
    JsonObject m = new JsonObject(text);
    synchronized (recent) {
      recent.addLast(text.length() > 300 ? text.substring(0, 300) : text);
      if (recent.size() > 8) recent.removeFirst();
    }
    CompletableFuture<JsonObject> f = m.containsKey("id") ? pending.remove(m.getInteger("id")) : null;
    if (f != null) f.complete(m);
  }

  /** A tab: a page at a viewport size. */
  final class Tab {
    private final String session;

    private Tab(String session) {
      this.session = session;
    }

    /** Evaluates an expression (promises are awaited) and returns its JSON value. */
    Object eval(String expression) throws Exception {
      return eval(expression, false);
    }

    /** As a user's action: what the page does counts as done in a click (sound may start). */
    Object evalAsUser(String expression) throws Exception {
      return eval(expression, true);
    }

    private Object eval(String expression, boolean userGesture) throws Exception {
      JsonObject r = send(session, "Runtime.evaluate", new JsonObject().put("expression", expression)
          .put("returnByValue", true).put("awaitPromise", true).put("userGesture", userGesture));
      JsonObject result = r.getJsonObject("result");
      if (result.containsKey("exceptionDetails")) throw new AssertionError("page threw: " + result.getJsonObject("exceptionDetails").encode());
      return result.getJsonObject("result").getValue("value");
    }

    /** Waits for an expression to become true in the page; the assertion comes after. */
    void waitFor(String what, String expression, Duration max) throws Exception {
      long deadline = System.nanoTime() + max.toNanos();
      while (!Boolean.TRUE.equals(evalWhileLoading(expression))) {
        if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting in the browser for: " + what);
        Thread.sleep(200);
      }
    }

    /** As {@link #eval}, but an error (the page is still loading) counts as "not yet". */
    Object evalQuietly(String expression) throws Exception {
      return evalWhileLoading(expression);
    }

    private Object evalWhileLoading(String expression) throws Exception {
      try {
        return eval(expression);
      } catch (AssertionError e) {
        return null;
      }
    }

    void navigate(String url) throws Exception {
      send(session, "Page.navigate", new JsonObject().put("url", url));
    }

    void screenshot(Path file) throws Exception {
      JsonObject r = send(session, "Page.captureScreenshot", new JsonObject().put("format", "png"));
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode(r.getJsonObject("result").getString("data")));
    }
  }

  /**
   * Logs in through the real login page (the session cookie then goes with every tab of this
   * browser) and waits until the page has sent the visitor on to the wallboard.
   */
  Tab login(String base, String user, String password) throws Exception {
    Tab tab = open(base + "/login.html", 800, 600, false);
    tab.waitFor("the login form and its script", "document.body.dataset.ready === 'yes'", Duration.ofSeconds(30));
    tab.eval("document.getElementById('user').value = " + new io.vertx.core.json.JsonArray().add(user).encode() + "[0];"
        + "document.getElementById('password').value = " + new io.vertx.core.json.JsonArray().add(password).encode() + "[0];"
        + "document.querySelector('#login button').click(); true");
    tab.waitFor("the wallboard after logging in", "location.pathname === '/' && !!document.getElementById('tiles')", Duration.ofSeconds(30));
    return tab;
  }

  Tab open(String url, int width, int height, boolean mobile) throws Exception {
    return open(url, width, height, mobile, null);
  }

  /** A tab whose requests say {@code Accept-Language: acceptLanguage} (null: the browser's own). */
  Tab open(String url, int width, int height, boolean mobile, String acceptLanguage) throws Exception {
    String target = send(null, "Target.createTarget", new JsonObject().put("url", "about:blank"))
        .getJsonObject("result").getString("targetId");
    String session = send(null, "Target.attachToTarget", new JsonObject().put("targetId", target).put("flatten", true))
        .getJsonObject("result").getString("sessionId");
    send(session, "Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
        .put("deviceScaleFactor", 1).put("mobile", mobile));
    if (mobile) send(session, "Emulation.setTouchEmulationEnabled", new JsonObject().put("enabled", true));
    send(session, "Page.enable", new JsonObject());
    if (acceptLanguage != null) {
      send(session, "Network.enable", new JsonObject());
      send(session, "Network.setExtraHTTPHeaders", new JsonObject().put("headers", new JsonObject().put("Accept-Language", acceptLanguage)));
    }
    Tab tab = new Tab(session);
    tab.navigate(url);
    return tab;
  }

  private JsonObject send(String session, String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    JsonObject m = new JsonObject().put("id", id).put("method", method).put("params", params);
    if (session != null) m.put("sessionId", session);
    synchronized (this) {
      ws.sendText(m.encode(), true).get(30, TimeUnit.SECONDS);
    }
    JsonObject r;
    try {
      r = f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (recent) {
        throw new AssertionError("chromium did not answer " + method + " " + params.encode() + " within 60 s; last messages: " + recent);
      }
    }
    if (r.containsKey("error")) throw new AssertionError(method + " failed: " + r.getJsonObject("error").encode());
    return r;
  }

  @Override
  public void close() throws IOException {
    try {
      ws.abort();
    } finally {
      process.destroyForcibly();
    }
  }
}

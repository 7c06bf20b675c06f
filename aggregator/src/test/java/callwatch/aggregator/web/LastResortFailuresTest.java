package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The last failure handler on a real server: a fault of ours is logged as one (with its stack
 * trace) and answered 500 without it; a client that went away before its answer was sent is not
 * a fault of ours (the demo logged "request /agents.html failed: Connection was closed" with a
 * stack trace for 2 of 61 page loads by curl, which had the whole page).
 */
class LastResortFailuresTest {
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r);
    }
    @Override public void flush() {}
    @Override public void close() {}
  };
  private final Logger logger = Logger.getLogger(LastResortFailures.class.getName());
  private Vertx vertx;
  private HttpServer server;
  private Promise<Void> handled;

  @BeforeEach
  void start() {
    logger.addHandler(capture);
    vertx = Vertx.vertx();
    handled = Promise.promise();
    Router router = Router.router(vertx);
    // a file being sent when the client closes fails the route after the connection is gone
    router.get("/gone").handler(rc -> rc.request().connection().closeHandler(v -> rc.fail(new VertxException("Connection was closed", true))));
    // what the demo showed: a page sent in full, then its sending reported the client's close
    router.get("/sent").handler(rc -> rc.response().end("the page").onComplete(done -> rc.fail(new VertxException("Connection was closed", true))));
    router.get("/broken").handler(rc -> {
      throw new IllegalStateException("a bug of ours");
    });
    LastResortFailures failures = new LastResortFailures(4096);
    router.route().failureHandler(rc -> {
      failures.handle(rc);
      handled.tryComplete();
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    logger.removeHandler(capture);
    vertx.close().await();
  }

  @Test
  void aClientGoneBeforeItsAnswerIsNotLoggedAsAFault() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      s.getOutputStream().write("GET /gone HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    handled.future().await(30, TimeUnit.SECONDS);
    assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void aConnectionClosedAfterTheAnswerWasSentIsNotLoggedAsAFault() throws Exception {
    String answer;
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      s.getOutputStream().write("GET /sent HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      handled.future().await(30, TimeUnit.SECONDS);
      answer = new String(s.getInputStream().readNBytes(16), StandardCharsets.US_ASCII);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void aFaultOfOursIsLoggedAndAnswered500WithoutItsTrace() throws Exception {
    String answer;
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      OutputStream out = s.getOutputStream();
      out.write("GET /broken HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(answer.startsWith("HTTP/1.1 500"), answer);
    assertTrue(answer.contains("internal error (logged)") && !answer.contains("a bug of ours"), answer);
    assertEquals(1, warnings.size(), "one warning: " + warnings);
    assertEquals("a bug of ours", warnings.get(0).getThrown().getMessage());
  }
}

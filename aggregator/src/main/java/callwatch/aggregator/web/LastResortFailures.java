package callwatch.aggregator.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The router's last failure handler. A client's mistake is answered 4xx where it is found; what
 * reaches here with a 5xx is a fault of ours, logged with its stack trace and answered without it
 * — unless the client has closed the connection already.
 */
public final class LastResortFailures {
  private static final Logger LOG = Logger.getLogger(LastResortFailures.class.getName());

  private final int bodyLimitBytes;

  /** @param bodyLimitBytes the largest request body taken (a larger one is answered 413 with it) */
  public LastResortFailures(int bodyLimitBytes) {
    this.bodyLimitBytes = bodyLimitBytes;
  }

  public void handle(RoutingContext rc) {
    if (rc.response().closed() || reportsAClosedConnection(rc.failure())) {
      // the client went away (closed the connection before or while its answer was sent): nothing to answer,
      // and not a fault of ours to raise in the log
      LOG.fine(() -> "request " + rc.request().path() + ": the client closed the connection first");
      return;
    }
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    if (status >= 500) LOG.log(Level.WARNING, "request " + rc.request().path() + " failed", rc.failure());
    if (!rc.response().ended()) {
      rc.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", status >= 500 ? "internal error (logged)"
              : status == 413 ? "the request body is larger than the limit of " + bodyLimitBytes + " bytes"
              : status == 400 && rc.request().authority() == null ? "an HTTP/1.1 request needs a Host header"
              : "bad request").encode());
    }
  }

  /**
   * Whether the failure is the connection's close, as Netty or Vert.x report it (Vert.x's own
   * exception has no type of its own: its message is the only mark). A page already sent in full
   * can still fail this way when the client closes while the last write completes.
   */
  static boolean reportsAClosedConnection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.nio.channels.ClosedChannelException) return true;
      if (t instanceof io.vertx.core.VertxException && "Connection was closed".equals(t.getMessage())) return true;
    }
    return false;
  }
}

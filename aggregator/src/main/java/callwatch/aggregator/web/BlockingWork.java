package callwatch.aggregator.web;

import callwatch.aggregator.query.UnknownNameException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A request's blocking part (the cluster's store, the round-robin files) on a worker pool, off the
 * event loop, with its failures turned into answers the client can act on.
 */
final class BlockingWork {
  private BlockingWork() {}

  /**
   * Runs {@code work} if {@code admission} (null: none) has room, else answers 503 with Retry-After:
   * a flood of queries or renders waits its turn outside, never in front of ingest. A bad parameter
   * found while working is a 400 with the reason, an unknown name a 404.
   */
  static <T> void run(RoutingContext rc, WorkerExecutor workers, Admission admission, Callable<T> work, Consumer<T> answer) {
    if (admission != null && !admission.tryEnter()) {
      rc.response().setStatusCode(503).putHeader("retry-after", "2");
      error(rc, 503, "busy: " + admission.limit() + " requests of this kind are running (the limit); retry after 2 s");
      return;
    }
    workers.executeBlocking(work, false).onComplete(ar -> {
      if (admission != null) admission.release();
      if (ar.succeeded()) {
        answer.accept(ar.result());
      } else if (ar.cause() instanceof UnknownNameException) {
        error(rc, 404, ar.cause().getMessage());
      } else if (ar.cause() instanceof IllegalArgumentException) {
        error(rc, 400, ar.cause().getMessage());
      } else {
        rc.fail(ar.cause());
      }
    });
  }

  /** A JSON answer {"error": why} with this status. */
  static void error(RoutingContext rc, int status, String why) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(new JsonObject().put("error", why).encode());
  }
}

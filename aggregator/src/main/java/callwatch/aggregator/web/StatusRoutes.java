package callwatch.aggregator.web;

import callwatch.aggregator.status.StatusBoard;
import callwatch.aggregator.status.StatusText;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The public status page ({@code /status}, no login): HTML in French, Dutch or English (by
 * {@code ?lang=}, else the browser's language), JSON and an Atom feed — each answered from the
 * page kept in memory, cacheable for a few seconds by any proxy.
 */
public final class StatusRoutes {
  private final StatusBoard board;

  public StatusRoutes(StatusBoard board) {
    this.board = board;
  }

  public void mount(Router router) {
    router.get("/status").handler(this::html);
    router.get("/status.json").handler(rc -> answer(rc, "application/json", board.rendered().json()));
    router.get("/status/feed.atom").handler(rc -> answer(rc, "application/atom+xml; charset=utf-8", board.rendered().atom()));
  }

  private void html(RoutingContext rc) {
    String lang = StatusText.choose(rc.queryParams().get("lang"), rc.request().getHeader("accept-language"));
    rc.response().putHeader("vary", "Accept-Language").putHeader("content-language", lang);
    answer(rc, "text/html; charset=utf-8", board.rendered().html().get(lang));
  }

  private static void answer(RoutingContext rc, String type, String body) {
    rc.response().putHeader("content-type", type).putHeader("cache-control", "public, max-age=10").end(body);
  }
}

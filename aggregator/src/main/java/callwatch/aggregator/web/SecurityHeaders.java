package callwatch.aggregator.web;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer: a strict Content-Security-Policy (scripts, styles and connections from
 * this origin only, no inline script, no framing), no MIME sniffing, no referrer leaving the page,
 * and HSTS when the member serves TLS. Labels from log lines are set as text by the pages; the
 * policy is the second line of defence should one ever be parsed as HTML.
 */
public final class SecurityHeaders {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
      + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private final boolean tls;

  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  public void handle(RoutingContext rc) {
    var h = rc.response().headers();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    if (tls) h.set("Strict-Transport-Security", "max-age=31536000");
    rc.next();
  }
}

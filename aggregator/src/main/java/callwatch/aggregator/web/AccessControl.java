package callwatch.aggregator.web;

import callwatch.aggregator.auth.Role;
import callwatch.aggregator.auth.Sessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The first handler of every request: finds the route's rule ({@link AccessRules}), the caller's
 * session, and lets through only what the role may do. Pages send a visitor without a session to
 * the login page; everything else answers 401 (no session) or 403 (not allowed). A request that
 * changes state must carry the session's CSRF token; a cross-origin request that changes state, or
 * opens {@code /live}, is refused; a browser's Host header must be one of this member's names.
 */
public final class AccessControl {
  static final String SESSION = "callwatch.session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private final Sessions sessions;
  private final Set<String> hostNames;
  private final java.util.function.Predicate<Sessions.Session> current;

  /**
   * @param hostNames the names (lower case, no port) browsers may reach this member by
   * @param current whether a session's account is still as it was at login (not removed, same role and password)
   */
  public AccessControl(Sessions sessions, Set<String> hostNames, java.util.function.Predicate<Sessions.Session> current) {
    this.current = current;
    this.sessions = sessions;
    this.hostNames = hostNames;
  }

  /** The caller's role (anonymous without a session). */
  public static Role role(RoutingContext rc) {
    Sessions.Session s = rc.get(SESSION);
    return s == null ? Role.ANONYMOUS : s.role();
  }

  public static Sessions.Session session(RoutingContext rc) {
    return rc.get(SESSION);
  }

  public void handle(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    String path;
    try {
      path = rc.normalizedPath();
      rc.queryParams(); // decoded once here: a broken escape in the query is the client's mistake, said here
    } catch (RuntimeException e) { // the path's IllegalArgumentException, the query's HttpException (400) around one
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      refuse(rc, 400, "the address holds a broken %-escape (" + cause.getMessage() + "): a % must be followed by two hexadecimal digits");
      return;
    }
    AccessRules.Rule rule = AccessRules.find(req.method().name(), path);
    if (rule == null) {
      refuse(rc, 404, "no such page or route: " + req.method() + " " + path);
      return;
    }
    boolean browserRoute = !path.equals("/agent") && !path.equals("/api/health");
    if (browserRoute && !hostAllowed(req.authority() == null ? null : req.authority().host())) {
      refuse(rc, 400, "unknown Host: this member answers browsers as " + String.join(", ", hostNames) + " (config publicNames)");
      return;
    }
    Cookie cookie = req.getCookie(Sessions.COOKIE);
    boolean upgrade = "websocket".equalsIgnoreCase(req.getHeader("upgrade"));
    // held while the session is looked up in the cluster: a WebSocket upgrade needs a request not yet read to its end
    boolean held = upgrade && !req.isEnded();
    if (held) req.pause();
    sessions.find(cookie == null ? null : cookie.getValue()).onComplete(ar -> {
      Sessions.Session found = ar.succeeded() ? ar.result() : null;
      // a removed account, or one given another role or password, ends its sessions at once; they
      // are not removed from the cluster: a member whose accounts file is missing must not log everybody out
      Sessions.Session s = found != null && current.test(found) ? found : null;
      Role role = s == null ? Role.ANONYMOUS : s.role();
      if (!role.atLeast(rule.role())) {
        if (s == null && rule.page()) {
          String next = req.uri();
          if (held) req.resume();
          rc.response().setStatusCode(302).putHeader("location", "/login.html?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)).end();
        } else if (s == null) {
          if (held) req.resume();
          refuse(rc, 401, "log in first");
        } else {
          if (held) req.resume();
          refuse(rc, 403, "needs the role " + rule.role().id() + " (you are " + role.id() + ")");
        }
        return;
      }
      boolean changes = req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD;
      if ((changes || (upgrade && browserRoute)) && !sameOrigin(req)) {
        if (held) req.resume();
        refuse(rc, 403, "cross-origin request refused");
        return;
      }
      if (changes && !path.equals("/api/login") && (s == null || !s.csrf().equals(req.getHeader(CSRF_HEADER)))) {
        if (held) req.resume();
        refuse(rc, 403, "missing or wrong " + CSRF_HEADER + " header (GET /api/me gives it)");
        return;
      }
      if (s != null) rc.put(SESSION, s);
      rc.next();
    });
  }

  private boolean hostAllowed(String host) {
    return host != null && hostNames.contains(host.toLowerCase(Locale.ROOT));
  }

  /** No Origin (not a browser's cross-site request) or the Origin is this very host and port. */
  static boolean sameOrigin(HttpServerRequest req) {
    String origin = req.getHeader("origin");
    if (origin == null) return true;
    String authority = req.authority() == null ? "" : req.authority().toString();
    return origin.equals("http://" + authority) || origin.equals("https://" + authority);
  }

  static void refuse(RoutingContext rc, int status, String reason) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(new JsonObject().put("error", reason).encode());
  }
}

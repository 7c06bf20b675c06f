package callwatch.aggregator.web;

import callwatch.aggregator.auth.LoginThrottle;
import callwatch.aggregator.auth.PasswordHash;
import callwatch.aggregator.auth.Role;
import callwatch.aggregator.auth.Sessions;
import callwatch.aggregator.auth.UserFile;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/** Login, logout and "who am I". Passwords are checked on a worker (bcrypt takes a quarter second). */
public final class AuthRoutes {
  private static final Logger LOG = Logger.getLogger(AuthRoutes.class.getName());
  private final UserFile users;
  private final Sessions sessions;
  private final WorkerExecutor workers;
  private final boolean tls;
  private final LoginThrottle throttle = new LoginThrottle();

  public AuthRoutes(UserFile users, Sessions sessions, WorkerExecutor workers, boolean tls) {
    this.users = users;
    this.sessions = sessions;
    this.workers = workers;
    this.tls = tls;
  }

  public void mount(Router router) {
    router.post("/api/login").handler(this::login);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/me").handler(this::me);
  }

  private void login(RoutingContext rc) {
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    // JSON from the page's script; a plain form post (no script) works too, never a GET with the password in the address
    String name = body != null ? body.getString("user") : rc.request().getFormAttribute("user");
    String password = body != null ? body.getString("password") : rc.request().getFormAttribute("password");
    if (!UserFile.validName(name) || password == null || password.length() > 200) {
      AccessControl.refuse(rc, 400, "send {\"user\": …, \"password\": …} (a user name of at most 64 characters, a password of at most 200)");
      return;
    }
    String address = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
    long now = System.currentTimeMillis();
    long wait = Math.max(throttle.waitMillis("user:" + name, now), throttle.waitMillis("addr:" + address, now));
    if (wait > 0) {
      long seconds = (wait + 999) / 1000;
      rc.response().putHeader("retry-after", String.valueOf(seconds));
      AccessControl.refuse(rc, 429, "too many failed logins for this account or from this address: try again in " + seconds + " s");
      return;
    }
    workers.executeBlocking(() -> {
      UserFile.User u = users.usersBlocking().get(name);
      boolean ok = PasswordHash.matches(password, u == null ? PasswordHash.NO_ACCOUNT : u.hash()) && u != null;
      return ok ? sessions.createBlocking(u.name(), u.role(), u.stamp()) : null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      Sessions.Session s = ar.result();
      if (s == null) {
        throttle.failed("user:" + name, System.currentTimeMillis());
        throttle.failed("addr:" + address, System.currentTimeMillis());
        LOG.warning("failed login for '" + name + "' from " + address);
        AccessControl.refuse(rc, 401, "wrong user name or password");
        return;
      }
      throttle.succeeded("user:" + name);
      throttle.succeeded("addr:" + address);
      rc.response().addCookie(Cookie.cookie(Sessions.COOKIE, s.token()).setPath("/").setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setSecure(tls));
      json(rc, who(s));
    });
  }

  private void logout(RoutingContext rc) {
    Sessions.Session s = AccessControl.session(rc);
    sessions.remove(s.token()).onComplete(ar -> {
      rc.response().addCookie(Cookie.cookie(Sessions.COOKIE, "").setPath("/").setMaxAge(0).setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setSecure(tls));
      json(rc, new JsonObject().put("loggedOut", true));
    });
  }

  private void me(RoutingContext rc) {
    Sessions.Session s = AccessControl.session(rc);
    if (s == null) {
      AccessControl.refuse(rc, 401, "nobody is logged in");
      return;
    }
    json(rc, who(s));
  }

  private static JsonObject who(Sessions.Session s) {
    return new JsonObject().put("user", s.user()).put("role", s.role().id()).put("csrf", s.csrf())
        .put("pharmacies", s.role().atLeast(Role.OPERATOR));
  }

  private static void json(RoutingContext rc, JsonObject o) {
    rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(o.encode());
  }
}

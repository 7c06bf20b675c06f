package callwatch.aggregator.web;

import callwatch.aggregator.auth.Role;
import java.util.List;

/**
 * Every route and channel with the least role it needs, checked on the server for every request
 * ({@link AccessControl}). A path not listed is refused: a new route without a rule fails the
 * route-table test. Pure.
 */
public final class AccessRules {
  /** {@code path} is exact, or a prefix when it ends with {@code *}; {@code method} "*" is any. */
  public record Rule(String method, String path, Role role, boolean page, String what) {
    boolean matches(String m, String p) {
      boolean methodOk = method.equals("*") || method.equals(m) || (method.equals("GET") && m.equals("HEAD"));
      return methodOk && (path.endsWith("*") ? p.startsWith(path.substring(0, path.length() - 1)) : p.equals(path));
    }
  }

  public static final List<Rule> RULES = List.of(
      new Rule("GET", "/login.html", Role.ANONYMOUS, true, "the login page"),
      new Rule("GET", "/login.js", Role.ANONYMOUS, false, "the login page's script"),
      new Rule("GET", "/callwatch.css", Role.ANONYMOUS, false, "style sheet (no data)"),
      new Rule("GET", "/callwatch-common.js", Role.ANONYMOUS, false, "shared script (no data)"),
      new Rule("GET", "/wallboard.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/graph.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/agents.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/alerts.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/incidents.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/status", Role.ANONYMOUS, true, "the public status page: states, public messages, incidents' times, uptime (no pharmacy, vendor, server, count or note)"),
      new Rule("GET", "/status.json", Role.ANONYMOUS, false, "the public status as JSON (the same content)"),
      new Rule("GET", "/status/feed.atom", Role.ANONYMOUS, false, "the public incidents as an Atom feed"),
      new Rule("GET", "/status.css", Role.ANONYMOUS, false, "the status page's style sheet"),
      new Rule("GET", "/favicon.ico", Role.ANONYMOUS, false, "icon"),
      new Rule("GET", "/webjars/*", Role.ANONYMOUS, false, "the chart library (no data)"),
      new Rule("POST", "/api/login", Role.ANONYMOUS, false, "log in (rate-limited per account and address)"),
      new Rule("GET", "/api/me", Role.ANONYMOUS, false, "who is logged in (401 if nobody), and the CSRF token"),
      new Rule("GET", "/api/health", Role.ANONYMOUS, false, "what this member can do, for load balancers and rolling restarts"),
      new Rule("GET", "/agent", Role.ANONYMOUS, false, "agents' WebSocket: the agent's own credential, checked before the upgrade; reads nothing"),
      new Rule("POST", "/api/logout", Role.PARTNER, false, "log out"),
      new Rule("GET", "/", Role.PARTNER, true, "the wallboard"),
      new Rule("GET", "/index.html", Role.PARTNER, true, "the wallboard"),
      new Rule("GET", "/graph.html", Role.PARTNER, true, "the graph view"),
      new Rule("GET", "/alerts.html", Role.PARTNER, true, "the alerts page (partners: read only, no pharmacy, server or agent)"),
      new Rule("GET", "/live", Role.PARTNER, false, "live WebSocket: service totals, tiles and alerts (partners: no pharmacy, server or agent)"),
      new Rule("GET", "/api/series", Role.PARTNER, false, "series names (partners: no server)"),
      new Rule("GET", "/api/series/*", Role.PARTNER, false, "a series' points (host= and agent=: operators only)"),
      new Rule("GET", "/graph.png", Role.PARTNER, false, "a graph as PNG (no pharmacy; host= and agent=: operators only)"),
      new Rule("GET", "/api/alerts", Role.PARTNER, false, "detection's alerts: partners without pharmacy, server or agent"),
      new Rule("GET", "/popup.js", Role.ANONYMOUS, false, "script (no data)"),
      new Rule("GET", "/api/drilldown", Role.PARTNER, false, "drill-down: partners get vendors, versions and codes only; operators also pharmacies and hosts"),
      new Rule("GET", "/incidents.html", Role.PARTNER, true, "the incident journal (partners: read only, without internal entries)"),
      new Rule("GET", "/api/incidents", Role.PARTNER, false, "incidents of 90 days: partners without the entries marked internal"),
      new Rule("GET", "/api/incidents/*", Role.PARTNER, false, "an incident, or its Markdown export (partners: without internal entries)"),
      new Rule("GET", "/agents.html", Role.OPERATOR, true, "the agents page (hosts, files, rejected lines)"),
      new Rule("GET", "/api/agents", Role.OPERATOR, false, "the agents (hosts, files, rejected lines)"),
      new Rule("POST", "/api/alerts/*", Role.OPERATOR, false, "acknowledge (…/ack) or resolve (…/resolve) an alert, with a note"),
      new Rule("GET", "/api/silences", Role.PARTNER, false, "the silences running or to come (services, hosts, kinds, times, who, why; partners: no host, no note)"),
      new Rule("POST", "/api/silences", Role.OPERATOR, false, "make a silence: its alerts are recorded, not sent"),
      new Rule("POST", "/api/silences/*", Role.OPERATOR, false, "end a silence now (…/end)"),
      new Rule("POST", "/api/incidents", Role.OPERATOR, false, "open an incident, by hand or from an alert"),
      new Rule("POST", "/api/incidents/*", Role.OPERATOR, false, "append to an incident's journal (…/entries): a note, the public state and message, its close"),
      new Rule("*", "/api/incidents/*", Role.OPERATOR, false, "anything else on an incident: 405, the journal is append-only"));

  private AccessRules() {}

  /** The rule of a request, or null (refused). */
  public static Rule find(String method, String path) {
    for (Rule r : RULES) {
      if (r.matches(method, path)) return r;
    }
    return null;
  }
}

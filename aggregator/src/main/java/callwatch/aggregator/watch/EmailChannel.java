package callwatch.aggregator.watch;

import java.util.List;

/**
 * Alert e-mails over SMTP: the server, the sender, and the routes — which alerts go to which
 * addresses (each route is a channel of its own: one mail per alert transition and route).
 * {@code starttls}: DISABLED, OPTIONAL or REQUIRED.
 */
public record EmailChannel(String host, int port, String from, String starttls, String username, String password, List<Route> routes) {
  /** These addresses get the alerts the route takes. */
  public record Route(List<String> to, AlertRoute route) {}

  @Override
  public String toString() {
    return "e-mail via " + host + ":" + port; // never the password
  }
}

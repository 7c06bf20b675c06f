package callwatch.aggregator.watch;

import java.util.List;
import java.util.Set;

/**
 * Alert e-mails over SMTP: the server, the sender and the addresses, and which alerts go there
 * (empty sets: all kinds, all services). {@code starttls}: DISABLED, OPTIONAL or REQUIRED.
 */
public record EmailChannel(String host, int port, String from, List<String> to, String starttls, String username, String password,
                           Set<String> kinds, Set<String> services) {
  public boolean wants(String kind, String service) {
    return (kinds.isEmpty() || kinds.contains(kind)) && (services.isEmpty() || service == null || services.contains(service));
  }

  @Override
  public String toString() {
    return "e-mail via " + host + ":" + port + " to " + to; // never the password
  }
}

package callwatch.aggregator.watch;

import java.util.Set;

/**
 * A webhook channel: where to POST, the secret of the HMAC signature, and which alerts go there
 * (empty sets: all kinds, all services).
 */
public record Webhook(String name, String url, String secret, Set<String> kinds, Set<String> services) {
  public boolean wants(String kind, String service) {
    return (kinds.isEmpty() || kinds.contains(kind)) && (services.isEmpty() || service == null || services.contains(service));
  }

  @Override
  public String toString() {
    return "webhook " + name + " (" + url + ")"; // never the secret
  }
}

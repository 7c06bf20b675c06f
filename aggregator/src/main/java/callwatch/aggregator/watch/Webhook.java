package callwatch.aggregator.watch;

/** A webhook channel: where to POST, the secret of the HMAC signature, and which alerts go there. */
public record Webhook(String name, String url, String secret, AlertRoute route) {
  /** For the logs: the receiver's scheme, host and port; never the secret, nor the path, query or user of the address (a token is often there). */
  @Override
  public String toString() {
    return "webhook " + name + " (" + receiver(url) + ")";
  }

  static String receiver(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      if (u.getScheme() == null || u.getHost() == null) return "an address that does not parse";
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
    } catch (java.net.URISyntaxException e) {
      return "an address that does not parse";
    }
  }
}

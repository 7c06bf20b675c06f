package callwatch.aggregator.watch;

/** A webhook channel: where to POST, the secret of the HMAC signature, and which alerts go there. */
public record Webhook(String name, String url, String secret, AlertRoute route) {
  @Override
  public String toString() {
    return "webhook " + name + " (" + url + ")"; // never the secret
  }
}

package callwatch.aggregator.watch;

import java.util.List;

/**
 * Where alerts go ({@code alerting:} in the config): webhooks, e-mail (null: none), and how often
 * an alert nobody acknowledged is sent again (0: never).
 */
public record Alerting(List<Webhook> webhooks, EmailChannel email, long renotifyMinutes) {
  public static final long DEFAULT_RENOTIFY_MINUTES = 30;
}

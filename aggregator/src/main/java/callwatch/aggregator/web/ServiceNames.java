package callwatch.aggregator.web;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Services an operator names (in an incident, a silence) must be ones callwatch has history of: a
 * typo would silence nothing, or stand on the public page beside the real service. A new
 * installation, before any service has reported, takes any name. Pure.
 */
public final class ServiceNames {
  private ServiceNames() {}

  /** Throws IllegalArgumentException naming the first unknown service and those known. */
  public static void requireKnown(Collection<String> services, Set<String> known) {
    if (known.isEmpty()) return;
    for (String s : services) {
      if (!known.contains(s)) {
        throw new IllegalArgumentException("services: '" + s + "' is not a service callwatch has seen; it knows " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }
}

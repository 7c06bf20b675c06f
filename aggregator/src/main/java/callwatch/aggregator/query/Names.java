package callwatch.aggregator.query;

import callwatch.aggregator.store.Source;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The services (with their ops), hosts and agents seen, to tell a typo from a quiet series. Pure. */
final class Names {
  private final Map<String, TreeSet<String>> opsByService = new TreeMap<>();
  private final TreeSet<String> hosts = new TreeSet<>();
  private final TreeSet<String> agents = new TreeSet<>();

  static Names of(Collection<Source> sources) {
    Names n = new Names();
    for (Source s : sources) n.add(s.agent(), s.host(), s.service(), s.op());
    return n;
  }

  void add(String agent, String host, String service, String op) {
    opsByService.computeIfAbsent(service, k -> new TreeSet<>()).add(op);
    hosts.add(host);
    agents.add(agent);
  }

  /** Why the spec names nothing that exists, or null if every name in it is known. */
  String explains(SeriesSpec spec) {
    if (spec.service() != null && !opsByService.containsKey(spec.service())) {
      return "unknown service '" + spec.service() + "' (known: " + list(opsByService.keySet()) + ")";
    }
    if (spec.op() != null) {
      TreeSet<String> ops = new TreeSet<>();
      if (spec.service() != null) ops.addAll(opsByService.get(spec.service()));
      else opsByService.values().forEach(ops::addAll);
      if (!ops.contains(spec.op())) {
        return "unknown op '" + spec.op() + "'" + (spec.service() == null ? "" : " of " + spec.service()) + " (known: " + list(ops) + ")";
      }
    }
    if (spec.host() != null && !hosts.contains(spec.host())) return "unknown host '" + spec.host() + "' (known: " + list(hosts) + ")";
    if (spec.agent() != null && !agents.contains(spec.agent())) return "unknown agent '" + spec.agent() + "' (known: " + list(agents) + ")";
    return null;
  }

  private static String list(Collection<String> names) {
    return names.isEmpty() ? "none yet" : String.join(", ", names);
  }
}

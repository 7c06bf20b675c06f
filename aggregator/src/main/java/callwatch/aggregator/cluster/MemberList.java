package callwatch.aggregator.cluster;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The cluster's members as configured: {@code cluster.members} may list every member (this one
 * included, the same list on every member) or only the others; either way the cluster is the
 * listed members plus this one. The size decides the majority rule, so both forms give the same
 * rule. Pure.
 */
public final class MemberList {
  public static final int DEFAULT_PORT = 5701;
  private final TreeSet<String> all = new TreeSet<>();
  private final String self;

  /** Throws IllegalArgumentException naming an entry that is not {@code host[:port]}. */
  public MemberList(String self, List<String> listed) {
    this.self = normalise(self);
    all.add(this.self);
    for (String m : listed) all.add(normalise(m));
  }

  /** A host name, an IPv4 address, or an IPv6 address in brackets (a bare one cannot be told from its port). */
  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?|\\[[0-9a-f:.]+\\]");

  /** {@code host:port}, lower case, the default port added when none is given; IllegalArgumentException naming an entry that is not one. */
  public static String normalise(String entry) {
    String e = entry.trim().toLowerCase(Locale.ROOT);
    int colon = e.lastIndexOf(':');
    if (colon >= 0 && e.lastIndexOf(']') > colon) colon = -1; // "[::1]": the colons are the address's
    String host = colon < 0 ? e : e.substring(0, colon);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + entry + "' is not host or host:port (a host name, an IPv4 address, or an IPv6 address in brackets)");
    }
    if (colon < 0) return e + ":" + DEFAULT_PORT;
    try {
      int port = Integer.parseInt(e.substring(colon + 1));
      if (port < 1 || port > 65535) throw new NumberFormatException();
    } catch (NumberFormatException x) {
      throw new IllegalArgumentException("'" + entry + "' has no port between 1 and 65535 after the ':'");
    }
    return e;
  }

  /** Every member but {@code self}, as {@code host:port}. */
  public List<String> othersThan(String self) {
    String me = normalise(self);
    return all.stream().filter(m -> !m.equals(me)).toList();
  }

  /** This member, as {@code host:port}. */
  public String self() {
    return self;
  }

  /** Every member, this one too, as {@code host:port}. */
  public List<String> all() {
    return List.copyOf(all);
  }

  /** How many members the cluster has when all are up. */
  public int size() {
    return all.size();
  }

  /** Members that must be up for the cluster to take batches; 0 when it is too small for the rule (1 or 2 members). */
  public int majority() {
    return size() >= 3 ? size() / 2 + 1 : 0;
  }

  /** The same text on every member whose configuration agrees: what members compare at start. */
  public String fingerprint() {
    return String.join(",", all);
  }
}

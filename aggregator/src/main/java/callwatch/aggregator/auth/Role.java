package callwatch.aggregator.auth;

import java.util.Locale;

/** Who may see what, from least to most: each role may do everything the ones before it may. */
public enum Role {
  /** No login: the public pages only. */
  ANONYMOUS,
  /** The e-health platform's team: graphs and alerts of the services, drill-down by vendor, version and code; never a pharmacy id. */
  PARTNER,
  /** The operations team: everything operational, pharmacy ids included. */
  OPERATOR,
  /** Users, configuration, silences. */
  ADMIN;

  public boolean atLeast(Role other) {
    return ordinal() >= other.ordinal();
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A role a user can have (not anonymous), by its id; throws naming the accepted ones. */
  public static Role ofUser(String id) {
    for (Role r : values()) {
      if (r != ANONYMOUS && r.id().equals(id)) return r;
    }
    throw new IllegalArgumentException("unknown role '" + id + "': admin, operator or partner");
  }
}

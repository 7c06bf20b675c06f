package callwatch.aggregator.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import java.util.Set;

/**
 * Which stored forms this member may write: a form a member of an older version cannot read is
 * written only once every member says it reads it (a member attribute), so that during a rolling
 * upgrade the members of both versions read each other's entries. Every member reads every form.
 * A member of an older version joining a cluster that writes the new form (a downgrade) turns it
 * back to the old one for new writes; entries already written stay unreadable to it until they
 * expire (the pharmacy minutes: {@code pharmacyHours}).
 */
public final class StoredForms implements InitialMembershipListener {
  /** The member attribute listing the forms a member reads beyond the first ones. */
  static final String ATTRIBUTE = "callwatch.forms";
  /** Pharmacy minutes with numbered pharmacies and 32-bit counts ({@link StoredColumns}). */
  static final String NUMBERED_PHARMACIES = "numbered-pharmacies";

  private volatile boolean numberedPharmacies;

  /** Whether every member reads numbered pharmacy columns (false until the member knows its cluster). */
  boolean numberedPharmacies() {
    return numberedPharmacies;
  }

  @Override
  public void init(InitialMembershipEvent event) {
    update(event.getMembers());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    update(event.getMembers());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    update(event.getMembers());
  }

  private void update(Set<Member> members) {
    numberedPharmacies = members.stream().allMatch(StoredForms::readsNumberedPharmacies);
  }

  static boolean readsNumberedPharmacies(Member m) {
    String forms = m.getAttribute(ATTRIBUTE);
    // a list, not Set.of: a later version's attribute naming a form twice must not throw in the listener
    return forms != null && java.util.Arrays.asList(forms.split(",")).contains(NUMBERED_PHARMACIES);
  }
}

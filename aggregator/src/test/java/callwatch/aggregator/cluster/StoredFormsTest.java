package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.TestNodes;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade: while a member that does not say it reads numbered pharmacy minutes is in the
 * cluster, the others write the form of earlier versions; once it is gone, the smaller form. Both
 * read back the same.
 */
class StoredFormsTest {
  @TempDir Path tmp;
  private final List<HazelcastInstance> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  @Timeout(120)
  @DisplayName("with a member of an earlier version in the cluster pharmacy minutes keep its form; without it they take half the room; both read back the same")
  void formFollowsTheOldestMember() {
    String cluster = TestNodes.uniqueClusterName();
    List<String> all = List.of("127.0.0.1:6016", "127.0.0.1:6017");
    Config current = config(cluster, 6016, all);
    Config earlier = config(cluster, 6017, all);
    earlier.getMemberAttributeConfig().removeAttribute(StoredForms.ATTRIBUTE);
    HazelcastInstance a = start(current);
    HazelcastInstance old = start(earlier);
    StoredForms forms = formsOf(current);
    TestNodes.await("the two members in one cluster", Duration.ofSeconds(60), () -> a.getCluster().getMembers().size() == 2);
    assertFalse(forms.numberedPharmacies(), "a member that does not read the new form is in the cluster");

    IMap<String, PharmacyMinute> map = a.getMap(ClusterSetup.PHARMACY_MAP);
    map.executeOnKey("earlier", new ApplyPharmacies(new long[] {1}, List.of(rows())));
    long earlierCost = map.getEntryView("earlier").getCost();

    old.getLifecycleService().terminate();
    started.remove(old);
    TestNodes.await("the member of the earlier version gone", Duration.ofSeconds(60), forms::numberedPharmacies);
    map.executeOnKey("numbered", new ApplyPharmacies(new long[] {1}, List.of(rows())));
    long numberedCost = map.getEntryView("numbered").getCost();

    assertEquals(text(rows()), text(map.get("earlier").rows), "an entry of the earlier form reads back");
    assertEquals(text(rows()), text(map.get("numbered").rows), "an entry of the numbered form reads back");
    assertTrue(numberedCost < earlierCost * 0.7, "numbered " + numberedCost + " bytes against " + earlierCost);
    // each read makes the entry anew, but its names are the member's one string each: detection
    // finds a row's service among thousands of pharmacies' by reference, without reaching its text
    assertSame(firstNames(map.get("earlier").rows)[0], firstNames(map.get("numbered").rows)[0], "the service's name");
    assertSame(firstNames(map.get("numbered").rows)[1], firstNames(map.get("numbered").rows)[1], "the vendor's name");
  }

  /** The service and vendor of the first row. */
  private static String[] firstNames(PharmacyRows rows) {
    String[] names = new String[2];
    rows.forEach((p, s, v, c, e, e401) -> {
      if (names[0] == null) {
        names[0] = s;
        names[1] = v;
      }
    });
    return names;
  }

  /** A minute of 2,000 pharmacies' calls, one name among them. */
  private static PharmacyRows rows() {
    PharmacyRows rows = new PharmacyRows();
    for (int p = 0; p < 2000; p++) rows.append(String.valueOf(100_000 + p), "DPP", "Corilus/4.2", 1 + p % 3, p % 7 == 0 ? 1 : 0, 0);
    rows.append("pharma-x", "RECIPE", "Farmad/2", 3, 3, 3);
    return rows;
  }

  private static List<String> text(PharmacyRows rows) {
    List<String> out = new ArrayList<>();
    rows.forEach((p, s, v, c, e, e401) -> out.add(p + "|" + s + "|" + v + "|" + c + "/" + e + "/" + e401));
    return out;
  }

  private Config config(String cluster, int port, List<String> all) {
    return ClusterSetup.hazelcastConfig(TestNodes.config(tmp.resolve("m" + port), cluster, port, all, Map.of()));
  }

  private HazelcastInstance start(Config config) {
    HazelcastInstance m = Hazelcast.newHazelcastInstance(config);
    started.add(m);
    return m;
  }

  private static StoredForms formsOf(Config config) {
    return config.getListenerConfigs().stream().map(l -> l.getImplementation()).filter(StoredForms.class::isInstance)
        .map(StoredForms.class::cast).findFirst().orElseThrow();
  }
}

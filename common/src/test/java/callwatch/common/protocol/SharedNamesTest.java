package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharedNamesTest {
  @Test
  void equalNamesReadTwiceAreOneString() {
    String first = new String("RECIPE-shared-test");
    String second = new String("RECIPE-shared-test");
    assertNotSame(first, second);
    assertSame(SharedNames.shared(first), SharedNames.shared(second));
    String[] read = {new String("DPP-shared-test"), new String("vendorA 2.1-shared-test"), null};
    SharedNames.shareAll(read);
    assertSame(SharedNames.shared(new String("DPP-shared-test")), read[0]);
    assertSame(SharedNames.shared(new String("vendorA 2.1-shared-test")), read[1]);
    assertNull(read[2]);
  }

  @Test
  void aFloodOfMadeUpNamesNeitherGrowsTheTableNorStopsTheSharing() {
    for (int i = 0; i < 3 * SharedNames.MAX; i++) {
      SharedNames.shared("made-up-" + i);
      assertTrue(SharedNames.size() <= SharedNames.MAX, "names kept: " + SharedNames.size());
    }
    String once = SharedNames.shared(new String("RECIPE-after-the-flood"));
    assertSame(once, SharedNames.shared(new String("RECIPE-after-the-flood")), "names are shared again after the flood");
    assertEquals("RECIPE-after-the-flood", once);
  }
}

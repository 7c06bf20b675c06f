package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
  void pastItsLimitANameComesBackAsGivenAndEqual() {
    // a client sending made-up names fills the table; names are still right, only no longer shared
    for (int i = 0; i < SharedNames.MAX + 10; i++) SharedNames.shared("made-up-" + i);
    String late = new String("never-seen-before-the-table-filled");
    String got = SharedNames.shared(late);
    assertEquals(late, got);
    assertSame(late, got);
  }
}

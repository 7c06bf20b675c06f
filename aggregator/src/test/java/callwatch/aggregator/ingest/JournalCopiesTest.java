package callwatch.aggregator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JournalCopiesTest {
  @Test
  void eachMemberAsksTheNextOneByIdFirstAndNeverItself() {
    List<String> ids = List.of("c", "a", "b");
    assertEquals(List.of("b", "c"), JournalCopies.peersAfter("a", ids));
    assertEquals(List.of("c", "a"), JournalCopies.peersAfter("b", ids));
    assertEquals(List.of("a", "b"), JournalCopies.peersAfter("c", ids));
    assertEquals(List.of(), JournalCopies.peersAfter("a", List.of("a")), "a cluster of one has nobody to copy to");
  }
}

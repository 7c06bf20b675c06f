package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WalkBudgetTest {
  private static final long MS = 1_000_000L;

  @Test
  void aBacklogIsWalkedAsFastAsItsShareOfEachSecondAllows() {
    WalkBudget b = new WalkBudget();
    assertEquals(180, b.slots(), "the least: 30 minutes of event time a second");
    // 180 slots in 40 ms: 1,800 would fit 400 ms; the budget moves halfway
    b.after(180, 40 * MS);
    assertEquals(990, b.slots());
    b.after(990, 220 * MS);
    assertEquals(1395, b.slots());
    // a round that caught up (walked less than its budget) says nothing of the cost
    b.after(3, 1 * MS);
    assertEquals(1395, b.slots());
    // a busy machine: slots cost more, the budget falls, never below the least
    b.after(1395, 2000 * MS);
    assertEquals(837, b.slots());
    for (int i = 0; i < 20; i++) b.after(b.slots(), 5000 * MS);
    assertEquals(180, b.slots());
    // never above the most, however cheap
    for (int i = 0; i < 20; i++) b.after(b.slots(), 1 * MS);
    assertEquals(3600, b.slots());
  }
}

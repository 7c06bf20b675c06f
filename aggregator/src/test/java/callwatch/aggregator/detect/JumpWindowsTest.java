package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JumpWindowsTest {
  @Test
  @DisplayName("each window sums its last slots: the slot that falls out of a window is taken off it, and a cell nobody calls leaves it")
  void runningSums() {
    JumpWindows w = new JumpWindows(2, 3);
    // slot: cell a's calls and errors; cell b only in the first slot
    w.add(Map.of("a", new long[] {10, 1}, "b", new long[] {4, 4}));
    w.add(Map.of("a", new long[] {20, 2}));
    assertArrayEquals(new long[] {30, 3}, w.sums(0).get("a"));
    assertArrayEquals(new long[] {4, 4}, w.sums(0).get("b"));
    w.add(Map.of("a", new long[] {40, 4}));
    assertArrayEquals(new long[] {60, 6}, w.sums(0).get("a"), "the first slot left the 2-slot window");
    assertFalse(w.sums(0).containsKey("b"), "b left the 2-slot window");
    assertArrayEquals(new long[] {70, 7}, w.sums(1).get("a"));
    assertArrayEquals(new long[] {4, 4}, w.sums(1).get("b"));
    w.add(Map.of());
    assertArrayEquals(new long[] {40, 4}, w.sums(0).get("a"));
    assertArrayEquals(new long[] {60, 6}, w.sums(1).get("a"));
    assertFalse(w.sums(1).containsKey("b"));
    w.add(Map.of());
    w.add(Map.of());
    assertEquals(Map.of(), w.sums(0));
    assertEquals(Map.of(), w.sums(1));
  }

  @Test
  @DisplayName("windows are given shortest first")
  void lengthsMustGrow() {
    assertThrows(IllegalArgumentException.class, () -> new JumpWindows(6, 6));
    assertEquals(30, new JumpWindows(6, 30, 90).length(1));
  }
}

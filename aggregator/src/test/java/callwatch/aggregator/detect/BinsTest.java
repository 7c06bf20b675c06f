package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The 10 s bins of the last 10 minutes: what a window of a pharmacy's calls reads. */
class BinsTest {
  @Test
  @DisplayName("calls land in their bin; bins skipped over read empty, also once the ring has gone round")
  void binsAcrossGapsAndTheRingsEnd() {
    Bins b = new Bins();
    b.add(1000, 3); // bin 100
    b.add(1005, 2);
    b.add(1590, 7); // bin 159: the ring's last slot before it wraps to bin 160
    b.add(1625, 4); // bin 162, past the ring's end: bins 100-102 fall out
    assertEquals(0, b.get(100));
    assertEquals(7, b.get(159));
    assertEquals(0, b.get(160));
    assertEquals(0, b.get(161));
    assertEquals(4, b.get(162));
    assertEquals(0, b.get(163), "a bin after the newest is empty");
    b.add(1580, 1); // a late call for bin 158, still in the ring
    assertEquals(1, b.get(158));
    b.add(1000, 9); // bin 100: out of the ring already, dropped
    assertEquals(0, b.get(100));
    assertEquals(4, b.get(162), "a late call moves nothing on");
  }

  @Test
  @DisplayName("after ten minutes or more without a call every old bin reads empty")
  void aLongGapEmptiesTheRing() {
    Bins b = new Bins();
    for (long t = 0; t < 600; t += 10) b.add(t, 1);
    b.add(1200, 5);
    for (long bin = 61; bin < 120; bin++) assertEquals(0, b.get(bin), "bin " + bin);
    assertEquals(5, b.get(120));
    b.add(1210, 2);
    assertEquals(2, b.get(121));
    assertEquals(5, b.get(120));
  }

  @Test
  @DisplayName("nothing and negative counts add nothing")
  void nothingAddsNothing() {
    Bins b = new Bins();
    b.add(100, 0);
    b.add(100, -3);
    assertEquals(0, b.get(10));
    b.add(100, 2);
    assertEquals(2, b.get(10));
  }

  @Test
  @DisplayName("a bin stops at the largest int rather than wrapping to a negative count")
  void aHugeCountStopsAtTheLargestInt() {
    Bins b = new Bins();
    b.add(100, Integer.MAX_VALUE - 1L);
    b.add(100, 5);
    assertEquals(Integer.MAX_VALUE, b.get(10));
    b.add(110, Long.MAX_VALUE);
    assertEquals(Integer.MAX_VALUE, b.get(11));
    assertEquals(Integer.MAX_VALUE, Bins.saturated(3L * Integer.MAX_VALUE));
    assertEquals(0, Bins.saturated(-4));
    assertEquals(7, Bins.saturated(7));
  }
}

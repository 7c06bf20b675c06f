package callwatch.aggregator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which agents a full member holds back, and when they are let go. */
class IngestLoadTest {
  @Test
  @DisplayName("an agent is held only when the member holds its limit and the agent has other batches in it")
  void whoIsHeld() {
    // the member's total before the frame, the agent's own bytes before it, whether it is held (limit 100)
    record Case(String name, long total, long own, boolean held) {}
    List<Case> table = List.of(
        new Case("under the limit", 99, 50, false),
        new Case("at the limit, with batches of its own in the member", 100, 50, true),
        new Case("over the limit, with batches of its own", 250, 10, true),
        new Case("over the limit, nothing of its own: this one batch gets in", 250, 0, false));
    for (Case c : table) {
      IngestLoad load = new IngestLoad(100);
      load.received(c.total);
      assertEquals(c.held, load.holdBack(() -> {}, c.own), c.name);
      assertEquals(c.held ? 1 : 0, load.heldBack(), c.name);
    }
  }

  @Test
  @DisplayName("held agents are let go, once each, when stored batches bring the total under the limit; a forgotten one is not")
  void letGoUnderTheLimit() {
    IngestLoad load = new IngestLoad(100);
    load.received(130);
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    AtomicInteger c = new AtomicInteger();
    Runnable resumeA = a::incrementAndGet;
    Runnable resumeC = c::incrementAndGet;
    assertEquals(true, load.holdBack(resumeA, 10));
    assertEquals(true, load.holdBack(resumeA, 20)); // the same agent again: held once
    assertEquals(true, load.holdBack(b::incrementAndGet, 10));
    assertEquals(true, load.holdBack(resumeC, 10));
    load.forget(resumeC); // its own batches were all stored, or it closed
    assertEquals(2, load.heldBack());
    load.done(20); // 110: still at the limit or more
    assertEquals(List.of(0, 0, 0), List.of(a.get(), b.get(), c.get()));
    load.done(20); // 90: under it
    assertEquals(List.of(1, 1, 0), List.of(a.get(), b.get(), c.get()));
    assertEquals(0, load.heldBack());
    load.done(90);
    assertEquals(List.of(1, 1, 0), List.of(a.get(), b.get(), c.get()));
    assertEquals(0, load.pending());
    assertEquals(130, load.peak());
  }
}

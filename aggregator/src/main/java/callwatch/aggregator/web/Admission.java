package callwatch.aggregator.web;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many requests of one kind run at once. A request past the bound is not queued (a
 * queue would only make every answer late): it is told to come back ({@code 503} with
 * {@code Retry-After}). Thread-safe.
 */
public final class Admission {
  private final int limit;
  private final AtomicInteger running = new AtomicInteger();

  public Admission(int limit) {
    this.limit = limit;
  }

  /** Takes a place if one is free; a caller that got one must {@link #release()} it. */
  public boolean tryEnter() {
    while (true) {
      int n = running.get();
      if (n >= limit) return false;
      if (running.compareAndSet(n, n + 1)) return true;
    }
  }

  public void release() {
    running.decrementAndGet();
  }

  public int limit() {
    return limit;
  }
}

package callwatch.aggregator;

import java.util.ArrayList;
import java.util.List;

/** What a test started, closed after it in reverse order; one failing step does not keep the rest open. */
final class Cleanup {
  private final List<Runnable> steps = new ArrayList<>();

  void add(Runnable step) {
    steps.add(step);
  }

  void runAll() {
    for (int i = steps.size() - 1; i >= 0; i--) {
      try {
        steps.get(i).run();
      } catch (RuntimeException e) {
        // keep closing the rest
      }
    }
    steps.clear();
  }
}

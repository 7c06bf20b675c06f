package callwatch.aggregator.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's JIT compiling went: the compilations' time (wall time, as JFR records
 * it) by compiler, and C2's by method with how many times each was compiled. Record with
 * {@code -XX:StartFlightRecording:filename=F.jfr,jdk.Compilation#threshold=0ms} so that every
 * compilation is kept. Usage: bench/jfr-compilations.sh RECORDING.jfr [TOP=25]
 */
public final class JfrCompilations {
  private JfrCompilations() {}

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, double[]> byCompiler = new HashMap<>(); // seconds, count
    Map<String, double[]> c2ByMethod = new HashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.Compilation")) continue;
      double seconds = e.getDuration().toNanos() / 1e9;
      String compiler = e.getString("compiler");
      add(byCompiler, compiler, seconds);
      if ("c2".equals(compiler)) {
        jdk.jfr.consumer.RecordedMethod m = e.getValue("method");
        add(c2ByMethod, m.getType().getName() + "." + m.getName(), seconds);
      }
    }
    byCompiler.forEach((compiler, v) -> System.out.printf(Locale.ROOT, "%s: %.1f s in %d compilations%n", compiler, v[0], (long) v[1]));
    System.out.println("C2 by method (seconds, compilations):");
    c2ByMethod.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
        .forEach(c -> System.out.printf(Locale.ROOT, "%7.2f %3d  %s%n", c.getValue()[0], (long) c.getValue()[1], c.getKey()));
  }

  private static void add(Map<String, double[]> sums, String key, double seconds) {
    double[] v = sums.computeIfAbsent(key, k -> new double[2]);
    v[0] += seconds;
    v[1]++;
  }
}

package callwatch.aggregator.bench;

import callwatch.common.model.Metrics;
import callwatch.common.protocol.BatchTextWriter;
import callwatch.common.protocol.ProtocolCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The member's cost of decoding one backlog batch: one agent's ten minutes at the platform's rate
 * (a fourteenth of 2 M calls an hour: ~2,400 pharmacy calls a minute, 126 series rows a slot),
 * written by the agent's own writer, then decoded the checked way (a JSON tree first) and the way
 * ingest does (streaming). CPU time of this thread per batch, median of the rounds.
 * Usage: bench/decode.sh [ROUNDS] [BATCHES_PER_ROUND]
 */
public final class DecodeBench {
  private DecodeBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    long now = System.currentTimeMillis() / 1000;
    String text = backlogBatch(now - 3600 - now % 600);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[] tree = new double[rounds];
    double[] streaming = new double[rounds];
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) sink += ProtocolCodec.decodeBatch(ProtocolCodec.parseFrame(text), now).pharmacies().size();
      long t1 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) sink += ProtocolCodec.decodeBatchFrame(text, now).pharmacies().size();
      long t2 = cpu.getCurrentThreadCpuTime();
      tree[r] = (t1 - t0) / 1e6 / perRound;
      streaming[r] = (t2 - t1) / 1e6 / perRound;
      System.out.printf(Locale.ROOT, "round %d: tree %.2f ms a batch, streaming %.2f ms%n", r + 1, tree[r], streaming[r]);
    }
    System.out.printf(Locale.ROOT, "batch of %,d characters: tree %.2f ms, streaming %.2f ms (median of %d rounds; %.1fx)%s%n",
        text.length(), median(tree), median(streaming), rounds, median(tree) / median(streaming), sink < 0 ? "!" : "");
  }

  private static String backlogBatch(long from) {
    String[] services = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
    long[] counters = new long[Metrics.SIZE];
    Arrays.fill(counters, 3);
    BatchTextWriter w = new BatchTextWriter(1 << 20).begin(5, 10, from + 600, (from + 600) * 1000);
    for (int s = 0; s < 60; s++) {
      w.slot(from + s * 10L);
      for (int r = 0; r < 126; r++) {
        w.row(BatchTextWriter.literal(services[r % 6]), BatchTextWriter.literal("op" + r % 3),
            BatchTextWriter.literal("Vendor" + r % 7 + "/1." + r % 2), BatchTextWriter.literal("app01"), counters);
      }
    }
    w.pharmacyPairs();
    for (int p = 0; p < 42; p++) w.pair(p, BatchTextWriter.literal(services[p % 6]), BatchTextWriter.literal("Vendor" + p / 6 + "/1.0"));
    w.pharmacyCalls();
    Random random = new Random(1);
    for (int m = 0; m < 10; m++) {
      w.minute(from + m * 60L);
      for (int i = 0; i < 2400; i++) w.call(100000 + random.nextInt(5000), random.nextInt(42) * 4 + (random.nextInt(50) == 0 ? 1 : 0));
    }
    return new String(w.end("{\"counters\":{},\"files\":[]}"), StandardCharsets.UTF_8);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

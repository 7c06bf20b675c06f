package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import callwatch.common.model.Metrics;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder of batch frames against the checked one: it reads every batch an agent
 * writes, and for any frame at all — valid, odd, broken — the member's answer is the checked
 * decoder's (the same batch, or the same reason for refusing it).
 */
class BatchFrameDecoderTest {
  private static final long NOW = 1_800_000_000L;
  private static final long SLOT = NOW - 3600 - NOW % 60;

  /** What an agent sends: two slots, pairs, calls of numeric and named pharmacies over two minutes, its figures. */
  static String agentFrame() {
    long[] c = new long[Metrics.SIZE];
    for (int i = 0; i < c.length; i++) c[i] = i * 3L;
    BatchTextWriter w = new BatchTextWriter(0).begin(42, 10, SLOT + 20, (SLOT + 15) * 1000);
    w.slot(SLOT).row(b("DPP"), b("getRecord"), b("Corilus/4.2"), b("app01"), c).row(b("RECIPE"), b("send"), b("Farmad"), b("app01"), c);
    w.slot(SLOT + 10).row(b("DPP"), b("getRecord"), b("Corilus/4.2"), b("app01"), c);
    w.pharmacyPairs().pair(0, b("DPP"), b("Corilus/4.2")).pair(1, b("RECIPE"), b("Farmad"));
    w.pharmacyCalls().minute(SLOT).call(123456, 0).call(123456, 1).call(654321, 4 + 3).call(b("pharma-x"), 0).call(b("0123"), 4);
    w.minute(SLOT + 60).call(123456, 0).call(b("123456"), 2);
    w.minute(SLOT).call(123456, 4);
    return new String(w.end("{\"counters\":{\"lines\":7},\"files\":[{\"path\":\"/var/log/a.log\",\"lagBytes\":3,\"rejected\":1,\"samples\":[\"x\"]}]}"),
        StandardCharsets.UTF_8);
  }

  private static byte[] b(String s) {
    return BatchTextWriter.literal(s);
  }

  /** The checked decoder's answer: the batch re-encoded, or the reason it is refused. */
  private static String checked(String text) {
    try {
      JsonObject m = ProtocolCodec.parseFrame(text);
      String type = m.getString("type");
      if (Protocol.HELLO.equals(type)) throw new ProtocolException("a second hello on one connection");
      if (!Protocol.BATCH.equals(type)) throw new ProtocolException("unexpected message type '" + type + "'");
      return ProtocolCodec.encode(ProtocolCodec.decodeBatch(m, NOW)).encode();
    } catch (ProtocolException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static String member(String text) {
    try {
      return ProtocolCodec.encode(ProtocolCodec.decodeBatchFrame(text, NOW)).encode();
    } catch (ProtocolException e) {
      return "refused: " + e.getMessage();
    }
  }

  @Test
  void readsWhatAnAgentWritesWithoutTheTree() {
    String text = agentFrame();
    Batch fast = BatchFrameDecoder.tryDecode(text);
    assertNotNull(fast, "an agent's batch takes the streaming path");
    assertEquals(checked(text), ProtocolCodec.encode(fast).encode());
    // "123456" and 123456 are one pharmacy; "0123" is a name
    assertEquals(List.of(2L, 1L, 1L, 1L, 2L, 1L), fast.pharmacies().stream().map(PharmacyRow::calls).toList());
    assertEquals(7, fast.stats().counters().get("lines"));
  }

  @Test
  void readsWhatTheCodecWrites() {
    String text = ProtocolCodec.encode(ProtocolCodec.decodeBatch(new JsonObject(agentFrame()))).encode();
    assertNotNull(BatchFrameDecoder.tryDecode(text));
    assertEquals(checked(text), member(text));
  }

  /**
   * Text beyond ASCII (a log line quoted in the agent's figures, a file path) takes the streaming
   * path and reads as the checked decoder reads it: the figures are cut out of the frame by the
   * parser's offsets, which must count what the text is made of (a byte parser's would not).
   */
  @Test
  void textBeyondAsciiReadsAsTheCheckedDecoderReadsIt() {
    String text = agentFrame().replace("/var/log/a.log", "/var/log/pharmacie-é€😀.log").replace("\"samples\":[\"x\"]",
        "\"samples\":[\"réponse reçue: délai dépassé 😀\"]");
    Batch fast = BatchFrameDecoder.tryDecode(text);
    assertNotNull(fast, "non-ASCII figures take the streaming path too");
    assertEquals(checked(text), ProtocolCodec.encode(fast).encode());
    assertEquals(List.of("réponse reçue: délai dépassé 😀"), fast.stats().files().get(0).rejectedSamples());
  }

  /** A journal record or an agent's spooled batch (no clock): the same batch either way, odd fields included. */
  @Test
  void storedTextDecodesAsTheCheckedDecoderDoes() {
    String good = agentFrame();
    for (String text : List.of(good, good.replace("\"seq\":42", "\"seq\":42,\"extra\":[1,2]"), movePairsAfterCalls(good))) {
      assertEquals(ProtocolCodec.encode(ProtocolCodec.decodeBatch(new JsonObject(text))).encode(),
          ProtocolCodec.encode(ProtocolCodec.decodeBatchText(text)).encode());
    }
  }

  /** Frames the streaming path leaves to the checked decoder, which accepts or refuses them as before. */
  @Test
  void oddAndBrokenFramesGetTheCheckedAnswer() {
    String good = agentFrame();
    String[] frames = {
        good.replace("\"seq\":42", "\"seq\":0"),
        good.replace("\"seq\":42", "\"seq\":42.0"),
        good.replace("\"seq\":42", "\"seq\":99999999999999999999999"),
        good.replace("\"seq\":42,", ""),
        good.replace("\"step\":10", "\"step\":7"),
        good.replace("\"type\":\"batch\"", "\"type\":\"hello\""),
        good.replace("\"type\":\"batch\"", "\"type\":\"nonsense\""),
        good.replace("\"v\":" + Protocol.VERSION, "\"v\":1"),
        good.replace("\"v\":" + Protocol.VERSION + ",", ""),
        good.replace("\"DPP\",\"getRecord\"", "\"\",\"getRecord\""),
        good.replace("\"DPP\",\"getRecord\"", "\"D\\u0007PP\",\"getRecord\""),
        good.replace("\"app01\"", "\"" + "h".repeat(65) + "\""),
        good.replace("[0,3,6,", "[-1,3,6,"),
        good.replace("[0,3,6,", "[0,3,6,9,"),
        good.replace("[0,3,6,", "[1e3,3,6,"),
        good.replace("[0,3,6,", "[0,\"3\",6,"),
        good.replace("\"seq\":42", "\"seq\":42,\"extra\":[1,2]"),
        good.replace("\"seq\":42", "\"seq\":42,\"seq\":43"),
        good.replace("{\"t\":" + SLOT + ",", "{\"t\":" + SLOT + ",\"x\":1,"),
        good.replace("{\"t\":" + SLOT + ",", "{\"t\":" + (SLOT + 5) + ","),
        good.replace("{\"t\":" + SLOT + ",", "{\"t\":" + (NOW + 7200 - (NOW + 7200) % 10) + ","),
        good.replace("\"m\":" + SLOT + ",", "\"m\":" + (SLOT + 1) + ","),
        good.replace("123456,1", "-5,1"),
        good.replace("123456,1", "123456,99"),
        good.replace("123456,1", "123456"),
        good.replace("123456,1", "null,1"),
        good.replace("\"pharma-x\"", "\"" + "p".repeat(80) + "\""),
        good.replace("\"0\":[\"DPP\"", "\"zero\":[\"DPP\""),
        good.replace("\"0\":[\"DPP\",\"Corilus/4.2\"]", "\"0\":[\"DPP\"]"),
        movePairsAfterCalls(good),
        good.replace("\"stats\":{", "\"stats\":{\"other\":true,"),
        good.replace(",\"stats\":{\"counters\":{\"lines\":7},", ",\"stats\":null,\"x\":{\"counters\":{\"lines\":7},"),
        good.replace(",\"seenUpTo\":" + (SLOT + 15) * 1000, ""),
        good + " ",
        good + "{}",
        good.substring(0, good.length() - 1),
        "[]",
        "not json",
        "{\"type\":\"batch\",\"v\":" + Protocol.VERSION + "}",
    };
    for (String f : frames) assertEquals(checked(f), member(f), f);
    // and the streaming path really stood aside for what it does not take
    assertNull(BatchFrameDecoder.tryDecode(good.replace("\"seq\":42", "\"seq\":42,\"extra\":[1,2]")));
    assertNull(BatchFrameDecoder.tryDecode(movePairsAfterCalls(good)));
  }

  private static String movePairsAfterCalls(String good) {
    int from = good.indexOf(",\"pharmacyPairs\":");
    int to = good.indexOf(",\"pharmacyCalls\":");
    int stats = good.indexOf(",\"stats\":");
    return good.substring(0, from) + good.substring(to, stats) + good.substring(from, to) + good.substring(stats);
  }

  /** Any frame at all: random damage to an agent's batch never makes the two answers differ. */
  @Test
  void randomDamageGetsTheCheckedAnswer() {
    String good = agentFrame();
    String alphabet = "{}[],:\"0123456789-.eE abcxyz\\";
    Random random = new Random(7);
    for (int n = 0; n < 5000; n++) {
      StringBuilder f = new StringBuilder(good);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(f.length());
        switch (random.nextInt(3)) {
          case 0 -> f.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> f.deleteCharAt(at);
          default -> f.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String frame = f.toString();
      assertEquals(checked(frame), member(frame), frame);
    }
  }
}

package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RefusingServicesTest {
  @Test
  @DisplayName("nine pharmacies without a contract within ten minutes are nine; the tenth makes it the service refusing, until its minutes are clear for ten;"
      + " refusals from before that are the service's too")
  void manyPharmaciesRefusedAreTheService() {
    Findings out = new Findings(300, 0);
    RefusingServices r = new RefusingServices();
    long t = 1_000_000;
    for (int p = 0; p < RefusingServices.PHARMACIES - 1; p++) assertTrue(r.missingContract("DPP", t - 60, t + p, out), "pharmacy " + p);
    assertTrue(r.missingContract("RECIPE", t - 60, t, out), "another service counts on its own");
    assertTrue(out.active().isEmpty());
    assertFalse(r.missingContract("DPP", t - 60, t + 30, out), "the tenth");
    assertEquals(1, out.active().size());
    Alert a = out.active().iterator().next();
    assertEquals("error-rate", a.kind);
    assertEquals(Map.of("service", "DPP"), a.subject);
    assertFalse(r.missingContract("DPP", t, t + 40, out), "while it refuses, none is a missing contract");
    // nine clear minutes, one refused, then ten clear
    long m = t + 60;
    for (int i = 0; i < 9; i++, m += 60) r.minute(m, Map.of("DPP", new long[] {100, 1}), out);
    r.minute(m, Map.of("DPP", new long[] {100, 40}), out);
    m += 60;
    for (int i = 0; i < 9; i++, m += 60) r.minute(m, Map.of("DPP", new long[] {100, 0}), out);
    r.minute(m, Map.of(), out); // a minute without calls says nothing
    assertEquals(1, out.active().size(), "not yet ten clear minutes");
    r.minute(m + 60, Map.of("DPP", new long[] {100, 0}), out);
    assertTrue(out.active().isEmpty());
    assertFalse(r.missingContract("DPP", m - 1200, m + 120, out), "a pharmacy refused since the service refused everyone");
    assertTrue(r.missingContract("DPP", m + 60, m + 180, out), "one refused since it ended");
  }
}

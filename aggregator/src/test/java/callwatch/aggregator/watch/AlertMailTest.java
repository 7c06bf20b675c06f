package callwatch.aggregator.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlertMailTest {
  private static final long SINCE = 1_796_000_000L;

  private static MailMessage mail(String transition, long nowMillis) {
    JsonObject alert = new JsonObject().put("id", "a-1").put("kind", "stall").put("subject", new JsonObject().put("service", "DPP"))
        .put("since", SINCE).put("reason", "no DPP call for 14 s; about 180 expected")
        .put("evidence", new JsonObject().put("expected", 180).put("observed", 0).put("window", 14));
    return AlertMail.of(new JsonObject().put("alert", alert).put("transition", transition), "cw@test.invalid", List.of("ops@test.invalid"),
        a -> null, nowMillis);
  }

  @Test
  @DisplayName("a reminder says how long the alert has been firing, since its reason keeps the words of the moment it was called")
  void reminderSaysHowLongItHasBeenFiring() {
    MailMessage reminder = mail("reminder-2", (SINCE + 40 * 60) * 1000);
    assertTrue(reminder.getText().startsWith("Still firing and not acknowledged, 40 min after it began. When it was called: no DPP call for 14 s"),
        reminder.getText());
    assertTrue(reminder.getHtml().contains("Still firing and not acknowledged, 40 min after it began."), reminder.getHtml());
    MailMessage fired = mail("firing", (SINCE + 14) * 1000);
    assertTrue(fired.getText().startsWith("no DPP call for 14 s"), fired.getText());
    assertFalse(fired.getText().contains("Still firing"), fired.getText());
  }
}

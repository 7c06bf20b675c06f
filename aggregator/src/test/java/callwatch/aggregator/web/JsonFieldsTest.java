package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
  /** A body as a client sends it: the text is parsed, so numbers have the types the parser gives. */
  private static JsonObject body(String json) {
    return new JsonObject(json);
  }

  @Test
  @DisplayName("each reader takes its own type, gives null or empty when absent or null, and refuses any other type by the field's name")
  void readersTakeTheirTypeOnly() {
    Object[][] taken = {
        {"text", "{\"f\": \"DPP down\"}", "DPP down"},
        {"text", "{\"f\": \"\"}", ""},
        {"flag", "{\"f\": false}", false},
        {"whole", "{\"f\": 3}", 3L},
        {"whole", "{\"f\": 9007199254740993}", 9007199254740993L},
        {"whole", "{\"f\": -2}", -2L},
        {"names", "{\"f\": [\"DPP\", \"RECIPE\"]}", List.of("DPP", "RECIPE")},
        {"texts", "{\"f\": {\"fr\": \"en panne\", \"nl\": \"storing\"}}", Map.of("fr", "en panne", "nl", "storing")},
    };
    for (Object[] t : taken) assertEquals(t[2], read((String) t[0]).apply(body((String) t[1]), "f"), t[0] + " " + t[1]);
    for (String reader : new String[] {"text", "flag", "whole"}) {
      assertNull(read(reader).apply(body("{}"), "f"), reader);
      assertNull(read(reader).apply(body("{\"f\": null}"), "f"), reader);
    }
    assertEquals(List.of(), JsonFields.names(body("{\"f\": null}"), "f"));
    assertEquals(Map.of(), JsonFields.texts(body("{}"), "f"));
    Object[][] refused = {
        {"text", "5", "must be text, got a number"},
        {"text", "[\"x\"]", "must be text, got a list"},
        {"flag", "\"yes\"", "must be true or false, got text"},
        {"flag", "1", "must be true or false, got a number"},
        {"whole", "1.5", "must be a whole number, got a number"},
        {"whole", "\"1\"", "must be a whole number, got text"},
        {"whole", "123456789012345678901234567890", "must be a whole number"},
        {"names", "\"DPP\"", "must be a list of names, got text"},
        {"names", "[5]", "must hold names of 1–100 characters, got a number"},
        {"names", "[\"\"]", "must hold names of 1–100 characters, got one of 0 characters"},
        {"names", "[\"" + "x".repeat(101) + "\"]", "got one of 101 characters"},
        {"names", "[" + "\"s\",".repeat(50) + "\"s\"]", "holds 51 names; the limit is 50"},
        {"texts", "\"en panne\"", "must be an object of texts, got text"},
        {"texts", "{\"fr\": 5}", "its \"fr\" is a number"},
    };
    for (Object[] r : refused) {
      var reader = read((String) r[0]);
      JsonObject b = body("{\"field\": " + r[1] + "}");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.apply(b, "field"), r[0] + " " + r[1]);
      assertTrue(e.getMessage().startsWith("'field' ") && e.getMessage().contains((String) r[2]), r[0] + " " + r[1] + ": " + e.getMessage());
    }
  }

  private static BiFunction<JsonObject, String, Object> read(String reader) {
    return switch (reader) {
      case "text" -> JsonFields::text;
      case "flag" -> JsonFields::flag;
      case "whole" -> JsonFields::whole;
      case "names" -> JsonFields::names;
      case "texts" -> JsonFields::texts;
      default -> throw new IllegalArgumentException(reader);
    };
  }
}

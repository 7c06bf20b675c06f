package callwatch.aggregator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XmlTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a bell            | a\u0007b           | a\ufffdb",
      "NUL and escape    | x\u0000\u001b[0m   | x\ufffd\ufffd[0m",
      "a form feed       | page\f2            | page\ufffd2",
      "a lone high half  | x\ud83dy           | x\ufffdy",
      "a lone low half   | x\ude00y           | x\ufffdy",
      "a half at the end | x\ud83d             | x\ufffd",
      "not characters    | \ufffe\uffff       | \ufffd\ufffd",
  })
  void charactersXmlCannotCarryBecomeAMark(String what, String text, String legal) {
    assertEquals(legal, XmlText.legal(text));
  }

  @Test
  void textXmlCarriesIsLeftAlone() {
    String text = "tab\tline\nreturn\r é ‮ € 😀 \ufffd <b>&amp;</b>";
    assertSame(text, XmlText.legal(text));
  }
}

package callwatch.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFilesTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // file name | text (\n: a new line, \t: a tab) | expected in the one error
      "a.yaml | aggregators: [x]\\nfiles: []\\naggregators: [y]\\n | a.yaml: aggregators: given twice (lines 1 and 3); the second would silently win",
      "a.yaml | files:\\n  - { glob: /a, glob: /b }\\n | files[0].glob: given twice (lines 2 and 2)",
      "a.yaml | cluster:\\n  port: 1\\n  host: h\\n  port: 2\\n | cluster.port: given twice (lines 2 and 4)",
      "a.json | {\"httpPort\": 1,\\n \"httpPort\": 2} | a.json: httpPort: given twice (lines 1 and 2)",
      "a.yaml | a: 1\\nb: 2\\nc: 3\\nd: 4\\ne: 5\\n\\tf: 6\\n | a.yaml: not valid YAML at line 6: found character",
      "a.yaml | a: [\\nb: 2\\n | a.yaml: not valid YAML at line",
  })
  @DisplayName("a key given twice and broken YAML are refused with the line of the problem")
  void refused(String name, String text, String expected) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text.replace("\\n", "\n").replace("\\t", "\t"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected.replace("a.yaml: ", "").replace("a.json: ", "")), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a.yaml | files:\\n  - { glob: /a }\\n  - { glob: /a }\\n | 1",
      "a.yaml | a: { x: 1 }\\nb: { x: 1 }\\n | 2",
  })
  @DisplayName("the same key in two mappings, or the same item twice in a list, is no repetition")
  void sameKeyElsewhere(String name, String text, int keys) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text.replace("\\n", "\n"));
    assertEquals(keys, ConfigFiles.load(f).keys().size());
  }
}

package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HolidaysTest {
  @ParameterizedTest(name = "Easter {0}: {1}")
  @CsvSource({"2008, 2008-03-23", "2019, 2019-04-21", "2024, 2024-03-31", "2025, 2025-04-20", "2026, 2026-04-05",
      "2027, 2027-03-28", "2038, 2038-04-25", "2285, 2285-03-22"})
  void easterSunday(int year, String date) {
    assertEquals(LocalDate.parse(date), Holidays.easterSunday(year));
  }

  @Test
  @DisplayName("Belgium's ten public holidays of 2026 and 2027, and no other day")
  void belgianHolidays() {
    Holidays be = Holidays.belgianAnd(Set.of());
    assertEquals(List.of("2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-07-21", "2026-08-15",
        "2026-11-01", "2026-11-11", "2026-12-25"), holidaysOf(be, 2026));
    assertEquals(List.of("2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-07-21", "2027-08-15",
        "2027-11-01", "2027-11-11", "2027-12-25"), holidaysOf(be, 2027));
  }

  @Test
  @DisplayName("dates of the config's own: with Belgium's or alone")
  void ownDates() {
    assertEquals(List.of("2026-12-24"), holidaysOf(Holidays.only(Set.of(LocalDate.of(2026, 12, 24))), 2026));
    assertEquals(11, holidaysOf(Holidays.belgianAnd(Set.of(LocalDate.of(2026, 12, 24))), 2026).size());
    assertEquals(List.of(), holidaysOf(Holidays.NONE, 2026));
  }

  private static List<String> holidaysOf(Holidays h, int year) {
    List<String> out = new ArrayList<>();
    for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) if (h.isHoliday(d)) out.add(d.toString());
    return out;
  }
}

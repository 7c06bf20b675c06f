package callwatch.common.protocol;

/**
 * Calls of one pharmacy to one service through one vendor's software during one minute
 * ({@code minute} in epoch seconds); kept apart from the series so that 5,000 pharmacies do not
 * become 5,000 times more round-robin files.
 */
public record PharmacyRow(long minute, String pharmacy, String service, String vendor, long calls, long errors, long e401) {
  /**
   * The protocol's code of its {@code i}-th call (0 ≤ i < calls) when its (service, vendor) is pair
   * {@code pair}: the first {@code e401} calls are E401 errors, then the other errors, then the rest.
   */
  public int callCode(int pair, long i) {
    return pair * 4 + (i < errors ? 1 : 0) + (i < e401 ? 2 : 0);
  }
}

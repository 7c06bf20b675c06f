package callwatch.common.protocol;

/**
 * Calls of one pharmacy to one service through one vendor's software during one minute
 * ({@code minute} in epoch seconds); kept apart from the series so that 5,000 pharmacies do not
 * become 5,000 times more round-robin files.
 */
public record PharmacyRow(long minute, String pharmacy, String service, String vendor, long calls, long errors, long e401) {}

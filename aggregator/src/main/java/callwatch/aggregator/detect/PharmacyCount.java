package callwatch.aggregator.detect;

/** One pharmacy's calls to one service through one vendor's software in one minute. */
public record PharmacyCount(String pharmacy, String service, String vendor, long calls, long errors, long e401) {}

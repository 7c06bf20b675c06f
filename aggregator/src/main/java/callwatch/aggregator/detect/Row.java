package callwatch.aggregator.detect;

/** One counter vector of a slot, as an agent sent it: (service, op, vendor, host) of the calls. */
public record Row(String agent, String service, String op, String vendor, String host, long[] v) {}

package callwatch.common.protocol;

import java.util.List;

/** The agent's view of one tailed file: how far behind its end it is, and what it rejected. */
public record FileStatus(String path, long lagBytes, long rejected, List<String> rejectedSamples) {}

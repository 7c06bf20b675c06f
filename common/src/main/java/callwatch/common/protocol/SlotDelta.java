package callwatch.common.protocol;

import java.util.List;

/** What one batch adds to one time slot; {@code slot} is the slot's start in epoch seconds. */
public record SlotDelta(long slot, List<SeriesRow> rows) {}

package ai.helicone.internal.record;

import ai.helicone.record.Usage;
import java.time.Duration;

/**
 * Values the application stated itself for a call it logged by hand; each wins over what the
 * adapters read from the exchange. Null fields leave the adapters' values. Immutable.
 */
public record RecordOverrides(String provider, Usage usage, Duration timeToFirstToken) {
  public static final RecordOverrides NONE = new RecordOverrides(null, null, null);
}

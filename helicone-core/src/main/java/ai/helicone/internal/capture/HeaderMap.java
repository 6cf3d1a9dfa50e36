package ai.helicone.internal.capture;

import ai.helicone.internal.record.FrozenMap;
import java.util.Map;

/**
 * Captured headers: unmodifiable, in their original order, names already in lower case. The type
 * tells {@link ai.helicone.spi.CapturedExchange} that there is nothing left to normalise, so the
 * map is built once per call instead of twice; records share it as any {@link FrozenMap}. Immutable
 * and thread-safe.
 */
public final class HeaderMap extends FrozenMap<String> {

  /** Takes ownership of {@code lowerCaseNames}, which nobody may change afterwards. */
  HeaderMap(Map<String, String> lowerCaseNames) {
    super(lowerCaseNames);
  }
}

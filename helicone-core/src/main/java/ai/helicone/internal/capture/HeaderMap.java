package ai.helicone.internal.capture;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Captured headers: unmodifiable, in their original order, names already in lower case. The type
 * tells {@link ai.helicone.spi.CapturedExchange} that there is nothing left to normalise, so the
 * map is built once per call instead of twice. Immutable and thread-safe.
 */
public final class HeaderMap extends AbstractMap<String, String> {
  private final Map<String, String> map;

  /**
   * An unmodifiable copy of {@code headers} in their order; captured headers themselves, which are
   * immutable already, are returned as they are instead of being copied once more per record.
   */
  public static Map<String, String> immutableCopy(Map<String, String> headers) {
    return headers instanceof HeaderMap
        ? headers
        : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** Takes ownership of {@code lowerCaseNames}, which nobody may change afterwards. */
  HeaderMap(Map<String, String> lowerCaseNames) {
    this.map = Collections.unmodifiableMap(lowerCaseNames);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return map.entrySet();
  }

  @Override
  public String get(Object key) {
    return map.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  @Override
  public int size() {
    return map.size();
  }
}

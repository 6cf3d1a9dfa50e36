package ai.helicone.internal.capture;

import ai.helicone.internal.record.FrozenMap;

/**
 * Captured headers: unmodifiable, in their original order, names already in lower case. The type
 * tells {@link ai.helicone.spi.CapturedExchange} that there is nothing left to normalise, so the
 * map is built once per call instead of twice; records share it as any {@link FrozenMap}. Immutable
 * and thread-safe.
 */
public final class HeaderMap extends FrozenMap<String> {

  private HeaderMap(Object[] namesAndValues, int size) {
    super(namesAndValues, size);
  }

  /**
   * Collects headers in their order into a {@link HeaderMap} without a map in between; a repeated
   * name keeps its first place. Not thread-safe; used once.
   */
  static final class Builder {
    private final Object[] namesAndValues;
    private int size;

    /**
     * @param capacity the most headers that will be added
     */
    Builder(int capacity) {
      this.namesAndValues = new Object[2 * capacity];
    }

    /**
     * Adds a header whose name is in lower case. A name already added keeps its value when {@code
     * join} is false, otherwise gets {@code ", "} and this value appended.
     */
    void add(String lowerCaseName, String value, boolean join) {
      int at = position(namesAndValues, size, lowerCaseName);
      if (at < 0) {
        namesAndValues[2 * size] = lowerCaseName;
        namesAndValues[2 * size + 1] = value;
        size++;
      } else if (join) {
        namesAndValues[2 * at + 1] = namesAndValues[2 * at + 1] + ", " + value;
      }
    }

    HeaderMap build() {
      return new HeaderMap(namesAndValues, size);
    }
  }
}

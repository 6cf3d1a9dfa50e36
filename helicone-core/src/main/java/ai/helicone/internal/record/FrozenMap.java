package ai.helicone.internal.record;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An unmodifiable map in insertion order. The value types that copy the maps they are given
 * (records, adapter results, call metadata) copy through {@link #copyOf}, which returns a map of
 * this type as it is: a call's properties and headers are then copied once, where they are set, not
 * again by each type they pass through on their way into a record. Immutable and thread-safe.
 */
public class FrozenMap<V> extends AbstractMap<String, V> {
  private final Map<String, V> map;

  /** Takes ownership of {@code owned}, an insertion-ordered map nobody may change afterwards. */
  protected FrozenMap(Map<String, V> owned) {
    this.map = Collections.unmodifiableMap(owned);
  }

  /** {@code map} itself when it is frozen already; otherwise an unmodifiable copy in its order. */
  public static <V> Map<String, V> copyOf(Map<String, V> map) {
    if (map instanceof FrozenMap) {
      return map;
    }
    return map.isEmpty() ? Collections.emptyMap() : new FrozenMap<>(new LinkedHashMap<>(map));
  }

  /** Takes ownership of {@code owned}, an insertion-ordered map nobody may change afterwards. */
  public static <V> Map<String, V> adopt(Map<String, V> owned) {
    return owned.isEmpty() ? Collections.emptyMap() : new FrozenMap<>(owned);
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    return map.entrySet();
  }

  @Override
  public V get(Object key) {
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

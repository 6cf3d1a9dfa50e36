package ai.helicone.internal.record;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An unmodifiable map in insertion order. The value types that copy the maps they are given
 * (records, adapter results, call metadata) copy through {@link #copyOf}, which returns a map of
 * this type as it is: a call's properties and headers are then copied once, where they are set, not
 * again by each type they pass through on their way into a record. Immutable and thread-safe.
 *
 * <p>Its keys and values sit side by side in one array: a call's headers are written on the calling
 * thread and read on an SDK thread, which then follows one array instead of a hash table's nodes.
 * Small maps are searched in order; larger ones get an index.
 */
public class FrozenMap<V> extends AbstractMap<String, V> {
  // Above this many keys a look-up goes through an index instead of comparing keys in turn.
  private static final int INDEXED_ABOVE = 16;

  // Key i at 2i, its value at 2i + 1.
  private final Object[] keysAndValues;
  private final int size;
  private final Map<String, Integer> index;
  private Set<Entry<String, V>> entries;

  /** Copies {@code source}'s entries in its iteration order. */
  protected FrozenMap(Map<String, V> source) {
    Object[] kv = new Object[2 * source.size()];
    int n = 0;
    for (Entry<String, V> e : source.entrySet()) {
      kv[2 * n] = e.getKey();
      kv[2 * n + 1] = e.getValue();
      n++;
    }
    this.keysAndValues = kv;
    this.size = n;
    this.index = indexOf(kv, n);
  }

  /**
   * Takes ownership of {@code keysAndValues} (key i at 2i, its value at 2i + 1; distinct keys),
   * which nobody may change afterwards; only its first {@code size} pairs are the map.
   */
  protected FrozenMap(Object[] keysAndValues, int size) {
    this.keysAndValues = keysAndValues;
    this.size = size;
    this.index = indexOf(keysAndValues, size);
  }

  private static Map<String, Integer> indexOf(Object[] kv, int size) {
    if (size <= INDEXED_ABOVE) {
      return null;
    }
    Map<String, Integer> index = new HashMap<>(2 * size);
    for (int i = 0; i < size; i++) {
      index.put((String) kv[2 * i], i);
    }
    return index;
  }

  /** {@code map} itself when it is frozen already; otherwise an unmodifiable copy in its order. */
  public static <V> Map<String, V> copyOf(Map<String, V> map) {
    if (map instanceof FrozenMap) {
      return map;
    }
    return map.isEmpty() ? Collections.emptyMap() : new FrozenMap<>(map);
  }

  /**
   * An unmodifiable map of {@code filled}'s entries in its order; the caller no longer uses {@code
   * filled}.
   */
  public static <V> Map<String, V> adopt(Map<String, V> filled) {
    return filled.isEmpty() ? Collections.emptyMap() : new FrozenMap<>(filled);
  }

  /**
   * Where {@code key} is among the first {@code size} keys of {@code keysAndValues} (laid out as
   * this class keeps them), or -1; for those that fill such an array.
   */
  protected static int position(Object[] keysAndValues, int size, Object key) {
    for (int i = 0; i < size; i++) {
      Object k = keysAndValues[2 * i];
      if (k == key || (key != null && key.equals(k))) {
        return i;
      }
    }
    return -1;
  }

  private int position(Object key) {
    if (index == null) {
      return position(keysAndValues, size, key);
    }
    Integer at = index.get(key);
    return at == null ? -1 : at;
  }

  /** The key of the {@code i}th entry, for loops that need no entry objects. */
  public final String keyAt(int i) {
    return (String) keysAndValues[2 * checkIndex(i)];
  }

  /** The value of the {@code i}th entry, for loops that need no entry objects. */
  @SuppressWarnings("unchecked")
  public final V valueAt(int i) {
    return (V) keysAndValues[2 * checkIndex(i) + 1];
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return i;
  }

  @Override
  public V get(Object key) {
    int at = position(key);
    return at < 0 ? null : valueAt(at);
  }

  @Override
  public boolean containsKey(Object key) {
    return position(key) >= 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super V> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keyAt(i), valueAt(i));
    }
  }

  @Override
  public Set<Entry<String, V>> entrySet() {
    // Racy but harmless: every thread that creates the view creates an equal one.
    Set<Entry<String, V>> set = entries;
    if (set == null) {
      set = new EntrySet();
      entries = set;
    }
    return set;
  }

  private final class EntrySet extends AbstractSet<Entry<String, V>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Entry<String, V>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < size;
        }

        @Override
        public Entry<String, V> next() {
          if (next >= size) {
            throw new NoSuchElementException();
          }
          int i = next++;
          return new SimpleImmutableEntry<>(keyAt(i), valueAt(i));
        }
      };
    }
  }
}

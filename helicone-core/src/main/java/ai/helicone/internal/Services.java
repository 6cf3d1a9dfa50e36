package ai.helicone.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds {@link ServiceLoader} implementations, skipping (and reporting) the broken ones. */
public final class Services {
  private Services() {}

  /**
   * The implementations of {@code type} on the context class loader (else this library's loader),
   * in classpath order. One that cannot be loaded or instantiated is counted, logged and skipped.
   */
  public static <T> List<T> load(Class<T> type, Diagnostics diagnostics) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Services.class.getClassLoader();
    }
    List<T> found = new ArrayList<>();
    Iterator<T> it = ServiceLoader.load(type, loader).iterator();
    // Bounded, so that a provider that keeps failing cannot loop forever.
    for (int attempts = 0; attempts < 1000; attempts++) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        diagnostics.error(
            "service:" + type.getName(),
            "could not load a " + type.getSimpleName() + "; skipped",
            e);
      }
    }
    return found;
  }
}

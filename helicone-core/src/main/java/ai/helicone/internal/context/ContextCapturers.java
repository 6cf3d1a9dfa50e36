package ai.helicone.internal.context;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.record.FrozenMap;
import ai.helicone.spi.ContextCapturer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every {@link ContextCapturer} on the caller's thread and merges what they return, later
 * capturers winning. A capturer that throws or returns null is skipped, counted and logged.
 * Thread-safe.
 */
public final class ContextCapturers {
  private final List<ContextCapturer> capturers;
  private final Map<String, String> fixed;
  private final Diagnostics diagnostics;

  /**
   * @param fixed attributes every record carries (such as {@code service.name}), before the
   *     captured ones
   */
  public ContextCapturers(
      List<ContextCapturer> capturers, Map<String, String> fixed, Diagnostics diagnostics) {
    this.capturers = List.copyOf(capturers);
    this.fixed = FrozenMap.copyOf(fixed);
    this.diagnostics = diagnostics;
  }

  /** The attributes of the current thread; never null, never throws. */
  public Map<String, String> capture() {
    if (capturers.isEmpty()) {
      return fixed;
    }
    Map<String, String> out = new LinkedHashMap<>(fixed);
    for (ContextCapturer capturer : capturers) {
      try {
        Map<String, String> values = capturer.capture();
        if (values != null) {
          values.forEach(
              (k, v) -> {
                if (k != null && v != null) {
                  out.put(k, v);
                }
              });
        }
      } catch (RuntimeException | LinkageError e) {
        diagnostics.error(
            "capturer:" + capturer.getClass().getName(),
            "context capturer " + capturer.getClass().getName() + " failed; its values are skipped",
            e);
      }
    }
    return FrozenMap.adopt(out);
  }
}

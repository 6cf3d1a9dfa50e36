package ai.helicone.internal.capture;

import ai.helicone.internal.Diagnostics;
import ai.helicone.spi.ProviderAdapter;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the capture. Immutable and thread-safe (the adapter list is copied).
 *
 * @param maxCapturedBodyBytes the most bytes kept of each request and response body; longer bodies
 *     are still sent and read in full, the captured copy is truncated and flagged
 * @param adapters the adapters asked, in order, to rewrite request bodies
 * @param diagnostics where the capture's own failures are counted and logged
 * @param admission asked before each call is sent (enforced budgets)
 */
public record CaptureSettings(
    int maxCapturedBodyBytes,
    List<ProviderAdapter> adapters,
    Diagnostics diagnostics,
    Admission admission) {

  public CaptureSettings(
      int maxCapturedBodyBytes, List<ProviderAdapter> adapters, Diagnostics diagnostics) {
    this(maxCapturedBodyBytes, adapters, diagnostics, Admission.ALL);
  }

  public CaptureSettings {
    if (maxCapturedBodyBytes < 0) {
      throw new IllegalArgumentException(
          "maxCapturedBodyBytes must not be negative: " + maxCapturedBodyBytes);
    }
    adapters = List.copyOf(adapters);
    Objects.requireNonNull(diagnostics, "diagnostics");
    Objects.requireNonNull(admission, "admission");
  }
}

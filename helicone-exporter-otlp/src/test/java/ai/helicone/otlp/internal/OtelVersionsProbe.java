package ai.helicone.otlp.internal;

import java.util.Map;
import java.util.function.Function;

/** Opens the package-private check of {@link OtelVersions} to tests of other packages. */
public final class OtelVersionsProbe {
  private OtelVersionsProbe() {}

  public static void requireSupported() {
    OtelVersions.requireSupported();
  }

  public static void check(Map<String, String> versions, Function<String, Boolean> present) {
    OtelVersions.check(versions, present);
  }
}

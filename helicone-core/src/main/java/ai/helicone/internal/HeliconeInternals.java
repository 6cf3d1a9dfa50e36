package ai.helicone.internal;

import ai.helicone.Helicone;
import java.util.Objects;
import java.util.function.Function;

/**
 * Gives the integration modules what a {@link Helicone} keeps out of its public API (its {@link
 * Diagnostics}). {@link Helicone} registers the accessor when its class is initialised, which has
 * happened by the time any instance exists. Thread-safe.
 */
public final class HeliconeInternals {
  private static volatile Function<Helicone, Diagnostics> diagnostics;

  private HeliconeInternals() {}

  /** Called once, by {@link Helicone}'s static initialiser. */
  public static void register(Function<Helicone, Diagnostics> accessor) {
    diagnostics = Objects.requireNonNull(accessor, "accessor");
  }

  /** The diagnostics of {@code helicone}: failures reported here are counted in its stats. */
  public static Diagnostics diagnostics(Helicone helicone) {
    return diagnostics.apply(Objects.requireNonNull(helicone, "helicone"));
  }
}

package ai.helicone.internal.export;

import ai.helicone.export.HeliconeExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where and how large the durable spool is: one sub-directory per exporter under {@code directory},
 * each allowed an equal share of {@code maxBytes}.
 *
 * @param directory the spool's root directory
 * @param maxBytes the most bytes all exporters' spools take together
 */
public record SpoolSettings(Path directory, long maxBytes) {
  /** The smallest total size accepted. */
  public static final long MIN_BYTES = 64 * 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final long MIN_PER_EXPORTER = 16 * 1024;

  public SpoolSettings {
    Objects.requireNonNull(directory, "directory");
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "spool maxBytes must be at least " + MIN_BYTES + ": " + maxBytes);
    }
  }

  /** True when {@code name} can name a spool directory. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.startsWith(".");
  }

  long bytesPerExporter(int exporters) {
    return Math.max(MIN_PER_EXPORTER, maxBytes / Math.max(1, exporters));
  }

  /**
   * The spool directory name of each exporter: its {@link HeliconeExporter#spoolName()} when it has
   * one, else its class name and its position among the exporters of that class ({@code
   * ai.helicone.export.http.CollectorHttpExporter-0}). The same exporters added in the same order
   * find the same spools after a restart.
   */
  static List<String> exporterIds(List<HeliconeExporter> exporters) {
    List<String> ids = new ArrayList<>();
    Set<String> used = new HashSet<>();
    Map<Class<?>, Integer> perClass = new HashMap<>();
    for (HeliconeExporter exporter : exporters) {
      int position = perClass.merge(exporter.getClass(), 1, Integer::sum) - 1;
      String name = null;
      try {
        name = exporter.spoolName();
      } catch (RuntimeException e) {
        // no name then
      }
      String id =
          isValidName(name) ? "name-" + name : exporter.getClass().getName() + "-" + position;
      String unique = id;
      for (int n = 2; !used.add(unique); n++) {
        unique = id + "-" + n;
      }
      ids.add(unique);
    }
    return ids;
  }
}

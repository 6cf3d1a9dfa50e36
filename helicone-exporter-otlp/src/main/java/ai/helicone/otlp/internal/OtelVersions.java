package ai.helicone.otlp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Checks, when an exporter is built, that the OpenTelemetry Java on the class path is one this
 * module supports: every artifact it uses of one version, at least {@link #MIN}. An unsupported or
 * mixed set fails with a message naming the versions, rather than with a {@code
 * NullPointerException} or {@code NoClassDefFoundError} later. Stateless and thread-safe.
 */
public final class OtelVersions {
  /** The oldest OpenTelemetry Java release tested (the build's {@code otel-min} profile). */
  public static final String MIN = "1.44.1";

  /** The newest OpenTelemetry Java release tested (the build's default). */
  public static final String TESTED = "1.68.0";

  /** The resource each artifact carries with its version, by artifact. */
  private static final Map<String, String> VERSION_RESOURCES =
      Map.of(
          "opentelemetry-api", "io/opentelemetry/api/version.properties",
          "opentelemetry-sdk-common", "io/opentelemetry/sdk/common/version.properties",
          "opentelemetry-exporter-common", "io/opentelemetry/exporter/internal/version.properties",
          "opentelemetry-exporter-otlp-common",
              "io/opentelemetry/exporter/internal/otlp/version.properties");

  /** Class and method names this module calls (method name "" for the class alone). */
  private static final String[][] REQUIRED = {
    {"io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler", "create"},
    {"io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler", "create"},
    {"io.opentelemetry.exporter.internal.marshal.Marshaler", "writeBinaryTo"},
    {"io.opentelemetry.api.metrics.LongHistogramBuilder", "setExplicitBucketBoundariesAdvice"},
    {"io.opentelemetry.api.metrics.DoubleHistogramBuilder", "setExplicitBucketBoundariesAdvice"},
    {"io.opentelemetry.sdk.metrics.InstrumentSelectorBuilder", "setMeterName"},
    {"io.opentelemetry.sdk.metrics.Aggregation", "drop"},
    {"io.opentelemetry.sdk.metrics.export.PeriodicMetricReader", "builder"},
  };

  private OtelVersions() {}

  /**
   * Checks the class path of this module's class loader.
   *
   * @throws IllegalStateException when OpenTelemetry is missing, older than {@link #MIN}, or of
   *     mixed versions
   */
  public static void requireSupported() {
    ClassLoader loader = OtelVersions.class.getClassLoader();
    Map<String, String> versions = new LinkedHashMap<>();
    VERSION_RESOURCES.forEach(
        (artifact, resource) -> versions.put(artifact, read(loader, resource)));
    check(versions, name -> hasMember(loader, name));
  }

  /**
   * The check itself, on given artifact versions (null: unknown) and a test of which {@code
   * class#method} members exist.
   */
  static void check(Map<String, String> versions, Function<String, Boolean> memberPresent) {
    List<String> problems = new ArrayList<>();
    String first = null;
    for (Map.Entry<String, String> e : versions.entrySet()) {
      String v = e.getValue();
      if (v == null) {
        continue;
      }
      if (first == null) {
        first = v;
      } else if (!first.equals(v)) {
        problems.add("mixed versions " + versions);
        break;
      }
    }
    for (Map.Entry<String, String> e : versions.entrySet()) {
      if (e.getValue() != null && compare(e.getValue(), MIN) < 0) {
        problems.add(e.getKey() + " " + e.getValue() + " is older than " + MIN);
      }
    }
    for (String[] member : REQUIRED) {
      String name = member[0] + '#' + member[1];
      if (!Boolean.TRUE.equals(memberPresent.apply(name))) {
        problems.add("missing " + name);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "helicone-exporter-otlp supports OpenTelemetry Java "
              + MIN
              + " to "
              + TESTED
              + " (newer 1.x releases are expected to work), all io.opentelemetry artifacts of one"
              + " version (import io.opentelemetry:opentelemetry-bom); found: "
              + String.join("; ", problems));
    }
  }

  private static boolean hasMember(ClassLoader loader, String name) {
    int hash = name.indexOf('#');
    try {
      Class<?> type = Class.forName(name.substring(0, hash), false, loader);
      String method = name.substring(hash + 1);
      for (Method m : type.getMethods()) {
        if (m.getName().equals(method)) {
          return true;
        }
      }
      return false;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("sdk.version");
      return v == null ? null : v.trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Compares dotted release numbers (1.44.1 &lt; 1.68.0); a suffix such as -alpha is ignored. */
  static int compare(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(number(x, i), number(y, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int number(String[] parts, int i) {
    try {
      return i < parts.length ? Integer.parseInt(parts[i]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

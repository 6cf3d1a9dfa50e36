package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the cause of a failed OTLP export (an HTTP status or an exception class), so the SDK's
 * rate-limited diagnostics log each cause once per interval rather than every failure.
 */
public final class OtlpFailures {
  private static final Pattern STATUS = Pattern.compile("answered (\\d{3})");
  private static final Pattern EXCEPTION = Pattern.compile(": ([A-Z][A-Za-z]*(Exception|Error))");

  private OtlpFailures() {}

  /** {@code prefix.status-503}, {@code prefix.ConnectException}, or {@code prefix.other}. */
  public static String kind(String prefix, ExportResult result) {
    String message = result.message() == null ? "" : result.message();
    Matcher m = STATUS.matcher(message);
    if (m.find()) {
      return prefix + ".status-" + m.group(1);
    }
    m = EXCEPTION.matcher(message);
    if (m.find()) {
      return prefix + '.' + m.group(1);
    }
    return prefix + ".other";
  }
}

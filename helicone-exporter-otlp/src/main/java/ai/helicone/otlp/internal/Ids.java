package ai.helicone.otlp.internal;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic trace and span ids, so that a session is always one trace, a session path always
 * the same span, and a retried export sends the same ids again.
 */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** The trace id of a session: the first 16 bytes of SHA-256 of its id, as hex. */
  public static String sessionTraceId(String sessionId) {
    return hexPrefix(sha256(sessionId), 16);
  }

  /** The span id of the session's root span. */
  public static String sessionRootSpanId(String sessionId) {
    return pathSpanId(sessionId, "");
  }

  /** The span id of a session path node such as {@code /a/b}; the root is the empty path. */
  public static String pathSpanId(String sessionId, String pathPrefix) {
    return hexPrefix(sha256("session\n" + sessionId + "\n" + pathPrefix), 8);
  }

  /** The span id of a record's own span. */
  public static String recordSpanId(String recordId) {
    return hexPrefix(sha256("record\n" + recordId), 8);
  }

  /** The trace id of a record that belongs to no session and no application trace. */
  public static String recordTraceId(String recordId) {
    return hexPrefix(sha256("trace\n" + recordId), 16);
  }

  /**
   * Parses a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}) into a remote span
   * context; returns null when it is missing or invalid.
   */
  public static SpanContext parseTraceparent(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String[] parts = traceparent.trim().split("-", -1);
    if (parts.length < 4 || parts[0].length() != 2 || "ff".equals(parts[0])) {
      return null;
    }
    if (parts[3].length() != 2 || !isHex(parts[3])) {
      return null;
    }
    SpanContext ctx =
        SpanContext.createFromRemoteParent(
            parts[1].toLowerCase(java.util.Locale.ROOT),
            parts[2].toLowerCase(java.util.Locale.ROOT),
            TraceFlags.fromHex(parts[3], 0),
            TraceState.getDefault());
    return ctx.isValid() ? ctx : null;
  }

  /** Formats a span context as a W3C {@code traceparent}. */
  public static String formatTraceparent(SpanContext ctx) {
    return "00-" + ctx.getTraceId() + '-' + ctx.getSpanId() + '-' + ctx.getTraceFlags().asHex();
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  private static String hexPrefix(byte[] bytes, int length) {
    boolean allZero = true;
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[i] & 0xff;
      allZero &= b == 0;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    if (allZero) {
      // An all-zero id is invalid in OpenTelemetry; astronomically unlikely, but stay valid.
      out[out.length - 1] = '1';
    }
    return new String(out);
  }
}

package ai.helicone.internal.record;

import ai.helicone.record.CapturedBody;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Converts a trace's input or output to a {@link CapturedBody} at the moment it is given, so that
 * later changes to the object do not change the record: text stays text, anything else becomes
 * JSON, and what Jackson cannot serialize becomes its {@code toString()}. Thread-safe.
 */
public final class TraceValues {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TraceValues() {}

  /** The value as a body; null for null. Never throws. */
  public static CapturedBody of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof CharSequence) {
      return CapturedBody.text(value.toString());
    }
    try {
      return RawBodies.verifiedJson(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
      return CapturedBody.text(safeToString(value));
    }
  }

  private static String safeToString(Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException e) {
      return value.getClass().getName();
    }
  }
}

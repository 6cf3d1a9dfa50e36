package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Anthropic's {@code usage} object, accumulated: a stream reports it in {@code message_start} and
 * again, cumulatively, in {@code message_delta}, so each count read replaces the one before and a
 * count left out keeps its earlier value. Not thread-safe.
 */
public final class UsageCounts {
  private Long input;
  private Long output;
  private Long cacheRead;
  private Long cacheCreation;
  private Long cache5m;
  private Long cache1h;

  /** Reads a {@code usage} object; the parser is on its start (anything else is skipped). */
  public void read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      switch (field) {
        case "input_tokens" -> input = keep(input, Json.longValue(p));
        case "output_tokens" -> output = keep(output, Json.longValue(p));
        case "cache_read_input_tokens" -> cacheRead = keep(cacheRead, Json.longValue(p));
        case "cache_creation_input_tokens" ->
            cacheCreation = keep(cacheCreation, Json.longValue(p));
        case "cache_creation" -> readCacheCreation(p);
        default -> p.skipChildren();
      }
    }
  }

  private void readCacheCreation(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      switch (field) {
        case "ephemeral_5m_input_tokens" -> cache5m = keep(cache5m, Json.longValue(p));
        case "ephemeral_1h_input_tokens" -> cache1h = keep(cache1h, Json.longValue(p));
        default -> p.skipChildren();
      }
    }
  }

  private static Long keep(Long old, Long read) {
    return read != null ? read : old;
  }

  /** True when any count was read. */
  public boolean present() {
    return input != null
        || output != null
        || cacheRead != null
        || cacheCreation != null
        || cache5m != null
        || cache1h != null;
  }

  /**
   * The counts in the core's terms, or null when none was read. Anthropic's {@code input_tokens}
   * leaves out cache reads and writes; the core's input count includes both (as OpenAI reports it),
   * with cache reads and writes (and the one-hour part of the writes) given separately, so that
   * each is priced at its own rate.
   */
  public Usage toUsage() {
    if (!present()) {
      return null;
    }
    Long writes = cacheCreation;
    if (writes == null && (cache5m != null || cache1h != null)) {
      writes = orZero(cache5m) + orZero(cache1h);
    }
    Long totalInput =
        input == null && cacheRead == null && writes == null
            ? null
            : orZero(input) + orZero(cacheRead) + orZero(writes);
    return Usage.builder()
        .inputTokens(totalInput)
        .outputTokens(output)
        .cachedInputTokens(cacheRead)
        .cacheWriteTokens(writes)
        .cacheWrite1hTokens(cache1h)
        .build();
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}

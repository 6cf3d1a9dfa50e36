package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the binary AWS event stream that Bedrock's {@code invoke-with-response-stream} answers
 * with, and hands each Anthropic event inside it to a {@link MessageStream}. A message is: total
 * length and headers length (4-byte big-endian each), a prelude CRC, headers, the payload and a
 * message CRC. A {@code chunk} event's payload is {@code {"bytes": "<base64 of one Anthropic event
 * JSON>"}}; an {@code exception} message's payload is {@code {"message": "..."}}, with the
 * exception's name in the {@code :exception-type} header. Checksums are not verified (the bytes
 * were accepted by the caller's client already); a message cut short ends the reading.
 */
public final class AwsEventStream {
  private static final int PRELUDE = 12;
  private static final int CRC = 4;
  private static final byte STRING = 7;

  private AwsEventStream() {}

  /** True when the bytes begin like an event-stream message rather than JSON or SSE. */
  public static boolean looksBinary(byte[] body) {
    if (body.length < PRELUDE + CRC) {
      return false;
    }
    int total = readInt(body, 0);
    int headers = readInt(body, 4);
    return total >= PRELUDE + CRC && headers >= 0 && headers <= total - PRELUDE - CRC;
  }

  /**
   * Feeds every complete message of {@code body} to {@code events}.
   *
   * @return the message of an {@code exception} message, as {@code type: message}, or null
   */
  public static String read(byte[] body, MessageStream events) {
    String exception = null;
    int at = 0;
    while (at + PRELUDE + CRC <= body.length) {
      int total = readInt(body, at);
      int headersLength = readInt(body, at + 4);
      if (total < PRELUDE + CRC
          || headersLength < 0
          || headersLength > total - PRELUDE - CRC
          || at + (long) total > body.length) {
        break;
      }
      int headersStart = at + PRELUDE;
      int payloadStart = headersStart + headersLength;
      int payloadEnd = at + total - CRC;
      Headers h = headers(body, headersStart, payloadStart);
      if ("exception".equals(h.messageType) || "error".equals(h.messageType)) {
        String message = payloadMessage(body, payloadStart, payloadEnd);
        String name = h.exceptionType != null ? h.exceptionType : h.errorCode;
        exception = name == null ? message : message == null ? name : name + ": " + message;
      } else if ("chunk".equals(h.eventType)) {
        byte[] event = chunkBytes(body, payloadStart, payloadEnd);
        if (event != null) {
          events.onEvent(null, event, event.length, payloadEnd - 1L);
        }
      }
      at += total;
    }
    return exception;
  }

  private static final class Headers {
    String messageType;
    String eventType;
    String exceptionType;
    String errorCode;
  }

  private static Headers headers(byte[] b, int from, int to) {
    Headers h = new Headers();
    int i = from;
    while (i < to) {
      int nameLength = b[i] & 0xff;
      i++;
      if (i + nameLength + 1 > to) {
        break;
      }
      String name = new String(b, i, nameLength, StandardCharsets.UTF_8);
      i += nameLength;
      byte type = b[i++];
      int valueLength = valueLength(type, b, i, to);
      if (valueLength < 0 || i + valueLength > to) {
        break;
      }
      if (type == STRING) {
        String value = new String(b, i + 2, valueLength - 2, StandardCharsets.UTF_8);
        switch (name) {
          case ":message-type" -> h.messageType = value;
          case ":event-type" -> h.eventType = value;
          case ":exception-type" -> h.exceptionType = value;
          case ":error-code" -> h.errorCode = value;
          default -> {}
        }
      }
      i += valueLength;
    }
    return h;
  }

  /** The number of value bytes (with any length prefix) of a header of the given type, or -1. */
  private static int valueLength(byte type, byte[] b, int at, int to) {
    return switch (type) {
      case 0, 1 -> 0;
      case 2 -> 1;
      case 3 -> 2;
      case 4 -> 4;
      case 5, 8 -> 8;
      case 9 -> 16;
      case 6, 7 -> at + 2 <= to ? 2 + (((b[at] & 0xff) << 8) | (b[at + 1] & 0xff)) : -1;
      default -> -1;
    };
  }

  private static byte[] chunkBytes(byte[] b, int from, int to) {
    try (JsonParser p = Json.FACTORY.createParser(b, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        if ("bytes".equals(field) && t == JsonToken.VALUE_STRING) {
          return Base64.getDecoder().decode(p.getText());
        }
        p.skipChildren();
      }
    } catch (IOException | IllegalArgumentException e) {
      // Not the expected payload: skip the message.
    }
    return null;
  }

  private static String payloadMessage(byte[] b, int from, int to) {
    try (JsonParser p = Json.FACTORY.createParser(b, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        if (("message".equals(field) || "Message".equals(field)) && t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // Fall through.
    }
    return null;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}

package ai.helicone.anthropic;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes AWS event-stream messages as Bedrock's {@code invoke-with-response-stream} sends them:
 * each Anthropic event JSON base64-encoded in a {@code chunk} event, with real checksums.
 */
public final class AwsFrames {
  private AwsFrames() {}

  /** The data payloads of an SSE fixture, in order. */
  public static List<String> eventData(String sse) {
    List<String> data = new ArrayList<>();
    for (String line : sse.split("\n", -1)) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return data;
  }

  /** Bedrock's stream of the given Anthropic events. */
  public static byte[] chunks(List<String> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String event : events) {
      String payload =
          "{\"bytes\":\""
              + Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8))
              + "\",\"p\":\"abcdefghij\"}";
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(":event-type", "chunk");
      headers.put(":content-type", "application/json");
      headers.put(":message-type", "event");
      out.writeBytes(message(headers, payload));
    }
    return out.toByteArray();
  }

  /** An exception message, as Bedrock sends when it fails mid-stream. */
  public static byte[] exception(String type, String message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return message(headers, "{\"message\":\"" + message + "\"}");
  }

  private static byte[] message(Map<String, String> headers, String payload) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          byte[] n = name.getBytes(StandardCharsets.UTF_8);
          byte[] v = value.getBytes(StandardCharsets.UTF_8);
          h.write(n.length);
          h.writeBytes(n);
          h.write(7);
          h.write(v.length >> 8);
          h.write(v.length & 0xff);
          h.writeBytes(v);
        });
    byte[] headerBytes = h.toByteArray();
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headerBytes.length + body.length + 4;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headerBytes.length);
    b.putInt((int) crc(b.array(), 0, 8));
    b.put(headerBytes).put(body);
    b.putInt((int) crc(b.array(), 0, total - 4));
    return b.array();
  }

  private static long crc(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return crc.getValue();
  }
}

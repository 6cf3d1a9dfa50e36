package ai.helicone.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Headers;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ExchangeRecorderTest {
  private final List<CapturedExchange> completed = new CopyOnWriteArrayList<>();

  // Held so that the watch for bodies dropped unclosed never fires during a test.
  private final Object body = new Object();
  private long contentLength = -1;
  private final long start = System.nanoTime();

  private ExchangeRecorder recorder(int maxBytes) {
    ExchangeRecorder recorder =
        new ExchangeRecorder(
            new CaptureSettings(maxBytes, List.of(), new Diagnostics()),
            (metadata, exchange) -> completed.add(exchange),
            "meta",
            Instant.now(),
            start);
    recorder.request("GET", "http://127.0.0.1/stream", Headers.of(), null);
    recorder.responseHeaders(200, Headers.of("Content-Type", "text/event-stream"));
    recorder.bodyStarts(contentLength, body);
    return recorder;
  }

  @Test
  void aBodyOfDeclaredLengthIsCapturedIntoOneArray() {
    contentLength = 8;
    ExchangeRecorder recorder = recorder(1 << 20);
    Buffer callerBuffer = new Buffer().writeUtf8("abcd");
    recorder.bytesDelivered(callerBuffer, 4);
    callerBuffer.writeUtf8("efgh");
    recorder.bytesDelivered(callerBuffer, 4);
    recorder.endOfBody();

    assertThat(completed.get(0).responseBodyText()).isEqualTo("abcdefgh");
  }

  @Test
  void aBodyLongerThanDeclaredIsStillCapturedInFull() {
    contentLength = 2;
    ExchangeRecorder recorder = recorder(1 << 20);
    Buffer callerBuffer = new Buffer().writeUtf8("abcdef");
    recorder.bytesDelivered(callerBuffer, 6);
    recorder.endOfBody();

    assertThat(completed.get(0).responseBodyText()).isEqualTo("abcdef");
  }

  @Test
  void aStreamIsKeptInThePiecesItWasCopiedIntoNeverJoined() {
    ExchangeRecorder recorder = recorder(1 << 20);
    Buffer callerBuffer = new Buffer();
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String event = "data: {\"n\":" + i + ",\"text\":\"" + "x".repeat(i % 150) + "\"}\n\n";
      sent.append(event);
      callerBuffer.writeUtf8(event);
      recorder.bytesDelivered(callerBuffer, event.length());
      callerBuffer.clear(); // the caller consumed it
    }
    recorder.endOfBody();

    CapturedExchange exchange = completed.get(0);
    ByteChunks pieces = RawBodies.responseBytes(exchange);
    assertThat(pieces.length()).isEqualTo(sent.length()).isGreaterThan(40_000);
    assertThat(pieces.chunkCount()).isGreaterThan(4);
    for (int i = 0; i < pieces.chunkCount(); i++) {
      assertThat(pieces.chunk(i).length).isLessThanOrEqualTo(4096);
    }
    assertThat(exchange.responseBodyText()).isEqualTo(sent.toString());
    assertThat(pieces.isKnownAscii()).isTrue();
  }

  private ByteChunks captured(String... reads) {
    completed.clear();
    ExchangeRecorder recorder = recorder(1 << 20);
    Buffer callerBuffer = new Buffer();
    for (String read : reads) {
      long size = callerBuffer.size();
      callerBuffer.writeUtf8(read);
      recorder.bytesDelivered(callerBuffer, callerBuffer.size() - size);
    }
    recorder.endOfBody();
    return RawBodies.responseBytes(completed.get(0));
  }

  @Test
  void aBodyIsMarkedAsciiOnlyWhenEveryByteCopiedIsAsciiOtherThanNul() {
    String plain = "data: {\"text\":\"" + "abc ".repeat(2000) + "\"}\n\n";
    assertThat(captured(plain, plain).isKnownAscii()).isTrue();
    // A character past ASCII or a NUL anywhere, even in the last read or at a piece's edge.
    assertThat(captured(plain, plain, "é").isKnownAscii()).isFalse();
    assertThat(captured("x".repeat(2047) + "é" + plain).isKnownAscii()).isFalse();
    assertThat(captured(plain, "\u0000", plain).isKnownAscii()).isFalse();
    assertThat(captured(plain.replace('c', '\u007f')).isKnownAscii()).isTrue();
  }

  private ByteChunks sentRequest(String body, int maxBytes) {
    completed.clear();
    ExchangeRecorder recorder = recorder(maxBytes);
    recorder.requestBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    recorder.endOfBody();
    return RawBodies.requestBytes(completed.get(0));
  }

  @Test
  void aRequestBodyIsMarkedAsciiOnlyWhenEveryByteKeptIsAsciiOtherThanNul() {
    String json = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
    ByteChunks ascii = sentRequest(json, 1 << 20);
    assertThat(ascii.isKnownAscii()).isTrue();
    assertThat(ascii.utf8()).isEqualTo(json);
    assertThat(sentRequest(json.replace("mini", "min\u00e9"), 1 << 20).isKnownAscii()).isFalse();
    assertThat(sentRequest(json.replace("mini", "mi\u0000"), 1 << 20).isKnownAscii()).isFalse();
    // Only the bytes kept count: a character past ASCII after the capture limit does not.
    ByteChunks cut = sentRequest(json + "\u00e9", json.length());
    assertThat(cut.isKnownAscii()).isTrue();
    assertThat(completed.get(0).requestBodyTruncated()).isTrue();
  }

  @Test
  void readTimelineIsBoundedWhileTheBodyIsCapturedInFull() {
    ExchangeRecorder recorder = recorder(1 << 20);
    int reads = ExchangeRecorder.MAX_TIMELINE_READS + 1000;
    Buffer callerBuffer = new Buffer();
    for (int i = 0; i < reads; i++) {
      callerBuffer.writeByte('a' + i % 26);
      recorder.bytesDelivered(callerBuffer, 1, start + i * 1_000_000L); // a millisecond apart
    }
    recorder.endOfBody();

    assertThat(completed).hasSize(1);
    CapturedExchange exchange = completed.get(0);
    assertThat(exchange.responseBodyLength()).isEqualTo(reads);
    assertThat(exchange.timeAtResponseOffset(0)).isNotNull();
    assertThat(exchange.timeAtResponseOffset(ExchangeRecorder.MAX_TIMELINE_READS - 1)).isNotNull();
    assertThat(exchange.timeAtResponseOffset(ExchangeRecorder.MAX_TIMELINE_READS)).isNull();
    // The caller's buffer is left untouched: capture copies, it does not consume.
    assertThat(callerBuffer.size()).isEqualTo(reads);
  }

  @Test
  void readsWithinTheTimelinesResolutionShareTheFirstOnesTime() {
    ExchangeRecorder recorder = recorder(1 << 20);
    Buffer callerBuffer = new Buffer().writeUtf8("a".repeat(10));
    long resolution = ExchangeRecorder.TIMELINE_RESOLUTION_NANOS;
    recorder.bytesDelivered(callerBuffer, 10, start + 1_000_000);
    callerBuffer.writeUtf8("b".repeat(10));
    recorder.bytesDelivered(callerBuffer, 10, start + 1_000_000 + resolution - 1);
    callerBuffer.writeUtf8("c".repeat(10));
    recorder.bytesDelivered(callerBuffer, 10, start + 1_000_000 + resolution);
    recorder.endOfBody();

    CapturedExchange exchange = completed.get(0);
    assertThat(exchange.timeAtResponseOffset(0)).isEqualTo(Duration.ofNanos(1_000_000));
    assertThat(exchange.timeAtResponseOffset(19)).isEqualTo(Duration.ofNanos(1_000_000));
    assertThat(exchange.timeAtResponseOffset(20))
        .isEqualTo(Duration.ofNanos(1_000_000 + resolution));
    assertThat(exchange.timeAtResponseOffset(30)).isNull();
  }

  @Test
  void completesOnlyOnceWhateverHappensAfterwards() {
    ExchangeRecorder recorder = recorder(4);
    Buffer callerBuffer = new Buffer().writeUtf8("abcdefgh");
    recorder.bytesDelivered(callerBuffer, 8);
    recorder.closedBeforeEnd();
    recorder.endOfBody();
    recorder.readFailed(new IOException("late"), false);
    recorder.bytesDelivered(callerBuffer, 8);

    assertThat(completed).hasSize(1);
    CapturedExchange exchange = completed.get(0);
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(exchange.responseBodyText()).isEqualTo("abcd");
    assertThat(exchange.responseBodyTruncated()).isTrue();
  }
}

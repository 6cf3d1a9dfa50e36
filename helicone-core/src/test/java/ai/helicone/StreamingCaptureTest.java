package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.export.RecordJson;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams, resets and compressed bodies through {@link Helicone#instrument}, end to end. */
class StreamingCaptureTest {
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  private final InMemoryExporter exporter = new InMemoryExporter();
  private LoopbackLlm llm;
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    llm = LoopbackLlm.queued();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
    client =
        helicone.instrument(new OkHttpClient.Builder().retryOnConnectionFailure(false).build());
  }

  @AfterEach
  void stop() throws IOException {
    helicone.close();
    LoopbackLlm.shutdown(client);
    llm.close();
  }

  private List<HeliconeRecord> flushed() {
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    return exporter.records();
  }

  @Test
  void callerReadsTheFirstChunkBeforeTheServerSendsTheLastAndTheRecordWaitsForTheEnd()
      throws Exception {
    String first = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    String last = "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n";
    try (LatchedStreamServer stream = new LatchedStreamServer(EVENT_STREAM, first, last)) {
      Request request = new Request.Builder().url(stream.url("/v1/chat/completions")).build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.body().contentType()).hasToString(EVENT_STREAM);
        assertThat(response.body().contentLength()).isEqualTo(-1);
        BufferedSource source = response.body().source();

        assertThat(source.readUtf8LineStrict()).isEqualTo(first.substring(0, first.indexOf('\n')));
        assertThat(stream.lastChunkSent()).isFalse();
        // Nothing is recorded while the stream is still open.
        assertThat(flushed()).isEmpty();

        stream.releaseLastChunk();
        assertThat(source.readUtf8()).isEqualTo(first.substring(first.indexOf('\n') + 1) + last);
      }
    }

    List<HeliconeRecord> records = flushed();
    assertThat(records).hasSize(1);
    HeliconeRecord r = records.get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.stream()).isTrue();
    assertThat(r.response().rawBody()).isEqualTo(first + last);
    assertThat(r.timeToFirstToken()).isNotNull().isLessThan(r.duration());
  }

  @Test
  void aLongStreamOfUnknownLengthIsWrittenToJsonLinesExactlyAsReceived(@TempDir Path dir)
      throws Exception {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      // Quotes, backslashes, escapes and characters of two to four bytes, cut anywhere by the
      // server's chunks and the capture's pieces.
      sse.append("data: {\"choices\":[{\"delta\":{\"content\":\"é日😀 \\\"q\\\" \\n")
          .append(i)
          .append("\"}}]}\n\n");
    }
    sse.append("data: [DONE]\n\n");
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", EVENT_STREAM)
            .setChunkedBody(sse.toString(), 997));
    Path file = dir.resolve("calls.jsonl");
    try (Helicone toFile =
        Helicone.builder()
            .addExporter(JsonLinesExporter.builder().file(file).rawStreams(true).build())
            .batchDelay(Duration.ofMillis(5))
            .build()) {
      OkHttpClient fileClient = toFile.instrument(new OkHttpClient());
      try (Response response =
          fileClient.newCall(llm.chat("{\"model\":\"gpt-4o\",\"stream\":true}")).execute()) {
        assertThat(response.body().string()).isEqualTo(sse.toString());
      }
      assertThat(toFile.flush(Duration.ofSeconds(10))).isTrue();
      LoopbackLlm.shutdown(fileClient);
    }

    assertThat(sse.length()).isGreaterThan(60_000);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonNode response = new ObjectMapper().readTree(lines.get(0)).get("response");
    assertThat(response.get("rawBody").asText()).isEqualTo(sse.toString());
    assertThat(RecordJson.fromJson(lines.get(0)).response().rawBody()).isEqualTo(sse.toString());
  }

  @Test
  void connectionResetMidStreamReachesTheCallerAndIsRecordedOnceAsError() {
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sse.append("data: {\"choices\":[{\"delta\":{\"content\":\"token\"}}]}\n\n");
    }
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", EVENT_STREAM)
            .setChunkedBody(sse.toString(), 64)
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    StringBuilder received = new StringBuilder();
    assertThatThrownBy(
            () -> {
              try (Response response =
                  client.newCall(llm.chat("{\"model\":\"gpt-4o\",\"stream\":true}")).execute()) {
                BufferedSource source = response.body().source();
                for (String line; (line = source.readUtf8Line()) != null; ) {
                  received.append(line).append('\n');
                }
              }
            })
        .isInstanceOf(IOException.class);

    List<HeliconeRecord> records = flushed();
    assertThat(records).hasSize(1);
    HeliconeRecord r = records.get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).isNotBlank();
    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.stream()).isTrue();
    assertThat(received.toString()).startsWith("data: ");
    assertThat(r.response().rawBody()).isNotEmpty();
    assertThat(sse.toString()).startsWith(r.response().rawBody());
  }

  @Test
  void gzipResponseIsDecompressedForTheCallerAndRecordedAsJson() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(LoopbackLlm.ANSWER.getBytes(StandardCharsets.UTF_8));
    }
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setHeader("Content-Encoding", "gzip")
            .setBody(new Buffer().write(compressed.toByteArray())));

    assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);

    assertThat(llm.server.takeRequest().getHeader("Accept-Encoding")).isEqualTo("gzip");
    HeliconeRecord r = flushed().get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.response().body().isJson()).isTrue();
    assertThat(r.response().body().text()).isEqualTo(LoopbackLlm.ANSWER);
  }
}

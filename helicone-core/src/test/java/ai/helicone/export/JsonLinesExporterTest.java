package ai.helicone.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesExporterTest {
  @TempDir Path dir;

  @Test
  void appendsOneParsableObjectPerLineAndCreatesTheDirectory() throws Exception {
    Path file = dir.resolve("logs/out.jsonl");
    try (JsonLinesExporter exporter = JsonLinesExporter.builder().file(file).build()) {
      assertThat(exporter.export(List.of(TestRecords.llm("s", "/a"))).isSuccess()).isTrue();
      assertThat(exporter.export(List.of(TestRecords.trace("s", "/a", "t"))).isSuccess()).isTrue();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    ObjectMapper mapper = new ObjectMapper();
    assertThat(mapper.readTree(lines.get(0)).get("type").asText()).isEqualTo("llm");
    assertThat(mapper.readTree(lines.get(1)).get("type").asText()).isEqualTo("trace");
  }

  private static final String STREAM =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hi \\\"there\\\"\"}}]}\n\ndata: [DONE]\n\n";

  private static HeliconeRecord streamed(boolean rebuilt) {
    HeliconeRecord record = TestRecords.llm("s", "/a");
    CapturedResponse response =
        CapturedResponse.ofStream(
            200,
            Map.of("Content-Type", "text/event-stream"),
            STREAM.getBytes(StandardCharsets.UTF_8),
            rebuilt ? raw -> CapturedBody.json("{\"content\":\"Hi \\\"there\\\"\"}") : null,
            false);
    return record.toBuilder().stream(true).response(response).build();
  }

  private JsonNode writtenResponse(JsonLinesExporter.Builder builder, HeliconeRecord record)
      throws Exception {
    Path file = dir.resolve("stream-" + System.nanoTime() + ".jsonl");
    try (JsonLinesExporter exporter = builder.file(file).build()) {
      assertThat(exporter.export(List.of(record)).isSuccess()).isTrue();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    return new ObjectMapper().readTree(lines.get(0)).get("response");
  }

  @Test
  void streamsAreWrittenAsTheirRebuiltMessageWithoutTheRawStreamByDefault() throws Exception {
    JsonNode response = writtenResponse(JsonLinesExporter.builder(), streamed(true));
    assertThat(response.get("body").get("content").asText()).isEqualTo("Hi \"there\"");
    assertThat(response.has("rawBody")).isFalse();
  }

  @Test
  void rawStreamsAddsTheStreamAsReceived() throws Exception {
    JsonNode response =
        writtenResponse(JsonLinesExporter.builder().rawStreams(true), streamed(true));
    assertThat(response.get("body").get("content").asText()).isEqualTo("Hi \"there\"");
    assertThat(response.get("rawBody").asText()).isEqualTo(STREAM);
  }

  @Test
  void aStreamWithoutAMessageKeepsItsRawTextAsTheBody() throws Exception {
    JsonNode response = writtenResponse(JsonLinesExporter.builder(), streamed(false));
    assertThat(response.get("body").asText()).isEqualTo(STREAM);
    assertThat(response.has("rawBody")).isFalse();
  }

  @Test
  void aRawTextWithoutABodyIsWrittenEvenWithoutRawStreams() throws Exception {
    HeliconeRecord record =
        TestRecords.llm("s", "/a").toBuilder().stream(true)
            .response(new CapturedResponse(200, Map.of(), null, STREAM, false, false))
            .build();
    JsonNode response = writtenResponse(JsonLinesExporter.builder(), record);
    assertThat(response.has("body")).isFalse();
    assertThat(response.get("rawBody").asText()).isEqualTo(STREAM);
  }

  @Test
  void reopeningAppendsInsteadOfTruncating() throws Exception {
    Path file = dir.resolve("out.jsonl");
    for (int i = 0; i < 2; i++) {
      try (JsonLinesExporter exporter = JsonLinesExporter.builder().file(file).build()) {
        exporter.export(List.of(TestRecords.llm(null, null)));
      }
    }
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void rotatesBySizeKeepingWholeLinesAndAtMostMaxFiles() throws Exception {
    Path file = dir.resolve("out.jsonl");
    HeliconeRecord record = TestRecords.llm("s", "/a");
    int lineBytes = RecordJson.toJson(record).length() + 1;
    try (JsonLinesExporter exporter =
        JsonLinesExporter.builder().file(file).maxFileBytes(lineBytes * 2L).maxFiles(3).build()) {
      List<HeliconeRecord> batch = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        batch.add(record);
      }
      assertThat(exporter.export(batch).isSuccess()).isTrue();
    }
    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("out.jsonl.1"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("out.jsonl.2"))).hasSize(2);
    assertThat(dir.resolve("out.jsonl.3")).doesNotExist();
    for (Path p : List.of(file, dir.resolve("out.jsonl.1"), dir.resolve("out.jsonl.2"))) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(lineBytes * 2L);
    }
  }

  @Test
  void unwritableFileIsRetryable() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    try (JsonLinesExporter exporter =
        JsonLinesExporter.builder().file(blocker.resolve("out.jsonl")).build()) {
      ExportResult result = exporter.export(List.of(TestRecords.llm(null, null)));
      assertThat(result.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
      assertThat(result.message()).contains("out.jsonl");
    }
  }

  @Test
  void linesEncodedOnOtherThreadsAreTheLinesItWritesItself() throws Exception {
    List<HeliconeRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      records.add(i % 3 == 0 ? TestRecords.trace("s", "/a", "t" + i) : TestRecords.llm("s", "/a"));
    }
    records.add(streamed(true));
    records.add(streamed(false));
    JsonLinesExporter.Builder builder = JsonLinesExporter.builder().rawStreams(true);
    Path itself = dir.resolve("itself.jsonl");
    try (JsonLinesExporter exporter = builder.file(itself).build()) {
      assertThat(exporter.export(records).isSuccess()).isTrue();
    }
    Path encoded = dir.resolve("encoded.jsonl");
    try (JsonLinesExporter exporter = builder.file(encoded).build()) {
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        List<Future<byte[]>> lines = new ArrayList<>();
        for (HeliconeRecord r : records) {
          lines.add(threads.submit(() -> exporter.encode(r)));
        }
        List<byte[]> encodings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          // Every fifth record without its line: the exporter writes that one itself.
          encodings.add(i % 5 == 0 ? null : lines.get(i).get(10, TimeUnit.SECONDS));
        }
        assertThat(exporter.export(records, encodings).isSuccess()).isTrue();
      } finally {
        threads.shutdown();
      }
    }
    assertThat(Files.readAllBytes(encoded)).isEqualTo(Files.readAllBytes(itself));
    assertThat(Files.readAllLines(encoded)).hasSize(records.size());
  }

  @Test
  void linesOfAnySizeAroundTheWriteBufferReachTheFileWholeAndInOrder() throws Exception {
    // The file is written through a 64 KiB buffer: lines that fill it exactly, overflow it, or
    // exceed it.
    int[] sizes = {10, 65_535, 65_536, 65_537, 3, 200_000, 65_536 - 13, 13, 1};
    HeliconeRecord record = TestRecords.llm("s", "/a");
    Path file = dir.resolve("sizes.jsonl");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (JsonLinesExporter exporter = JsonLinesExporter.builder().file(file).build()) {
      for (int batch = 0; batch < 2; batch++) {
        List<HeliconeRecord> records = new ArrayList<>();
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
          byte[] line = new byte[sizes[i]];
          Arrays.fill(line, (byte) ('a' + (batch * sizes.length + i) % 26));
          line[line.length - 1] = '\n';
          records.add(record);
          lines.add(line);
          expected.write(line);
        }
        assertThat(exporter.export(records, lines).isSuccess()).isTrue();
        // Each batch reaches the file before export returns, not only at close.
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
      }
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
  }

  @Test
  void encodingsThatDoNotMatchTheRecordsAreRefused() throws Exception {
    try (JsonLinesExporter exporter =
        JsonLinesExporter.builder().file(dir.resolve("x.jsonl")).build()) {
      HeliconeRecord r = TestRecords.llm("s", "/a");
      assertThatThrownBy(() -> exporter.export(List.of(r, r), List.of(exporter.encode(r))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("1 encodings for 2 records");
    }
    assertThat(dir.resolve("x.jsonl")).doesNotExist();
  }
}

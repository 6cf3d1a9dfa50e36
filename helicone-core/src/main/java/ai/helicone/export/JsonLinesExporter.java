package ai.helicone.export;

import ai.helicone.internal.export.EncodingExporter;
import ai.helicone.record.HeliconeRecord;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Appends each record as one JSON object per line (the layout of {@link RecordJson}) to a file, the
 * SDK's default exporter. When the file would grow past {@code maxFileBytes} it is rotated: {@code
 * helicone.jsonl} becomes {@code helicone.jsonl.1}, older files shift up, and files beyond {@code
 * maxFiles} are deleted. Lines are never split across files. An I/O error is reported as a
 * retryable result, so the pipeline tries the batch again. A streamed response is written as the
 * message rebuilt from it; the raw stream too only when {@link Builder#rawStreams} asks for it.
 *
 * <p>Added to {@code Helicone}, each record's line is encoded by the SDK thread that builds the
 * record, right after building it, and written to the file later by the export worker. The class is
 * safe to call from several threads.
 */
public final class JsonLinesExporter implements EncodingExporter {
  /** The file written when none is configured: {@code helicone-logs/helicone.jsonl}. */
  public static final Path DEFAULT_FILE = Path.of("helicone-logs", "helicone.jsonl");

  // One per SDK thread that builds records, for encode(); shared by every instance.
  private static final ThreadLocal<LineWriter> BUILDING_THREAD_LINES =
      ThreadLocal.withInitial(LineWriter::new);

  private final Path file;
  private final long maxFileBytes;
  private final int maxFiles;
  private final boolean rawStreams;
  private OutputStream writer;
  private long size;
  // For the records export is handed without their line.
  private final LineWriter lines = new LineWriter();

  private JsonLinesExporter(Builder b) {
    this.file = b.file.toAbsolutePath();
    this.maxFileBytes = b.maxFileBytes;
    this.maxFiles = b.maxFiles;
    this.rawStreams = b.rawStreams;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The file records are appended to. */
  public Path file() {
    return file;
  }

  @Override
  public ExportResult export(List<HeliconeRecord> records) {
    return export(records, null);
  }

  /**
   * Not public API: how the export pipeline hands over the lines {@link #encode} made, each at its
   * record's index (null where there is none, or no list at all).
   */
  @Override
  public synchronized ExportResult export(List<HeliconeRecord> records, List<byte[]> encodings) {
    if (encodings != null && encodings.size() != records.size()) {
      throw new IllegalArgumentException(
          encodings.size() + " encodings for " + records.size() + " records");
    }
    try {
      for (int i = 0; i < records.size(); i++) {
        byte[] bytes = encodings == null ? null : encodings.get(i);
        int length;
        if (bytes != null) {
          length = bytes.length;
        } else {
          lines.write(records.get(i), rawStreams);
          bytes = lines.buffer.array();
          length = lines.buffer.size();
        }
        if (writer != null && size > 0 && size + length > maxFileBytes) {
          rotate();
        }
        open().write(bytes, 0, length);
        size += length;
      }
      lines.buffer.trim();
      if (writer != null) {
        writer.flush();
      }
      return ExportResult.success();
    } catch (IOException e) {
      closeQuietly();
      return ExportResult.retryable("cannot write " + file + ": " + e);
    }
  }

  /**
   * Not public API: the record's line, its line break included, as {@link #export(List, List)}
   * writes it. Thread-safe; the export pipeline calls it on the thread that built the record.
   */
  @Override
  public byte[] encode(HeliconeRecord record) {
    LineWriter lineWriter = BUILDING_THREAD_LINES.get();
    lineWriter.write(record, rawStreams);
    byte[] line = Arrays.copyOf(lineWriter.buffer.array(), lineWriter.buffer.size());
    lineWriter.buffer.trim();
    return line;
  }

  private OutputStream open() throws IOException {
    if (writer == null) {
      Path dir = file.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      size = Files.exists(file) ? Files.size(file) : 0;
      if (size > 0 && size >= maxFileBytes) {
        rotateFiles();
        size = 0;
      }
      writer =
          new BufferedOutputStream(
              Files.newOutputStream(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE),
              1 << 16);
    }
    return writer;
  }

  private void rotate() throws IOException {
    writer.close();
    writer = null;
    rotateFiles();
    size = 0;
  }

  private void rotateFiles() throws IOException {
    Files.deleteIfExists(rotated(maxFiles - 1));
    for (int i = maxFiles - 2; i >= 1; i--) {
      Path from = rotated(i);
      if (Files.exists(from)) {
        Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxFiles > 1) {
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(file);
    }
  }

  private Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  @Override
  public synchronized ExportResult flush() {
    try {
      if (writer != null) {
        writer.flush();
      }
      return ExportResult.success();
    } catch (IOException e) {
      closeQuietly();
      return ExportResult.retryable("cannot flush " + file + ": " + e);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
    lines.close();
  }

  private void closeQuietly() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // Closing after a failed write: nothing more can be saved.
      }
      writer = null;
    }
  }

  @Override
  public String toString() {
    return "JsonLinesExporter{file="
        + file
        + ", maxFileBytes="
        + maxFileBytes
        + ", rawStreams="
        + rawStreams
        + '}';
  }

  /** Builds a {@link JsonLinesExporter}. Not thread-safe. */
  public static final class Builder {
    private Path file = DEFAULT_FILE;
    private long maxFileBytes = 64L << 20;
    private int maxFiles = 5;
    private boolean rawStreams;

    private Builder() {}

    /** The file to append to; its directory is created when missing. */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The size at which the file is rotated; default 64 MiB. */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxFileBytes must be positive: " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** How many files to keep, the current one included; default 5. */
    public Builder maxFiles(int files) {
      if (files < 1) {
        throw new IllegalArgumentException("maxFiles must be at least 1: " + files);
      }
      this.maxFiles = files;
      return this;
    }

    /**
     * Whether a streamed response's line also holds the raw stream as received, in {@code
     * response.rawBody}; default false. Either way {@code response.body} holds the message rebuilt
     * from the stream (or the raw text itself when no message could be rebuilt). The raw stream is
     * often tens of times the size of the message, and escaping it into JSON costs more than the
     * rest of the record: turn it on to see a provider's stream event by event.
     */
    public Builder rawStreams(boolean rawStreams) {
      this.rawStreams = rawStreams;
      return this;
    }

    public JsonLinesExporter build() {
      return new JsonLinesExporter(this);
    }
  }

  /** One record's line at a time, written by a reused generator into a reused buffer. */
  private static final class LineWriter {
    final LineBuffer buffer = new LineBuffer();
    // Null until the first record, and again after a record failed half-written.
    private JsonGenerator generator;

    /** Leaves the line of {@code record}, with its line break, alone in {@link #buffer}. */
    void write(HeliconeRecord record, boolean rawStreams) {
      buffer.reset();
      if (generator == null) {
        generator = RecordJson.lineGenerator(buffer);
      }
      try {
        RecordJson.writeLine(record, generator, rawStreams);
      } catch (RuntimeException | Error e) {
        generator = null;
        throw e;
      }
      buffer.write('\n');
    }

    void close() {
      if (generator != null) {
        try {
          generator.close();
        } catch (IOException ignored) {
          // Only hands its buffers back: it writes into memory.
        }
        generator = null;
      }
    }
  }

  /** An unsynchronised growable byte buffer that exposes its array. */
  private static final class LineBuffer extends OutputStream {
    // Kept across batches up to this size: a stream's record is often over 100 KB.
    private static final int KEPT = 1 << 20;
    private byte[] bytes = new byte[8192];
    private int count;

    @Override
    public void write(int b) {
      ensure(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }

    private void ensure(int more) {
      if (count + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
      }
    }

    void reset() {
      count = 0;
    }

    int size() {
      return count;
    }

    byte[] array() {
      return bytes;
    }

    /** Lets go of a buffer grown for one very large record. */
    void trim() {
      if (bytes.length > KEPT) {
        bytes = new byte[8192];
      }
      count = 0;
    }
  }
}

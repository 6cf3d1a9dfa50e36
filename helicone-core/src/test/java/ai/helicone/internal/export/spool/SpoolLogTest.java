package ai.helicone.internal.export.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolLogTest {
  @TempDir Path tmp;

  private static byte[] entry(int i) {
    return ("record-" + i + "-" + "x".repeat(i % 7)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> readAll(SpoolLog log) {
    List<String> out = new ArrayList<>();
    while (true) {
      SpoolLog.Batch batch = log.read(3, Long.MAX_VALUE);
      if (batch.isEmpty()) {
        return out;
      }
      batch.entries().forEach(e -> out.add(new String(e, StandardCharsets.UTF_8)));
      log.ack(batch);
    }
  }

  private static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new String(entry(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void readsInOrderAcrossSegmentsAndForgetsWhatWasAcknowledged() throws IOException {
    Path dir = tmp.resolve("log");
    try (SpoolLog log = SpoolLog.open(dir, 16 * 1024)) {
      for (int i = 0; i < 200; i++) {
        assertThat(log.append(entry(i))).isTrue();
      }
      assertThat(log.size()).isEqualTo(200);
      assertThat(segments(dir)).hasSizeGreaterThan(1);
      SpoolLog.Batch first = log.read(50, Long.MAX_VALUE);
      assertThat(first.entries()).hasSize(50);
      // Reading does not move the position; acknowledging does.
      assertThat(log.read(50, Long.MAX_VALUE).entries().get(0)).isEqualTo(entry(0));
      log.ack(first);
      assertThat(log.size()).isEqualTo(150);
    }
    try (SpoolLog log = SpoolLog.open(dir, 16 * 1024)) {
      assertThat(log.size()).isEqualTo(150);
      assertThat(readAll(log)).isEqualTo(expected(50, 200));
      assertThat(log.size()).isZero();
      assertThat(segments(dir)).hasSize(1);
      log.append(entry(7));
    }
    try (SpoolLog log = SpoolLog.open(dir, 16 * 1024)) {
      assertThat(readAll(log)).isEqualTo(expected(7, 8));
      assertThat(log.dropped()).isZero();
    }
  }

  @Test
  void staysWithinItsLimitByDroppingTheOldestAndCountsThem() throws IOException {
    Path dir = tmp.resolve("log");
    int n = 2000;
    try (SpoolLog log = SpoolLog.open(dir, 8192)) {
      for (int i = 0; i < n; i++) {
        log.append(entry(i));
        assertThat(log.bytes()).isLessThanOrEqualTo(8192);
      }
      long kept = log.size();
      assertThat(kept).isPositive();
      assertThat(log.dropped()).isEqualTo(n - kept);
      assertThat(segments(dir).stream().mapToLong(SpoolLogTest::fileSize).sum())
          .isEqualTo(log.bytes());
      // What is left is the newest records, in order.
      assertThat(readAll(log)).isEqualTo(expected((int) (n - kept), n));
    }
  }

  @Test
  void anEntryLargerThanTheWholeLogIsRejectedAndCounted() {
    try (SpoolLog log = SpoolLog.open(tmp.resolve("log"), 4096)) {
      assertThat(log.append(new byte[5000])).isFalse();
      assertThat(log.dropped()).isEqualTo(1);
      assertThat(log.append(new byte[3000])).isTrue();
      assertThat(log.read(10, Long.MAX_VALUE).entries()).hasSize(1);
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (SpoolLog log = SpoolLog.open(tmp.resolve("log"), 4096)) {
      assertThat(log.isEmpty()).isTrue();
      assertThatThrownBy(() -> SpoolLog.open(tmp.resolve("log"), 4096))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use");
    }
    SpoolLog.open(tmp.resolve("log"), 4096).close(); // free again once closed
  }

  @Test
  void aDamagedCursorMeansEverythingIsReadAgain() throws IOException {
    Path dir = tmp.resolve("log");
    try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
      for (int i = 0; i < 10; i++) {
        log.append(entry(i));
      }
      log.ack(log.read(4, Long.MAX_VALUE));
    }
    byte[] cursor = Files.readAllBytes(dir.resolve("cursor"));
    cursor[3] ^= 1;
    Files.write(dir.resolve("cursor"), cursor);
    try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
      assertThat(readAll(log)).isEqualTo(expected(0, 10));
    }
  }

  /** A crash can stop a write at any byte: recovery keeps every whole entry and nothing else. */
  @Test
  void truncatedAtEveryByteKeepsEveryWholeEntryAndAcceptsNewOnes() throws IOException {
    Path source = tmp.resolve("source");
    int n = 6;
    List<Long> ends = new ArrayList<>();
    try (SpoolLog log = SpoolLog.open(source, 64 * 1024)) {
      for (int i = 0; i < n; i++) {
        log.append(entry(i));
        ends.add(log.bytes());
      }
    }
    Path segment = segments(source).get(0);
    byte[] full = Files.readAllBytes(segment);
    for (int length = 0; length <= full.length; length++) {
      Path dir = tmp.resolve("cut-" + length);
      Files.createDirectories(dir);
      Files.write(dir.resolve(segment.getFileName()), Arrays.copyOf(full, length));
      int whole = 0;
      while (whole < n && ends.get(whole) <= length) {
        whole++;
      }
      try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
        assertThat(log.size()).as("entries after a cut at %d", length).isEqualTo(whole);
        log.append(entry(100));
      }
      try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
        List<String> want = new ArrayList<>(expected(0, whole));
        want.addAll(expected(100, 101));
        assertThat(readAll(log)).as("entries after a cut at %d", length).isEqualTo(want);
      }
    }
  }

  /** A damaged byte anywhere costs at most the entry it belongs to. */
  @Test
  void aFlippedByteAnywhereLosesAtMostTheEntryItIsIn() throws IOException {
    Path source = tmp.resolve("source");
    int n = 5;
    List<Long> ends = new ArrayList<>();
    try (SpoolLog log = SpoolLog.open(source, 64 * 1024)) {
      for (int i = 0; i < n; i++) {
        log.append(entry(i));
        ends.add(log.bytes());
      }
    }
    Path segment = segments(source).get(0);
    byte[] full = Files.readAllBytes(segment);
    for (int at = 0; at < full.length; at++) {
      byte[] damaged = full.clone();
      damaged[at] ^= (byte) 0x5a;
      Path dir = tmp.resolve("flip-" + at);
      Files.createDirectories(dir);
      Files.write(dir.resolve(segment.getFileName()), damaged);
      int hit = -1;
      for (int i = 0; i < n; i++) {
        long start = i == 0 ? SpoolLog.SEGMENT_HEADER : ends.get(i - 1);
        if (at >= start && at < ends.get(i)) {
          hit = i;
        }
      }
      List<String> want = expected(0, n);
      if (hit >= 0) {
        want = new ArrayList<>(want);
        want.remove(hit);
      }
      try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
        assertThat(readAll(log)).as("entries after a flip at %d", at).isEqualTo(want);
        assertThat(log.dropped()).isEqualTo(hit >= 0 ? 1 : 0);
        log.append(entry(9));
      }
      try (SpoolLog log = SpoolLog.open(dir, 64 * 1024)) {
        assertThat(readAll(log)).as("new entry after a flip at %d", at).isEqualTo(expected(9, 10));
      }
    }
  }

  @Test
  void damageInAnOlderSegmentLeavesTheOtherSegmentsWhole() throws IOException {
    Path dir = tmp.resolve("log");
    try (SpoolLog log = SpoolLog.open(dir, 16 * 1024)) {
      for (int i = 0; i < 300; i++) {
        log.append(entry(i));
      }
    }
    List<Path> segs = segments(dir);
    assertThat(segs).hasSizeGreaterThan(2);
    Path first = segs.get(0);
    byte[] bytes = Files.readAllBytes(first);
    Files.write(first, Arrays.copyOf(bytes, bytes.length / 2)); // cut in the middle
    try (SpoolLog log = SpoolLog.open(dir, 16 * 1024)) {
      List<String> all = readAll(log);
      List<String> want = expected(0, 300);
      assertThat(want).containsSubsequence(all);
      assertThat(all).endsWith(want.subList(want.size() - 100, want.size()).toArray(String[]::new));
      assertThat(all.size()).isGreaterThan(250);
    }
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package ai.helicone.cli.internal;

import ai.helicone.export.RecordJson;
import ai.helicone.record.HeliconeRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads records from JSON Lines files, rotated ones included: a file {@code helicone.jsonl} brings
 * its siblings {@code helicone.jsonl.1}, {@code .2}, ..., read oldest first; a folder brings every
 * such file in it. Bad lines are counted and skipped, the first few reported; progress goes to the
 * error stream on long reads. Not thread-safe.
 */
public final class RecordSource {
  private static final Pattern ROTATED = Pattern.compile("(.*\\.jsonl)(?:\\.(\\d+))?");
  private static final int REPORTED_BAD_LINES = 5;
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  private final PrintStream err;
  private final boolean progress;
  private long lines;
  private long badLines;

  public RecordSource(PrintStream err, boolean progress) {
    this.err = err;
    this.progress = progress;
  }

  public long lines() {
    return lines;
  }

  public long badLines() {
    return badLines;
  }

  /** The files named or found, in reading order; a missing path is an error naming it. */
  public static List<Path> expand(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          List<Path> found = s.filter(f -> ROTATED.matcher(name(f)).matches()).toList();
          List<String> bases = found.stream().map(f -> base(f)).distinct().sorted().toList();
          for (String b : bases) {
            addRotated(p.resolve(b), out);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + p, e);
        }
      } else if (Files.isRegularFile(p)) {
        Matcher m = ROTATED.matcher(name(p));
        if (m.matches() && m.group(2) == null) {
          addRotated(p, out);
        } else {
          out.add(p);
        }
      } else {
        throw new IllegalArgumentException("no such file or folder: " + p);
      }
    }
    return out;
  }

  private static void addRotated(Path base, List<Path> out) {
    Path dir = base.toAbsolutePath().getParent();
    String baseName = name(base);
    List<Path> rotated = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(f -> name(f).startsWith(baseName + "."))
          .filter(f -> name(f).substring(baseName.length() + 1).matches("\\d+"))
          .forEach(rotated::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    rotated.sort(
        Comparator.comparingInt(
                (Path f) -> Integer.parseInt(name(f).substring(baseName.length() + 1)))
            .reversed());
    for (Path f : rotated) {
      if (!out.contains(f)) {
        out.add(f);
      }
    }
    if (Files.exists(base) && !out.contains(base)) {
      out.add(base);
    }
  }

  private static String base(Path f) {
    Matcher m = ROTATED.matcher(name(f));
    return m.matches() ? m.group(1) : name(f);
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  /** Reads every record of the files, in order, handing each to {@code sink}. */
  public void read(List<Path> files, Consumer<HeliconeRecord> sink) {
    long lastProgress = System.nanoTime();
    for (Path file : files) {
      long lineNumber = 0;
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          lineNumber++;
          lines++;
          if (line.isBlank()) {
            continue;
          }
          HeliconeRecord record;
          try {
            record = RecordJson.fromJson(line);
          } catch (IllegalArgumentException | NullPointerException e) {
            badLines++;
            if (badLines <= REPORTED_BAD_LINES) {
              err.println("skipped " + file + ":" + lineNumber + ": " + e.getMessage());
            }
            continue;
          }
          sink.accept(record);
          if (progress && System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
            lastProgress = System.nanoTime();
            err.println("read " + lines + " lines (" + file.getFileName() + ")...");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    if (badLines > REPORTED_BAD_LINES) {
      err.println("skipped " + badLines + " bad lines in all");
    }
  }
}

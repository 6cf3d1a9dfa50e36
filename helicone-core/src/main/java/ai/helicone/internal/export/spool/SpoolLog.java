package ai.helicone.internal.export.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A bounded, append-only log of byte entries in one directory, read in order from its oldest entry
 * not yet acknowledged. Survives a crash of the process at any point: a torn last entry is cut off
 * when the log is opened again, and a damaged entry anywhere is skipped without losing the entries
 * around it.
 *
 * <p>Layout: segment files {@code <20-digit sequence>.seg}, each an 8-byte header ({@code HSPL} and
 * a version) followed by entries {@code [magic:4][length:4][crc32c:4][payload]}, the checksum
 * covering the length and the payload. A damaged entry fails its checksum and the reader looks for
 * the next entry magic whose length and checksum hold. The read position lives in {@code cursor}
 * ({@code [segment:8][offset:8][crc32c:4]}, replaced atomically); without a valid cursor the log is
 * read again from its oldest entry (delivery is at least once). A {@code lock} file, locked while
 * the log is open, keeps a second process (or instance) from using the same directory.
 *
 * <p>Bounded: when an append would take the log past {@code maxBytes}, whole segments are dropped,
 * oldest first, and their unread entries counted in {@link #dropped()}. Entries are written without
 * {@code fsync} (the operating system keeps them if the process dies); segments are forced to disk
 * when they are full and when the log is closed.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class SpoolLog implements Closeable {
  static final int SEGMENT_HEADER = 8;
  static final int ENTRY_HEADER = 12;
  private static final int SEGMENT_MAGIC = 0x4853504c; // "HSPL"
  private static final int VERSION = 1;
  static final int ENTRY_MAGIC = 0xC0DA5B1E;
  private static final String SUFFIX = ".seg";
  private static final String CURSOR = "cursor";

  /** A segment file and what is known of it. */
  private static final class Segment {
    final long seq;
    final Path path;
    long size;
    long entries;

    Segment(long seq, Path path, long size, long entries) {
      this.seq = seq;
      this.path = path;
      this.size = size;
      this.entries = entries;
    }
  }

  /** Entries read by {@link #read}, to be acknowledged with {@link #ack}. */
  public static final class Batch {
    private final List<byte[]> entries;
    private final long endSeq;
    private final long endPos;
    private final long endConsumed;

    Batch(List<byte[]> entries, long endSeq, long endPos, long endConsumed) {
      this.entries = entries;
      this.endSeq = endSeq;
      this.endPos = endPos;
      this.endConsumed = endConsumed;
    }

    public List<byte[]> entries() {
      return entries;
    }

    public boolean isEmpty() {
      return entries.isEmpty();
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private FileChannel tail;
  private long totalBytes;
  // Read position: in the oldest segment, at readPos, after readConsumed of its entries.
  private long readPos;
  private long readConsumed;
  private long dropped;
  private long damaged;
  private boolean closed;

  private SpoolLog(
      Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock l) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = l;
  }

  /**
   * Opens (or creates) the log in {@code dir}, recovering what a crash left behind.
   *
   * @param maxBytes the most bytes the segment files take together
   * @throws IllegalStateException when another open log holds the directory
   * @throws UncheckedIOException when the directory cannot be used
   */
  public static SpoolLog open(Path dir, long maxBytes) {
    if (maxBytes < 4096) {
      throw new IllegalArgumentException("maxBytes must be at least 4096: " + maxBytes);
    }
    long segmentBytes = Math.max(1024, Math.min(8L << 20, maxBytes / 8));
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("spool directory is in use by another instance: " + dir);
      }
      SpoolLog log = new SpoolLog(dir, maxBytes, segmentBytes, lockChannel, lock);
      log.recover();
      return log;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private void recover() throws IOException {
    List<Long> seqs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(file);
        } else if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
          try {
            seqs.add(Long.parseLong(name.substring(0, 20)));
          } catch (NumberFormatException ignored) {
            // not one of ours
          }
        }
      }
    }
    seqs.sort(null);
    long[] cursor = readCursor();
    for (int i = 0; i < seqs.size(); i++) {
      long seq = seqs.get(i);
      Path path = segmentPath(seq);
      if (cursor != null && seq < cursor[0]) {
        Files.deleteIfExists(path); // read to its end before the crash
        continue;
      }
      byte[] data = Files.readAllBytes(path);
      Scan scan = scan(data);
      damaged += scan.damagedRegions;
      long size = data.length;
      if (i == seqs.size() - 1 && scan.validEnd != data.length) {
        // A torn last write: cut it off so that new entries follow the last whole one.
        size = Math.max(scan.validEnd, SEGMENT_HEADER);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
          ch.truncate(size);
          if (data.length < SEGMENT_HEADER) {
            ch.write(segmentHeader(), 0);
          }
        }
      }
      segments.add(new Segment(seq, path, size, scan.entries));
      totalBytes += size;
    }
    dropped += damaged;
    Segment head = segments.peekFirst();
    if (head != null && cursor != null && head.seq == cursor[0]) {
      // Count the entries before the cursor; a cursor that points past the data is ignored.
      readPos = SEGMENT_HEADER;
      byte[] data = Files.readAllBytes(head.path);
      while (readPos < cursor[1]) {
        int p = nextValid(data, (int) readPos, data.length);
        if (p < 0 || p >= cursor[1]) {
          break;
        }
        readPos = p + ENTRY_HEADER + (long) lengthAt(data, p);
        readConsumed++;
      }
    } else {
      readPos = SEGMENT_HEADER;
    }
    if (segments.isEmpty()) {
      long next = cursor != null ? cursor[0] + 1 : 1;
      newSegment(next);
    } else {
      tail =
          FileChannel.open(
              segments.peekLast().path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
  }

  /** The result of scanning a segment's bytes. */
  private static final class Scan {
    long entries;
    long validEnd = SEGMENT_HEADER;
    long damagedRegions;
  }

  private static Scan scan(byte[] data) {
    Scan scan = new Scan();
    int pos = SEGMENT_HEADER;
    while (pos < data.length) {
      int p = nextValid(data, pos, data.length);
      if (p < 0) {
        if (scan.validEnd < data.length) {
          // Bytes after the last whole entry: a torn write (or damage) at the end.
          scan.damagedRegions += data.length - scan.validEnd >= ENTRY_HEADER ? 1 : 0;
        }
        break;
      }
      if (p != pos) {
        scan.damagedRegions++;
      }
      pos = p + ENTRY_HEADER + lengthAt(data, p);
      scan.entries++;
      scan.validEnd = pos;
    }
    return scan;
  }

  /** The position of the first whole, valid entry at or after {@code from}, or -1. */
  static int nextValid(byte[] data, int from, int limit) {
    for (int p = Math.max(from, SEGMENT_HEADER); p + ENTRY_HEADER <= limit; p++) {
      if (validAt(data, p, limit)) {
        return p;
      }
    }
    return -1;
  }

  private static boolean validAt(byte[] d, int p, int limit) {
    if (intAt(d, p) != ENTRY_MAGIC) {
      return false;
    }
    int len = lengthAt(d, p);
    if (len < 0 || len > limit - p - ENTRY_HEADER) {
      return false;
    }
    CRC32C crc = new CRC32C();
    crc.update(d, p + 4, 4);
    crc.update(d, p + ENTRY_HEADER, len);
    return (int) crc.getValue() == intAt(d, p + 8);
  }

  private static int lengthAt(byte[] d, int p) {
    return intAt(d, p + 4);
  }

  private static int intAt(byte[] d, int p) {
    return ((d[p] & 0xff) << 24)
        | ((d[p + 1] & 0xff) << 16)
        | ((d[p + 2] & 0xff) << 8)
        | (d[p + 3] & 0xff);
  }

  private Path segmentPath(long seq) {
    return dir.resolve(String.format(Locale.ROOT, "%020d", seq) + SUFFIX);
  }

  private static ByteBuffer segmentHeader() {
    ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER);
    header.putInt(SEGMENT_MAGIC).putInt(VERSION).flip();
    return header;
  }

  private void newSegment(long seq) throws IOException {
    Path path = segmentPath(seq);
    Files.deleteIfExists(path);
    FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    writeFully(ch, segmentHeader());
    tail = ch;
    segments.add(new Segment(seq, path, SEGMENT_HEADER, 0));
    totalBytes += SEGMENT_HEADER;
    if (segments.size() == 1) {
      readPos = SEGMENT_HEADER;
      readConsumed = 0;
    }
  }

  /**
   * Appends one entry, dropping the oldest segments when the log would grow past its limit. Returns
   * false, and counts the entry as dropped, when it is larger than the whole log may be.
   *
   * @throws UncheckedIOException when the entry could not be written (it is not in the log)
   */
  public synchronized boolean append(byte[] payload) {
    ensureOpen();
    long size = ENTRY_HEADER + (long) payload.length;
    if (size + SEGMENT_HEADER > maxBytes) {
      dropped++;
      return false;
    }
    try {
      Segment last = segments.peekLast();
      if (last.size > SEGMENT_HEADER && last.size + size > segmentBytes) {
        tail.force(false);
        tail.close();
        newSegment(last.seq + 1);
        last = segments.peekLast();
      }
      while (totalBytes + size > maxBytes && segments.size() > 1) {
        dropOldest();
      }
      ByteBuffer entry = ByteBuffer.allocate((int) size);
      CRC32C crc = new CRC32C();
      ByteBuffer len = ByteBuffer.allocate(4).putInt(0, payload.length);
      crc.update(len.array(), 0, 4);
      crc.update(payload, 0, payload.length);
      entry.putInt(ENTRY_MAGIC).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
      entry.flip();
      try {
        try {
          writeFully(tail, entry);
        } catch (ClosedChannelException e) {
          // An interrupt closed the channel (a close that stopped waiting): write on regardless.
          boolean interrupted = Thread.interrupted();
          try {
            tail = FileChannel.open(last.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            tail.truncate(last.size);
            entry.rewind();
            writeFully(tail, entry);
          } finally {
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
          }
        }
      } catch (IOException e) {
        // Leave no partial entry behind (disk full); the file is cut back to its last entry.
        tail.truncate(last.size);
        throw e;
      }
      last.size += size;
      last.entries++;
      totalBytes += size;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void dropOldest() throws IOException {
    Segment oldest = segments.pollFirst();
    dropped += oldest.entries - readConsumed;
    totalBytes -= oldest.size;
    Files.deleteIfExists(oldest.path);
    readPos = SEGMENT_HEADER;
    readConsumed = 0;
  }

  /**
   * Reads up to {@code maxEntries} entries (and about {@code maxBytes}, at least one entry) from
   * the read position, without moving it.
   */
  public synchronized Batch read(int maxEntries, long maxBytes) {
    ensureOpen();
    List<byte[]> out = new ArrayList<>();
    long bytes = 0;
    Iterator<Segment> it = segments.iterator();
    Segment seg = it.next();
    long pos = readPos;
    long consumed = readConsumed;
    try {
      while (out.size() < maxEntries && (out.isEmpty() || bytes < maxBytes)) {
        if (consumed >= seg.entries || pos >= seg.size) {
          if (!it.hasNext()) {
            break;
          }
          seg = it.next();
          pos = SEGMENT_HEADER;
          consumed = 0;
          continue;
        }
        long[] found = new long[1];
        byte[] payload = readEntry(seg, pos, found);
        if (payload == null) {
          // No whole entry left where the count says there is one: treat the segment as read.
          consumed = seg.entries;
          pos = seg.size;
          continue;
        }
        out.add(payload);
        bytes += payload.length;
        pos = found[0] + ENTRY_HEADER + payload.length;
        consumed++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Batch(List.copyOf(out), seg.seq, pos, consumed);
  }

  /** The valid entry at {@code pos} or the next one after damage; sets its position in found. */
  private static byte[] readEntry(Segment seg, long pos, long[] found) throws IOException {
    try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER);
      if (readFully(ch, header, pos) && header.getInt(0) == ENTRY_MAGIC) {
        int len = header.getInt(4);
        if (len >= 0 && pos + ENTRY_HEADER + len <= seg.size) {
          ByteBuffer payload = ByteBuffer.allocate(len);
          if (readFully(ch, payload, pos + ENTRY_HEADER)) {
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 4, 4);
            crc.update(payload.array(), 0, len);
            if ((int) crc.getValue() == header.getInt(8)) {
              found[0] = pos;
              return payload.array();
            }
          }
        }
      }
      // Damaged here (already counted when the log was opened): look for the next whole entry.
      byte[] data = new byte[(int) seg.size];
      if (!readFully(ch, ByteBuffer.wrap(data), 0)) {
        return null;
      }
      int p = nextValid(data, (int) pos + 1, data.length);
      if (p < 0) {
        return null;
      }
      found[0] = p;
      int len = lengthAt(data, p);
      byte[] payload = new byte[len];
      System.arraycopy(data, p + ENTRY_HEADER, payload, 0, len);
      return payload;
    }
  }

  /**
   * Moves the read position past {@code batch}: its entries will not be read again, here or after a
   * restart. Segments read to their end are deleted.
   */
  public synchronized void ack(Batch batch) {
    ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    try {
      while (segments.size() > 1 && segments.peekFirst().seq < batch.endSeq) {
        Segment done = segments.pollFirst();
        totalBytes -= done.size;
        Files.deleteIfExists(done.path);
        readPos = SEGMENT_HEADER;
        readConsumed = 0;
      }
      if (segments.peekFirst().seq != batch.endSeq) {
        return; // its segment was dropped for space meanwhile
      }
      readPos = batch.endPos;
      readConsumed = batch.endConsumed;
      Segment head = segments.peekFirst();
      if (segments.size() > 1 && readConsumed >= head.entries) {
        segments.pollFirst();
        totalBytes -= head.size;
        Files.deleteIfExists(head.path);
        readPos = SEGMENT_HEADER;
        readConsumed = 0;
      } else if (segments.size() == 1 && readConsumed >= head.entries && head.entries > 0) {
        // Everything was read: start a fresh segment rather than keep a file of read entries.
        tail.close();
        segments.pollFirst();
        totalBytes -= head.size;
        newSegment(head.seq + 1);
        Files.deleteIfExists(head.path);
      }
      writeCursor(segments.peekFirst().seq, readPos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeCursor(long seq, long pos) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(20);
    buf.putLong(seq).putLong(pos);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, 16);
    buf.putInt((int) crc.getValue()).flip();
    Path tmp = dir.resolve(CURSOR + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(ch, buf);
    }
    Files.move(
        tmp,
        dir.resolve(CURSOR),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** {segment, offset} from the cursor file, or null when it is missing or damaged. */
  private long[] readCursor() throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(dir.resolve(CURSOR));
    } catch (NoSuchFileException e) {
      return null;
    }
    if (data.length != 20) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(data);
    CRC32C crc = new CRC32C();
    crc.update(data, 0, 16);
    if ((int) crc.getValue() != buf.getInt(16) || buf.getLong(0) < 0 || buf.getLong(8) < 0) {
      return null;
    }
    return new long[] {buf.getLong(0), buf.getLong(8)};
  }

  /** Entries in the log that were not acknowledged. */
  public synchronized long size() {
    long n = -readConsumed;
    for (Segment s : segments) {
      n += s.entries;
    }
    return Math.max(0, n);
  }

  public synchronized boolean isEmpty() {
    return size() == 0;
  }

  /** Bytes the segment files take. */
  public synchronized long bytes() {
    return totalBytes;
  }

  /** Entries lost: dropped for space, too large, or damaged on disk (one per damaged region). */
  public synchronized long dropped() {
    return dropped;
  }

  /** Damaged regions found when the log was opened (each cost at most one entry). */
  public synchronized long damaged() {
    return damaged;
  }

  public Path directory() {
    return dir;
  }

  /** Forces the data to disk and releases the directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      tail.force(false);
    } catch (IOException ignored) {
      // closing anyway; the data is in the operating system's hands
    }
    closeQuietly(tail);
    try {
      lock.release();
    } catch (IOException ignored) {
      // released when the channel closes
    }
    closeQuietly(lockChannel);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("spool log is closed");
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static boolean readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + buf.position());
      if (n < 0) {
        return false;
      }
    }
    return true;
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }
}

package ai.helicone.internal.export;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.record.HeliconeRecord;
import java.util.List;

/**
 * An exporter that encodes each record as soon as it is built, on the SDK thread that built it, and
 * is handed those encodings with the batch later. Right after the build the record and the bodies
 * it was parsed from are still in that core's caches; encoded in a batch tens of milliseconds
 * later, on another core, the same record costs several times as much. A contract between the
 * export pipeline and this project's exporters, not public API.
 */
public interface EncodingExporter extends HeliconeExporter {

  /**
   * The record as {@link #export(List, List)} will write it, or null to leave the encoding to that
   * call. Called at most once per record, on whichever SDK thread builds it, concurrently with this
   * exporter's other methods: must be thread-safe. Anything thrown is counted and logged, and the
   * record is exported without an encoding.
   */
  byte[] encode(HeliconeRecord record);

  /**
   * {@link #export(List)} with each record's {@link #encode encoding} at the same index, null where
   * there is none.
   */
  ExportResult export(List<HeliconeRecord> records, List<byte[]> encodings);
}

package ai.helicone.metrics;

import ai.helicone.record.HeliconeRecord;

/**
 * Receives every finished record (LLM calls and custom traces), once, on the SDK's metrics thread,
 * after its adapters and cost ran. Registered with {@code Helicone.Builder.addRecordListener}; used
 * by metrics bridges such as {@code helicone-micrometer}. A listener must be quick and must not
 * block: it runs on the thread that also keeps {@code helicone.metrics()} and budgets current.
 * Exceptions are caught, counted and logged. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RecordListener {
  void onRecord(HeliconeRecord record);
}

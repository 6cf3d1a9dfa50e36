package ai.helicone.internal.metrics;

import ai.helicone.record.HeliconeRecord;

/** Facts about a record that the aggregates, budgets and alerts agree on. */
final class RecordFacts {
  private RecordFacts() {}

  static boolean rateLimited(HeliconeRecord r) {
    return r.response() != null && r.response().status() == 429;
  }
}

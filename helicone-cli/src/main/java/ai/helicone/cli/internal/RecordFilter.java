package ai.helicone.cli.internal;

import ai.helicone.record.HeliconeRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Filters on records, from the command line's options. Immutable. */
public record RecordFilter(
    Instant since,
    Instant until,
    String model,
    String user,
    String propertyName,
    String propertyValue,
    String status)
    implements Predicate<HeliconeRecord> {

  /** A filter from option values; null options do not filter. Bad values throw with a message. */
  public static RecordFilter of(
      String since, String until, String model, String user, String property, String status) {
    String name = null;
    String value = null;
    if (property != null) {
      int eq = property.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--property takes NAME=VALUE, was: " + property);
      }
      name = property.substring(0, eq);
      value = property.substring(eq + 1);
    }
    if (status != null
        && !Map.of("success", 1, "error", 1, "cancelled", 1, "rate_limited", 1)
            .containsKey(status.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "--status takes success, error, cancelled or rate_limited, was: " + status);
    }
    return new RecordFilter(
        time("--since", since),
        time("--until", until),
        model,
        user,
        name,
        value,
        status == null ? null : status.toLowerCase(Locale.ROOT));
  }

  private static Instant time(String option, String v) {
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            option
                + " takes an ISO-8601 instant or date (2026-11-30T12:00:00Z, 2026-11-30), was: "
                + v);
      }
    }
  }

  @Override
  public boolean test(HeliconeRecord r) {
    Instant start = r.startTime();
    if (since != null && (start == null || start.isBefore(since))) {
      return false;
    }
    if (until != null && (start == null || !start.isBefore(until))) {
      return false;
    }
    if (model != null && !model.equals(r.model()) && !model.equals(r.requestModel())) {
      return false;
    }
    if (user != null && !user.equals(r.userId())) {
      return false;
    }
    if (propertyName != null && !propertyValue.equals(r.properties().get(propertyName))) {
      return false;
    }
    return status == null || status.equals(statusOf(r));
  }

  /** success, error, cancelled or rate_limited: the same words as the metrics. */
  public static String statusOf(HeliconeRecord r) {
    if (r.response() != null && r.response().status() == 429) {
      return "rate_limited";
    }
    return r.status() == null ? "" : r.status().wireName();
  }
}

package ai.helicone.internal.metrics;

import ai.helicone.metrics.MetricsView;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The aggregates of a set of LLM calls: the total and one bounded table per grouping. The same
 * class serves {@code helicone.metrics()}, the command-line report and the HTML report, so their
 * figures agree. Custom traces are ignored. Not thread-safe.
 */
public final class MetricsTree {
  private final int maxKeys;
  private final int maxPropertyNames;
  private final Accumulator total = new Accumulator();
  private final GroupTable providers;
  private final GroupTable models;
  private final GroupTable operations;
  private final GroupTable users;
  private final GroupTable sessions;
  private final Map<String, GroupTable> properties = new LinkedHashMap<>();

  /**
   * @param maxKeys the rows kept per grouping
   * @param maxPropertyNames how many property names get a grouping (the first ones seen)
   */
  public MetricsTree(int maxKeys, int maxPropertyNames) {
    this.maxKeys = maxKeys;
    this.maxPropertyNames = maxPropertyNames;
    this.providers = new GroupTable(maxKeys);
    this.models = new GroupTable(maxKeys);
    this.operations = new GroupTable(maxKeys);
    this.users = new GroupTable(maxKeys);
    this.sessions = new GroupTable(maxKeys);
  }

  /** A tree without bounds, for reports over files. */
  public static MetricsTree unbounded() {
    return new MetricsTree(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  public void add(HeliconeRecord r) {
    if (r.type() != RecordType.LLM) {
      return;
    }
    total.add(r);
    providers.row(key(r.provider())).add(r);
    models.row(key(r.model() != null ? r.model() : r.requestModel())).add(r);
    operations.row(key(r.operation())).add(r);
    users.row(key(r.userId())).add(r);
    sessions.row(key(r.sessionId())).add(r);
    for (Map.Entry<String, String> p : r.properties().entrySet()) {
      GroupTable table = properties.get(p.getKey());
      if (table == null) {
        if (properties.size() >= maxPropertyNames) {
          continue;
        }
        table = new GroupTable(maxKeys);
        properties.put(p.getKey(), table);
      }
      table.row(key(p.getValue())).add(r);
    }
  }

  public void addAll(MetricsTree o) {
    total.addAll(o.total);
    providers.addAll(o.providers);
    models.addAll(o.models);
    operations.addAll(o.operations);
    users.addAll(o.users);
    sessions.addAll(o.sessions);
    o.properties.forEach(
        (name, table) -> {
          GroupTable mine = properties.get(name);
          if (mine == null && properties.size() < maxPropertyNames) {
            mine = new GroupTable(maxKeys);
            properties.put(name, mine);
          }
          if (mine != null) {
            mine.addAll(table);
          }
        });
  }

  public MetricsView view() {
    Map<String, Map<String, ai.helicone.metrics.Aggregate>> byProperty = new LinkedHashMap<>();
    properties.forEach((name, table) -> byProperty.put(name, table.view()));
    return new MetricsView(
        total.toAggregate(),
        providers.view(),
        models.view(),
        operations.view(),
        users.view(),
        sessions.view(),
        byProperty);
  }

  private static String key(String v) {
    return v == null || v.isEmpty() ? MetricsView.NONE : v;
  }
}

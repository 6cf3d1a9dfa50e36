package ai.helicone.cli.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Rows of values printed as an aligned table, CSV or JSON. Not thread-safe. */
public final class Table {
  /** The output formats of every command. */
  public enum Format {
    TABLE,
    CSV,
    JSON
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();

  public Table(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  public Table add(List<Object> row) {
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException("row has " + row.size() + " values for " + columns);
    }
    rows.add(new ArrayList<>(row));
    return this;
  }

  public List<List<Object>> rows() {
    return rows;
  }

  public void print(Format format, PrintStream out) {
    switch (format) {
      case TABLE -> printTable(out);
      case CSV -> printCsv(out);
      case JSON -> printJson(out);
    }
  }

  private void printTable(PrintStream out) {
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
      for (List<Object> row : rows) {
        widths[c] = Math.max(widths[c], text(row.get(c)).length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < columns.size(); c++) {
      pad(line, columns.get(c), widths[c], false);
    }
    out.println(line.toString().stripTrailing());
    for (List<Object> row : rows) {
      line.setLength(0);
      for (int c = 0; c < columns.size(); c++) {
        Object v = row.get(c);
        pad(line, text(v), widths[c], v instanceof Number);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static void pad(StringBuilder line, String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    line.append(right ? fill + s : s + fill).append("  ");
  }

  private void printCsv(PrintStream out) {
    out.println(String.join(",", columns.stream().map(Table::csv).toList()));
    for (List<Object> row : rows) {
      out.println(String.join(",", row.stream().map(v -> csv(text(v))).toList()));
    }
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  private void printJson(PrintStream out) {
    ArrayNode array = JSON.createArrayNode();
    for (List<Object> row : rows) {
      ObjectNode o = array.addObject();
      for (int c = 0; c < columns.size(); c++) {
        Object v = row.get(c);
        String k = columns.get(c);
        if (v == null) {
          o.putNull(k);
        } else if (v instanceof BigDecimal d) {
          o.put(k, d);
        } else if (v instanceof Double d) {
          o.put(k, d);
        } else if (v instanceof Long l) {
          o.put(k, l);
        } else if (v instanceof Integer i) {
          o.put(k, i);
        } else {
          o.put(k, v.toString());
        }
      }
    }
    try {
      out.println(JSON.writeValueAsString(array));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return v.toString();
  }
}

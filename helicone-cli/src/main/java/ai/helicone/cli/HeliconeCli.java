package ai.helicone.cli;

import ai.helicone.cli.internal.HtmlReport;
import ai.helicone.cli.internal.RecordFilter;
import ai.helicone.cli.internal.RecordSource;
import ai.helicone.cli.internal.Reports;
import ai.helicone.cli.internal.Table;
import ai.helicone.internal.metrics.MetricsTree;
import ai.helicone.metrics.MetricsView;
import ai.helicone.record.HeliconeRecord;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code helicone} command: reports over the JSON Lines files that helicone-java writes.
 *
 * <pre>
 * java -jar helicone-cli-VERSION-all.jar sessions helicone-logs/
 * java -jar helicone-cli-VERSION-all.jar models --since 2026-11-30 helicone-logs/helicone.jsonl
 * java -jar helicone-cli-VERSION-all.jar report --html report.html helicone-logs/
 * </pre>
 *
 * <p>Aggregates are computed by the same code as {@code Helicone.metrics()}, so their figures
 * agree. Not thread-safe; {@link #run} may be called from tests.
 */
@Command(
    name = "helicone",
    mixinStandardHelpOptions = true,
    version = "helicone-cli",
    description = "Reports over helicone-java's JSON Lines files (rotated files included).",
    subcommands = {
      HeliconeCli.Sessions.class,
      HeliconeCli.Users.class,
      HeliconeCli.Properties.class,
      HeliconeCli.Models.class,
      HeliconeCli.Requests.class,
      HeliconeCli.Report.class
    })
public final class HeliconeCli implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  private HeliconeCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line with the given streams; returns the exit status (0 when it worked). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    HeliconeCli cli = new HeliconeCli(out, err);
    CommandLine cmd = new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("helicone: " + e.getMessage());
          return 2;
        });
    return cmd.execute(args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  /** Options every command shares: the files, the filters and the output format. */
  static final class Input {
    @Parameters(
        paramLabel = "PATH",
        arity = "0..*",
        description = "JSON Lines files or folders (default: helicone-logs)")
    List<Path> paths = new ArrayList<>();

    @Option(
        names = "--since",
        description = "only calls that started at or after this instant or date")
    String since;

    @Option(names = "--until", description = "only calls that started before this instant or date")
    String until;

    @Option(names = "--model", description = "only this model (response or requested)")
    String model;

    @Option(names = "--user", description = "only this user id")
    String user;

    @Option(
        names = "--property",
        paramLabel = "NAME=VALUE",
        description = "only calls with this property value")
    String property;

    @Option(names = "--status", description = "success, error, cancelled or rate_limited")
    String status;

    @Option(names = "--format", description = "table (default), csv or json")
    Table.Format format = Table.Format.TABLE;

    @Option(names = "--quiet", description = "no progress or skipped-line messages")
    boolean quiet;

    /** The records of the files that pass the filters, in file order. */
    List<HeliconeRecord> read(PrintStream err) {
      RecordFilter filter = RecordFilter.of(since, until, model, user, property, status);
      List<Path> files =
          RecordSource.expand(paths.isEmpty() ? List.of(Path.of("helicone-logs")) : paths);
      RecordSource source = new RecordSource(quiet ? nullStream() : err, !quiet);
      List<HeliconeRecord> records = new ArrayList<>();
      source.read(
          files,
          r -> {
            if (filter.test(r)) {
              records.add(r);
            }
          });
      return records;
    }

    MetricsView aggregate(List<HeliconeRecord> records) {
      MetricsTree tree = MetricsTree.unbounded();
      records.forEach(tree::add);
      return tree.view();
    }

    private static PrintStream nullStream() {
      return new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
  }

  @Command(
      name = "sessions",
      description = "Each session's path tree with requests, cost and duration.")
  static final class Sessions implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Override
    public Integer call() {
      List<HeliconeRecord> records = input.read(cli.err);
      Reports.sessionTable(Reports.sessions(records), input.format == Table.Format.TABLE)
          .print(input.format, cli.out);
      return 0;
    }
  }

  @Command(name = "users", description = "Requests, errors, tokens, cost and latency per user.")
  static final class Users implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Override
    public Integer call() {
      MetricsView view = input.aggregate(input.read(cli.err));
      Reports.aggregates("user", view.byUser()).print(input.format, cli.out);
      return 0;
    }
  }

  @Command(name = "properties", description = "Aggregates per value of one custom property.")
  static final class Properties implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "the property name")
    String by;

    @Override
    public Integer call() {
      MetricsView view = input.aggregate(input.read(cli.err));
      Reports.aggregates(by, view.byProperty(by)).print(input.format, cli.out);
      return 0;
    }
  }

  @Command(
      name = "models",
      description = "Latency and time-to-first-token percentiles, error rate and cost per model.")
  static final class Models implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Override
    public Integer call() {
      MetricsView view = input.aggregate(input.read(cli.err));
      Reports.aggregates("model", view.byModel()).print(input.format, cli.out);
      return 0;
    }
  }

  @Command(name = "requests", description = "One line per call and trace, filtered.")
  static final class Requests implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Override
    public Integer call() {
      Reports.requests(input.read(cli.err)).print(input.format, cli.out);
      return 0;
    }
  }

  @Command(name = "report", description = "One self-contained HTML page that opens offline.")
  static final class Report implements Callable<Integer> {
    @CommandLine.ParentCommand HeliconeCli cli;
    @Mixin Input input;

    @Option(
        names = "--html",
        required = true,
        paramLabel = "FILE",
        description = "the page to write")
    Path html;

    @Option(
        names = "--feature-property",
        paramLabel = "NAME",
        description = "the property whose values are the features (default: feature)")
    String featureProperty = "feature";

    @Override
    public Integer call() {
      List<HeliconeRecord> records = input.read(cli.err);
      HtmlReport.write(records, input.aggregate(records), featureProperty, html);
      cli.out.println("wrote " + html + " (" + records.size() + " records)");
      return 0;
    }
  }
}

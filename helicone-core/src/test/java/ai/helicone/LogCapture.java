package ai.helicone;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the SDK logs through {@code System.Logger} (backed by java.util.logging). */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("ai.helicone");
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> texts = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  /** Every message with the stack trace of its exception, as a log file would show them. */
  String text() {
    return String.join("\n", texts);
  }

  @Override
  public void publish(LogRecord record) {
    messages.add(record.getMessage());
    StringWriter text = new StringWriter().append(record.getMessage()).append('\n');
    if (record.getThrown() != null) {
      record.getThrown().printStackTrace(new PrintWriter(text));
    }
    texts.add(text.toString());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}

package ai.helicone;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the SDK logs through {@code System.Logger} (backed by java.util.logging). */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("ai.helicone");
  private final List<String> messages = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void publish(LogRecord record) {
    messages.add(record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}

package ai.helicone.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Starts {@link LoopbackServer} in a JVM of its own and stops it. */
final class Server implements AutoCloseable {
  private final Process process;
  final String url;

  Server() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-Xmx256m",
                      "-cp",
                      System.getProperty("java.class.path"),
                      LoopbackServer.class.getName()))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
      String port = out.readLine();
      url = "http://127.0.0.1:" + Integer.parseInt(port.trim()) + "/v1/chat/completions";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}

package ai.helicone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;

/**
 * A one-shot HTTP/1.1 server on loopback that streams a chunked response in two parts and sends the
 * second only when the test releases it, so a test can prove the caller got the first part before
 * the server sent the last.
 */
public final class LatchedStreamServer implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final String contentType;
  private final String firstChunk;
  private final String lastChunk;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch lastSent = new CountDownLatch(1);
  private final Thread thread;

  public LatchedStreamServer(String contentType, String firstChunk, String lastChunk)
      throws IOException {
    this.serverSocket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.contentType = contentType;
    this.firstChunk = firstChunk;
    this.lastChunk = lastChunk;
    this.thread = new Thread(this::serveOnce, "latched-stream-server");
    thread.setDaemon(true);
    thread.start();
  }

  public HttpUrl url(String path) {
    return new HttpUrl.Builder()
        .scheme("http")
        .host(serverSocket.getInetAddress().getHostAddress())
        .port(serverSocket.getLocalPort())
        .encodedPath(path)
        .build();
  }

  /** Lets the server send the last chunk and end the response. */
  public void releaseLastChunk() {
    release.countDown();
  }

  /** True once the server has written the last chunk. */
  public boolean lastChunkSent() {
    return lastSent.getCount() == 0;
  }

  private void serveOnce() {
    try (Socket socket = serverSocket.accept()) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // Request line and headers: a GET has no body to skip.
      }
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\n"
                  + "Content-Type: "
                  + contentType
                  + "\r\n"
                  + "Transfer-Encoding: chunked\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      writeChunk(out, firstChunk);
      out.flush();
      if (!release.await(30, TimeUnit.SECONDS)) {
        return;
      }
      writeChunk(out, lastChunk);
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      lastSent.countDown();
    } catch (IOException | InterruptedException e) {
      // The client went away early (a cancelled stream): nothing more to serve.
    }
  }

  private static void writeChunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void close() throws IOException {
    release.countDown();
    serverSocket.close();
  }
}

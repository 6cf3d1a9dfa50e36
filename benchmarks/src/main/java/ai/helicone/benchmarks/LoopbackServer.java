package ai.helicone.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 server on loopback, run in its own JVM so that its CPU is not counted as the
 * client's: every request gets a canned chat completion; a request whose body asks for {@code
 * "stream":true} gets a stream of {@link Payloads#EVENTS} events, each flushed on its own. Prints
 * its port on the first line of standard output and serves until killed.
 */
public final class LoopbackServer {
  private LoopbackServer() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
      System.out.println(server.getLocalPort());
      System.out.flush();
      while (true) {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(socket), "conn");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private static void serve(Socket socket) {
    byte[] plain = plainResponse();
    byte[][] events = Payloads.streamEvents();
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16384)) {
      byte[] body = new byte[65536];
      while (true) {
        int contentLength = readHeaders(in);
        if (contentLength < 0) {
          return;
        }
        int read = 0;
        while (read < contentLength) {
          int n = in.read(body, read, contentLength - read);
          if (n < 0) {
            return;
          }
          read += n;
        }
        if (contains(body, read, "\"stream\":true")) {
          out.write(
              head(
                  "HTTP/1.1 200 OK",
                  "Content-Type: text/event-stream",
                  "Transfer-Encoding: chunked"));
          for (byte[] event : events) {
            out.write(Integer.toHexString(event.length).getBytes(StandardCharsets.US_ASCII));
            out.write('\r');
            out.write('\n');
            out.write(event);
            out.write('\r');
            out.write('\n');
            out.flush();
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
          out.write(plain);
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  private static byte[] plainResponse() {
    byte[] body = Payloads.chatCompletion();
    byte[] head =
        head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + body.length);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** A response head: the lines, each ended by CRLF, and the blank line. */
  private static byte[] head(String... lines) {
    return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads request headers; returns the content length (0 without one), or -1 at end of input. */
  private static int readHeaders(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int contentLength = 0;
    boolean any = false;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return -1;
      }
      any = true;
      if (c == '\n') {
        String l = line.toString().trim();
        line.setLength(0);
        if (l.isEmpty()) {
          return contentLength;
        }
        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          contentLength = Integer.parseInt(l.substring(15).trim());
        }
      } else if (c != '\r') {
        line.append((char) c);
      }
      if (!any) {
        return -1;
      }
    }
  }

  private static boolean contains(byte[] b, int len, String s) {
    byte[] needle = s.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= len; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (b[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

package ai.helicone.internal.record;

import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.spi.CapturedExchange;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;

/**
 * Read access, inside the SDK, to captured bytes that the public types keep private, so that a body
 * is neither copied from the exchange into the record nor decoded to text to be written. The arrays
 * returned must never be changed. Set by the owning classes' static initialisers, which have run
 * whenever an instance exists. Thread-safe.
 */
public final class RawBodies {
  private static volatile ResponseAccess responseAccess;
  private static volatile ExchangeAccess exchangeAccess;

  private static volatile JsonAccess jsonAccess;

  private RawBodies() {}

  /** Access to JSON bodies whose validity the SDK checked itself. */
  public interface JsonAccess {
    /** A JSON body that the SDK parsed or wrote itself. */
    CapturedBody verified(String json);

    /** True when the body was made by {@link #verified} or {@link #written}. */
    boolean isVerified(CapturedBody body);

    /** A JSON body written from {@code tree} when its text is first asked for. */
    CapturedBody written(JsonNode tree);

    /** A JSON body decoded from {@code utf8Json}, valid UTF-8, when its text is first asked for. */
    CapturedBody decodedWhenAsked(ByteChunks utf8Json);

    /**
     * What a body made by {@link #written} or {@link #decodedWhenAsked} was made from (its {@link
     * JsonNode} or its {@link ByteChunks}), while nobody has asked for its text; otherwise null.
     */
    Object unwritten(CapturedBody body);
  }

  /** Called once by {@link CapturedBody}. */
  public static void setJsonAccess(JsonAccess access) {
    jsonAccess = access;
  }

  /** A JSON body the SDK has just parsed or written itself: writers embed it without a check. */
  public static CapturedBody verifiedJson(String json) {
    return jsonAccess().verified(json);
  }

  /**
   * A body the SDK writes itself from a tree (a stream's rebuilt message), embedded without a
   * check. Its text is written when first asked for; a JSON writer can instead write the tree
   * straight where it goes ({@link #unwrittenTree}). The tree must not change any more.
   */
  public static CapturedBody writtenJson(JsonNode tree) {
    return jsonAccess().written(tree);
  }

  /**
   * What a {@link #writtenJson} or {@link #decodedWhenAsked} body whose text was never asked for
   * was made from, its {@link JsonNode} or its {@link ByteChunks}; otherwise null.
   */
  public static Object unwritten(CapturedBody body) {
    return jsonAccess().unwritten(body);
  }

  /** The tree of a {@link #writtenJson} body whose text was never asked for, or null. */
  public static JsonNode unwrittenTree(CapturedBody body) {
    return unwritten(body) instanceof JsonNode tree ? tree : null;
  }

  /**
   * A JSON body the SDK read whole, held as its UTF-8 bytes (valid UTF-8, never changed any more)
   * and decoded only when its text is asked for; writers embed it without a check, and a UTF-8
   * writer can copy its bytes where they go ({@link #undecodedBytes}).
   */
  public static CapturedBody decodedWhenAsked(ByteChunks utf8Json) {
    return jsonAccess().decodedWhenAsked(utf8Json);
  }

  /** The bytes of a {@link #decodedWhenAsked} body whose text was never asked for, or null. */
  public static ByteChunks undecodedBytes(CapturedBody body) {
    return unwritten(body) instanceof ByteChunks bytes ? bytes : null;
  }

  /** True when {@code body} was made by {@link #verifiedJson} or {@link #writtenJson}. */
  public static boolean isVerifiedJson(CapturedBody body) {
    return jsonAccess().isVerified(body);
  }

  private static JsonAccess jsonAccess() {
    JsonAccess access = jsonAccess;
    if (access == null) {
      CapturedBody.text(""); // initialises CapturedBody, which sets the access
      access = jsonAccess;
    }
    return access;
  }

  /** Access to the raw stream a {@link CapturedResponse} holds. */
  public interface ResponseAccess {
    /** The raw stream as UTF-8 bytes, or null. */
    ByteChunks rawUtf8(CapturedResponse response);

    /** Like {@link CapturedResponse#ofStream}, keeping the pieces as they are. */
    CapturedResponse ofStream(
        int status,
        Map<String, String> headers,
        ByteChunks rawUtf8,
        Function<InputStream, CapturedBody> rebuild,
        boolean truncated);
  }

  /** Access to the response body a {@link CapturedExchange} holds. */
  public interface ExchangeAccess {
    /** The captured response bytes, or null. */
    ByteChunks responseBody(CapturedExchange exchange);

    /** Sets the captured response bytes, keeping the pieces as they are. */
    void responseBody(CapturedExchange.Builder builder, ByteChunks body, boolean truncated);

    /** The captured request bytes themselves, or null. */
    ByteChunks requestBody(CapturedExchange exchange);

    /** Sets the captured request bytes as they are (marked ASCII, say). */
    void requestBody(CapturedExchange.Builder builder, ByteChunks body, boolean truncated);

    /** True when the request's content type names JSON. */
    boolean requestJsonType(CapturedExchange exchange);

    /** True when the response's content type names JSON. */
    boolean responseJsonType(CapturedExchange exchange);
  }

  /** Called once by {@link CapturedResponse}. */
  public static void setResponseAccess(ResponseAccess access) {
    responseAccess = access;
  }

  /** Called once by {@link CapturedExchange}. */
  public static void setExchangeAccess(ExchangeAccess access) {
    exchangeAccess = access;
  }

  /** The raw stream of a response as UTF-8 bytes, or null. */
  public static ByteChunks rawUtf8(CapturedResponse response) {
    return responseAccess.rawUtf8(response);
  }

  /** Like {@link CapturedResponse#ofStream}, holding the raw stream in the pieces given. */
  public static CapturedResponse streamResponse(
      int status,
      Map<String, String> headers,
      ByteChunks rawUtf8,
      Function<InputStream, CapturedBody> rebuild,
      boolean truncated) {
    ResponseAccess access = responseAccess;
    if (access == null) {
      CapturedResponse.ofStream(0, Map.of(), new byte[0], null, false); // sets the access
      access = responseAccess;
    }
    return access.ofStream(status, headers, rawUtf8, rebuild, truncated);
  }

  /** The captured request bytes of an exchange, not copied, or null. */
  public static ByteChunks requestBytes(CapturedExchange exchange) {
    return exchangeAccess.requestBody(exchange);
  }

  /** The captured response bytes of an exchange, or null. */
  public static ByteChunks responseBytes(CapturedExchange exchange) {
    return exchangeAccess.responseBody(exchange);
  }

  /**
   * True when the request's content type names JSON ({@link Bodies#isJsonContentType}), decided
   * when the exchange was built.
   */
  public static boolean requestJsonType(CapturedExchange exchange) {
    return exchangeAccess.requestJsonType(exchange);
  }

  /** The same for the response's content type. */
  public static boolean responseJsonType(CapturedExchange exchange) {
    return exchangeAccess.responseJsonType(exchange);
  }

  /** Sets an exchange's captured request bytes as they are, marks included. */
  public static CapturedExchange.Builder requestBody(
      CapturedExchange.Builder builder, ByteChunks body, boolean truncated) {
    exchangeAccess.requestBody(builder, body, truncated);
    return builder;
  }

  /** Sets an exchange's captured response bytes, without joining the pieces. */
  public static CapturedExchange.Builder responseBody(
      CapturedExchange.Builder builder, ByteChunks body, boolean truncated) {
    // A builder exists, so CapturedExchange has been initialised and has set the access.
    exchangeAccess.responseBody(builder, body, truncated);
    return builder;
  }
}

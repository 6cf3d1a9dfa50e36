package ai.helicone.internal.instrument;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.MetadataRules;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.Request;

/**
 * Helicone's metadata headers ({@code Helicone-User-Id}, {@code Helicone-Property-<Name>}, ...):
 * reads them from a request and merges them over the ambient context, where a header wins; strips
 * them before a request reaches a provider; and writes the context as headers for the gateway.
 */
public final class HeliconeHeaders {
  public static final String PREFIX = "helicone-";
  public static final String AUTH = "Helicone-Auth";
  public static final String USER_ID = "Helicone-User-Id";
  public static final String PROPERTY_PREFIX = "Helicone-Property-";
  public static final String SESSION_ID = "Helicone-Session-Id";
  public static final String SESSION_PATH = "Helicone-Session-Path";
  public static final String SESSION_NAME = "Helicone-Session-Name";
  public static final String REQUEST_ID = "Helicone-Request-Id";
  public static final String OMIT_REQUEST = "Helicone-Omit-Request";
  public static final String OMIT_RESPONSE = "Helicone-Omit-Response";

  private HeliconeHeaders() {}

  /** True when the request carries at least one {@code Helicone-*} header. */
  public static boolean hasAny(Headers headers) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (isHelicone(headers.name(i))) {
        return true;
      }
    }
    return false;
  }

  static boolean isHelicone(String name) {
    return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /**
   * The call's metadata: the captured context, with each field the request sets in a header taking
   * the header's value. A request id that is not a UUID is replaced by a fresh one (and logged), as
   * Helicone itself would do; a call without any request id gets a fresh one.
   */
  public static CallMetadata resolve(
      CallContexts.Captured captured, Headers headers, Diagnostics diagnostics) {
    ContextSnapshot ctx = captured.snapshot();
    String userId = ctx.userId();
    // The context's own map, unless a header adds a property: then a copy.
    Map<String, String> properties = ctx.properties();
    boolean ownProperties = false;
    String sessionId = ctx.sessionId();
    String sessionPath = ctx.sessionPath();
    String sessionName = ctx.sessionName();
    String requestId = ctx.requestId();
    boolean omitRequest = ctx.omitRequest();
    boolean omitResponse = ctx.omitResponse();

    for (int i = 0, n = headers.size(); i < n; i++) {
      String name = headers.name(i);
      if (!isHelicone(name)) {
        continue;
      }
      String value = headers.value(i);
      String lower = name.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "helicone-user-id" -> userId = value;
        case "helicone-session-id" -> sessionId = value;
        case "helicone-session-path" -> sessionPath = value;
        case "helicone-session-name" -> sessionName = value;
        // A header can only add privacy: it never undoes a context's omit flag, and any casing of
        // "true" counts, since leaving a body out by mistake is the safer error.
        case "helicone-omit-request" -> omitRequest |= "true".equalsIgnoreCase(value.trim());
        case "helicone-omit-response" -> omitResponse |= "true".equalsIgnoreCase(value.trim());
        case "helicone-request-id" -> {
          if (MetadataRules.isRequestId(value)) {
            requestId = value.toLowerCase(Locale.ROOT);
          } else {
            requestId = null;
            diagnostics.warn(
                "request-id-header",
                "Helicone-Request-Id header is not a UUID; a random request id is used instead");
          }
        }
        default -> {
          if (lower.startsWith("helicone-property-")) {
            String key = name.substring(PROPERTY_PREFIX.length());
            if (key.isEmpty()) {
              diagnostics.warn(
                  "property-header", "a Helicone-Property- header without a name was ignored");
            } else {
              if (!ownProperties) {
                properties = new LinkedHashMap<>(properties);
                ownProperties = true;
              }
              properties.put(key, value);
            }
          }
        }
      }
    }
    if (requestId == null) {
      requestId = MetadataRules.newRequestId();
    }
    return new CallMetadata(
        requestId,
        userId,
        properties,
        sessionId,
        sessionPath,
        sessionName,
        omitRequest,
        omitResponse,
        captured.attributes());
  }

  /** The request without any {@code Helicone-*} header; the same instance when it has none. */
  public static Request strip(Request request) {
    Headers headers = request.headers();
    if (!hasAny(headers)) {
      return request;
    }
    Request.Builder b = request.newBuilder();
    for (String name : headers.names()) {
      if (isHelicone(name)) {
        b.removeHeader(name);
      }
    }
    return b.build();
  }

  /**
   * The context's metadata as {@code Helicone-*} headers, in a stable order: user, properties,
   * session id, path and name, omit flags, and the request id when the context sets one.
   */
  public static Map<String, String> of(ContextSnapshot ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    putIfSet(out, USER_ID, ctx.userId());
    ctx.properties().forEach((k, v) -> out.put(PROPERTY_PREFIX + k, v));
    putIfSet(out, SESSION_ID, ctx.sessionId());
    putIfSet(out, SESSION_PATH, ctx.sessionPath());
    putIfSet(out, SESSION_NAME, ctx.sessionName());
    if (ctx.omitRequest()) {
      out.put(OMIT_REQUEST, "true");
    }
    if (ctx.omitResponse()) {
      out.put(OMIT_RESPONSE, "true");
    }
    putIfSet(out, REQUEST_ID, ctx.requestId());
    return out;
  }

  private static void putIfSet(Map<String, String> out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  /**
   * Adds the context's metadata as {@code Helicone-*} headers, for the gateway. Headers the request
   * already has win; a request id is always present afterwards.
   */
  public static Request addContextHeaders(Request request, ContextSnapshot ctx) {
    Headers existing = request.headers();
    Request.Builder b = request.newBuilder();
    of(ctx).forEach((name, value) -> addIfAbsent(b, existing, name, value));
    if (ctx.requestId() == null) {
      addIfAbsent(b, existing, REQUEST_ID, MetadataRules.newRequestId());
    }
    return b.build();
  }

  static void addIfAbsent(Request.Builder b, Headers existing, String name, String value) {
    if (value != null && existing.get(name) == null) {
      b.header(name, value);
    }
  }
}

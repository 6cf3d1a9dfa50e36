package ai.helicone.internal.sdk;

import ai.helicone.internal.Diagnostics;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Carries the caller's Helicone context into SDK clients that make their HTTP calls on their own
 * threads, such as the asynchronous clients of openai-java and anthropic-java.
 *
 * <p>These SDKs are generated in one style: a client and its services are interfaces, each with
 * {@code withOptions(Consumer<ClientOptions.Builder>)}, whose builder has {@code putHeader(String,
 * String)}. The proxy returned here wraps every service reached from the client. When the
 * application calls an operation (any method that returns neither a service nor void), the proxy
 * reads the context on the application's thread and, when there is one, makes the call through
 * {@code withOptions} with the context's {@code Helicone-*} headers added. The capture then reads
 * those headers on whatever thread creates the HTTP call, and removes them before the request
 * leaves. Without a context, calls go straight to the client, unchanged. If the SDK lacks the
 * expected methods, calls go straight to the client as well and the failure is reported once per
 * kind.
 *
 * <p>Thread-safe: the proxies hold no state besides the wrapped object.
 */
public final class ContextHeaderProxy {
  private static final ClassValue<Method> WITH_OPTIONS =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          for (Method m : type.getMethods()) {
            if (m.getName().equals("withOptions")
                && m.getParameterCount() == 1
                && m.getParameterTypes()[0] == Consumer.class
                && m.getReturnType().isInterface()) {
              return m;
            }
          }
          return null;
        }
      };

  private static final ClassValue<Method> PUT_HEADER =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            return type.getMethod("putHeader", String.class, String.class);
          } catch (NoSuchMethodException e) {
            return null;
          }
        }
      };

  private ContextHeaderProxy() {}

  /**
   * A view of {@code client} (an instance of the interface {@code type}) whose operations carry the
   * headers {@code contextHeaders} returns on the calling thread.
   */
  public static <T> T wrap(
      Class<T> type, T client, Supplier<Map<String, String>> contextHeaders, Diagnostics diag) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(client, "client");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type + " is not an interface");
    }
    if (Proxy.isProxyClass(client.getClass())
        && Proxy.getInvocationHandler(client) instanceof Handler) {
      return client;
    }
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            new Handler(type, client, contextHeaders, diag)));
  }

  private static boolean isService(Class<?> type) {
    return type.isInterface() && WITH_OPTIONS.get(type) != null;
  }

  private static final class Handler implements InvocationHandler {
    private final Class<?> type;
    private final Object target;
    private final Supplier<Map<String, String>> contextHeaders;
    private final Diagnostics diagnostics;

    Handler(
        Class<?> type,
        Object target,
        Supplier<Map<String, String>> contextHeaders,
        Diagnostics diagnostics) {
      this.type = type;
      this.target = target;
      this.contextHeaders = contextHeaders;
      this.diagnostics = diagnostics;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "Helicone(" + target + ")";
        };
      }
      Class<?> returned = method.getReturnType();
      if (isService(returned)) {
        // Navigation (chat(), completions(), withRawResponse(), withOptions(...), async()): the
        // context is read later, when an operation is called.
        Object result = call(target, method, args);
        return result == null ? null : wrapService(returned, result);
      }
      if (returned == void.class) {
        // close() and the like act on the client itself, never on a copy.
        return call(target, method, args);
      }
      return call(withContext(), method, args);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object wrapService(Class<?> type, Object service) {
      return ContextHeaderProxy.wrap((Class) type, service, contextHeaders, diagnostics);
    }

    /** The target, or a copy of it whose requests carry the current context's headers. */
    private Object withContext() {
      Map<String, String> headers;
      try {
        headers = contextHeaders.get();
      } catch (RuntimeException e) {
        diagnostics.error("sdk-context", "could not read the context of an SDK call", e);
        return target;
      }
      if (headers.isEmpty()) {
        return target;
      }
      // Looked up on the public interface: the implementation class may not be accessible.
      Method withOptions = WITH_OPTIONS.get(type);
      if (withOptions == null) {
        diagnostics.error(
            "sdk-context:" + type.getName(),
            type.getName()
                + " has no withOptions(Consumer); its calls made on SDK"
                + " threads lose the caller's Helicone context",
            null);
        return target;
      }
      Consumer<Object> addHeaders =
          builder -> {
            Method putHeader = PUT_HEADER.get(builder.getClass());
            if (putHeader == null) {
              throw new IllegalStateException(
                  builder.getClass().getName() + " has no putHeader(String, String)");
            }
            headers.forEach(
                (name, value) -> {
                  try {
                    putHeader.invoke(builder, name, value);
                  } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                  }
                });
          };
      try {
        return withOptions.invoke(target, addHeaders);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        diagnostics.error(
            "sdk-context:" + type.getName(),
            "could not add the Helicone context to a call of "
                + type.getName()
                + "; the call is made without it",
            e instanceof InvocationTargetException ite ? ite.getCause() : e);
        return target;
      }
    }

    private static Object call(Object on, Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(on, args);
      } catch (InvocationTargetException e) {
        // The SDK's own exception reaches the caller unchanged.
        throw e.getCause();
      }
    }
  }
}

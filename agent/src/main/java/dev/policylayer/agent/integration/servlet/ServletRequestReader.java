package dev.policylayer.agent.integration.servlet;

import dev.policylayer.agent.caller.RequestReader;
import dev.policylayer.agent.integration.UnknownShapeException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.Principal;

/**
 * Reads a servlet request through {@code jakarta.servlet.http.HttpServletRequest}, found per request class (the
 * application's servlet API, whichever class loader holds it) and called through method handles, looked up once.
 * A Spring Security application's request answers {@code getUserPrincipal()} with its {@code Authentication}.
 */
final class ServletRequestReader implements RequestReader {
    private static final String REQUEST_TYPE = "jakarta.servlet.http.HttpServletRequest";

    /** The two methods of one request class's servlet API. */
    private record Accessors(MethodHandle header, MethodHandle principal) {
    }

    private final ClassValue<Accessors> accessors = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            Class<?> api = find(type);
            if (api == null) {
                throw new UnknownShapeException(type.getName() + " is not a " + REQUEST_TYPE, null);
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new Accessors(
                        lookup.findVirtual(api, "getHeader", MethodType.methodType(String.class, String.class))
                                .asType(MethodType.methodType(String.class, Object.class, String.class)),
                        lookup.findVirtual(api, "getUserPrincipal", MethodType.methodType(Principal.class))
                                .asType(MethodType.methodType(Principal.class, Object.class)));
            } catch (ReflectiveOperationException unexpected) {
                throw new UnknownShapeException(REQUEST_TYPE + " has no getHeader/getUserPrincipal", unexpected);
            }
        }
    };

    @Override
    public String principal(Object request) {
        try {
            Principal principal = (Principal) accessors.get(request.getClass()).principal.invokeExact(request);
            return principal == null ? null : principal.getName();
        } catch (RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable checked) {
            throw new UnknownShapeException("could not read the request's principal", checked);
        }
    }

    @Override
    public String header(Object request, String name) {
        try {
            return (String) accessors.get(request.getClass()).header.invokeExact(request, name);
        } catch (RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable checked) {
            throw new UnknownShapeException("could not read a request header", checked);
        }
    }

    /** The servlet API's request interface among the type's supertypes, or null. */
    private static Class<?> find(Class<?> type) {
        for (Class<?> at = type; at != null; at = at.getSuperclass()) {
            for (Class<?> face : at.getInterfaces()) {
                Class<?> found = face.getName().equals(REQUEST_TYPE) ? face : find(face);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}

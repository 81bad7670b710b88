package dev.policylayer.engine.counter;

import java.util.List;

/**
 * The JDK internals Chronicle Map reaches into on JDK 17+, as data: the agent grants exactly these with
 * {@code Instrumentation.redefineModule} (to the module holding its relocated Chronicle classes); tests
 * and plain-classpath users pass {@link #jvmFlags()} on the command line. Measured minimal on JDK 17 and
 * 25 for what this package does (create, persist, grow, reclaim, close).
 */
public final class ChronicleModuleAccess {

    /** One grant: {@code module} opens (deep reflection) or exports (public types) {@code pkg}. */
    public record Grant(String module, String pkg, boolean open) {
        public String flag() {
            return (open ? "--add-opens=" : "--add-exports=") + module + "/" + pkg + "=ALL-UNNAMED";
        }
    }

    // Found by dropping one flag at a time from Chronicle's documented list and running create, persist,
    // grow, reclaim and close on JDK 17 and 25 with Chronicle's logging switched on:
    // - jdk.internal.ref: Chronicle's cleaner for the memory it maps and frees;
    // - java.lang: Chronicle defines helper classes through ClassLoader.defineClass;
    // - java.lang.reflect: Chronicle's reflection helpers (it logs an error and misbehaves without);
    // - sun.nio.ch: mapping the file (FileChannelImpl's map/unmap).
    // Not needed: java.io, java.util, java.nio, sun.misc (Unsafe is reachable without), and the
    // jdk.compiler pair, because no class is compiled at run time (see VanillaGlobalMutableState$$Native).
    private static final List<Grant> REQUIRED = List.of(
            new Grant("java.base", "jdk.internal.ref", false),
            new Grant("java.base", "java.lang", true),
            new Grant("java.base", "java.lang.reflect", true),
            new Grant("java.base", "sun.nio.ch", true));

    private ChronicleModuleAccess() {
    }

    /** What must be opened or exported to the module that holds Chronicle. */
    public static List<Grant> requiredOpens() {
        return REQUIRED;
    }

    /** The same as command-line flags. */
    public static List<String> jvmFlags() {
        return REQUIRED.stream().map(Grant::flag).toList();
    }
}

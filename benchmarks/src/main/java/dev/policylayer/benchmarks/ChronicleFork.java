package dev.policylayer.benchmarks;

import java.util.List;

import dev.policylayer.engine.counter.ChronicleModuleAccess;

/**
 * The module flags every forked benchmark JVM needs for Chronicle. Annotation values must be constants,
 * so they are repeated here; {@link #check()} (called from each benchmark's setup) fails the run if they
 * ever drift from {@link ChronicleModuleAccess}.
 */
final class ChronicleFork {
    static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private ChronicleFork() {
    }

    static void check() {
        List<String> here = List.of(EXPORT_REF, OPEN_LANG, OPEN_REFLECT, OPEN_NIO_CH);
        if (!here.equals(ChronicleModuleAccess.jvmFlags())) {
            throw new IllegalStateException("benchmark fork flags " + here + " differ from "
                    + ChronicleModuleAccess.jvmFlags());
        }
    }
}

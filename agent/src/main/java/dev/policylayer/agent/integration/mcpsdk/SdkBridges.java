package dev.policylayer.agent.integration.mcpsdk;

/**
 * One {@link SdkBridge} per MCP SDK copy: keyed on the instrumented class, so several SDK versions in one JVM
 * (one per webapp, say) each get their own, and nothing keeps a class loader alive.
 */
public final class SdkBridges {
    private static final ClassValue<SdkBridge> BRIDGES = new ClassValue<>() {
        @Override
        protected SdkBridge computeValue(Class<?> type) {
            return new SdkBridge(type.getClassLoader());
        }
    };

    private SdkBridges() {
    }

    /** The bridge for the SDK that {@code sdkObject}'s class belongs to. */
    public static SdkBridge of(Object sdkObject) {
        return BRIDGES.get(sdkObject.getClass());
    }
}

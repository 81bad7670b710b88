package dev.policylayer.agent.integration.mcpsdk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.decision.SessionRef;
import org.junit.jupiter.api.Test;

/**
 * A session that cannot be read is not "no session": session-scoped limits must not quietly count the whole grant
 * together. Context classes here stand in for the SDK's, by shape and name.
 */
class SessionIdsTest {

    /** 0.11+: the exchange says its session. */
    public static final class ModernExchange {
        public String sessionId() {
            return "session-7";
        }
    }

    /** 0.8 to 0.10: a private session with getId(). */
    public static final class LegacyExchange {
        @SuppressWarnings("unused")
        private final Session session = new Session();

        public static final class Session {
            public String getId() {
                return "legacy-3";
            }
        }
    }

    /** An exchange of a shape no release has: neither sessionId() nor a session field. */
    public static final class StrangeExchange {
    }

    /** The stateless server's context: no session, by design. */
    public static final class McpTransportContext {
    }

    /** An exchange whose sessionId() fails. */
    public static final class BrokenExchange {
        public String sessionId() {
            throw new IllegalStateException("session closed");
        }
    }

    @Test
    void eachShapeIsReadOrSaidUnreadable() {
        assertEquals(SessionRef.of("session-7"), SessionIds.of(new ModernExchange()));
        assertEquals(SessionRef.of("legacy-3"), SessionIds.of(new LegacyExchange()));
        assertEquals(SessionRef.NONE, SessionIds.of(new McpTransportContext()));
        assertEquals(SessionRef.NONE, SessionIds.of(null));
        SessionRef strange = SessionIds.of(new StrangeExchange());
        assertTrue(strange.isUnreadable() && strange.unreadable().contains("neither sessionId() nor"), strange.toString());
        SessionRef broken = SessionIds.of(new BrokenExchange());
        assertTrue(broken.isUnreadable() && broken.unreadable().contains("session closed"), broken.toString());
    }
}

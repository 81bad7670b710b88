package dev.policylayer.agent.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.agent.caller.Callers;
import dev.policylayer.agent.caller.RequestsInFlight;
import dev.policylayer.agent.integration.ChokePoint;
import dev.policylayer.agent.integration.Integration;
import dev.policylayer.agent.integration.Integrations;
import dev.policylayer.bootstrap.Replacement;
import dev.policylayer.bootstrap.ToolCallRefused;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.CallerIdentity;
import dev.policylayer.engine.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The gate's promise whatever the library: a call it cannot let through never runs. Here the "library" is a plain
 * object whose answers the test controls (a changed SDK whose result type the agent cannot build, say).
 */
class ToolCallDeciderTest {
    private static final String POLICY = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"echo\":{},"
            + "\"drop_db\":{\"action\":\"deny\"}}}";

    /** How a call to the test library is answered: by what its channel can build. */
    private static final class TestChannel implements CallChannel {
        boolean denialBreaks;
        boolean refusalBreaks;
        boolean readingBreaks;

        @Override
        public Side side() {
            return Side.SERVER;
        }

        @Override
        public ToolRequest read(Object self, Object[] arguments) {
            if (readingBreaks) {
                throw new IllegalStateException("a request shape this agent does not know");
            }
            return ToolRequest.fromParams(arguments[0]);
        }

        @Override
        public Object denial(Object self, String text) {
            if (denialBreaks) {
                throw new NoSuchMethodError("CallToolResult.builder()");
            }
            return "denial: " + text;
        }

        @Override
        public Object refusal(Object self, String text) {
            if (refusalBreaks) {
                throw new IllegalStateException("no error signal either");
            }
            return "refusal: " + text;
        }

        @Override
        public Object settleOnOutcome(Object self, Object returned, Settlement settlement) {
            settlement.succeeded();
            return returned;
        }

        @Override
        public Object filterList(Object self, Object returned, Predicate<String> visible) {
            return returned;
        }
    }

    private final TestChannel channel = new TestChannel();
    private final List<DecisionRecord> heard = new ArrayList<>();

    private ToolCallDecider decider(PolicyInForce policies) {
        Integration library = new Integration() {
            @Override
            public String id() {
                return "test-library";
            }

            @Override
            public String description() {
                return "test library";
            }

            @Override
            public List<ChokePoint> chokePoints() {
                return List.of();
            }

            @Override
            public CallChannel channel(Object self) {
                return channel;
            }
        };
        return new ToolCallDecider(new Integrations(List.of(library)), policies, false, new Callers(
                CallerIdentity.STATIC, "default", false, new RequestsInFlight()), heard::add);
    }

    private static PolicyInForce inForce() throws Exception {
        PolicyInForce policies = new PolicyInForce(false);
        policies.started(LivePolicy.fixed(PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of(
                "policylayer.policy", POLICY))), null, "default")));
        return policies;
    }

    private Object call(ToolCallDecider decider, String tool) {
        return decider.enter("test-library", "the library object", new Object[] {Map.of("name", tool)});
    }

    @Test
    void aDeniedCallGetsTheLibrarysOwnDenial() throws Exception {
        Object entered = call(decider(inForce()), "drop_db");
        assertEquals("denial: [POLICY DENIED] tool \"drop_db\" denied by /tools/drop_db/action: the policy blocks"
                + " every call to this tool", ((Replacement) entered).value());
        assertNull(call(decider(inForce()), "echo"), "an allowed call with nothing to settle runs as it is");
    }

    @Test
    void whenTheDenialCannotBeBuiltTheCallIsRefusedTheSecondWay() throws Exception {
        channel.denialBreaks = true;
        Object entered = call(decider(inForce()), "drop_db");
        assertTrue(((String) ((Replacement) entered).value()).startsWith("refusal: [POLICY DENIED] tool \"drop_db\""));
    }

    @Test
    void whenNeitherWayCanBeBuiltTheMethodThrowsInsteadOfRunning() throws Exception {
        channel.denialBreaks = true;
        channel.refusalBreaks = true;
        Replacement entered = (Replacement) call(decider(inForce()), "drop_db");
        ToolCallRefused refused = assertThrows(ToolCallRefused.class, entered::value);
        assertTrue(refused.getMessage().startsWith("[POLICY DENIED] tool \"drop_db\" denied"), refused.getMessage());
    }

    @Test
    void aCallTheAgentCannotReadIsDeniedAndRecorded() throws Exception {
        channel.readingBreaks = true;
        Replacement entered = (Replacement) call(decider(inForce()), "echo");
        assertTrue(((String) entered.value()).startsWith("denial: [POLICY DENIED] the policy agent could not check"
                + " this call"), (String) entered.value());
        assertEquals("agent_error", heard.get(0).kind().tag());
    }

    @Test
    void anAgentThatCouldNotStartDeniesEveryCallSayingSo() {
        PolicyInForce policies = new PolicyInForce(false);
        policies.startFailed("java.lang.OutOfMemoryError: Java heap space");
        Replacement entered = (Replacement) call(decider(policies), "echo");
        assertTrue(((String) entered.value()).contains("the policy agent could not start (java.lang.OutOfMemoryError:"
                + " Java heap space)"), (String) entered.value());
    }

    @Test
    void failingOpenAnAgentThatCouldNotStartLetsCallsThrough() {
        PolicyInForce policies = new PolicyInForce(true);
        policies.startFailed("java.lang.OutOfMemoryError: Java heap space");
        assertNull(call(decider(policies), "drop_db"));
        assertEquals("no_policy", heard.get(0).kind().tag());
    }
}

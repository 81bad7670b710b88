package dev.policylayer.benchmarks;

import dev.policylayer.agent.caller.CallerGrant;
import dev.policylayer.agent.caller.Callers;
import dev.policylayer.agent.caller.GrantPolicies;
import dev.policylayer.agent.caller.RequestReader;
import dev.policylayer.agent.caller.RequestsInFlight;
import dev.policylayer.agent.integration.servlet.ServletRequests;
import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.counter.OffHeapCounterStore;
import dev.policylayer.engine.decision.Decision;
import dev.policylayer.engine.decision.SessionRef;
import dev.policylayer.engine.decision.Side;
import dev.policylayer.engine.decision.ToolCall;
import dev.policylayer.engine.decision.Verdict;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.load.GrantsLoader;
import dev.policylayer.engine.load.PolicyLoader;
import dev.policylayer.engine.load.ReadLimits;
import dev.policylayer.engine.reload.LiveFile;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a caller's identity adds to a decision: the same allowed call with one grant-scoped limit, decided for the
 * static grant ({@code policylayer.identity=static}) and for the grant of the bearer token read from a real
 * servlet request (Tomcat's), with the request noted as the servlet advice notes it, the header read through the
 * servlet integration, and the token matched in a grants file of 100 grants.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class CallerIdentityBenchmark {
    private static final String POLICY = """
            {"version": "1", "default": "deny",
             "tools": {"search": {"limits": [{"counter": "search", "window": "1s", "max": 1000000000}]}}}""";
    private static final String TOKEN = "tok-agent-42-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private OffHeapCounterStore store;
    private LivePolicy main;
    private Callers staticCallers;
    private Callers bearerCallers;
    private final RequestsInFlight requests = new RequestsInFlight();
    private final RequestReader reader = new ServletRequests().requests();
    private Object request;
    private final Map<String, Object> arguments = Map.of("query", "usb cable");
    private final SessionRef session = SessionRef.of("session-1");

    @Setup(Level.Trial)
    public void load() throws Exception {
        store = OffHeapCounterStore.inMemory(Clock.systemUTC(), 1_000);
        main = LivePolicy.fixed(PolicyEngine.create(PolicyLoader.load(Settings.of(Map.of("policylayer.policy",
                POLICY))), store, "default"));
        staticCallers = new Callers(AgentOptions.from(Settings.empty()).identity(), "default", false, requests);
        staticCallers.started(null, null, new GrantPolicies(file -> main), null);

        StringBuilder grants = new StringBuilder("{\"version\": \"1\", \"grants\": {");
        for (int i = 0; i < 100; i++) {
            grants.append(i == 0 ? "" : ", ").append("\"agent-").append(i).append("\": {\"tokens_sha256\": [\"")
                    .append(Grants.sha256(TOKEN.replace("42", Integer.toString(i)))).append("\"]}");
        }
        Path file = Files.createTempFile("grants-", ".json");
        Files.writeString(file, grants.append("}}").toString());
        bearerCallers = new Callers(AgentOptions.from(Settings.of(Map.of("policylayer.identity", "bearer",
                "policylayer.grants", file.toString()))).identity(), "default", false, requests);
        bearerCallers.started(LiveFile.fixed(GrantsLoader.load(file, ReadLimits.DEFAULT)), null,
                new GrantPolicies(policy -> main), null);
        Files.delete(file);

        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        coyote.getMimeHeaders().addValue("Content-Type").setString("application/json");
        coyote.getMimeHeaders().addValue("Accept").setString("application/json, text/event-stream");
        coyote.getMimeHeaders().addValue("Authorization").setString("Bearer " + TOKEN);
        Request catalina = new Request(new Connector(), coyote);
        request = catalina.getRequest();

        Object entered = requests.enter(reader, request);
        String grant = bearerCallers.grantFor(bearerCallers.presented(), main).label();
        requests.exit(entered);
        if (!"agent-42".equals(grant) || staticGrant().verdict() != Verdict.ALLOW
                || bearerFromTheRequest().verdict() != Verdict.ALLOW) {
            throw new IllegalStateException("the benchmark would measure the wrong path (grant " + grant + ")");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    private Decision decide(CallerGrant caller) {
        if (caller.isDenied()) {
            throw new IllegalStateException(caller.denial());
        }
        return caller.policy().current().decide(new ToolCall("search", arguments, Side.SERVER, session,
                caller.label()));
    }

    @Benchmark
    public Decision staticGrant() {
        return decide(staticCallers.grantFor(staticCallers.presented(), main));
    }

    @Benchmark
    public Decision bearerFromTheRequest() {
        Object entered = requests.enter(reader, request);
        try {
            return decide(bearerCallers.grantFor(bearerCallers.presented(), main));
        } finally {
            requests.exit(entered);
        }
    }
}

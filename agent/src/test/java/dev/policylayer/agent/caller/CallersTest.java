package dev.policylayer.agent.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.policylayer.engine.PolicyEngine;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.load.GrantsLoader;
import dev.policylayer.engine.load.PolicyLoadException;
import dev.policylayer.engine.load.ReadLimits;
import dev.policylayer.engine.reload.LiveFile;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.AgentOptions;
import dev.policylayer.engine.settings.CallerIdentity;
import dev.policylayer.engine.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From what a request presents to whose call it is. The request here is a map of headers and a principal name,
 * read through the same {@link RequestReader} seam the servlet integration implements; the HTTP tests run the
 * real thing.
 */
class CallersTest {
    private static final String CI_TOKEN = "tok-ci-4f1c2b";
    private static final String READER_TOKEN = "tok-reader-99aa";

    @TempDir
    Path dir;

    private final LivePolicy main = LivePolicy.fixed(PolicyEngine.failClosed("the main policy (not decided here)"));
    private final RequestsInFlight requests = new RequestsInFlight();
    private final List<Path> opened = new ArrayList<>();
    /** The grants file the callers follow (what the agent's watcher checks once a second). */
    private LiveFile<Grants> grants;

    /** A request: its headers and its principal's name. */
    private record Request(Map<String, String> headers, String principal) {
    }

    private static final RequestReader READER = new RequestReader() {
        @Override
        public String principal(Object request) {
            return ((Request) request).principal;
        }

        @Override
        public String header(Object request, String name) {
            return ((Request) request).headers.get(name);
        }
    };

    private Callers callers(String identity, Path grantsFile) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("policylayer.identity", identity));
        if (grantsFile != null) {
            settings.put("policylayer.grants", grantsFile.toString());
        }
        AgentOptions options = AgentOptions.from(Settings.of(settings));
        Callers callers = new Callers(options.identity(), "default", false, requests);
        GrantPolicies policies = new GrantPolicies(file -> {
            opened.add(file);
            return LivePolicy.fixed(PolicyEngine.failClosed("policy of " + file.getFileName()));
        });
        if (grantsFile == null) {
            callers.started(null, null, policies, null);
            return callers;
        }
        String[] failure = new String[1];
        Supplier<Grants> initial = () -> {
            try {
                return GrantsLoader.load(grantsFile, ReadLimits.DEFAULT);
            } catch (PolicyLoadException invalid) {
                failure[0] = invalid.getMessage();
                return null;
            }
        };
        grants = LiveFile.following(grantsFile, ReadLimits.DEFAULT, initial,
                java.util.Objects::nonNull, () -> GrantsLoader.load(grantsFile, ReadLimits.DEFAULT),
                new LiveFile.Listener<>() {
                    @Override
                    public void applied(Grants previous, Grants next) {
                    }

                    @Override
                    public void rejected(PolicyLoadException problems) {
                    }
                });
        callers.started(grants, failure[0], policies, null);
        return callers;
    }

    /** Who the caller of a call made while {@code request} is in flight is. */
    private CallerGrant callerOf(Callers callers, Request request) {
        Object entered = requests.enter(READER, request);
        try {
            return callers.grantFor(callers.presented(), main);
        } finally {
            requests.exit(entered);
        }
    }

    private static Request bearer(String token) {
        return new Request(Map.of("Authorization", "Bearer " + token), null);
    }

    private Path grants(String text) throws Exception {
        Path file = dir.resolve("grants.json");
        Files.writeString(file, text);
        return file;
    }

    private String twoTokens(String ciGrant, String readerGrant) {
        return """
                {"version": "1", "grants": {
                  "%s": {"tokens_sha256": ["%s"]},
                  "%s": {"tokens_sha256": ["%s"], "policy": "read-only.json"}}}"""
                .formatted(ciGrant, Grants.sha256(CI_TOKEN), readerGrant, Grants.sha256(READER_TOKEN));
    }

    @Test
    void eachBearerTokenIsItsGrantWithItsOwnPolicyAndAnythingElseHasNone() throws Exception {
        Callers callers = callers("bearer", grants(twoTokens("ci-runner", "reader")));
        CallerGrant ci = callerOf(callers, bearer(CI_TOKEN));
        assertEquals("ci-runner", ci.label());
        assertSame(main, ci.policy(), "no policy of its own: the main one");
        CallerGrant reader = callerOf(callers, new Request(Map.of("Authorization", "bearer  " + READER_TOKEN + " "),
                null));
        assertEquals("reader", reader.label(), "the scheme is case-insensitive, the token trimmed");
        assertEquals(List.of(dir.resolve("read-only.json").toAbsolutePath().normalize()), opened);
        assertSame(reader.policy(), callerOf(callers, bearer(READER_TOKEN)).policy(), "opened once");

        CallerGrant unknown = callerOf(callers, bearer("tok-nobody-knows"));
        assertTrue(unknown.isDenied());
        assertTrue(unknown.denial().startsWith("no grant in " + dir.resolve("grants.json") + " has the request's"
                + " bearer token (policylayer.identity=bearer)"), unknown.denial());
        assertFalse(unknown.denial().contains("tok-nobody-knows"), "the token is never repeated");
        assertEquals("the request has no Authorization header (policylayer.identity=bearer) and the grants file"
                + " names no fallback grant in \"unknown\"", callerOf(callers, new Request(Map.of(), "alice"))
                .denial());
        assertTrue(callerOf(callers, new Request(Map.of("Authorization", "Basic YWxpY2U6cHc="), null)).denial()
                .startsWith("the request's Authorization header is not a bearer token"));
        CallerGrant stdio = callers.grantFor(callers.presented(), main);
        assertTrue(stdio.denial().startsWith("the call did not come in on an HTTP request"), stdio.denial());
    }

    @Test
    void aFallbackGrantTakesEveryoneNobodyRecognises() throws Exception {
        Callers callers = callers("header:X-Agent", grants("""
                {"version": "1", "grants": {"agent-a": {"header_values": ["agent-a"]},
                 "visitors": {"policy": "visitors.json"}}, "unknown": "visitors"}"""));
        assertEquals("agent-a", callerOf(callers, new Request(Map.of("X-Agent", " agent-a "), null)).label());
        assertEquals("visitors", callerOf(callers, new Request(Map.of("X-Agent", "agent-b"), null)).label());
        assertEquals("visitors", callerOf(callers, new Request(Map.of(), null)).label());
        assertEquals("visitors", callers.grantFor(callers.presented(), main).label(), "stdio too");
    }

    @Test
    void withoutAGrantsFileEachPrincipalIsItsOwnGrantAndNoPrincipalIsNone() throws Exception {
        Callers callers = callers("principal", null);
        assertEquals("alice", callerOf(callers, new Request(Map.of(), "alice")).label());
        assertEquals("bob", callerOf(callers, new Request(Map.of(), "bob")).label());
        assertEquals("the request has no authenticated principal (policylayer.identity=principal)",
                callerOf(callers, new Request(Map.of(), null)).denial());
    }

    @Test
    void aGrantsReloadMovesATokenAndABadEditKeepsTheGrantsInForce() throws Exception {
        Path file = grants(twoTokens("ci-runner", "reader"));
        Callers callers = callers("bearer", file);
        assertEquals("ci-runner", callerOf(callers, bearer(CI_TOKEN)).label());
        Files.writeString(file, twoTokens("reader-2", "ci-runner"));
        grants.checkContent(); // the watcher's once-a-second check, run here at once
        assertEquals("reader-2", callerOf(callers, bearer(CI_TOKEN)).label());
        assertEquals("ci-runner", callerOf(callers, bearer(READER_TOKEN)).label());
        Files.writeString(file, "{\"version\": \"1\", \"grants\": {\"x\": {\"tokens_sha256\": [\"" + CI_TOKEN
                + "\"]}}}");
        grants.checkContent();
        assertEquals("reader-2", callerOf(callers, bearer(CI_TOKEN)).label(), "an invalid edit loosens nothing");
    }

    @Test
    void aGrantsFileThatCannotBeLoadedAtStartUpDeniesEveryCallerUntilItIsFixed() throws Exception {
        Path file = grants("{\"version\": \"1\", \"grants\": ");
        Callers callers = callers("bearer", file);
        CallerGrant denied = callerOf(callers, bearer(CI_TOKEN));
        assertTrue(denied.denial().startsWith("the grants file " + file + " could not be loaded ("), denied.denial());
        Files.writeString(file, twoTokens("ci-runner", "reader"));
        grants.checkContent();
        assertEquals("ci-runner", callerOf(callers, bearer(CI_TOKEN)).label());
    }

    @Test
    void unusableIdentitySettingsDenyEveryServerSideCallSayingWhy() throws Exception {
        Callers typo = callers("bearr", null);
        assertEquals("policylayer.identity must be static, principal, bearer or header:<Name>, got \"bearr\"",
                callerOf(typo, bearer(CI_TOKEN)).denial());
        Callers noFile = callers("bearer", null);
        assertTrue(callerOf(noFile, bearer(CI_TOKEN)).denial().contains("needs a grants file"));
        Callers fixed = callers("static", null);
        assertEquals("default", callerOf(fixed, bearer(CI_TOKEN)).label(), "static: policylayer.grant, whoever calls");
    }
}

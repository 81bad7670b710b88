package dev.policylayer.agent.caller;

import dev.policylayer.engine.grants.Grant;
import dev.policylayer.engine.grants.Grants;
import dev.policylayer.engine.reload.LiveFile;
import dev.policylayer.engine.reload.LivePolicy;
import dev.policylayer.engine.settings.CallerIdentity;
import java.nio.file.Path;

/**
 * Who calls: turns what a server-side caller presented ({@link #presented()}, read as the call enters) into its
 * grant ({@link #grantFor}) by the configured {@code policylayer.identity} and the grants file in force. A caller
 * that presents nothing, or something no grant recognises, gets the grants file's fallback grant if it names one,
 * else no grant: its calls are denied {@code (no grant)}. Client-side calls, and every call under
 * {@code policylayer.identity=static}, belong to {@code policylayer.grant}.
 *
 * <p>Nothing here logs or returns a presented value: denials say what was missing or unknown, never what it was.
 */
public final class Callers {
    public static final String NO_GRANT_RULE = "(no grant)";

    private final CallerIdentity identity;
    private final String staticGrant;
    private final boolean failOpen;
    private final RequestsInFlight requests;
    private volatile Directory directory;
    private volatile CallerGrant staticChoice;
    private volatile Recognised recognised;

    /** At most this many presented values are remembered per grants file (unknown ones never are). */
    static final int RECOGNISED = 4096;

    /**
     * The grants of values already recognised under one grants file and main policy, so a caller's every call costs
     * one map lookup (no SHA-256, no parsing, no allocation). A reload brings a new grants file, and a new map.
     */
    private record Recognised(Grants grants, LivePolicy main,
                              java.util.concurrent.ConcurrentHashMap<String, CallerGrant> byValue) {
    }

    /** The grants in force once the agent has started; {@code grants} is null without a grants file. */
    private record Directory(LiveFile<Grants> grants, String failure, GrantPolicies policies, Path mainPolicy) {
    }

    /**
     * @param staticGrant {@code policylayer.grant}
     * @param failOpen    {@code policylayer.fail=open}: unusable identity settings or grants let calls count as
     *                    {@code staticGrant}, with a warning, instead of denying them
     */
    public Callers(CallerIdentity identity, String staticGrant, boolean failOpen, RequestsInFlight requests) {
        this.identity = identity;
        this.staticGrant = staticGrant;
        this.failOpen = failOpen;
        this.requests = requests;
    }

    public CallerIdentity identity() {
        return identity;
    }

    public RequestsInFlight requests() {
        return requests;
    }

    /**
     * The grants are in force.
     *
     * @param grants     the grants file followed, or null when there is none
     * @param failure    why the grants file could not be loaded at start-up (its value is then null until a valid
     *                   edit), or null
     * @param mainPolicy the main policy file, so a grant naming it shares the main policy; null when inline
     */
    public void started(LiveFile<Grants> grants, String failure, GrantPolicies policies, Path mainPolicy) {
        directory = new Directory(grants, failure, policies, mainPolicy == null ? null
                : mainPolicy.toAbsolutePath().normalize());
    }

    /** The grant policies followed now, for the file watcher. */
    public java.util.List<LivePolicy> grantPolicies() {
        Directory now = directory;
        return now == null ? java.util.List.of() : now.policies.all();
    }

    /**
     * What the caller of a server-side call entering on this thread presented, or null when no caller identity is
     * read ({@code static}). Read at once: the request may be recycled before a deferred decision.
     */
    public Credential presented() {
        return switch (identity.source()) {
            case STATIC -> null;
            case PRINCIPAL -> requests.principal();
            case BEARER -> requests.authorization();
            case HEADER -> requests.header(identity.header());
        };
    }

    /** The grant of a client-side call, or of any call before its caller is known: {@code policylayer.grant}. */
    public CallerGrant forClient(LivePolicy main) {
        CallerGrant choice = staticChoice;
        if (choice == null || choice.policy() != main) {
            choice = CallerGrant.of(staticGrant, main);
            staticChoice = choice;
        }
        return choice;
    }

    /** The label a decision made before the caller's grant is known is recorded under (null when unknown yet). */
    public String labelBeforeKnown(boolean serverSide) {
        return serverSide && (identity.fromRequest() || identity.problem() != null) ? null : staticGrant;
    }

    /** The grant of a server-side call whose caller presented {@code presented}. */
    public CallerGrant grantFor(Credential presented, LivePolicy main) {
        if (identity.problem() != null) {
            return failOpen ? forClient(main) : CallerGrant.denied(identity.problem());
        }
        if (presented == null) {
            return forClient(main);
        }
        Directory now = directory;
        if (now == null) { // the agent could not start: its policy denies everything anyway, unless failing open
            return failOpen ? forClient(main) : CallerGrant.denied("the agent could not load the grants");
        }
        Grants grants = now.grants == null ? null : now.grants.current();
        if (now.grants != null && grants == null) {
            return failOpen ? forClient(main) : CallerGrant.denied("the grants file " + now.grants.file()
                    + " could not be loaded (" + now.failure + "); fix it: it is reloaded when it changes");
        }
        if (!presented.present()) {
            return fallback(grants, now, main, presented.absent());
        }
        Recognised known = recognised;
        if (known == null || known.grants != grants || known.main != main) {
            known = new Recognised(grants, main, new java.util.concurrent.ConcurrentHashMap<>());
            recognised = known;
        }
        CallerGrant seen = known.byValue.get(presented.value());
        if (seen != null) {
            return seen;
        }
        CallerGrant resolved = resolve(presented.value(), grants, now, main);
        // Only values a grant names: a stream of made-up tokens (each given the fallback grant) must not fill it.
        boolean named = !resolved.isDenied() && (grants == null || !resolved.label().equals(grants.fallback()));
        if (named && known.byValue.size() < RECOGNISED) {
            known.byValue.put(presented.value(), resolved);
        }
        return resolved;
    }

    /** The grant of a presented value not seen before under these grants. */
    private CallerGrant resolve(String value, Grants grants, Directory now, LivePolicy main) {
        Grant grant;
        String unknown;
        switch (identity.source()) {
            case BEARER -> {
                String token = BearerToken.of(value);
                if (token == null) {
                    return fallback(grants, now, main, BearerToken.whyNone(value));
                }
                grant = grants.byToken(token);
                unknown = "no grant in " + grants.source() + " has the request's bearer token";
            }
            case HEADER -> {
                grant = grants.byHeaderValue(value);
                unknown = "no grant in " + grants.source() + " has the request's " + identity.header() + " value";
            }
            default -> {
                if (grants == null) {
                    return CallerGrant.of(value, main); // each principal is its own grant, under the main policy
                }
                grant = grants.byPrincipal(value);
                unknown = "no grant in " + grants.source() + " names the request's principal";
            }
        }
        return grant == null ? fallback(grants, now, main, unknown) : of(grant, now, main);
    }

    private CallerGrant fallback(Grants grants, Directory now, LivePolicy main, String why) {
        if (grants != null && grants.fallback() != null) {
            return of(grants.byLabel(grants.fallback()), now, main);
        }
        return CallerGrant.denied(why + " (policylayer.identity=" + identity.describe() + ")" + (grants == null ? ""
                : " and the grants file names no fallback grant in \"unknown\""));
    }

    private static CallerGrant of(Grant grant, Directory now, LivePolicy main) {
        Path policy = grant.policy();
        if (policy == null || policy.equals(now.mainPolicy)) {
            return CallerGrant.of(grant.label(), main);
        }
        return CallerGrant.of(grant.label(), now.policies.of(policy));
    }
}
